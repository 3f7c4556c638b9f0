"""The ``coach`` command: one Typer app; each area registers its own subcommands."""

from __future__ import annotations

import typer

from chains import cli_bench, cli_engine, cli_eval
from knowledge import cli as knowledge_cli
from knowledge import users

app = typer.Typer(
    name="coach",
    help="Interview Coach: practise for a job posting, offline by default.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

knowledge_cli.register(app)  # ingest, postings, show, search, remove
cli_engine.register(app)  # practice, critique
cli_eval.register(app)  # eval critic|questions|compare
cli_bench.register(app)  # bench
users.register(app)  # users add


def main() -> None:
    """Entry point of the ``coach`` script."""
    app()
