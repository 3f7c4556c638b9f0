"""Line syntax of a posting: headings, list items, links and sentences, whatever the source format.

Every pattern here is linear in the length of its input (no nested quantifiers), because pasted
postings can be megabytes of one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from core.text import split_sentences


class LineKind(StrEnum):
    """How a line is written."""

    HEADING = "heading"
    BULLET = "bullet"
    PLAIN = "plain"


@dataclass
class Line:
    """One logical line of a posting after format markup is resolved."""

    text: str
    kind: LineKind
    level: int = 0  # Markdown heading level; 0 for bold, colon and capitalised headings
    link_only: bool = False  # the line was nothing but links: menus, "similar jobs" lists
    blank_before: bool = False
    is_field: bool = False  # a 'Name: value' line (Location: Berlin): describes the job, is no item


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = str.maketrans({"\u00a0": " ", "\t": " ", "\u2007": " ", "\u202f": " ", "\u3000": " "})

# The start of a Markdown link or image, "[label](" or "![alt](": the URL end is found by a scan.
_LINK_START = re.compile(r"(!?)\[([^\[\]\n]{0,300})\]\(")
_MD_HEADING = re.compile(r"(#{1,6}) (\S.*)")
_BOLD_LINE = re.compile(r"(\*\*|__)([^*_\n]{1,100}?)(?::\s*)?\1:?")
_BULLET = re.compile(r"(?:[-*+•●▪◦‣–—·]|\(?\d{1,2}[.)]|\(?[a-hA-H][.)])\s+(\S.*)")
_LONE_BULLET = re.compile(r"[-*+•●▪◦‣–·]")
_GLUED_HEADING = re.compile(r"[.!?)]\s{2,}([A-Z][A-Za-z/&,'’ -]{1,50}):\s*$")
_EMPHASIS = re.compile(r"\*\*|__|`")
_SINGLE_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]{1,200}?)(?<=\S)\*(?![\w*])")
_ENDS_OPEN = re.compile(
    r"(?:,|\b(?:and|or|of|with|to|the|a|an|in|for|on|at|by|from|as|including|such as|e\.g\.)|[-–/(])$",
    re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Unify line ends and spaces and drop invisible characters."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE).translate(_SPACES)


def resolve_links(line: str) -> tuple[str, int, str]:
    """One line with Markdown images removed and links replaced by their labels.

    Returns the text, the number of links and images, and the text outside them (to tell a line of
    nothing but links). Linear: the closing parenthesis is searched once per position, never again.
    """
    out: list[str] = []
    outside: list[str] = []
    count = 0
    position = 0
    close = -1
    while True:
        match = _LINK_START.search(line, position)
        if match is None:
            break
        url_start = match.end()
        if close < url_start:
            close = line.find(")", url_start)
        if close < 0:
            break
        out.append(line[position : match.start()])
        outside.append(line[position : match.start()])
        count += 1
        if not match.group(1):  # a link keeps its label; an image goes
            out.append(f" {match.group(2).strip()} ")
        position = close + 1
        close = -1
    out.append(line[position:])
    outside.append(line[position:])
    return " ".join("".join(out).split()), count, "".join(outside)


def strip_links(text: str) -> tuple[str, int]:
    """The text with each Markdown link replaced by its label, and the number of links."""
    stripped, count, _ = resolve_links(text)
    return stripped, count


def clean_inline(text: str) -> str:
    """Item text without emphasis markers, whitespace-normalised."""
    text = _SINGLE_STAR.sub(r"\1", _EMPHASIS.sub("", text))
    return " ".join(text.split())


def split_glued_heading(line: str) -> list[str]:
    """Split 'last sentence.  Heading:' (a heading that lost its line break) into two lines."""
    if not line.rstrip().endswith(":"):
        return [line]
    match = _GLUED_HEADING.search(line)
    if not match or len(match.group(1).split()) > 6:
        return [line]
    cut = match.start(1)
    return [line[:cut].rstrip(), line[cut:].strip()]


_TABLE_RULE = re.compile(r"\|[\s:|-]*\|")
_INLINE_HEAD = re.compile(r"([^:•]{1,60}:)\s*(.*)")


def _split_physical(physical: str) -> list[str]:
    """A physical line as logical lines: glued headings, Markdown table rows, "a • b • c" lists."""
    stripped = physical.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        if _TABLE_RULE.fullmatch(stripped):
            return []
        return [" | ".join(cell.strip() for cell in stripped.strip("|").split("|") if cell.strip())]
    if stripped.count(" • ") >= 2:
        parts = [part.strip() for part in stripped.lstrip("• ").split(" • ")]
        head = _INLINE_HEAD.fullmatch(parts[0])
        lines = []
        if head and not stripped.startswith("•"):
            lines.append(head.group(1))
            parts[0] = head.group(2)
        return lines + [f"• {part}" for part in parts if part]
    return split_glued_heading(physical)


def to_lines(text: str) -> list[Line]:
    """The posting's logical lines: headings, list items and plain lines, links resolved.

    A bullet marker alone on its line (common in pages converted to Markdown) marks the next line as
    a list item; a line that merely continues the previous one (lower-case start, or the previous
    line ends mid-phrase) is joined to it.
    """
    lines: list[Line] = []
    # Continuation pieces of the last line, joined once when it is complete (no quadratic +=).
    tail: list[str] = []
    pending_bullet = False
    blank = False
    for physical in normalise(text).split("\n"):
        for raw in _split_physical(physical):
            # Collapsed spaces keep every later pattern linear, whatever runs of blanks a page holds.
            stripped = " ".join(raw.split())
            if not stripped:
                blank = True
                continue
            if len(stripped) == 1 and _LONE_BULLET.fullmatch(stripped):
                pending_bullet = True
                continue
            line = _classify(stripped)
            if line is None:
                continue
            if pending_bullet and line.kind is LineKind.PLAIN:
                line.kind = LineKind.BULLET
            pending_bullet = False
            if not blank and lines and _continues(lines[-1], tail[-1] if tail else lines[-1].text, line, raw):
                tail.append(line.text)
                lines[-1].link_only = lines[-1].link_only and line.link_only
                continue
            _join_tail(lines, tail)
            line.blank_before = blank
            blank = False
            lines.append(line)
    _join_tail(lines, tail)
    return lines


def _join_tail(lines: list[Line], tail: list[str]) -> None:
    if tail:
        lines[-1].text = " ".join((lines[-1].text, *tail))
        tail.clear()


def _classify(stripped: str) -> Line | None:
    first = stripped[0]
    heading = _MD_HEADING.fullmatch(stripped) if first == "#" else None
    if heading:
        text, _ = strip_links(heading.group(2))
        closed = text.rstrip("#")
        if closed.endswith(" "):  # "## Title ##": the closing hashes are markup
            text = closed
        text = clean_inline(text).rstrip(":").strip()
        return Line(text, LineKind.HEADING, level=len(heading.group(1))) if text else None
    bold = _BOLD_LINE.fullmatch(stripped) if first in "*_" else None
    if bold:
        text, _ = strip_links(bold.group(2))
        text = clean_inline(text).rstrip(":").strip()
        item = _BULLET.fullmatch(text)
        if item:  # a list item set in bold ("**- Day rate: ...**") is still a list item
            return Line(item.group(1), LineKind.BULLET)
        if text and not text.endswith((".", "!", "?")):
            return Line(text, LineKind.HEADING)
    kind = LineKind.PLAIN
    body = stripped
    bullet = _BULLET.fullmatch(stripped)
    if bullet and not stripped.startswith("**"):
        kind = LineKind.BULLET
        body = bullet.group(1)
    if "[" in body:
        text, links, outside = resolve_links(body)
    else:
        text, links, outside = body, 0, body
    if any(mark in text for mark in "*_`"):
        text = clean_inline(text)
    if not any(ch.isalnum() for ch in text):
        return None
    link_only = links > 0 and not any(ch.isalnum() for ch in outside)
    return Line(text, kind, link_only=link_only)


def _continues(previous: Line, previous_end: str, line: Line, raw: str) -> bool:
    """Whether ``line`` is the wrapped rest of ``previous`` (ending ``previous_end``), not its own line."""
    if previous.kind is LineKind.HEADING or line.kind is LineKind.HEADING:
        return False
    if line.kind is LineKind.BULLET:
        return False
    if previous.link_only or line.link_only:
        return False
    if previous.kind is LineKind.BULLET and raw.startswith(("  ", "\t")):
        return True
    if previous_end.endswith((".", "!", "?", ":", ";")):
        return False
    return line.text[0].islower() or bool(_ENDS_OPEN.search(previous_end[-24:]))


# --- sentences --------------------------------------------------------------------------------------

# A sentence that refers back to the one before it belongs with it.
_REFERS_BACK = re.compile(
    r"(?:this|that|these|those|it|its|they|their|such|which|also|including|includes|both|each|"
    r"e\.g\.|i\.e\.|for example|for instance|in addition|additionally|otherwise|however|"
    r"especially|particularly|ideally|or|and|but|then)\b",
    re.IGNORECASE,
)


def split_item(text: str) -> list[str]:
    """One listed item as one or more requirements: each distinct, self-contained sentence.

    "10 years selling IaaS. Experience using CRM systems." holds two qualifications and becomes two;
    a sentence that refers back ("This includes ...") or is too short to stand alone stays joined.
    """
    sentences = split_sentences(text)
    if len(sentences) < 2:
        return [text]
    merged: list[str] = []
    for sentence in sentences:
        short = len(sentence.split()) < 4
        if merged and (short or len(merged[-1].split()) < 4 or _REFERS_BACK.match(sentence)):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return merged
