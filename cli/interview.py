"""Engine subcommands of ``coach``: practice, model-answers (H5); critique (H3)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

# -- practice, model-answers (H5) -----------------------------------------------------------------

model_answers_app = typer.Typer(
    help="View and edit model answers as files: export a posting's, edit the bodies, import them.",
    no_args_is_help=True,
)


def practice(
    posting_id: Annotated[str, typer.Argument(help="Posting id (or a unique prefix of 4+ characters).")],
    difficulty: Annotated[str, typer.Option(help="easy, medium or hard.")] = "medium",
    questions: Annotated[int, typer.Option(min=1, max=50, help="Number of main questions.")] = 5,
    resume: Annotated[str | None, typer.Option(help="Resume the session with this id.")] = None,
    follow_ups: Annotated[bool, typer.Option("--follow-ups/--no-follow-ups", help="Ask follow-ups.")] = True,
) -> None:
    """Practise in the terminal: one line of stdin is one answer; /model, /skip, /quit (saved)."""
    from chains.session.coach import SessionOptions
    from cli.practice_loop import difficulty_of
    from cli.practice_loop import practice as run
    from core.errors import CoachError

    try:
        level = difficulty_of(difficulty)
    except ValueError:
        typer.echo(f"error: --difficulty must be easy, medium or hard, not '{difficulty}'", err=True)
        raise typer.Exit(2) from None
    options = SessionOptions(difficulty=level, questions=questions, follow_ups=follow_ups)
    try:
        status = asyncio.run(run(posting_id, options, resume=resume))
    except (CoachError, LookupError, PermissionError) as exc:
        typer.echo(f"error: {str(exc).strip(chr(39))}", err=True)
        raise typer.Exit(1) from None
    raise typer.Exit(status)


@model_answers_app.command("export")
def export_answers(
    posting_id: Annotated[str, typer.Argument(help="Posting id (or unique prefix).")],
    directory: Annotated[Path, typer.Argument(help="Folder to write one Markdown file per question into.")],
    difficulty: Annotated[str, typer.Option(help="easy, medium or hard.")] = "medium",
) -> None:
    """Write the posting's model answers as editable files (YAML header + answer body)."""
    from chains.models import Difficulty
    from chains.questions.references import export_model_answers
    from knowledge.store import open_store

    store = open_store()
    posting = store.get(posting_id)
    if posting is None:
        typer.echo(f"error: posting '{posting_id}' is not in the store; run 'coach postings'", err=True)
        raise typer.Exit(1)
    written = export_model_answers(posting, store, directory, Difficulty(difficulty.lower()))
    typer.echo(f"Wrote {len(written)} model answers to {directory}. Edit the bodies, then: "
               f"coach model-answers import {directory}")


@model_answers_app.command("import")
def import_answers(
    directory: Annotated[Path, typer.Argument(help="Folder of exported (and edited) answer files.")],
) -> None:
    """Store the edited answers; they take precedence over generated ones from now on."""
    from chains.questions.references import import_model_answers
    from core.errors import CoachError
    from knowledge.store import open_store

    try:
        result = import_model_answers(directory, open_store())
    except CoachError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for problem in result.problems:
        typer.echo(f"skipped: {problem}", err=True)
    typer.echo(f"Imported {len(result.edited)} edited answers; {len(result.unchanged)} unchanged.")
    if result.problems:
        raise typer.Exit(1)


# -- critique (H3) --------------------------------------------------------------------------------


def critique(
    question: Annotated[str, typer.Option("--question", help="The interview question.")],
    answer: Annotated[str, typer.Option("--answer", help="The candidate's answer ('-' reads stdin).")],
    model_answer: Annotated[
        str | None,
        typer.Option(
            "--model-answer", help="The reference a strong answer matches (not needed with --posting)."
        ),
    ] = None,
    posting: Annotated[
        str | None,
        typer.Option(
            "--posting",
            help="A stored posting's id, or a posting file (ingested first): the reference is built exactly "
            "as a session builds it (the requirement found by retrieval when --requirement is not given).",
        ),
    ] = None,
    requirement: Annotated[
        str | None, typer.Option(help="The posting requirement the question probes.")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="behavioural, situational, technical or posting (default: read from the question)."
        ),
    ] = None,
    difficulty: Annotated[str, typer.Option(help="easy, medium or hard.")] = "medium",
    scaffold: Annotated[
        bool,
        typer.Option(
            "--scaffold",
            help="The model answer is an offline scaffold (as the app's offline ones): "
            "its points also count by the story part they stand for.",
        ),
    ] = False,
    posting_title: Annotated[
        str | None,
        typer.Option(help="The posting's title: an answer about the job is not off-topic (as in the app)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the critique as JSON.")] = False,
) -> None:
    """Score one answer with the rubric scorer (the score of record) and show its evidence.

    With --posting, any question can be critiqued against a posting as a session would critique it.
    """
    import json
    import sys

    from chains.critic.scorer import score_answer, score_question
    from chains.models import Difficulty, QuestionKind
    from core.errors import CoachError

    try:
        level = Difficulty(difficulty.lower())
    except ValueError:
        typer.echo(f"error: --difficulty must be easy, medium or hard, not '{difficulty}'", err=True)
        raise typer.Exit(2) from None
    chosen: QuestionKind | None = None
    if kind:
        try:
            chosen = QuestionKind(kind.strip().lower())
        except ValueError:
            names = ", ".join(k.value for k in QuestionKind)
            typer.echo(f"error: --kind must be one of {names}, not '{kind}'", err=True)
            raise typer.Exit(2) from None
    if answer == "-":
        answer = sys.stdin.read()
    if posting:
        from chains.session.own_question import own_question, resolve_posting
        from knowledge.store import open_store

        try:
            store = open_store()
            found = resolve_posting(store, posting)
            asked = own_question(
                found, question, store, requirement=requirement, kind=chosen, difficulty=level
            )
        except CoachError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        result = score_question(asked, answer, found.title)
    else:
        if not (model_answer or "").strip():
            typer.echo(
                "error: --model-answer is empty; give the reference to compare with, or --posting ID to "
                "build it as a session would",
                err=True,
            )
            raise typer.Exit(2)
        result = score_answer(
            question, model_answer or "", answer, requirement=requirement, difficulty=level,
            scaffold=scaffold, posting_title=posting_title, kind=chosen,
        )
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), indent=2))
        return
    from cli.critique_view import print_critique

    print_critique(result)


def register(app: typer.Typer) -> None:
    """Add this module's subcommands to the ``coach`` app."""
    app.command("critique")(critique)  # H3
    app.command("practice")(practice)  # H5
    app.add_typer(model_answers_app, name="model-answers")  # H5
