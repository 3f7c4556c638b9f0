"""Readers: turn a posting file's bytes into Markdown-ish text the parser understands.

Every reader returns plain text in which headings are ``#`` lines and list items are ``- `` lines, so
one parser serves every format. Every failure is a ``PostingError`` naming the file and what to do;
no pypdf, python-docx or decoding exception escapes.
"""

from __future__ import annotations

import io
import json
import logging
import re
import unicodedata
import zipfile
from html import unescape
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, CData, NavigableString, Tag
from pydantic import BaseModel

from core.errors import PostingError
from knowledge import limits  # issue 14: expansion and time bounds live in knowledge/limits.py

SUPPORTED_EXTENSIONS: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".pdf", ".docx"})
_SUPPORTED_LIST = ".txt, .md, .html, .htm, .pdf or .docx"

# Share of control characters above which "text" is really binary data decoded by force.
_MAX_CONTROL_SHARE = 0.01


def supported_list() -> str:
    """The supported extensions as a phrase for messages."""
    return _SUPPORTED_LIST


def mb(size: int) -> str:
    """A byte count as megabytes with one decimal, for messages."""
    return f"{size / (1024 * 1024):.1f} MB"


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing missing, folder, empty and oversized files before reading them."""
    source = str(path)
    if not path.exists():
        raise PostingError(source, "file not found; check the path")
    if path.is_dir():
        raise PostingError(source, "is a folder, not a file; pass a posting file or ingest the folder")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PostingError(
                source,
                f"is {mb(size)}, over the {mb(max_bytes)} limit (COACH_MAX_FILE_BYTES); "
                "trim it to the posting itself or raise the limit",
            )
        with path.open("rb") as handle:
            # Read one byte past the limit: a file that grew since stat() still cannot slip through.
            data = handle.read(max_bytes + 1)
    except PostingError:
        raise
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise PostingError(source, f"cannot be read ({reason.lower()}); check its permissions") from exc
    if len(data) > max_bytes:
        raise PostingError(
            source, f"is over the {mb(max_bytes)} limit (COACH_MAX_FILE_BYTES); trim it or raise the limit"
        )
    if not data.strip():
        raise PostingError(source, "the file is empty; add the posting text and try again")
    return data


def decode_text(data: bytes, source: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1.

    Binary data (NUL bytes, control characters) is refused rather than decoded into garbage.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked_text(data.decode("utf-16"), source)
        except UnicodeDecodeError as exc:
            raise PostingError(source, "is not valid UTF-16 text; save it as UTF-8 and try again") from exc
    if data.startswith(b"%PDF-"):
        raise PostingError(source, "is a PDF with a text extension; rename it to .pdf")
    if data.startswith(b"PK\x03\x04"):
        raise PostingError(source, "is a zip archive (a .docx?) with a text extension; rename it to .docx")
    if b"\x00" in data:
        raise PostingError(
            source, f"looks like a binary file, not text; save the posting as {_SUPPORTED_LIST}"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return _checked_text(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few stray bytes: keep the UTF-8 rather than turn every accent into mojibake.
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    if sum(1 for ch in lenient if ord(ch) > 127) - broken > 4 * broken:
        return _checked_text(lenient, source)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # decodes any byte string
    return _checked_text(text, source)


def _checked_text(text: str, source: str) -> str:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(2, len(text) * _MAX_CONTROL_SHARE):
        raise PostingError(
            source, f"looks like a binary file, not text; save the posting as {_SUPPORTED_LIST}"
        )
    if not text.strip():
        raise PostingError(source, "the file is empty; add the posting text and try again")
    return text


# --- HTML -------------------------------------------------------------------------------------------

# Page furniture that never holds the posting; their text is dropped with them.
_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "nav", "footer", "svg", "iframe", "form", "button"}
    | {"select", "aside", "head", "canvas", "object", "embed"}
)
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "header", "ul", "ol", "dl", "dt", "dd", "table", "tr"}
    | {"blockquote", "pre", "address", "figure", "figcaption", "hr", "details", "summary"}
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Raw-text elements cut out before parsing: on real pages they are most of the bytes.
_RAW_BLOCKS = (("<script", "</script"), ("<style", "</style"), ("<svg", "</svg"), ("<!--", "-->"))
# BeautifulSoup spends ~40 µs per element; a job page has a few thousand, so this bounds the time
# (about 2 s) without refusing any real posting page.
MAX_HTML_TAGS = 50_000
_TAG_OPEN = re.compile(r"<[A-Za-z]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]{0,200}>([^<]{1,300})</title", re.IGNORECASE)
# Where an HTML document starts: files saved or pasted one after another each bring their own.
_DOCUMENT_START = re.compile(r"<html[\s>]", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
# A document with fewer visible words is no page of its own (an empty frame, a stray wrapper).
_PAGE_WORDS = 20


def html_to_text(html: str, source: str = "pasted") -> str:
    """Visible text of an HTML page as Markdown-ish lines: ``#`` headings, ``- `` items, ``[a](href)``.

    Scripts, styles, navigation, footers, forms, asides and hidden elements are dropped; links stay
    marked so the parser can recognise link lists (menus, "similar jobs"). Linear in the page size.
    """
    title_match = _TITLE.search(html[:20_000])
    page_title = " ".join(title_match.group(1).split()) if title_match else ""
    records = job_posting_records(html)
    titles = list(dict.fromkeys(r.title for r in records if r.title))
    if len(titles) >= 2:  # a job list or search page carries one record per job it lists
        named = ", ".join(f"'{title}'" for title in titles[:3]) + (", ..." if len(titles) > 3 else "")
        raise PostingError(
            source,
            f"holds several job postings ({len(titles)} job records: {named}); save the page of one "
            "job (or paste one posting) and add that",
        )
    record = records[0] if records else None
    html = _cut_raw_blocks(html)
    pages = several_pages(html)
    if pages:
        raise PostingError(
            source,
            f"holds several job postings ({pages}); save each page as its own file (or paste one "
            "posting) and add that",
        )
    tags = sum(1 for _ in _TAG_OPEN.finditer(html))
    if tags > MAX_HTML_TAGS:
        raise PostingError(
            source,
            f"has {tags:,} HTML elements, far more than a job posting page; "
            "save only the posting's page or paste its text",
        )
    soup = BeautifulSoup(html, "html.parser")
    body = _HtmlWalker().text(soup)
    if record is not None:
        return _with_record(body, record, source)
    if page_title and not body.startswith("# "):
        body = f"# {unescape(page_title)}\n\n{body}"
    return body


def several_pages(html: str) -> str:
    """Why ``html`` (scripts and comments cut) is several HTML pages one after another, or "".

    Two ``<html>`` documents with text of their own are two postings saved or pasted into one
    file; the same page twice (saved twice) is still one posting.
    """
    starts = [match.start() for match in _DOCUMENT_START.finditer(html)]
    if len(starts) < 2:
        return ""
    pages: list[tuple[str, str]] = []
    for start, end in zip(starts, [*starts[1:], len(html)], strict=True):
        document = html[start:end]
        words = unescape(_ANY_TAG.sub(" ", document)).split()
        if len(words) >= _PAGE_WORDS:
            title = _TITLE.search(document)
            pages.append((" ".join(unescape(title.group(1)).split()) if title else "", " ".join(words)))
    if len(set(pages)) < 2:
        return ""
    titles = list(dict.fromkeys(title for title, _ in pages if title))
    named = ": " + ", ".join(f"'{title}'" for title in titles[:3]) + (", ..." if len(titles) > 3 else "")
    return f"{len(pages)} HTML pages{named if titles else ''}"


# --- JSON-LD JobPosting ----------------------------------------------------------------------------

_LD_OPEN = re.compile(r"<script[^>]{0,200}application/ld\+json[^>]{0,200}>", re.IGNORECASE)
# Larger records are not a job's metadata (a site's whole catalogue).
_MAX_LD_CHARS = 500_000


class JobRecord(BaseModel):
    """The fields of a schema.org JobPosting the parser uses."""

    title: str = ""
    employer: str = ""
    location: str = ""
    description_html: str = ""


def job_posting_records(html: str) -> list[JobRecord]:
    """The page's JSON-LD ``JobPosting`` records, in page order.

    Greenhouse, Lever, Workday and NHS Jobs pages carry one; a job list or search page one per job.
    """
    lower = html.lower()
    records: list[JobRecord] = []
    for match in _LD_OPEN.finditer(html):
        end = lower.find("</script", match.end())
        if end < 0 or end - match.end() > _MAX_LD_CHARS:
            continue
        try:
            data = json.loads(html[match.end() : end])
        except ValueError:
            continue  # a broken record: the visible page still holds the posting
        records.extend(_record_of(found) for found in _find_job_postings(data))
    return records


def _find_job_postings(data: object) -> list[dict[str, Any]]:
    """The JobPosting objects in a JSON-LD value: top level, lists, ``@graph`` or an ItemList's items."""
    found: list[dict[str, Any]] = []
    candidates = [data]
    while candidates:  # bounded: the record is at most _MAX_LD_CHARS of JSON
        item = candidates.pop(0)
        if isinstance(item, list):
            candidates.extend(item)
        elif isinstance(item, dict):
            kind = item.get("@type")
            if kind == "JobPosting" or (isinstance(kind, list) and "JobPosting" in kind):
                found.append(item)
                continue
            for key in ("@graph", "itemListElement", "item", "mainEntity"):
                if key in item:
                    candidates.append(item[key])
    return found


def _text_of(value: object) -> str:
    if isinstance(value, str):
        return " ".join(unescape(value).split())
    if isinstance(value, dict):
        return _text_of(value.get("name", ""))
    if isinstance(value, list) and value:
        return _text_of(value[0])
    return ""


def _record_of(item: dict[str, Any]) -> JobRecord:
    location = item.get("jobLocation")
    if isinstance(location, list):
        location = location[0] if location else None
    place = ""
    if isinstance(location, dict):
        address = location.get("address")
        if isinstance(address, dict):
            parts = (_text_of(address.get("addressLocality")), _text_of(address.get("addressRegion")))
            place = ", ".join(part for part in parts if part)
    if not place and item.get("jobLocationType") == "TELECOMMUTE":
        place = "Remote"
    description = item.get("description")
    return JobRecord(
        title=_text_of(item.get("title")),
        employer=_text_of(item.get("hiringOrganization")),
        location=place,
        description_html=unescape(description) if isinstance(description, str) else "",
    )


def _with_record(body: str, record: JobRecord, source: str) -> str:
    """The page text with the record's title and employer first; its description when the page has less.

    Pages that render the posting with scripts show little text; the record's description then is
    the posting.
    """
    described = html_to_text(record.description_html, source) if record.description_html else ""
    if len(described) > len(body):
        body = described
    lines = body.split("\n")
    if record.title and lines and lines[0].startswith("# "):
        lines = lines[1:]  # the record's title replaces the page's first heading
    header = [f"# {record.title}"] if record.title else []
    if record.employer:
        header.append(f"Employer: {record.employer}")
    if record.location:
        header.append(f"Location: {record.location}")
    return "\n".join(header + [""] + lines) if header else body


def _cut_raw_blocks(html: str) -> str:
    """The page without scripts, styles, inline SVG and comments, found by plain scanning."""
    lower = html.lower()
    for opening, closing in _RAW_BLOCKS:
        pieces: list[str] = []
        position = 0
        while True:
            start = lower.find(opening, position)
            if start < 0:
                break
            end = lower.find(closing, start + len(opening))
            pieces.append(html[position:start])
            if end < 0:
                position = len(html)
                break
            stop = lower.find(">", end)
            position = len(html) if stop < 0 else stop + 1
        pieces.append(html[position:])
        html = "".join(pieces)
        lower = html.lower()
    return html


class _HtmlWalker:
    """One pass over the parsed page, emitting text and line structure (no tree mutation)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pre = 0
        self.link = 0
        self.heading = 0

    def text(self, soup: BeautifulSoup) -> str:
        """The page as lines, whitespace-normalised and stripped of empty table separators."""
        # An explicit stack: pages nest deeper than Python's recursion limit.
        stack: list[tuple[object, bool, int]] = [(soup, False, 0)]
        while stack:
            node, closing, mark = stack.pop()
            if isinstance(node, Tag):
                if closing:
                    self._close(node, mark)
                else:
                    self._open(node, stack)
            elif type(node) is NavigableString or isinstance(node, CData):
                # Line breaks inside HTML text are layout, not structure: only tags start lines.
                self.out.append(str(node) if self.pre else str(node).replace("\n", " "))
        lines: list[str] = []
        for raw in "".join(self.out).split("\n"):
            line = " ".join(raw.split()).strip(" |")
            if line or (lines and lines[-1]):  # one blank line between blocks is enough
                lines.append(line)
        return "\n".join(lines).strip()

    def _open(self, tag: Tag, stack: list[tuple[object, bool, int]]) -> None:
        name = tag.name
        if name in _DROP_TAGS or tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
            return
        style = tag.get("style")
        if isinstance(style, str) and _HIDDEN_STYLE.search(style):
            return
        if name == "br":
            self.out.append("\n")
            return
        if name in ("p", "div", "dt") and not self.heading:
            bold = _only_child_bold(tag)
            if bold is not None:
                self.out.append(f"\n\n**{bold}**\n\n")
                return
        if name in _HEADINGS:
            if not self.heading:
                self.out.append(f"\n\n{'#' * int(name[1])} ")
            self.heading += 1
        elif name == "a":
            self.link += 1
        elif name == "li":
            self.out.append("\n- ")
        elif name in _BLOCK_TAGS:
            self.out.append("\n")
        if name == "pre":
            self.pre += 1
        stack.append((tag, True, len(self.out)))
        stack.extend((child, False, 0) for child in reversed(tag.contents))

    def _close(self, tag: Tag, mark: int) -> None:
        name = tag.name
        if name in _HEADINGS:
            self.heading -= 1
            if not self.heading:
                # A heading is one line, whatever blocks its markup holds.
                text = " ".join("".join(self.out[mark:]).split())
                del self.out[mark:]
                self.out.append(f"{text}\n\n")
        elif name == "a":
            self.link -= 1
            href = tag.get("href")
            if not self.link and isinstance(href, str) and not href.startswith(("#", "javascript:")):
                label = "".join(self.out[mark:])
                if label.strip() and "\n" not in label and "[" not in label and "]" not in label:
                    del self.out[mark:]
                    self.out.append(f"[{' '.join(label.split())}]({href.replace(' ', '%20')})")
        elif name in ("td", "th"):
            self.out.append(" | ")
        elif name in _BLOCK_TAGS:  # a list item ends where the next line starts
            self.out.append("\n")
        if name == "pre":
            self.pre -= 1


def _only_child_bold(tag: Tag) -> str | None:
    """The text of a block whose one child is a bold run: a heading written in bold."""
    children = [
        child for child in tag.contents if not (isinstance(child, NavigableString) and not child.strip())
    ]
    if len(children) != 1 or not isinstance(children[0], Tag) or children[0].name not in ("strong", "b"):
        return None
    text = " ".join(children[0].get_text(" ").split()).rstrip(":")
    return text if 0 < len(text) <= 80 else None


# --- PDF --------------------------------------------------------------------------------------------


def pdf_to_text(data: bytes, source: str) -> str:
    """The text layer of a PDF, page by page; a scanned PDF (no text layer) is refused."""
    # pypdf is imported here: its import cost is paid only by PDF users.
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    # pypdf logs every oddity of a damaged file; the user gets one line from us instead.
    pypdf_logger = logging.getLogger("pypdf")
    level = pypdf_logger.level
    pypdf_logger.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise PostingError(source, "is a password-protected PDF; remove the password and try again")
        pages = limits.pdf_pages_text(reader, source)  # issue 14: pages, streams, text, time bounded
    except PostingError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        raise PostingError(
            source, f"is not a readable PDF ({_reason(exc)}); export it again or paste the text"
        ) from exc
    except Exception as exc:  # pypdf raises many types on damaged files; none may escape
        raise PostingError(
            source, f"is not a readable PDF ({_reason(exc)}); export it again or paste the text"
        ) from exc
    finally:
        pypdf_logger.setLevel(level)
    if not pages:
        raise PostingError(source, "is a PDF with no pages; export it again")
    text = "\n\n".join(_without_page_furniture(pages))
    if not any(ch.isalnum() for ch in text):
        raise PostingError(
            source,
            "has no text layer (a scanned PDF?); run it through OCR or paste the posting text instead",
        )
    return _unwrap_pdf_lines(text)


_PAGE_NUMBER = re.compile(r"(?:page\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?|-\s*\d{1,4}\s*-", re.IGNORECASE)


def _without_page_furniture(pages: list[str]) -> list[str]:
    """Pages without page numbers and without the header/footer lines repeated on every page."""
    split = [[line.strip() for line in page.split("\n")] for page in pages]
    repeated: set[str] = set()
    if len(split) >= 2:
        common = set.intersection(*(set(lines) for lines in split))
        repeated = {line for line in common if line and len(line.split()) <= 12}
    return [
        "\n".join(line for line in lines if line not in repeated and not _PAGE_NUMBER.fullmatch(line))
        for lines in split
    ]


def _unwrap_pdf_lines(text: str) -> str:
    """Join the lines a PDF wrapped at the page edge back into their sentences.

    A line continues the previous one when the previous line filled most of the page width and did
    not end a sentence, or when it starts in lower case.
    """
    lines = text.split("\n")
    widest = max((len(line.rstrip()) for line in lines), default=0)
    out: list[str] = []
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if out and stripped and out[-1].strip():
            previous = out[-1].rstrip()
            starts_item = bool(re.match(r"[-*•●▪◦‣]\s|\d{1,2}[.)]\s|#", stripped))
            full_width = len(previous) >= 0.8 * widest and widest >= 40
            ends_sentence = previous.endswith((".", "!", "?", ":", ";"))
            lower_start = stripped[0].islower()
            if not starts_item and ((full_width and not ends_sentence) or lower_start):
                out[-1] = f"{previous} {stripped}"
                continue
        out.append(line)
    return "\n".join(out)


# --- DOCX -------------------------------------------------------------------------------------------


def docx_to_text(data: bytes, source: str) -> str:
    """Paragraphs and tables of a Word file in document order, headings and lists marked."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    limits.check_archive(data, source)  # issue 14: parts, expanded size, ratio; before unzipping
    try:
        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for block in limits.Deadline(source).each(document.iter_inner_content()):  # issue 14
            if isinstance(block, Paragraph):
                lines.append(_docx_paragraph(block))
            elif isinstance(block, Table):
                lines.extend(_docx_table(block))
            lines.append("")
    except PostingError:  # issue 14: a bound's own line
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise PostingError(
            source, "is not a valid .docx (Word) file; open it in Word and save it as .docx again"
        ) from exc
    except Exception as exc:  # python-docx/lxml raise many types on damaged files; none may escape
        raise PostingError(
            source, f"is not a readable .docx file ({_reason(exc)}); save it again as .docx"
        ) from exc
    text = "\n".join(lines).strip()
    if not text:
        raise PostingError(source, "the document has no text; add the posting text and try again")
    return text


def _docx_paragraph(paragraph: object) -> str:
    from docx.text.paragraph import Paragraph

    assert isinstance(paragraph, Paragraph)
    text = " ".join(paragraph.text.split())
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = re.match(r"Heading (\d)", style)
    if heading:
        return f"{'#' * int(heading.group(1))} {text}"
    if style == "Title":
        return f"# {text}"
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if style.startswith("List") or numbered:
        return f"- {text}"
    runs = [run for run in paragraph.runs if run.text.strip()]
    if runs and all(run.bold for run in runs) and len(text) <= 80:
        return f"**{text}**"
    return text


def _docx_table(table: object) -> list[str]:
    """Rows as lines: a two-cell row with a short first cell reads as 'Field: value'."""
    from docx.table import Table

    assert isinstance(table, Table)
    lines: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            # Merged cells repeat in python-docx; keep each once.
            if text and text not in cells:
                cells.append(text)
        if len(cells) == 2 and len(cells[0].split()) <= 4 and not cells[0].endswith((".", ":")):
            lines.append(f"{cells[0]}: {cells[1]}")
        else:
            lines.extend(cells)
    return lines


def _reason(exc: BaseException) -> str:
    """An exception as a short single-line reason."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:120]
