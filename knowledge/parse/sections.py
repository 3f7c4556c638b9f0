"""Sections of a posting: which lines are headings, what each section is, and what is page boilerplate.

Everything here is general vocabulary of job postings and job boards (section names, widget and
legal phrases, link lists), never text specific to one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from knowledge.parse.items import classify_item
from knowledge.parse.lines import Line, LineKind
from knowledge.posting import RequirementKind


class SectionKind(StrEnum):
    """What a section holds, which decides what becomes of its lines."""

    RESPONSIBILITY = "responsibility"
    REQUIRED = "required"
    PREFERRED = "preferred"
    SKILL = "skill"
    QA = "qa"  # interview questions with model answers
    SUMMARY = "summary"  # kept as text; list items in it are classified by their wording
    PREAMBLE = "preamble"  # title block before the first section
    UNKNOWN = "unknown"  # a heading we cannot name; items are classified by their wording
    DROP = "drop"  # page furniture and boilerplate: neither text nor requirements


REQUIREMENT_SECTIONS = frozenset(
    {SectionKind.RESPONSIBILITY, SectionKind.REQUIRED, SectionKind.PREFERRED, SectionKind.SKILL}
)


@dataclass
class Field:
    """A 'Name: value' line such as 'Location: Berlin' or 'Category: Sales'."""

    name: str
    value: str


@dataclass
class Section:
    """A heading and the lines under it, up to the next heading."""

    heading: str
    kind: SectionKind
    lines: list[Line] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    inline: bool = False  # opened by "Heading: text" on one line; ends at the next paragraph
    spill: bool = False  # text after the list of a dropped section, under no heading of its own


# --- heading vocabulary, tried in order: the first match names the section -------------------------

_APOS = "['’]"
_HEADING_RULES: tuple[tuple[SectionKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            SectionKind.QA,
            r"interview (?:questions|prep)|(?:possible|practice|sample|example|likely|common) questions|"
            r"questions (?:and|&) (?:model |sample )?answers|\bq ?& ?a\b",
        ),
        (
            SectionKind.PREFERRED,
            r"preferred|nice[ -]to[ -]haves?|bonus points|desired|desirable|good to have|\bpluses\b|"
            r"\bplus\b|extra credit|not required|would be great|optional|additional qualifications",
        ),
        (SectionKind.REQUIRED, r"who should apply|knowledge, skills|skills (?:and|&) abilities"),
        # Duty headings that hold a requirement word ("Essential Job Functions", "Main duties").
        (
            SectionKind.RESPONSIBILITY,
            r"\bjob functions\b|essential functions|\b(?:main|key|essential|typical) duties|"
            r"examples of duties|statement of duties|duties and responsibilities",
        ),
        (
            SectionKind.DROP,
            r"\btailor\b|\bresume\b|\bcv\b|good fit|job fit|cover letter|salary|compensation|\bpay\b|"
            r"benefits|perks|what we offer|we offer|why (?:join|work)|life at|"
            r"equal (?:employment )?opportunit|\beeo\b|diversity|inclusion|accommodation|staffing|agenc|"
            r"privacy|how to apply|\bapply\b|"
            r"^share\b|\bsimilar\b|related jobs|more jobs|other jobs|see (?:a few )?more|recommended|"
            r"\bai[- ](?:generated|summary|insight)|physical (?:demands|requirements)|"
            r"work(?:ing)? (?:environment|conditions)|disclaimer|\blegal\b|\bnotice\b|"
            r"^about (?!(?:the |this )?(?:role|job|position|opportunity|team)\b)|who we are(?! looking)|"
            r"our (?:story|mission|values|culture)|"
            r"^(?:culture|values|mission)$|location and travel|application process|hiring process|"
            # Civil-service bulletins and NHS adverts: filing, exams and what the employer gives.
            r"where to apply|application deadline|selection process|\bexamination\b|qualifications review|"
            r"selective certification|^conditions of employment$|tentative timeline|supplemental questions|"
            r"grow with us|join us\b|why us\b|in return\b|rewards?\b|pay rates|rates of pay|"
            r"^position type$|^job details$|^notice$",
        ),
        (
            SectionKind.SUMMARY,
            r"summary|overview|^about (?:the |this )?(?:role|job|position|opportunity|team)|"
            r"^(?:the )?(?:role|job|position|opportunity)$|description|introduction|purpose",
        ),
        (
            SectionKind.SKILL,
            r"equipment|tech(?:nical)? stack|\bstack\b|technolog|\btools?\b|tooling|frameworks|"
            r"\bsoftware\b|languages|platforms|certifications",
        ),
        (
            SectionKind.REQUIRED,
            r"requirement|qualification|\bqualified\b|required|must[ -]haves?|\bmust\b|"
            r"what you(?:" + _APOS + r"ll| will)? "
            r"need|you need|looking for|who you are|you have|you(?:" + _APOS + r"ll)? bring|"
            r"what you bring|your (?:background|profile|experience)|experience|education|knowledge|"
            r"competenc|abilit|eligib|profile|criteria|minimum|basic|essential|credentials|licens",
        ),
        (SectionKind.SKILL, r"skills?\b"),
        (
            SectionKind.RESPONSIBILITY,
            r"responsibilit|duties|what you(?:" + _APOS + r"ll| will)? (?:do|be doing|work on|own|build)|"
            r"day[- ]to[- ]day|your (?:role|job|mission|impact|day)|in this role|the work|"
            r"expectations|accountabilit|tasks|you will|you" + _APOS + r"ll|objectives|key results|"
            r"scope|deliverables|outcomes",
        ),
    )
)

# A bare line (no '#', bold or colon) counts as a heading only when it is a well-known section name.
_BARE_HEADING = re.compile(
    r"(?:(?:job|role|key|main|your|our|the|position|minimum|basic|preferred|required|desired|"
    r"additional|technical|core|primary|essential|general|other)\s+){0,3}"
    r"(?:responsibilities|duties|requirements|qualifications|skills|expectations|summary|overview|"
    r"description|benefits|perks|tech stack|technologies|tools|education|experience|"
    r"nice to haves?|interview questions|what you(?:'|’)ll do|what you(?:'|’)ll need|"
    r"what we offer|who you are|about (?:the|this) (?:role|job|position|team|company)|about us|"
    # UK adverts: "What you will do", "Who we are looking for", then "Essential" / "Desirable" lists.
    r"what you will (?:do|need|bring)|who we(?:(?:'|’)re| are) looking for|person specification|"
    r"(?:essential|desirable)(?: criteria| requirements| skills)?)"
    r"|staffing agency.{0,40}|similar .{0,40} jobs|(?:more|related|other) jobs|how to apply|"
    r"equal (?:employment )?opportunity.{0,40}",
    re.IGNORECASE,
)
# Named blurbs, told by capitals: "About iHerb", "Acme Benefits" (not "About 20% travel").
_BARE_NAMED_HEADING = re.compile(
    r"(?:About|ABOUT) \S*[A-Z]\S*(?: \S+){0,2}|\S+(?: \S+)? (?:Benefits|BENEFITS)"
)
# 'Name: value' fields that describe the job rather than start a section.
_FIELD_NAMES = re.compile(
    r"(?:job |position |role )?title|company|employer|organi[sz]ation|hiring (?:company|organi[sz]ation)|"
    r"(?:job |work )?location|locations|based in|office|city|country|region|remote|workplace(?: type)?|"
    r"category|department|team|division|function|employment(?: type)?|job type|contract(?: type)?|"
    r"schedule|hours|shift|type|level|seniority|experience level|grade|start(?: date)?|"
    r"reports? to|travel|industry|industries|job function|seniority level|posted|date posted|"
    r"closing date|deadline|reference|req(?:uisition)?"
    r"(?: id| #| number)?|job id|salary|pay|compensation|rate|"
    # Civil-service bulletins and county career pages.
    r"class code|open(?:ing)? date|revised|job number|position number|salary grade|section|flsa|"
    r"bargaining unit|recruitment range|available locations?|intended start date",
    re.IGNORECASE,
)
_COLON_HEADING = re.compile(r"([^.!?:]{1,70}):")
_RULED_HEADING = re.compile(r"={2,}\s*([^=]{1,60}?)\s*={2,}")
# A lead-in to a list of what the employer gives ("In return ... you will have access to the
# following benefits:"): a heading whatever its length.
_OFFER_LEAD_IN = re.compile(
    r"\b(?:we (?:can )?offer|offer you|benefits|in return|rewards?\b|perks|you(?:'ll| will) (?:get|receive|"
    r"enjoy))",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset(
    "a an and the of for to in on at or with our your you we is this &".split()  # noqa: SIM905
)
# A questionnaire of a career page: "01" alone on its line, then a question; from there on,
# everything is the application form.
_QUESTION_NUMBER = re.compile(r"0[1-9]|[1-9]\d")
# Or an unnumbered one, opened by an instruction of the form ("Please select the programming
# languages ..."); such questionnaires close a career page, their options are no requirements.
_FORM_INSTRUCTION = re.compile(
    r"(?:please )?(?:select|indicate|check) (?:all|the|each|any|your|which|how)\b", re.IGNORECASE
)
_INLINE_HEADING = re.compile(r"([A-Z][^.!?:]{0,50}):\s*(\S.*)")
_CAPS_LETTERS = re.compile(r"[A-Za-z]")

# --- boilerplate: whole lines dropped wherever they stand ------------------------------------------

# Short page furniture: a line that is only this is dropped.
_WIDGET_LINE = re.compile(
    r"(?:(?:show (?:more|less)|copy(?: link)?|share(?: this job)?|save(?: job)?|apply(?: now| here)?"
    r"(?: for this job)?|read more|see more|report (?:this )?job|back to (?:top|jobs|search)|print|"
    r"email|tweet|log ?in|sign (?:in|up)|upgrade to \w+|load more|view all jobs|"
    r"#[a-z]{1,4}-[a-z0-9]{1,10}|#hiring)\W*){1,4}",
    re.IGNORECASE,
)
# Statements no employer lists as a requirement: dropped wherever they stand.
_BOILERPLATE_STATEMENTS = re.compile(
    r"(?:is|are|as) an? (?:proud )?equal (?:employment )?opportunity|"
    r"without regard to (?:their )?(?:race|age|sex|religion|color)|"
    r"regardless of (?:race|age|sex|religion|gender|color)|affirmative action employer|"
    r"not (?:an |intended to be an? )?(?:exhaustive|all-inclusive|comprehensive) list|"
    r"partial description|other duties as assigned|views / applies|"
    r"\bjob posted|\bapply before|\bposted \d+ (?:days?|hours?|weeks?) ago|"
    r"upgrade to (?:plus|premium|pro)|\bai insight\b",
    re.IGNORECASE,
)
# Legal, pay and job-board sentences: prose holding one of these is dropped.
_BOILERPLATE_PHRASES = re.compile(
    r"equal (?:employment )?opportunit|without regard to (?:their )?(?:race|age|sex|religion|color)|"
    r"regardless of (?:race|age|sex|religion|gender|color)|reasonable accommodations?|"
    r"affirmative action|e-verify|"
    r"not (?:an |intended to be an? )?(?:exhaustive|all-inclusive|comprehensive) list|"
    r"partial description|other duties (?:as|and responsibilities)|"
    r"\b401\(?k\)?|pay (?:scale|range|transparency)|salary range|paid (?:sick|time off|holidays)|"
    r"medical, dental|eligible (?:for|to participate in) (?:our|the) |"
    r"(?:visit|see|information on)\b.{0,40}\bbenefits\b|"
    r"unsolicited .{0,40}(?:resume|candidate|agenc)|staffing agenc|recruitment agenc|agency candidates|"
    r"views / applies|\bjob posted|\bapply before|\bposted \d+ (?:days?|hours?|weeks?) ago|"
    r"manually reviewed|trust (?:&|and) safety|upgrade to (?:plus|premium|pro)|\bai insight\b|"
    r"sign in to (?:see|view|apply)|log in to (?:see|view|apply)|privacy (?:policy|notice)",
    re.IGNORECASE,
)
# Phrases that mark a whole section as a job-board widget (resume tools, AI panels, upsells).
_WIDGET_SECTION = re.compile(
    r"upgrade to (?:plus|premium|pro)|\bai insight\b|unlock (?:this|full|premium)|"
    r"sign in to (?:see|view|unlock)",
    re.IGNORECASE,
)


def heading_kind(heading: str) -> SectionKind:
    """The kind of section a heading opens, from general posting vocabulary."""
    text = " ".join(heading.split()).strip(" :#*")
    for kind, pattern in _HEADING_RULES:
        if pattern.search(text):
            return kind
    return SectionKind.UNKNOWN


def field_of(line: Line) -> Field | None:
    """The 'Name: value' field a plain line states, if it is one (Location: ..., Category: ...)."""
    if line.kind is not LineKind.PLAIN:
        return None
    match = _INLINE_HEADING.fullmatch(line.text)
    if match and len(match.group(1).split()) <= 3 and _FIELD_NAMES.fullmatch(match.group(1).strip()):
        return Field(match.group(1).strip(), match.group(2).strip())
    return None


def is_boilerplate_line(line: Line, *, listed: bool = False) -> bool:
    """Page furniture or a legal/pay/job-board sentence, dropped wherever it stands.

    ``listed``: the line stands in a requirements section. A listed item is the employer's own words
    ("Knowledge of equal opportunity law"), so short items are screened for whole statements only.
    """
    if len(line.text) <= 80 and _WIDGET_LINE.fullmatch(line.text):
        return True
    if (listed or line.kind is LineKind.BULLET) and len(line.text.split()) < 25:
        return bool(_BOILERPLATE_STATEMENTS.search(line.text))
    return bool(_BOILERPLATE_PHRASES.search(line.text))


def _is_field_label(text: str) -> bool:
    return len(text.split()) <= 3 and bool(_FIELD_NAMES.fullmatch(text))


def _is_isolated_heading(text: str) -> bool:
    """A short Title Case line standing alone between blank lines ("Competencies", "Position Type")."""
    core = text.lstrip("".join(ch for ch in text[:4] if not ch.isalnum())).strip()
    core = core.rstrip("?!").strip()
    words = core.split()
    if not words or len(words) > 6 or len(core) > 60 or core.endswith((".", ",", ";")):
        return False
    if not core[0].isalpha() or any(ch.isdigit() for ch in core):
        return False
    return all(word[0].isupper() or word.lower() in _SMALL_WORDS or not word[0].isalpha() for word in words)


def _as_heading(line: Line, isolated: bool = False) -> tuple[str, str] | None:
    """(heading, rest of the line) when a plain line opens a section, else None.

    ``isolated``: the line stands between blank lines, as headings of pages scraped as text do.
    """
    text = line.text
    words = text.split()
    ruled = _RULED_HEADING.fullmatch(text)
    if ruled:
        return ruled.group(1).strip(), ""
    if text.endswith(":"):
        match = _COLON_HEADING.fullmatch(text)
        named = heading_kind(text) is not SectionKind.UNKNOWN
        if match and (len(words) <= 8 or (len(words) <= 12 and named)):
            return match.group(1).strip(), ""
        if _OFFER_LEAD_IN.search(text):
            return text.rstrip(":").strip(), ""
    inline = _INLINE_HEADING.fullmatch(text)
    if inline:
        head = inline.group(1).strip()
        if (
            len(head.split()) <= 5
            and heading_kind(head) is not SectionKind.UNKNOWN
            and not _FIELD_NAMES.fullmatch(head)
        ):
            return head, inline.group(2)
    if len(words) <= 7 and len(text) <= 80 and not text.endswith((".", "!", "?", ",", ";")):
        if _BARE_HEADING.fullmatch(text) or _BARE_NAMED_HEADING.fullmatch(text):
            return text, ""
        letters = _CAPS_LETTERS.findall(text)
        # Capitalised lines are headings when they name a section, or are too long to be an
        # acronym list or a company name ("AWS GCP", "PSI CRO").
        if (
            len(letters) >= 4
            and all(ch.isupper() for ch in letters)
            and "," not in text
            and (
                heading_kind(text) is not SectionKind.UNKNOWN
                or (len(words) >= 3 and len(letters) >= 10)
                or (len(words) == 2 and len(letters) >= 12 and line.blank_before)  # "SUPERVISION RECEIVED"
            )
        ):
            return text, ""
        # Only a line that names a section: company and job names stand alone in job lists too.
        if isolated and _is_isolated_heading(text) and heading_kind(text) is not SectionKind.UNKNOWN:
            return text.strip(), ""
    elif (
        len(words) <= 6
        and text.endswith("!")
        and text.upper() == text
        and len(_CAPS_LETTERS.findall(text)) >= 6
    ):
        return text.rstrip("!").strip(), ""  # "COME GROW WITH US!"
    return None


def split_sections(lines: list[Line]) -> tuple[str, list[Section]]:
    """The title heading (if the posting opens with one) and its sections.

    Lines before the first section heading form a PREAMBLE section; a posting's first heading is its
    title rather than a section when it is not a known section name. A section under a heading the
    vocabulary cannot name that follows dropped boilerplate is dropped too: on job boards what
    follows furniture is more furniture (company names heading a list of similar jobs).
    """
    title = ""
    sections = [Section("", SectionKind.PREAMBLE)]
    label = ""  # a field name alone on its line ("Seniority level"): its value is the next line
    for index, line in enumerate(lines):
        found: tuple[str, str] | None = None
        following = lines[index + 1] if index + 1 < len(lines) else None
        if sections[-1].kind is SectionKind.DROP and sections[-1].heading == _FORM:
            sections[-1].lines.append(line)
            continue
        if line.kind is LineKind.PLAIN and following is not None and (
            _QUESTION_NUMBER.fullmatch(line.text) or _FORM_INSTRUCTION.match(line.text)
        ):
            sections.append(Section(_FORM, SectionKind.DROP))
            continue
        if (
            line.kind is LineKind.PLAIN
            and line.blank_before
            and sections[-1].kind is SectionKind.DROP
            and _OFFER_HEADING.search(sections[-1].heading)
            and sections[-1].lines
            and sections[-1].lines[-1].kind is LineKind.BULLET
        ):
            # A paragraph after the list of a dropped section (pay rates, benefits) is new text.
            sections.append(Section("", SectionKind.UNKNOWN, spill=True))
        if line.kind is LineKind.HEADING:
            found = (line.text, "")
        elif line.kind is LineKind.PLAIN:
            field_value = field_of(line)
            if field_value is None and label and not line.blank_before:
                field_value = Field(label, line.text)
            label = ""
            if field_value is None and _is_field_label(line.text):
                label = line.text
            if field_value is not None or label:
                line.is_field = True
                if field_value is not None:
                    sections[-1].fields.append(field_value)
                sections[-1].lines.append(line)
                continue
            # Inside dropped furniture (a list of similar jobs) a lone short line is more furniture,
            # unless it names requirements or duties (a posting's "Required Education" after
            # its "Position Type").
            isolated = (
                line.blank_before
                and (following is None or following.blank_before)
                and (
                    (sections[-1].kind is not SectionKind.DROP and not sections[-1].spill)
                    or heading_kind(line.text) in _NAMED_REQUIREMENTS
                )
            )
            found = _as_heading(line, isolated=isolated)
            current = sections[-1]
            # A paragraph after "Heading: text" is no longer under that heading.
            if (
                found is None
                and current.inline
                and line.blank_before
                and current.lines
                and not current.lines[-1].text.endswith(":")
            ):
                sections.append(Section("", SectionKind.UNKNOWN))
        if found is None:
            sections[-1].lines.append(line)
            continue
        heading, rest = found
        kind = heading_kind(heading)
        # The first heading, before any section, names the job unless it is a section name.
        if (
            not title
            and len(sections) == 1
            and line.kind is LineKind.HEADING
            and not _BARE_HEADING.fullmatch(heading)
            and kind not in (SectionKind.QA, SectionKind.DROP)
            and not heading.endswith("?")
        ):
            title = heading
            continue
        section = Section(heading, kind, inline=bool(rest))
        if rest:
            section.lines.append(Line(rest, LineKind.PLAIN))
        sections.append(section)
    previous = SectionKind.PREAMBLE
    for section in sections:
        if section.kind is not SectionKind.DROP and (
            _is_widget_or_link_list(section)
            or (
                section.kind is SectionKind.UNKNOWN
                and previous is SectionKind.DROP
                and not section.spill
                and not _reads_as_requirements(section)
            )
        ):
            section.kind = SectionKind.DROP
        previous = section.kind
    return title, sections


_FORM = "Application questions"
_NAMED_REQUIREMENTS = frozenset({SectionKind.REQUIRED, SectionKind.PREFERRED, SectionKind.RESPONSIBILITY})
# Dropped sections of pay and perks, after which an advert goes on with its own text (unlike a list
# of similar jobs, after which a job board shows more furniture).
_OFFER_HEADING = re.compile(
    r"\bpay\b|salary|benefit|\brates?\b|offer|reward|perks|grow with us|in return|compensation",
    re.IGNORECASE,
)


def _reads_as_requirements(section: Section) -> bool:
    """Most of a section's list items read as duties or qualifications (not a list of similar jobs)."""
    bullets = [line for line in section.lines if line.kind is LineKind.BULLET]
    if len(bullets) < 3:
        return False
    judged = sum(
        classify_item(line.text, listed=True) not in (None, RequirementKind.SKILL) for line in bullets
    )
    return judged >= 0.6 * len(bullets)


def _is_widget_or_link_list(section: Section) -> bool:
    """A section that is a job-board widget, or mostly a list of links (menus, similar jobs)."""
    if any(_WIDGET_SECTION.search(line.text) for line in section.lines):
        return True
    links = sum(1 for line in section.lines if line.link_only)
    return links >= 3 and links >= 0.3 * len(section.lines)


# Fields each posting states once: repeated with different values, the page lists several jobs.
_ONE_PER_POSTING = re.compile(
    r"(?:job |position )?title|class code|job (?:number|id|code)|reference|req(?:uisition)?(?: id| number)?|"
    r"closing date|deadline|salary|location|company|employer|hiring (?:company|organi[sz]ation)",
    re.IGNORECASE,
)
# Of those, the ones that name the job itself: two different values are two jobs ("Class Code:
# 3763" and "Class Code: 3162" are two bulletins, "Company: Kestrel" and "Company: Tidewater" two
# adverts), where a second salary or location may be a detail of the same job.
_NAMES_THE_JOB = re.compile(
    r"(?:job |position )?title|class code|job (?:number|id|code)|req(?:uisition)?(?: id| number)|"
    r"company|employer|hiring (?:company|organi[sz]ation)",
    re.IGNORECASE,
)
# Headings a person specification repeats under each of its areas (qualifications, experience...).
_CRITERIA_HEADING = re.compile(r"(?:essential|desirable)(?: criteria)?|criteria", re.IGNORECASE)
_ONE_PER_JOB = REQUIREMENT_SECTIONS | {SectionKind.SUMMARY}
# Headings a posting has once whatever their kind: the skeleton of NHS adverts, career pages and
# LinkedIn descriptions ("Job details" is dropped furniture, "Person Specification" has no kind).
_ONCE_PER_POSTING_HEADING = re.compile(
    r"person specification|job (?:details|summary|description|overview|profile|purpose)|"
    r"about the (?:job|role|position)|main duties(?: and responsibilities)?",
    re.IGNORECASE,
)
# How much of the text after a once-per-posting heading tells two postings from one page given twice.
_BODY_LINES = 8
# The structure marks a posting opens with: this many, met again in the same order, start a second one.
_OPENING_MARKS = 3


def several_postings(lines: list[Line], sections: list[Section]) -> str:
    """Why the page holds several postings ("'Closing date' given 26 times"), or "" for one posting.

    A posting states its title, code, salary, location and closing date once; a newsletter or a job
    list repeats them per job, and two postings pasted together repeat their job codes. A page whose
    duties and requirements headings each come three or more times is several postings too, and so
    is one whose "About the job" or "Duties" heads two sections of different text, or any three: on
    the 50 postings of ../shared/postings, bench/data and knowledge/postings no heading but a person
    specification's "Essential" and "Desirable" comes twice (a page that repeats its whole text
    repeats it word for word). Two postings pasted together also show as the posting's opening
    skeleton (its first headings and fields) starting over with other values.

    Fields are read from every line, not only from the sections: a career page's application
    questionnaire runs to the end of the text, and a second posting pasted after it would hide in it.
    """
    values: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    stated = [item for line in lines if (item := field_of(line)) is not None]
    for item in stated + [item for section in sections for item in section.fields]:
        key = item.name.lower()
        if _ONE_PER_POSTING.fullmatch(key):
            values.setdefault(key, set()).add(item.value.lower())
            names[key] = item.name
    for key, seen in values.items():
        if len(seen) >= 3 or (len(seen) == 2 and _NAMES_THE_JOB.fullmatch(key)):
            return f"'{names[key]}' is given {len(seen)} times"
    duties = sum(1 for section in sections if section.kind is SectionKind.RESPONSIBILITY)
    required = sum(1 for section in sections if section.kind is SectionKind.REQUIRED)
    if duties >= 3 and required >= 3:
        return f"{duties} sections of duties and {required} of requirements"
    bodies: dict[str, list[tuple[str, ...]]] = {}
    headings: dict[str, str] = {}
    # The text after each heading, across the sections that follow it: a person specification's
    # heading holds nothing itself, its "Qualifications" and "Essential" come under it.
    flat = [
        text for section in sections for text in (section.heading, *(line.text for line in section.lines))
    ]
    position = 0
    for section in sections:
        heading = " ".join(section.heading.split())
        position += 1
        if heading and not _CRITERIA_HEADING.fullmatch(heading):
            if section.kind in _ONE_PER_JOB:
                body = tuple(line.text for line in section.lines)
            elif _ONCE_PER_POSTING_HEADING.fullmatch(heading):
                body = tuple(flat[position : position + _BODY_LINES])
            else:
                body = None
            if body is not None:
                bodies.setdefault(heading.lower(), []).append(body)
                headings[heading.lower()] = heading
        position += len(section.lines)
    for key, texts in bodies.items():
        if len(texts) >= 3 or (len(texts) == 2 and not _same_text(*texts)):
            return f"'{headings[key]}' heads {len(texts)} sections"
    return _titles_with_own_sections(lines) or _opening_again(lines)


def _same_text(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Two sections of the same text; the last of a page given twice runs on into the second copy.

    An empty section is the same only as another empty one ("About the job" over nothing, then
    over a description, is two postings).
    """
    shorter, longer = sorted((first, second), key=len)
    return longer[: len(shorter)] == shorter and (bool(shorter) or not longer)


def _titles_with_own_sections(lines: list[Line]) -> str:
    """Why two job names each head their own duties or requirements, or "".

    In a Markdown or HTML posting the job's name is a heading above its sections ("# Nurse" over
    "## Requirements"). A second heading of that level that names no section, with duties or
    requirements of its own under it, is a second posting. Pages that set every heading at one
    level are not judged this way: there a heading that names no section may be a section too.
    """
    first = next((line for line in lines if line.kind is LineKind.HEADING), None)
    if first is None or first.level == 0 or heading_kind(first.text) is not SectionKind.UNKNOWN:
        return ""
    level = first.level
    owners: list[str] = []
    current = ""
    for line in lines:
        if line.kind is not LineKind.HEADING or line.level == 0:
            continue
        kind = heading_kind(line.text)
        if line.level == level and kind is SectionKind.UNKNOWN:
            current = line.text
        elif (
            line.level > level
            and kind in (SectionKind.RESPONSIBILITY, SectionKind.REQUIRED)
            and current
            and current not in owners
        ):
            owners.append(current)
    if len(owners) < 2:
        return ""
    return f"'{owners[0]}' and '{owners[1]}' each have their own duties or requirements"


@dataclass
class _Mark:
    """A line of a posting's skeleton: a heading or a field, with what it says."""

    key: str  # what it is: "field:salary", "heading:job details", "title:1" (a job's name)
    shown: str  # how a message names it
    value: str  # what this one says, to tell a second posting from the same text again


def _marks(lines: list[Line]) -> list[_Mark]:
    marks: list[_Mark] = []
    for line in lines:
        ruled = _RULED_HEADING.fullmatch(line.text) if line.kind is LineKind.PLAIN else None
        item = field_of(line)
        if line.kind is LineKind.HEADING or ruled:
            text = " ".join((ruled.group(1) if ruled else line.text).split())
            if heading_kind(text) is SectionKind.UNKNOWN and not ruled:
                # A heading that names no section names the job (or its employer): its text differs
                # from posting to posting, its place in the skeleton does not.
                marks.append(_Mark(f"title:{line.level}", text, text.lower()))
            else:
                marks.append(_Mark(f"heading:{text.lower()}", text, text.lower()))
        elif item is not None:
            marks.append(_Mark(f"field:{item.name.lower()}", item.name, item.value.lower()))
    return marks


def _opening_again(lines: list[Line]) -> str:
    """Why the posting's opening skeleton starts over with other values, or "".

    Its first headings and fields ("JOB DETAILS", "Salary", "Location"), met again in the same order
    where a job's name, company or code differs, or two of the other values do, begin a second
    posting. The same values again are the page repeating itself (a summary box at the foot).
    """
    marks = _marks(lines)
    opening = [mark.key for mark in marks[:_OPENING_MARKS]]
    if len(opening) < _OPENING_MARKS or len(set(opening)) < _OPENING_MARKS:
        return ""
    for start in range(_OPENING_MARKS, len(marks) - _OPENING_MARKS + 1):
        again = marks[start : start + _OPENING_MARKS]
        if [mark.key for mark in again] != opening:
            continue
        changed = [
            mark for first, mark in zip(marks, again, strict=False) if first.value != mark.value
        ]
        naming = [
            mark
            for mark in changed
            if mark.key.startswith("title:") or _NAMES_THE_JOB.fullmatch(mark.key.partition(":")[2])
        ]
        if naming or len(changed) >= 2:
            titles = [mark.shown for mark in again if mark.key.startswith("title:")]
            rest = [f"'{mark.shown}'" for mark in again if not mark.key.startswith("title:")]
            at = f" at '{titles[0]}'" if titles else ""
            listed = ", ".join(rest[:-1]) + f" and {rest[-1]}" if len(rest) > 1 else "".join(rest)
            return f"it starts over{at} with {listed} again" if listed else f"it starts over{at}"
    return ""
