"""The ``coach`` command: one Typer app; each area registers its own subcommands."""

from __future__ import annotations

import os

import typer

from chains.critic.rubric import load_rubric
from chains.questions.library import check_library
from cli import bench, evaluate, interview, postings, speech, users
from core.errors import SetupError
from core.settings import check_settings

app = typer.Typer(
    name="coach",
    help="Interview Coach: practise for a job posting, offline by default.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

postings.register(app)  # ingest, postings, show, search, remove
interview.register(app)  # practice, critique, model-answers
evaluate.register(app)  # eval critic|questions|compare
bench.register(app)  # bench
users.register(app)  # users add
speech.register(app)  # transcribe


def main() -> None:
    """Entry point of the ``coach`` script: settings, rubric and library are checked before any command."""
    os.umask(0o077)  # what the coach writes (postings, sessions, users) is for its owner only
    try:
        check_settings()  # a bad COACH_* value: one line naming it, not a traceback
        load_rubric()
        check_library()
    except SetupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc
    app()
