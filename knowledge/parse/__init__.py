"""Parse a job posting (file or pasted text) into a ``Posting``: requirements by kind and Q&A pairs.

Formats: .txt and .md (Markdown understood in both), .html/.htm, .pdf (text layer), .docx. Page
boilerplate (job-board widgets, legal, pay and benefits text, company blurbs, similar-job lists) is
dropped by general rules; see ``parse_sections``. Every failure raises ``PostingError`` with one line
naming the file, the problem and what to do.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from core.errors import PostingError
from core.settings import get_settings
from core.text import split_sentences
from knowledge.parse.items import classify_item, is_tag_cloud, split_list
from knowledge.parse.lines import Line, LineKind, split_item, to_lines
from knowledge.parse.meta import find_meta, title_from_stem
from knowledge.parse.prose import cue_kind, cut, duty_verb, is_duty_list, is_paragraph
from knowledge.parse.qa import is_asking, split_qa
from knowledge.parse.screens import is_english, looks_like_a_cv, not_a_requirement
from knowledge.parse.sections import (
    REQUIREMENT_SECTIONS,
    Section,
    SectionKind,
    heading_kind,
    is_boilerplate_line,
    several_postings,
    split_sections,
)
from knowledge.posting import Posting, QAPair, Requirement, RequirementKind, posting_id_for
from knowledge.readers import (
    SUPPORTED_EXTENSIONS,
    decode_text,
    docx_to_text,
    html_to_text,
    mb,
    pdf_to_text,
    read_bytes,
    supported_list,
)

__all__ = ["SUPPORTED_EXTENSIONS", "collect_files", "collect_files_and_skips", "parse_file", "parse_text"]

_FORMATS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "html": "html", "htm": "html"}
_KIND_OF_SECTION = {
    SectionKind.RESPONSIBILITY: RequirementKind.RESPONSIBILITY,
    SectionKind.REQUIRED: RequirementKind.REQUIRED,
    SectionKind.PREFERRED: RequirementKind.PREFERRED,
    SectionKind.SKILL: RequirementKind.SKILL,
}
# Sections whose heading names them for sure: a question heading never folds into them.
_NAMED_SECTIONS = frozenset(
    {
        SectionKind.RESPONSIBILITY,
        SectionKind.REQUIRED,
        SectionKind.PREFERRED,
        SectionKind.SKILL,
        SectionKind.SUMMARY,
    }
)
# An item that says it is optional, listed under a heading of requirements.
_A_PLUS = re.compile(
    r"\b(?:is|are|would be) (?:a (?:big )?plus|an advantage|desirable|nice to have)\b|\bbut a plus\b",
    re.IGNORECASE,
)
_A_MUST = re.compile(r"\b(?:is|are) (?:a must|required|essential)\b", re.IGNORECASE)
# More listed items than any real posting has: a catalogue or a dump, not one job.
MAX_REQUIREMENTS = 300
# Without a section named for duties or requirements, fewer items than this are a careers page's
# slogans ("We want people who love what they do"), not a posting. The prose-only adverts of the
# gold set give 4-6.
MIN_UNNAMED_REQUIREMENTS = 3
# Prose longer than this is a paragraph about the job, not a listed item.
_MAX_ITEM_WORDS = 60


def parse_text(text: str, source: str = "pasted", fmt: str = "txt") -> Posting:
    """Parse pasted or already-read posting text; ``fmt`` is ``txt``, ``md`` or ``html``."""
    limit = get_settings().max_file_bytes
    # Measure before any pattern runs: an oversized paste fails at once instead of being scanned.
    if len(text) > limit or len(text.encode("utf-8", errors="replace")) > limit:
        size = len(text.encode("utf-8", errors="replace"))
        raise PostingError(
            source,
            f"the text is {mb(size)}, over the {mb(limit)} limit (COACH_MAX_FILE_BYTES); "
            "paste only the posting itself",
        )
    kind = _FORMATS.get(fmt.lower().lstrip("."))
    if kind is None:
        raise PostingError(source, f"unknown format '{fmt}'; use txt, md or html")
    if not text.strip():
        raise PostingError(source, "the text is empty; paste the posting and try again")
    if "\x00" in text:
        raise PostingError(source, "the text holds binary data (NUL bytes); paste the posting as plain text")
    try:
        if kind == "html":
            text = html_to_text(text, source)
        return _posting_from_text(text, source=source, fallback_title="", error_source=source)
    except PostingError:
        raise
    except Exception as exc:  # a parser bug must still reach the user as one line, not a traceback
        raise PostingError(source, f"could not be parsed ({type(exc).__name__}); please report this") from exc


def parse_file(path: Path, max_bytes: int | None = None) -> Posting:
    """Read and parse one posting file, dispatching on its extension.

    ``max_bytes`` defaults to the ``max_file_bytes`` setting; larger files are refused unread.
    """
    path = Path(path)
    source = str(path)
    if not path.exists():
        if path.is_symlink():
            raise PostingError(source, "is a link to a file that is not there; fix or remove the link")
        raise PostingError(source, "file not found; check the path")
    extension = path.suffix.lower()
    if not path.is_dir() and extension not in SUPPORTED_EXTENSIONS:
        raise PostingError(source, _unsupported(extension))
    limit = max_bytes if max_bytes is not None else get_settings().max_file_bytes
    data = read_bytes(path, limit)
    try:
        if extension == ".pdf":
            text = pdf_to_text(data, source)
        elif extension == ".docx":
            text = docx_to_text(data, source)
        elif extension in (".html", ".htm"):
            text = html_to_text(decode_text(data, source), source)
        else:
            text = decode_text(data, source)
        return _posting_from_text(
            text, source=path.name, fallback_title=title_from_stem(path.stem), error_source=source
        )
    except PostingError:
        raise
    except Exception as exc:  # a parser bug must still reach the user as one line, not a traceback
        raise PostingError(source, f"could not be parsed ({type(exc).__name__}); please report this") from exc


def collect_files(paths: Sequence[Path]) -> tuple[list[Path], list[PostingError]]:
    """The posting files named by ``paths``, folders expanded recursively, and an error per bad path.

    Missing paths, files with an unsupported extension named explicitly, and folders holding no
    supported file each give one error; other files met inside a folder are left out (see
    ``collect_files_and_skips`` for their names).
    """
    files, errors, _ = collect_files_and_skips(paths)
    return files, errors


def collect_files_and_skips(
    paths: Sequence[Path],
) -> tuple[list[Path], list[PostingError], list[PostingError]]:
    """As ``collect_files``, plus one entry per file left out of a folder, saying why."""
    files: list[Path] = []
    errors: list[PostingError] = []
    skipped: list[PostingError] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for given in paths:
        path = Path(given)
        if not path.exists():
            errors.append(PostingError(str(path), "file or folder not found; check the path"))
        elif path.is_dir():
            found = _supported_in(path, skipped)
            if not found:
                errors.append(
                    PostingError(str(path), f"no posting files in this folder; add {supported_list()} files")
                )
            for file in found:
                add(file)
        elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            errors.append(PostingError(str(path), _unsupported(path.suffix.lower())))
        else:
            add(path)
    return files, errors, skipped


def _supported_in(folder: Path, skipped: list[PostingError]) -> list[Path]:
    """Supported files under ``folder``, sorted; each other file (and hidden folder) goes to ``skipped``.

    Hidden folders (.git, .cache) are not entered: one line names each. Symlink loops are not followed.
    """
    found: list[Path] = []
    for root, dirs, names in os.walk(folder, followlinks=False):
        for name in sorted(dirs):
            if name.startswith("."):
                skipped.append(PostingError(str(Path(root) / name), "skipped, a hidden folder"))
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if name.startswith("."):
                skipped.append(PostingError(str(path), "skipped, a hidden file"))
            elif path.suffix.lower() in SUPPORTED_EXTENSIONS:
                found.append(path)
            else:
                reason = f"skipped, not a supported type (use {supported_list()})"
                skipped.append(PostingError(str(path), reason))
    return found


def _unsupported(extension: str) -> str:
    shown = f"'{extension}' files are" if extension else "files without an extension are"
    hint = " (save .doc files as .docx)" if extension == ".doc" else ""
    return f"{shown} not supported; use {supported_list()}{hint}"


# --- from text to Posting ---------------------------------------------------------------------------


_TITLE_FIELDS = frozenset({"title", "job title", "position title", "role title"})


def _posting_from_text(text: str, *, source: str, fallback_title: str, error_source: str) -> Posting:
    lines = to_lines(text)
    heading_title, sections = split_sections(lines)
    several = several_postings(lines, sections)
    if several:
        raise PostingError(
            error_source,
            f"holds several job postings ({several}); save each posting as its own file (or paste one "
            "posting) and add that",
        )
    if not is_english(text):
        raise PostingError(
            error_source,
            "looks like it is not in English; the coach asks and scores in English, so add an English "
            "version of the posting",
        )
    if looks_like_a_cv(text):
        raise PostingError(
            error_source,
            "looks like a CV or résumé, not a job posting; add the posting of the job you are preparing "
            "for (the questions come from its duties and requirements)",
        )
    sections = _fold_question_headings(sections)
    # A bulletin's "JOB TITLE:" may sit under a heading whose text is dropped ("EXAMINATION BULLETIN"):
    # its fields still say what the job is; a field outside dropped sections wins (it comes later).
    titles = [
        item
        for section in sections
        if section.kind is SectionKind.DROP
        for item in section.fields
        if item.name.lower() in _TITLE_FIELDS
    ]
    fields = titles + [
        item for section in sections if section.kind is not SectionKind.DROP for item in section.fields
    ]
    # The job-board header ("Remote from USA ... Job posted ...", "Acme · Austin, TX") is furniture
    # and may be dropped below, but it says who and where: keep its lines for the metadata.
    header = [line.text for line in sections[0].lines if not sections[0].heading]
    for section in sections:
        listed = section.kind in REQUIREMENT_SECTIONS
        section.lines = [
            kept_line
            for line in section.lines
            if (kept_line := _without_boilerplate(line, listed=listed)) is not None
        ]
    kept = [section for section in sections if section.kind is not SectionKind.DROP]

    qa_pairs: list[QAPair] = []
    qa_of: dict[int, list[QAPair]] = {}
    for index, section in enumerate(kept):
        if section.kind is SectionKind.QA:
            qa_of[index] = split_qa([line.text for line in section.lines])
            qa_pairs.extend(qa_of[index])

    requirements = _requirements(kept, by_wording=False)
    if not requirements:
        # No section the parser could name: judge every listed item by its wording.
        requirements = _requirements(kept, by_wording=True)
    named = any(req.section and heading_kind(req.section) in REQUIREMENT_SECTIONS for req in requirements)
    if not requirements or (not named and len(requirements) < MIN_UNNAMED_REQUIREMENTS):
        # A careers page, a company page or a job list: nothing (or next to nothing) a job asks.
        raise PostingError(
            error_source,
            "no requirements found: it holds no job posting (no duties or requirements; a careers or "
            "company page?); add the page of one job, with its duties and requirements",
        )

    if len(requirements) > MAX_REQUIREMENTS:
        raise PostingError(
            error_source,
            f"lists {len(requirements):,} items, more than one job posting holds ({MAX_REQUIREMENTS}); "
            "split it into one file per posting",
        )

    meta = find_meta(heading_title, header, sections, fields, text, fallback_title)
    cleaned = _render(meta.title_line or meta.title, kept, qa_of, skip=meta.title_line)
    return Posting(
        id=posting_id_for(cleaned),
        title=meta.title,
        title_from=meta.title_from,
        company=meta.company,
        location=meta.location,
        source=source,
        text=cleaned,
        requirements=requirements,
        qa_pairs=qa_pairs,
    )


def _without_boilerplate(line: Line, *, listed: bool) -> Line | None:
    """The line without page boilerplate: None when it is boilerplate as a whole.

    In a requirements section a paragraph keeps its other sentences and clauses: a bulletin's duty
    sentence ends "...; and fulfills equal employment opportunity responsibilities".
    """
    if not is_boilerplate_line(line, listed=listed):
        return line
    if not (listed and line.kind is LineKind.PLAIN and is_paragraph(line.text)):
        return None
    kept: list[str] = []
    for sentence in split_sentences(line.text):
        parts = sentence.split("; ")
        clauses = [part for part in parts if not is_boilerplate_line(Line(part, LineKind.PLAIN))]
        if clauses:
            kept.append("; ".join(clauses))
    if not kept:
        return None
    line.text = " ".join(kept)
    return line


def _fold_question_headings(sections: list[Section]) -> list[Section]:
    """Questions written as headings inside a Q&A section belong to it, not to new sections."""
    out: list[Section] = []
    for section in sections:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.kind is SectionKind.QA
            and section.kind not in _NAMED_SECTIONS
            and is_asking(section.heading)
        ):
            previous.lines.append(Line(section.heading, LineKind.PLAIN))
            previous.lines.extend(section.lines)
            continue
        out.append(section)
    return out


def _requirements(sections: list[Section], *, by_wording: bool) -> list[Requirement]:
    requirements: list[Requirement] = []
    seen: set[str] = set()
    # A posting that names its duties or requirements sections says what it asks there; the cues of
    # prose written to the reader are read only in postings without such sections.
    named = any(section.kind in REQUIREMENT_SECTIONS for section in sections)
    for section in sections:
        for text, kind in _items(section, by_wording=by_wording, spoken=not named):
            parts = split_list(text) if kind is RequirementKind.SKILL else split_item(text)
            # A note whose first sentence is about filing or the exam is about that throughout.
            if len(parts) > 1 and _screened(parts[0]):
                continue
            for part in parts:
                key = part.lower()
                # Benefits, pay, process, checks, EEO and about-us text sit in the same lists as
                # requirements on real postings; none of it is something to ask a candidate about.
                if key in seen or _screened(part):
                    continue
                seen.add(key)
                requirements.append(
                    Requirement(text=part, kind=kind, section=section.heading, order=len(requirements))
                )
    return requirements


def _screened(text: str) -> bool:
    """Whether an item is benefit, pay, process, check, EEO or about-us text rather than a requirement.

    An item that opens with a duty verb is a duty even when it names pay or applications ("Provide
    ... salary recommendations" for a recruiter); only equal-opportunity wording drops it.
    """
    reason = not_a_requirement(text)
    if reason is None:
        return False
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return reason == "eeo" or not duty_verb(first)


def _items(section: Section, *, by_wording: bool, spoken: bool = True) -> list[tuple[str, RequirementKind]]:
    """The listed items of a section with their kinds."""
    bullets = [line for line in section.lines if line.kind is LineKind.BULLET]
    plain = [line for line in section.lines if line.kind is LineKind.PLAIN and not line.is_field]
    # Where a section lists items, its plain lines are lead-ins and notes; otherwise each plain line
    # (a paragraph in prose postings) is an item.
    candidates = bullets or [line for line in plain if not line.text.endswith(":")]
    kind = _KIND_OF_SECTION.get(section.kind)
    items: list[tuple[str, RequirementKind]] = []
    # A section of one or two long plain lines is written as paragraphs, not as a list.
    in_prose = len(candidates) <= 2
    if kind is not None and not by_wording:
        for line in candidates:
            if kind is RequirementKind.SKILL and is_tag_cloud(line.text):
                continue
            if (
                in_prose
                and line.kind is LineKind.PLAIN
                and kind is not RequirementKind.SKILL
                and (
                    is_paragraph(line.text)
                    or (kind is RequirementKind.RESPONSIBILITY and line.text.count("; ") >= 2)
                )
            ):
                # A paragraph under a named heading: each sentence (each duty clause) is an item.
                items.extend((piece, kind) for piece in cut(line.text, kind))
            elif kind is RequirementKind.REQUIRED and _A_PLUS.search(line.text):
                items.append((line.text, RequirementKind.PREFERRED))  # "... is a plus" under "Who you are"
            elif kind is RequirementKind.PREFERRED and _A_MUST.search(line.text):
                items.append((line.text, RequirementKind.REQUIRED))  # "... is a must" under "Also preferred"
            else:
                items.append((line.text, kind))
        if bullets and kind is RequirementKind.REQUIRED:
            # A note after the list that states a requirement of its own ("A valid ... certificate
            # is required at the time of appointment.") is one more item.
            last = section.lines.index(bullets[-1])
            for line in section.lines[last + 1 :]:
                if line.kind is LineKind.PLAIN and not line.is_field and cue_kind(line.text) is kind:
                    pieces = split_sentences(line.text)
                    items.extend((piece, kind) for piece in pieces if cue_kind(piece) is kind)
        return items
    if section.kind in (SectionKind.QA, SectionKind.DROP):
        return items
    if not by_wording and not bullets:
        return _prose_items(section, spoken)
    if section.kind is SectionKind.PREAMBLE and not by_wording:
        return _prose_items(section, spoken)
    for line in candidates:
        if len(line.text.split()) > _MAX_ITEM_WORDS or is_tag_cloud(line.text):
            continue
        guessed = classify_item(line.text, listed=line.kind is LineKind.BULLET, default=kind)
        if guessed is None and line.kind is LineKind.BULLET:
            guessed = cue_kind(line.text)
        if guessed is not None:
            items.append((line.text, guessed))
    return items


def _prose_items(section: Section, spoken: bool = True) -> list[tuple[str, RequirementKind]]:
    """Items of a section without a naming heading or bullets: lists without markers, cued sentences.

    A run of three or more short plain lines is a list whose markers were lost (LinkedIn and county
    pages scraped as text): each line is judged by its wording. In paragraphs only sentences with a
    clear cue ("you must have", "you will be expected to") count; the rest describes the employer.
    """
    items: list[tuple[str, RequirementKind]] = []
    lines = [line for line in section.lines if not line.is_field]
    run: list[Line] = []

    def flush() -> None:
        # The header block before any heading (company, place, dates) is never a list.
        if len(run) >= 3 and section.kind is not SectionKind.PREAMBLE:
            for line in run:
                guessed = classify_item(line.text, listed=True, default=None)
                if guessed is RequirementKind.SKILL:
                    guessed = None  # short capitalised lines are names (places, teams), not skills here
                first = line.text.split(maxsplit=1)[0] if line.text.split() else ""
                if guessed is None and duty_verb(first):
                    guessed = RequirementKind.RESPONSIBILITY
                if guessed is None:
                    guessed = cue_kind(line.text, spoken=spoken)
                if guessed is not None:
                    items.append((line.text, guessed))
        else:
            for line in run:
                items.extend(_cued(line.text, spoken))
        run.clear()

    for line in lines:
        if line.kind is LineKind.PLAIN and _list_line(line.text):
            run.append(line)
            continue
        flush()
        if line.kind is LineKind.PLAIN and is_duty_list(line.text):
            duty = RequirementKind.RESPONSIBILITY
            items.extend((piece, duty) for piece in cut(line.text, duty))
        elif line.kind is LineKind.PLAIN:
            items.extend(_cued(line.text, spoken))
    flush()
    return items


def _list_line(text: str) -> bool:
    """A line that reads as one list item whose marker was lost: one sentence, not a lead-in."""
    return (
        not text.endswith(":")
        and len(text.split()) <= _MAX_ITEM_WORDS
        and len(split_sentences(text)) <= 1
        and not is_duty_list(text)
    )


def _cued(text: str, spoken: bool = True) -> list[tuple[str, RequirementKind]]:
    out: list[tuple[str, RequirementKind]] = []
    for sentence in split_sentences(text):
        kind = cue_kind(sentence, spoken=spoken)
        if kind is not None:
            out.extend((piece, kind) for piece in cut(sentence, kind))
    return out


# --- cleaned text -----------------------------------------------------------------------------------


def _render(title: str, sections: list[Section], qa_of: dict[int, list[QAPair]], skip: str = "") -> str:
    """The posting as kept: title, then each section's heading and lines; Q&A as Q:/A: lines."""
    out: list[str] = [f"# {title}"]
    for index, section in enumerate(sections):
        body: list[str] = []
        pairs = qa_of.get(index)
        if pairs:
            for pair in pairs:
                body.extend((f"Q: {pair.question}", f"A: {pair.model_answer}"))
        else:
            for line in section.lines:
                if skip and line.text == skip and index == 0:
                    skip = ""
                    continue
                if line.blank_before and body:
                    body.append("")
                body.append(f"- {line.text}" if line.kind is LineKind.BULLET else line.text)
        if not body:
            continue
        if section.heading:
            out.extend(("", f"## {section.heading}"))
        else:
            out.append("")
        out.extend(body)
    return "\n".join(out).strip() + "\n"
