"""The domain: schema, settings, scoped queries and the calculations pages show."""
