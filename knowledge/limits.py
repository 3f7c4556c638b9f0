"""Bounds on what a posting file may expand to while it is read (archives, PDFs) and how long.

Measured before these bounds: an 800 KB ``.docx`` whose XML expands to about 250 MB of paragraphs
took the app from 745 MB to 3.9 GB and was still parsing after 150 s (the same in ``coach ingest``).
A real posting is a few pages: its ``.docx`` has a few dozen parts and expands to well under 1 MB,
its PDF has a handful of pages. The bounds below are two orders of magnitude above that, and every
refusal is one ``PostingError`` line naming the file.

- archives (``.docx``): at most ``MAX_ARCHIVE_MEMBERS`` parts, ``MAX_EXPANDED_BYTES`` in total,
  each part at most ``MAX_RATIO`` times its compressed size (a zip bomb compresses ~1000x). Checked
  from the zip directory before anything is decompressed; a part cannot expand past its declared
  size (``zipfile`` stops there and the CRC check fails), so the directory can be trusted.
- PDFs: at most ``MAX_PDF_PAGES`` pages; each decompressed stream at most ``MAX_STREAM_BYTES``
  (pypdf's own configuration, which refuses a bigger stream as it decompresses); at most
  ``MAX_TEXT_CHARS`` of text in all.
- time: ``Deadline`` (``MAX_PARSE_SECONDS``) checked between pages and paragraphs.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from core.errors import PostingError

MAX_ARCHIVE_MEMBERS = 500
MAX_EXPANDED_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100
_RATIO_FLOOR = 1024 * 1024  # small parts may compress very well (repeated XML) without harm
MAX_PDF_PAGES = 200
MAX_STREAM_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
MAX_PARSE_SECONDS = 20.0

T = TypeVar("T")


def check_archive(data: bytes, source: str) -> None:
    """Refuse a zip (a ``.docx``) whose directory says it would expand beyond the bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a readable zip: the reader says so in its own words
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise PostingError(
            source, f"has {len(members):,} parts, far more than a posting document; save it again as .docx"
        )
    total = sum(m.file_size for m in members)
    if total > MAX_EXPANDED_BYTES:
        raise PostingError(
            source,
            f"would expand to {total / (1024 * 1024):.0f} MB, far more than a posting; "
            "save only the posting as .docx or paste its text",
        )
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise PostingError(
                source,
                f"has a part that expands {member.file_size // max(member.compress_size, 1):,} times "
                "(a zip bomb?); save the posting again as .docx or paste its text",
            )


class Deadline:
    """Parse time left for one file; ``check()`` raises a PostingError once it is spent."""

    def __init__(self, source: str, seconds: float = MAX_PARSE_SECONDS) -> None:
        self.source = source
        self.seconds = seconds
        self.until = time.monotonic() + seconds

    def check(self) -> None:
        """Raise when the time is up."""
        if time.monotonic() > self.until:
            raise PostingError(
                self.source,
                f"took over {self.seconds:.0f} s to read, far longer than a posting; "
                "save it again (or as text) and try again",
            )

    def each(self, items: Iterable[T]) -> Iterator[T]:
        """The items, checking the deadline before each."""
        for item in items:
            self.check()
            yield item


@contextmanager
def pdf_bounds() -> Iterator[None]:
    """Pypdf with every decompression bounded to ``MAX_STREAM_BYTES`` (in this context only)."""
    from pypdf import apply_configuration

    sizes: dict[str, Any] = {
        name: MAX_STREAM_BYTES
        for name in (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "jbig2_maximum_output_length",
            "maximum_declared_stream_length",
            "array_based_stream_maximum_output_length",
        )
    }
    with apply_configuration(**sizes):
        yield


def pdf_pages_text(reader: Any, source: str) -> list[str]:
    """The text of each page of a ``pypdf.PdfReader``, within the page, text and time bounds."""
    deadline = Deadline(source)
    pages: list[str] = []
    total = 0
    with pdf_bounds():
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise PostingError(
                source, f"has {count:,} pages, far more than a posting; save only the posting's pages"
            )
        for page in deadline.each(reader.pages):
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_TEXT_CHARS:
                raise PostingError(
                    source, "holds far more text than a posting; save only the posting's pages"
                )
            pages.append(text)
    return pages
