"""Moving data: extract -> validate -> load -> marts, the demo generator and the CLI."""
