"""Posting subcommands of ``coach``: ingest, postings, show, search, remove.

Tables and JSON go to stdout, progress and notices to stderr. Text from postings is always rendered
as plain ``Text``, never as Rich markup, so a posting containing "[bold]" shows literally.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from core.errors import CoachError
from knowledge.posting import Posting, RequirementKind

if TYPE_CHECKING:
    from pydantic import BaseModel

    from knowledge.ingest import FileOutcome
    from knowledge.store import PostingStore

F = TypeVar("F", bound=Callable[..., Any])

_KIND_HEADINGS = {
    RequirementKind.RESPONSIBILITY: "Responsibilities",
    RequirementKind.REQUIRED: "Required",
    RequirementKind.PREFERRED: "Preferred",
    RequirementKind.SKILL: "Skills",
}
# Runs shorter than this finish before a progress bar is worth drawing.
_PROGRESS_MIN_FILES = 4

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (the models as they are) to stdout.")]


def _out() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str) -> typer.Exit:
    _err().print(Text(f"error: {message}"))
    return typer.Exit(1)


def _user_errors(command: F) -> F:
    """Turn a ``CoachError`` into its one line on stderr and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CoachError as exc:
            raise _fail(str(exc)) from None

    return wrapper  # type: ignore[return-value]


def _store() -> PostingStore:
    from knowledge.store import open_store

    return open_store()


def _print_json(value: BaseModel | Sequence[BaseModel]) -> None:
    if isinstance(value, Sequence):
        payload = json.dumps([item.model_dump(mode="json") for item in value], indent=2, ensure_ascii=False)
    else:
        payload = value.model_dump_json(indent=2)
    sys.stdout.write(payload + "\n")


def _resolve(store: PostingStore, posting_id: str) -> str:
    full = store.resolve_id(posting_id)
    if full is None:
        raise _fail(f"no posting with id '{posting_id}': see 'coach postings' for the ids")
    return full


# -- ingest ---------------------------------------------------------------------------------------


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Posting files (.txt, .md, .html, .pdf, .docx) or folders of them.")
    ],
    json_out: JsonOption = False,
) -> None:
    """Parse posting files and store them; exit 1 if any file could not be stored."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from core.settings import get_settings
    from knowledge.ingest import ingest_files

    err = _err()
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True,
    )
    tasks: dict[str, Any] = {}

    def on_files(count: int) -> None:
        if count >= _PROGRESS_MIN_FILES:
            bar.start()
            tasks["parse"] = bar.add_task("Reading", total=count)
            tasks["store"] = bar.add_task("Embedding and storing", total=count)

    def progress(stage: str, done: int) -> None:
        if stage in tasks:
            bar.advance(tasks[stage], done)

    try:
        outcomes = ingest_files(
            paths, store=_store(), max_bytes=get_settings().max_file_bytes, on_files=on_files,
            progress=progress,
        )
    finally:
        bar.stop()

    failed = [o for o in outcomes if o.failed]
    if json_out:
        _print_json(outcomes)
    else:
        _out().print(_ingest_table(outcomes))
        for outcome in failed:
            err.print(Text(f"error: {outcome.path}: {outcome.error}"))
        for outcome in outcomes:
            if outcome.skipped is not None:
                err.print(Text(f"{outcome.path}: {outcome.skipped}"))
        stored = sum(o.ok for o in outcomes)
        skipped = sum(o.skipped is not None for o in outcomes)
        tail = f", {skipped} skipped" if skipped else ""
        err.print(Text(f"{stored} stored, {len(failed)} failed{tail}"))
    if failed or not any(o.ok for o in outcomes):
        raise typer.Exit(1)


def _ingest_table(outcomes: list[FileOutcome]) -> Table:
    table = Table(title="Ingest")
    table.add_column("File", overflow="fold")
    table.add_column("Title")
    table.add_column("Requirements", justify="right")
    table.add_column("Q&A", justify="right")
    table.add_column("Status")
    for o in outcomes:
        if o.result is not None:
            r = o.result
            label = f"duplicate of {r.duplicate_of}" if r.status == "duplicate" else r.status
            status = Text(label, style="green" if r.status in ("added", "replaced") else "dim")
            # A title the text does not state is shown as what it is: a guess from the file name.
            title = r.title + (" (from the file name)" if o.title_from == "file name" else "")
            table.add_row(Text(o.path), Text(title), str(r.requirements), str(r.qa_pairs), status)
        elif o.skipped is not None:
            table.add_row(Text(o.path), "", "", "", Text(o.skipped, style="yellow"))
        else:
            table.add_row(Text(o.path), "", "", "", Text(f"error: {o.error}", style="red"))
    return table


# -- reading --------------------------------------------------------------------------------------


@_user_errors
def postings(json_out: JsonOption = False) -> None:
    """List stored postings: id, title, company, number of requirements and of Q&A pairs."""
    summaries = _store().list_postings()
    if json_out:
        _print_json(summaries)
        return
    if not summaries:
        _err().print("No postings yet: add some with 'coach ingest PATH'.")
        return
    table = Table("ID", "Title", "Company")
    table.add_column("Requirements", justify="right")
    table.add_column("Q&A", justify="right")
    for s in summaries:
        table.add_row(Text(s.id), Text(s.title), Text(s.company), str(s.requirements), str(s.qa_pairs))
    _out().print(table)


@_user_errors
def show(
    posting_id: Annotated[str, typer.Argument(metavar="ID", help="Posting id or a unique prefix (4+).")],
    json_out: JsonOption = False,
) -> None:
    """Show a stored posting as parsed: requirements grouped by kind, then Q&A pairs."""
    store = _store()
    posting = store.get(_resolve(store, posting_id))
    if posting is None:  # removed between the two calls
        raise _fail(f"no posting with id '{posting_id}'")
    if json_out:
        _print_json(posting)
        return
    _out().print(_posting_text(posting))


def _posting_text(posting: Posting) -> Text:
    text = Text()
    text.append(posting.title or "(untitled)", style="bold")
    details = [d for d in (posting.company, posting.location) if d]
    if details:
        text.append(" - " + ", ".join(details))
    text.append(f"\nid {posting.id}  source {posting.source or '-'}\n", style="dim")
    for kind, heading in _KIND_HEADINGS.items():
        items = [r for r in posting.requirements if r.kind == kind]
        if not items:
            continue
        text.append(f"\n{heading} ({len(items)})\n", style="bold cyan")
        for req in sorted(items, key=lambda r: r.order):
            text.append(f"  - {req.text}")
            if req.section:
                text.append(f"  [{req.section}]", style="dim")
            text.append("\n")
    if posting.qa_pairs:
        text.append(f"\nQ&A pairs ({len(posting.qa_pairs)})\n", style="bold cyan")
        for number, qa in enumerate(posting.qa_pairs, start=1):
            text.append(f"  Q{number}. {qa.question}\n", style="bold")
            text.append(f"      {qa.model_answer}\n")
    if not posting.requirements and not posting.qa_pairs:
        text.append("\nNo requirements or Q&A pairs were found in this posting.\n", style="yellow")
    return text


@_user_errors
def search(
    query: Annotated[str, typer.Argument(metavar="QUERY", help="What to look for, in plain words.")],
    posting: Annotated[
        str | None, typer.Option("--posting", "-p", metavar="ID", help="Search within one posting.")
    ] = None,
    k: Annotated[
        int, typer.Option("--k", "-k", min=1, max=100, help="Number of requirements to return.")
    ] = 5,
    json_out: JsonOption = False,
) -> None:
    """Find the requirements closest in meaning to QUERY, best first, with cosine scores."""
    store = _store()
    within = _resolve(store, posting) if posting is not None else None
    hits = store.search(query, k=k, posting_id=within)
    if json_out:
        _print_json(hits)
        return
    if not hits:
        _err().print("No matching requirements: is anything ingested? See 'coach postings'.")
        return
    titles = {s.id: s.title for s in store.list_postings()}
    table = Table("Score", "Posting", "Kind", "Requirement")
    for hit in hits:
        table.add_row(
            f"{hit.score:.3f}",
            Text(f"{titles.get(hit.posting_id, '')} ({hit.posting_id[:8]})"),
            hit.requirement.kind.value,
            Text(hit.requirement.text),
        )
    _out().print(table)


@_user_errors
def remove(
    posting_id: Annotated[str, typer.Argument(metavar="ID", help="Posting id or a unique prefix (4+).")],
) -> None:
    """Delete a stored posting with its requirements, Q&A pairs and cached model answers."""
    store = _store()
    full = _resolve(store, posting_id)
    posting = store.get(full)
    store.remove(full)
    title = posting.title if posting is not None else ""
    _out().print(Text(f"Removed {full} {title}".rstrip()))


def register(app: typer.Typer) -> None:
    """Add the posting subcommands to the ``coach`` app."""
    app.command("ingest")(_user_errors(ingest))
    app.command("postings")(postings)
    app.command("show")(show)
    app.command("search")(search)
    app.command("remove")(remove)
