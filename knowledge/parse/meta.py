"""Title, employer and location of a posting, read from its text; the file name only as a last resort.

In order: 'Title:' and 'Employer:' fields (JSON-LD JobPosting records arrive as such fields), the
title heading or first line and the header under it (job boards, ATS pages, NHS adverts), the
capitalised title line of a civil-service bulletin, phrases that name the job or the employer in the
text ("the Secondary Teacher will ...", "... is seeking applicants for a "Software Developer"
position", "X is an equal opportunity employer", "At X, we ..."), a short headline; then the file
name, which the posting records as its title's source.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from knowledge.parse.lines import Line, LineKind, clean_inline, strip_links
from knowledge.parse.sections import Field, Section, SectionKind, field_of, heading_kind


@dataclass
class Meta:
    """What the posting says about itself."""

    title: str
    company: str
    location: str
    title_line: str  # the preamble line the title was read from, left out of the cleaned text
    title_from: str  # "text", "file name", or "none" (pasted text that names no job)


def find_meta(
    heading_title: str,
    header: list[str],
    sections: list[Section],
    fields: list[Field],
    text: str,
    fallback: str,
) -> Meta:
    """Title, company and location of a posting; ``fallback`` (from the file name) when the text has none."""
    title, company, location, title_line = _meta(heading_title, header, sections, fields)
    if not company and heading_title:
        company = _organisation_line(sections)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title:  # a heading or field says it: kept as written
        return Meta(title, company or _employer_in_text(text), location, title_line, "text")
    title = _bulletin_title(lines) or _title_in_text(text) or _headline(lines)
    if not company:
        company = _employer_in_text(text)
    if title:
        return Meta(_tidy_title(title), company, location, title_line, "text")
    if fallback:
        return Meta(fallback, company, location, title_line, "file name")
    return Meta("Pasted posting", company, location, title_line, "none")


def title_from_stem(stem: str) -> str:
    """A title from a file name: "00_Field_Sales..." -> "Field Sales ...", "x_02_CLERK_3162_1106" -> "Clerk".

    A leading catalogue prefix (words and numbers up to a number among the first three parts; a long
    one, a year or an id, only first) and trailing codes (numbers of four or more digits and what
    follows them) are not part of a title: "warehouse_lead_2024_final" is "Warehouse Lead".
    """
    words = re.sub(r"[_-]+", " ", stem).split()
    numbered = [i for i, word in enumerate(words[:3]) if word.isdigit() and (len(word) < 4 or i == 0)]
    if numbered and numbered[-1] + 1 < len(words):
        words = words[numbered[-1] + 1 :]
    for index, word in enumerate(words):
        if index and word.isdigit() and len(word) >= 4:
            words = words[:index]
            break
    title = " ".join(words) or stem
    if title.isupper() or title.islower():
        title = _title_case(title)
    return title


_TITLE_PARENS = re.compile(r"(?P<title>.*\S)\s*\((?P<inner>[^()]{2,120})\)")
_TITLE_AT = re.compile(r"(?P<title>.{3,80}?) at (?P<company>(?:the )?[A-Z0-9][\w&.,'’ -]{0,60})")
_REMOTE_FROM = re.compile(
    r"\bRemote(?: from| in| within|\s*[-–—:(])\s*(?P<where>[A-Z]{2,}\b|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)
_WORKPLACE = re.compile(r"\b(?:remote|hybrid|on-?site)\b", re.IGNORECASE)
_ABOUT = re.compile(r"About (?!(?:the|this|us|you|our|company)\b)(?P<name>\S+(?: \S+){0,2})", re.IGNORECASE)


def _meta(
    heading_title: str, header: list[str], sections: list[Section], fields: list[Field]
) -> tuple[str, str, str, str]:
    """Title, company and location from headings, fields and the header ("" when not found)."""
    named = {field.name.lower(): field.value for field in fields}

    def field_value(*names: str) -> str:
        for name in names:
            if named.get(name):
                return named[name]
        return ""

    title = field_value("title", "job title", "position title", "role title")
    company = field_value("company", "employer", "organisation", "organization", "hiring company")
    location = field_value("location", "job location", "work location", "locations", "based in", "remote")

    candidate = heading_title
    title_line = ""
    preamble = sections[0].lines if sections and sections[0].kind is SectionKind.PREAMBLE else []
    first_plain = next((line.text for line in preamble if line.kind is LineKind.PLAIN), "")
    if not candidate and first_plain and _is_title_like(first_plain):
        candidate = title_line = first_plain
    if candidate:
        found_title, found_company, found_location = _split_title(candidate)
        title = title or found_title
        company = company or found_company
        location = location or found_location
    if heading_title and (not company or not location):
        # Under a title heading, a short header line may name the company and place:
        # "at Vantor", "Lumora Health · Austin, TX · 2 weeks ago".
        found_company, found_location = _company_line(header[:6])
        company = company or found_company
        location = location or found_location
    if not company:
        company = next(
            (
                match.group("name").strip(" .:")
                for section in sections
                if (match := _ABOUT.fullmatch(section.heading.strip()))
            ),
            "",
        )
    if not location:
        remote = next((match for line in header[:6] if (match := _REMOTE_FROM.search(line))), None)
        workplace = _WORKPLACE.search(heading_title or first_plain or "")
        if remote:
            location = f"Remote ({remote.group('where')})"
        elif workplace:
            location = workplace.group(0).title()
    return clean_inline(title), clean_inline(company), clean_inline(location), title_line


_AT_COMPANY = re.compile(r"at (?P<company>[A-Z0-9][\w&.,'’ -]{0,60})")
_NOT_A_PLACE = re.compile(
    r"\bago\b|applicant|\d+ (?:days?|hours?|weeks?)|\bposted\b|\bviews?\b", re.IGNORECASE
)


def _company_line(lines: list[str]) -> tuple[str, str]:
    """(company, location) from a header line "at Company" or "Company · Place · ..."."""
    for index, line in enumerate(lines):
        at = _AT_COMPANY.fullmatch(line)
        if at:
            after = lines[index + 1] if index + 1 < len(lines) else ""
            place = after if _WORKPLACE.search(after) and len(after.split()) <= 6 else ""
            return at.group("company").strip(), place
        parts = [part.strip() for part in re.split(r"\s+[·•|]\s+", line) if part.strip()]
        if len(parts) >= 2 and len(parts[0].split()) <= 5 and not any(ch.isdigit() for ch in parts[0]):
            place = parts[1] if not _NOT_A_PLACE.search(parts[1]) else ""
            return parts[0], place
    return "", ""


def _is_title_like(text: str) -> bool:
    return len(text.split()) <= 16 and not text.endswith((".", "!", "?", ":")) and ":" not in text[:30]


def _split_title(text: str) -> tuple[str, str, str]:
    """(title, company, location) from "Title (Company, Location)", "Title at Company" or "A | B | C"."""
    text, _ = strip_links(text)
    parts = [part.strip() for part in re.split(r"\s+[|·]\s+", text) if part.strip()]
    if len(parts) >= 2:
        return parts[0], parts[1], ", ".join(parts[2:])
    parens = _TITLE_PARENS.fullmatch(text)
    if parens:
        inner = parens.group("inner").strip()
        if "," in inner:
            company, location = inner.split(",", 1)
            return parens.group("title").strip(), company.strip(), location.strip()
        if _WORKPLACE.fullmatch(inner):
            # "Manager (Mid-Market) at Brightloop, Manchester (Hybrid)": the rest still names who and where.
            title, company, location = _split_title(parens.group("title").strip())
            return title, company, ", ".join(part for part in (location, inner) if part)
    at = _TITLE_AT.fullmatch(text)
    if at:
        company, _, location = at.group("company").strip().partition(",")
        return at.group("title").strip(), company.strip(), location.strip()
    return text, "", ""




# --- rules for postings without a title heading or fields -------------------------------------------

_SMALL = frozenset(["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"])
_ROMAN = re.compile(r"(?:I{1,3}|IV|V|VI{0,3}|IX|X)")
_CLASS_CODE = re.compile(r"class code\b|job (?:number|code)\b|position number\b", re.IGNORECASE)
_NOT_TITLE = re.compile(
    r"equal (?:employment )?opportunity|^about the job$|^job details$|^job description$|^=+", re.IGNORECASE
)
# Capitalised words of a job title ("Teacher I", "City Clerk", "Remote Advanced Competition Math Teacher").
_TITLE_WORDS = r"(?:[A-Z][\w/&'’-]*)(?: (?:of|and|for|&) [A-Z][\w/&'’-]*| [A-Z][\w/&'’-]*){0,7}"
_TITLE_PHRASES = (
    re.compile(r"\bfor (?:an?|the) [\"“](?P<t>[^\"”]{3,60})[\"”] (?:position|role|vacancy|post)\b"),
    re.compile(
        r"\b(?:is|are) (?:looking for|seeking|recruiting|hiring) (?:an? |the )?(?P<t>" + _TITLE_WORDS + r")"
        r" to (?:join|work|lead|help|support|teach|deliver)\b"
    ),
    re.compile(
        r"(?<!\bof )(?<!\bby )(?<!\bfor )\b[Tt]he (?P<t>" + _TITLE_WORDS + r") (?:will|is responsible|plans|"
        r"serves|directs|oversees|"
        r"manages|leads|provides|performs|teaches|supervises)\b"
    ),
)
# Organisations, not jobs, when a phrase above names one ("The Board will ...").
_NOT_A_JOB = re.compile(
    r"(?:.+ )?(?:company|board|city|county|state|department|trust|team|office|organi[sz]ation|commission|"
    r"agency|council|school|hospital|university|division|program|programme|group)",
    re.IGNORECASE,
)
_ORG_NAME = r"(?P<name>[A-Z][\w&.'’-]*(?: (?:of|and|for|the|&|[A-Z][\w&.'’()-]*)){0,8})"
_EMPLOYER_PHRASES = (
    re.compile(
        r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:The )?" + _ORG_NAME + r"(?: \([^)]{1,20}\))? (?:is|are) (?:an? |"
        r"proud(?:ly)? (?:to be )?an? )?"
        r"(?:equal (?:employment )?opportunit|EEO\b|affirmative action)"
    ),
    re.compile(
        r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:The )?" + _ORG_NAME + r" (?:is|are) (?:seeking|looking for|"
        r"recruiting|hiring)\b"
    ),
    re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))At " + _ORG_NAME + r", we\b"),
    re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:The )?" + _ORG_NAME + r" does not discriminate\b"),
)
_PUBLIC_BODY = re.compile(
    r"\b(?:(?:City|County|State|Town|Village|Borough) of [A-Z][a-z]+(?: [A-Z][a-z]+)?|"
    r"(?!The\b)[A-Z][a-z]+ County)\b"
)
_ORG_WORDS = re.compile(
    r"\b(?:Ltd|Limited|LLC|Inc|PLC|CIC|NHS|Trust|Council|County|City|University|College|Hospitals?|"
    r"Health|Academy|School|Foundation|Group|Services|Professionals|Partnership|Authority|Agency)\b"
)


def _title_case(text: str) -> str:
    words = text.lower().split()
    out = []
    for index, word in enumerate(words):
        if _ROMAN.fullmatch(word.upper()) and index:
            out.append(word.upper())
        elif index and word in _SMALL:
            out.append(word)
        else:
            out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def _trim_symbols(text: str, keep_end: str = "", keep_start: str = "") -> str:
    """``text`` without leading and trailing symbols and emoji (a scan from each end: linear)."""
    start, end = 0, len(text)
    while start < end and not (text[start].isalnum() or text[start] in keep_start):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in keep_end):
        end -= 1
    return text[start:end].strip()


def _tidy_title(title: str) -> str:
    """Symbols trimmed; an all-capitals title (bulletins) in title case."""
    title = _trim_symbols(" ".join(title.split()), keep_end="!?)", keep_start="(")
    letters = [ch for ch in title if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters) and len(letters) > 4:
        return _title_case(title)
    return title


def _bulletin_title(lines: list[str]) -> str:
    """A civil-service bulletin's title: the capitalised line just above its "Class Code:" line."""
    for index, line in enumerate(lines[:8]):
        if _CLASS_CODE.match(line):
            for previous in reversed(lines[max(0, index - 3) : index]):
                letters = [ch for ch in previous if ch.isalpha()]
                if letters and all(ch.isupper() for ch in letters) and not _NOT_TITLE.search(previous):
                    return previous
            return ""
    return ""


def _title_in_text(text: str) -> str:
    """A job title named by a phrase of the text, or ""."""
    for pattern in _TITLE_PHRASES:
        for match in pattern.finditer(text):
            found = match.group("t").strip()
            if not _NOT_A_JOB.fullmatch(found) and len(found.split()) <= 8:
                return found
    return ""


def _headline(lines: list[str]) -> str:
    """A short first line that reads as the posting's headline ("Educators: Step Into Leadership ...!")."""
    for line in lines[:4]:
        clean = _trim_symbols(" ".join(line[:300].split()), keep_end="!?")
        if line[:1] in "-*•+" or line[:2].rstrip(".)").isdigit():
            return ""  # a list item, not a headline
        if not clean or _NOT_TITLE.search(clean):
            continue
        if heading_kind(clean) is not SectionKind.UNKNOWN:
            if clean.lower() in ("about the job", "job description", "job details"):
                continue
            return ""  # the first section starts: there was no headline
        label = clean.split(":", 1)[0]
        if field_of(Line(clean, LineKind.PLAIN)) is not None or (
            ":" in clean and len(label.split()) <= 2 and not label.istitle()
        ):
            continue  # a field ("Job type: Full-time")
        if len(clean.split()) <= 12 and not clean.endswith((".", ",", ";")):
            return clean
        return ""
    return ""


def _organisation_line(sections: list[Section]) -> str:
    """Under a title heading, a first short line naming an organisation ("Diaverum UK Ltd")."""
    preamble = sections[0].lines if sections and sections[0].kind is SectionKind.PREAMBLE else []
    first = next((line for line in preamble if line.kind is LineKind.PLAIN and not line.is_field), None)
    if first is None:
        return ""
    text = first.text.strip()
    words = text.split()
    if not words or len(words) > 8 or text.endswith((".", "!", "?", ":")):
        return ""
    capitalised = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
    if capitalised == len(words) and (_ORG_WORDS.search(text) or len(words) <= 4):
        return text
    return ""


def _employer_in_text(text: str) -> str:
    """An employer named by a phrase of the text, else the public body named most often (twice or more)."""
    for pattern in _EMPLOYER_PHRASES:
        match = pattern.search(text)
        if match:
            name = re.sub(r"(?: (?:of|and|for|the|&))+$", "", match.group("name")).strip()
            name = re.sub(r"\s*\([^)]*\)$", "", name).strip()
            if len(name) > 2:
                return name
    counts = Counter(match.group(0) for match in _PUBLIC_BODY.finditer(text))
    if counts:
        name, seen = counts.most_common(1)[0]
        if seen >= 2:
            return name
    return ""
