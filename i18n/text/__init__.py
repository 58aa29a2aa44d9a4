"""The text catalog, one module per area; `ui.i18n` merges them into one catalog."""
