"""Files to stored postings: collect, parse, store in batches; one outcome per file, failures kept apart.

Shared by ``coach ingest`` and anything else that takes posting files (the app's upload, scripts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from core.errors import CoachError, PostingError, SetupError
from knowledge.posting import Posting
from knowledge.store import IngestResult, PostingStore, open_store

# Postings handed to the store per call: a progress step, and the unit that fails together.
CHUNK = 32

Stage = Literal["parse", "store"]
Progress = Callable[[Stage, int], None]  # (stage, files just finished)


class FileOutcome(BaseModel):
    """What became of one file: stored (with the store's result) or refused (with the reason)."""

    path: str = Field(description="The file as named on the command line or found in a folder.")
    result: IngestResult | None = Field(default=None, description="Set when the posting was stored.")
    error: str | None = Field(default=None, description="One line: why the file was not stored.")
    title_from: str = Field(default="text", description="Where the stored posting's title was read.")
    skipped: str | None = Field(
        default=None, description="Set for a file in a folder that is no posting type: why it was left out."
    )

    @property
    def ok(self) -> bool:
        """True when the posting is in the store."""
        return self.result is not None

    @property
    def failed(self) -> bool:
        """True when a posting file could not be stored (a skipped file did not fail)."""
        return self.result is None and self.skipped is None


def ingest_files(
    paths: Sequence[Path],
    store: PostingStore | None = None,
    max_bytes: int | None = None,
    on_files: Callable[[int], None] | None = None,
    progress: Progress | None = None,
) -> list[FileOutcome]:
    """Parse and store every posting file under ``paths``; good files go in even when others fail.

    ``on_files`` is told how many files were found (before the slow part), ``progress`` is told as
    files are parsed and stored. A ``SetupError`` (missing model, unreachable server) is raised:
    no file could go in.
    """
    from knowledge.parse import collect_files_and_skips, parse_file

    store = store or open_store()
    store.count("postings")  # fail at once, before any parsing, when the store cannot be opened
    files, refused, skipped = collect_files_and_skips(list(paths))
    if on_files is not None:
        on_files(len(files))
    outcomes: list[FileOutcome] = [FileOutcome(path=err.source, error=err.problem) for err in refused]
    # Every file of a folder that is not read is named, so nothing disappears without a word.
    outcomes.extend(FileOutcome(path=item.source, skipped=item.problem) for item in skipped)

    parsed: list[tuple[str, Posting]] = []
    for file in files:
        try:
            parsed.append((str(file), parse_file(file, max_bytes=max_bytes)))
        except PostingError as exc:
            outcomes.append(FileOutcome(path=str(file), error=exc.problem))
        except OSError as exc:
            outcomes.append(FileOutcome(path=str(file), error=f"cannot read it ({exc.strerror or exc})"))
        if progress is not None:
            progress("parse", 1)

    for start in range(0, len(parsed), CHUNK):
        chunk = parsed[start : start + CHUNK]
        outcomes.extend(_store_chunk(store, chunk))
        if progress is not None:
            progress("store", len(chunk))
    order = {str(f): i for i, f in enumerate(files)}
    return sorted(outcomes, key=lambda o: (order.get(o.path, -1), o.path))


def _store_chunk(store: PostingStore, chunk: list[tuple[str, Posting]]) -> list[FileOutcome]:
    """Store a chunk in one go; if that fails, each posting alone.

    So one bad posting keeps out only itself, not the unrelated files of its chunk.
    """
    try:
        results = store.ingest_many([posting for _, posting in chunk])
    except SetupError:
        raise
    except (CoachError, OSError, ValueError, RuntimeError) as exc:
        if len(chunk) == 1:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            return [FileOutcome(path=chunk[0][0], error=f"not stored: {reason}")]
        return [outcome for item in chunk for outcome in _store_chunk(store, [item])]
    return [
        FileOutcome(path=path, result=result, title_from=posting.title_from)
        for (path, posting), result in zip(chunk, results, strict=True)
    ]
