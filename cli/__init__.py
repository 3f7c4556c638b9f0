"""The `coach` command line: one Typer app, one module per command group. Nothing imports it."""
