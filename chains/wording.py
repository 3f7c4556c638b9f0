"""Offline question wording: a small phrase normaliser plus the templates in prompts/templates/.

A posting item is written as a line of a list, not as something to say to a candidate: "Experience
with Docker and Kubernetes", "5+ years of experience in X", "Ability to build influential
relationships", "BA/BS degree or equivalent practical experience". ``normalise`` turns such a line
into a ``Phrase``: its core (the words an interviewer would say) and its shape (a verb phrase, a
noun phrase, a tool list, a personal trait, a degree, languages, or a logistics item such as
travel), with the verb forms the templates need. The templates then read naturally for any item.
"""

from __future__ import annotations

import hashlib
import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

import prompts
from chains import verbs
from chains.models import Difficulty, QuestionKind
from knowledge.posting import Requirement, RequirementKind


class PhraseForm(StrEnum):
    """The shape of a requirement's core phrase; each template has wording for every shape."""

    VERB = "verb"  # build executive relationships / selling IaaS
    NOUN = "noun"  # written and verbal communication
    TOOL = "tool"  # Docker and Kubernetes
    TRAIT = "trait"  # detail oriented / a clear communicator
    EDUCATION = "education"  # BA/BS degree or equivalent practical experience
    LANGUAGE = "language"  # English and German
    LOGISTICS = "logistics"  # travel, work authorisation, hours


class Phrase(BaseModel):
    """A requirement reduced to what an interviewer would say about it."""

    model_config = ConfigDict(frozen=True)

    form: PhraseForm
    topic: str = Field(description="Usable as a noun: 'building executive relationships', 'Docker and Kubernetes'.")
    past: str = Field(default="", description="VERB only: 'built executive relationships'.")
    base: str = Field(default="", description="VERB only: 'build executive relationships'.")
    source: str = Field(default="", description="The requirement text, cleaned, for quoting.")


# --- word lists -----------------------------------------------------------------------------------

# -ing words that name a field rather than an action: "programming in Python" is a noun phrase.
_NOUN_ING = {
    "marketing", "engineering", "programming", "computing", "networking", "accounting",
    "manufacturing", "consulting", "recruiting", "advertising", "publishing", "sourcing", "budgeting",
    "training", "testing", "writing", "scheduling", "modeling", "modelling", "processing", "pricing",
    "hiring", "banking", "learning", "reporting", "messaging", "billing", "licensing", "routing",
    "logging", "monitoring", "packaging", "planning", "staffing", "casting", "coding", "scripting",
    "design", "financing", "forecasting", "merchandising", "onboarding", "underwriting", "tutoring",
}
# Words that are verbs in the lexicon but usually start a noun phrase in a qualification list.
_AMBIGUOUS_START = {
    "design", "research", "support", "test", "plan", "process", "market", "program", "model", "service",
    "partner", "source", "travel", "work", "interview", "report", "network", "budget", "record",
    "change", "control", "question", "structure", "target", "document", "update", "release",
    "schedule", "audit", "review", "staff", "map", "pilot", "prototype", "survey", "store", "study",
    "host", "benchmark", "brief", "use", "act", "fix", "move", "train", "scale", "balance", "check",
    "coach", "craft", "draft", "edit", "engineer", "experiment", "frame", "guide", "launch", "load",
    "merge", "mentor", "monitor", "pitch", "rank", "reach", "screen", "ship", "start", "track", "tune",
    "upgrade", "volunteer", "author", "architect", "champion", "forecast", "segment", "supplement",
}
_DETERMINERS = {"the", "a", "an", "our", "their", "its", "all", "new", "existing", "key", "multiple",
                "complex", "large", "cross-functional", "internal", "external", "global"}
# Capitalised at the start of a line only because it starts the line.
_COMMON_WORDS = {
    "clear", "high", "good", "great", "solid", "deep", "basic", "some", "any", "prior", "previous",
    "relevant", "recent", "advanced", "fluent", "extensive", "excellent", "strong", "proven", "the",
    "a", "an", "all", "both", "public", "private", "online", "global", "senior", "junior", "field",
    "product", "project", "sales", "data", "customer", "client", "business", "team", "people", "web",
    "cloud", "software", "hardware", "media", "security", "partner", "channel", "account", "market",
    "financial", "technical", "creative", "creativity", "modern", "foundational", "hands-on", "key",
    "background", "understanding", "knowledge", "experience", "familiarity", "proficiency",
    "exposure", "expertise", "ability", "commodity", "supplier", "stakeholder", "cost", "risk",
    "quality", "accuracy", "attention", "organization", "organisation", "time", "strategic",
    "large", "small", "complex", "multiple", "new", "existing", "written", "verbal", "oral", "mobile",
    "detail", "goal", "results", "self", "team", "high-quality", "machine", "big", "distributed",
    "program", "programme", "process", "operations", "operational", "enterprise", "consumer",
    "supply", "quantitative", "qualitative", "statistical", "analytical", "digital", "social",
    "content", "brand", "design", "research", "support", "user", "front-end", "back-end", "full-stack",
}
_ADJECTIVE_SUFFIXES = ("al", "ive", "ic", "ous", "ful", "able", "ible", "ary", "ing", "ed", "tion",
                       "ment", "ness", "ity", "ence", "ance", "ship", "ism")
_LANGUAGES = (
    "English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Swedish", "Danish",
    "Norwegian", "Finnish", "Polish", "Czech", "Russian", "Ukrainian", "Turkish", "Greek", "Hebrew",
    "Arabic", "Persian", "Farsi", "Hindi", "Bengali", "Urdu", "Tamil", "Chinese", "Mandarin",
    "Cantonese", "Japanese", "Korean", "Vietnamese", "Thai", "Indonesian", "Malay", "Tagalog",
    "Romanian", "Hungarian", "Bulgarian", "Croatian", "Serbian", "Slovak", "Slovenian", "Estonian",
    "Latvian", "Lithuanian", "Swahili",
)
_TECH_PLURALS = ("technologies", "tools", "platforms", "languages", "systems", "frameworks", "databases",
                 "applications", "services", "solutions", "libraries", "stacks", "environments")
_TECH_ACTIVITIES = ("coding", "programming", "development", "scripting", "engineering")

# --- patterns -------------------------------------------------------------------------------------

_EDUCATION = re.compile(
    r"\b(?:B\.?A\.?|B\.?S\.?c?|M\.?A\.?|M\.?S\.?c?|MBA|Ph\.?D\.?|Bachelor'?s?|Master'?s?|diploma|"
    r"undergraduate|postgraduate|GED|high school|degree(?! of))(?=\W|$)"
)
_LANGUAGE = re.compile(
    r"\b(?:speak|write|read|communicate)\b.*\b(?:fluent|fluently|idiomatically)\b|\bfluen(?:t|cy) in\b|"
    r"\b(?:native|business)[- ]level\b|\bproficien(?:t|cy) in (?:" + "|".join(_LANGUAGES) + r")\b",
    re.IGNORECASE,
)
_LOGISTICS = re.compile(
    r"authori[sz]ation to work|work permit|\bvisa\b|right to work|\btravel\b.*%|willing(?:ness)? to travel|"
    r"ability to travel|relocat|\blift\b.*pounds|driver'?s licen[cs]e|security clearance|"
    r"extended hours|background check|on-site \d|\bshifts?\b.*(?:night|weekend)",
    re.IGNORECASE,
)
_TRAIT = re.compile(
    r"^(?:(?:[a-z-]+[- ])?(?:oriented|minded|motivated|driven|focused)|self-[a-z]+|"
    r"(?:(?:a|an)\s+)?(?:[\w/-]+\s+){0,4}(?:communicator|collaborator|self-starter|team player|"
    r"individual|leader|learner|problem[- ]solver|thinker|storyteller|listener|multitasker))\b",
    re.IGNORECASE,
)
_YEARS = re.compile(
    r"^(?:a\s+)?(?:minimum of|at least|over|more than|minimum)?\s*(?:\d+|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|several|many)\s*\+?(?:\s*\(\d+\))?\s*\+?\s*(?:or more\s+)?years?'?(?:\s+of)?\s+",
    re.IGNORECASE,
)
_LEAD_INS = [
    re.compile(r"^(?:generally |typically |usually )?(?:requires?|must have|should have|you have|"
               r"you will have|we are looking for|looking for|candidates? with|someone with)\s+", re.I),
    _YEARS,
    re.compile(r"^working (?=knowledge|experience|proficiency|familiarity|understanding)", re.I),
    re.compile(r"^(?:a |an )?(?:proven |demonstrated |strong |solid )?track record (?:of|in|with)\s+", re.I),
    re.compile(r"^(?:a |an )?(?:high|strong|good|deep|solid) (?:degree|level|sense) of\s+", re.I),
    re.compile(r"^(?:strong|excellent|exceptional|outstanding|superb|solid|good|great|deep|extensive|"
               r"advanced|basic|relevant|prior|previous|proven|demonstrated|demonstrable|effective|"
               r"sound|exemplary|significant|substantial|professional|practical|some|general|thorough|"
               r"in-depth|firm|broad|hands-on|direct|recent|related|proficient|successful)\s+", re.I),
]
_ABILITY = re.compile(
    r"^(?:the |an? )?(?:ability|abilities|able|capability|capacity|willingness|desire|eagerness|"
    r"aptitude|drive) to\s+", re.I
)
_CAPABLE = re.compile(r"^(?:capable|skilled|experienced|adept|comfortable|confident) (?:of|in|at|with)\s+", re.I)
_EXPERIENCE = re.compile(
    r"^(?:experience|expertise|background|knowledge|understanding|familiarity|proficiency|fluency|"
    r"competence|competency|mastery|exposure|history|skills?|grasp|command|comfort|passion|interest|"
    r"experienced|proficient|familiar|fluent|knowledgeable|versed|well-versed)"
    r"(?:\s+(?:or|and)\s+(?:internship|training|education|knowledge|skills|expertise|experience))?"
    r"(?:\s+(?:of|in|with|using|on|across|as|at|to|for|around|within))?\s+",
    re.I,
)
_TAIL_CUTS = [
    re.compile(r",?\s+(?:with|and|plus) (?:the |an? )?(?:proven |demonstrated )?(?:ability|track record|"
               r"understanding|eye|passion|focus|expertise)\b.*$", re.I),
    re.compile(r",\s+(?:with|both|especially|ideally|preferably|as well as|along with|as required|"
               r"as needed|where|which|who)\b.*$", re.I),
    re.compile(r"\s+(?:in order to|so that|so as to)\b.*$", re.I),
    re.compile(r",?\s+(?:required|preferred|a plus|is a plus|highly desired|desired|strongly preferred|"
               r"is preferred|is required)$", re.I),
    re.compile(r",?\s+(?:and|or)$", re.I),
]
_EXAMPLES_INLINE = re.compile(r",?\s+(?:such as|including|e\.g\.,?|for example,?|for instance,?|like)\s+(.+)$", re.I)
_PARENS = re.compile(r"\s*\(([^()]*)\)")
_ROLE_TAIL = re.compile(r"\b(?:role|capacity|position|setting|environment|function)s?$", re.I)


def _clean(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"^[\s*•·\-–—\d.)]+(?=[A-Za-z(])", "", text) if re.match(r"^[*•·\-–—]", text) else text
    text = " ".join(text.split())
    return text.strip(" .;:,")


def _first_clause(text: str) -> str:
    parts = re.split(r";\s+|(?<=[a-z0-9%)\]])\.\s+(?=[A-Z])|\s+[–—]\s+|\s+-\s+", text)
    return parts[0].strip(" .;:,") if parts else text


def _tidy_phrase(text: str) -> str:
    # "written/verbal" reads as "written and verbal"; acronym pairs such as BA/BS or CI/CD stay.
    text = re.sub(r"\band/or\b", "and", text)
    text = re.sub(r"\b([a-z][a-z-]+)/([a-z][a-z-]+)\b", r"\1 and \2", text)
    text = re.sub(r"\s*,\s*etc\.?|\s+etc\.?$", "", text)
    text = re.sub(r"\s+([,;:.?!])", r"\1", text)
    text = " ".join(text.split())
    return text.strip(" .;:,")


def _pull_examples(text: str) -> tuple[str, list[str]]:
    examples: list[str] = []

    def take(group: str) -> None:
        group = re.sub(r"^(?:e\.g\.|i\.e\.|eg|such as|including|for example)[,:]?\s*", "", group.strip(), flags=re.I)
        for item in re.split(r",\s*|\s+(?:and|or|and/or)\s+", group):
            item = item.strip(" .;:")
            if item and item.lower() not in {"etc", "etc.", "and", "or"}:
                examples.append(item)

    def paren(match: re.Match[str]) -> str:
        inner = match.group(1)
        if "," in inner or re.match(r"\s*(?:e\.g|i\.e|such as|including)", inner, re.I):
            take(inner)
        return ""

    text = _PARENS.sub(paren, text)
    inline = _EXAMPLES_INLINE.search(text)
    if inline and len(text[: inline.start()].split()) >= 2:
        take(inline.group(1))
        text = text[: inline.start()]
    return text.strip(" ,"), examples


def _strip_lead_ins(text: str) -> tuple[str, bool]:
    """Drop "5+ years of", "Strong", "Experience with", "Ability to" ...; True when a verb must follow."""
    wants_verb = False
    for _ in range(8):
        before = text
        for pattern in _LEAD_INS:
            text = pattern.sub("", text, count=1)
        if _ABILITY.match(text):
            text, wants_verb = _ABILITY.sub("", text, count=1), True
        text = _CAPABLE.sub("", text, count=1)
        text = _EXPERIENCE.sub("", text, count=1) if len(text.split()) > 1 else text
        if text == before:
            break
    return text, wants_verb


def _starts_with_verb(word: str) -> bool:
    return verbs.is_verb(word) or verbs.base_from_gerund(word) is not None


def _cut_tail(text: str) -> str:
    for pattern in _TAIL_CUTS:
        text = pattern.sub("", text)
    # A comma followed by a verb starts the next duty: "Build X, influence Y, and act as Z".
    parts = text.split(", ")
    kept = [parts[0]]
    for part in parts[1:]:
        words = part.split()
        head = words[1] if words and words[0] in {"and", "or"} and len(words) > 1 else (words[0] if words else "")
        head_low = head.lower()
        is_clause = verbs.is_verb(head_low) and head_low not in _AMBIGUOUS_START and len(words) > 1
        is_clause = is_clause or (head_low.endswith("ing") and verbs.base_from_gerund(head_low) is not None
                                  and head_low not in _NOUN_ING)
        if is_clause and len(" ".join(kept).split()) >= 2:
            break
        kept.append(part)
    text = ", ".join(kept)
    # Long lines: the core is before a purpose clause ("... team to ensure sales ...").
    if len(text.split()) > 12:
        match = re.search(r"\s+to\s+([a-z]+)\b", text)
        if match and verbs.is_verb(match.group(1)) and len(text[: match.start()].split()) >= 5:
            text = text[: match.start()]
    return text.strip(" ,")


def _strip_tails(text: str) -> str:
    text = re.sub(r"\s+(?:experience|expertise|background|know-how)$", "", text, flags=re.I)
    text = re.sub(r"^(.+?)\s+experience\s+((?:in|with|at|across|within|on)\s+.+)$", r"\1 \2", text, flags=re.I)
    skills = re.match(r"^(.+?)\s+(?:skills?|abilities|capabilities|skill set|skillset|competencies)\b", text, re.I)
    if skills:
        core = skills.group(1).strip(" ,")
        last = core.split()[-1].lower() if core.split() else ""
        keep_word = len(core.split()) == 1 or last.endswith(("al", "ive", "ic", "ical", "ous", "ing"))
        text = f"{core} skills" if keep_word else core
    return text


def _lower_first(text: str) -> str:
    """Lower-case the first word when it is capitalised only because it started the line."""
    if not text:
        return text
    word = text.split()[0]
    bare = word.strip(",.;:")
    if len(bare) < 2 or not bare[0].isupper() or not bare[1:].replace("-", "").islower():
        return text  # acronym (HTML), camel case (JavaScript) or already lower
    low = bare.lower()
    common = (
        low in _COMMON_WORDS or verbs.is_verb(low) or verbs.base_from_gerund(low) is not None
        or low.endswith(_ADJECTIVE_SUFFIXES) or low in _NOUN_ING
    )
    return text[0].lower() + text[1:] if common else text


def _conjugate(words: list[str], head: int, to: str) -> list[str]:
    """Inflect the head verb and the verbs coordinated with it ('build and maintain', 'X and delivering')."""
    out = list(words)

    def inflect(word: str) -> str:
        base = verbs.base_from_gerund(word) or word
        if to == "past":
            return verbs.past(base)
        if to == "gerund":
            return verbs.gerund(base)
        return base

    out[head] = inflect(words[head])
    gerund_phrase = verbs.base_from_gerund(words[head]) is not None
    i = head + 1
    run = True  # still inside the leading run of verbs: "Edit, clarify, and proofread"
    while i < len(words):
        word = words[i].rstrip(",")
        prev = words[i - 1]
        low = word.lower()
        after_link = prev.lower() in {"and", "or"} or prev.endswith(",")
        if after_link:
            if gerund_phrase:
                is_next_verb = (verbs.base_from_gerund(low) is not None and low not in _NOUN_ING)
            else:
                nxt = words[i + 1].lower() if i + 1 < len(words) else ""
                is_next_verb = verbs.is_verb(low) and (run or nxt in _DETERMINERS)
            if is_next_verb:
                out[i] = inflect(word) + ("," if words[i].endswith(",") else "")
                i += 1
                continue
        if low not in {"and", "or"} and not (run and words[i - 1].endswith(",") is False and low in {"and", "or"}):
            run = run and low in {"and", "or"}
        i += 1
    return out


def _verb_phrase(text: str, head: int = 0) -> Phrase:
    words = text.split()
    base = " ".join(_conjugate(words, head, "base"))
    ger = " ".join(_conjugate(words, head, "gerund"))
    past = " ".join(_conjugate(words, head, "past"))
    return Phrase(form=PhraseForm.VERB, topic=_lower_first(ger), past=_lower_first(past), base=_lower_first(base))


def _is_tool(core: str, examples: list[str]) -> bool:
    tokens = [t.strip(",.") for t in core.split()]
    content = [t for t in tokens if t.lower() not in {"and", "or", "a", "an", "the", "in", "with", "of", "such", "as",
                                                      "using", "written", "&"}]
    if not content:
        return False
    techy = [t for t in content if t[:1].isupper() or any(c.isdigit() or c in "+#." for c in t)]
    if len(techy) * 2 >= len(content):
        return True
    return bool(examples) and core.lower().endswith(_TECH_PLURALS) and any(e[:1].isupper() for e in examples)


def _with_examples(core: str, examples: list[str]) -> str:
    shown = [e for e in examples if len(e.split()) <= 4][:3]
    if not shown or len(core.split()) > 4:
        return core
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    low = core.lower()
    if low.endswith(_TECH_ACTIVITIES) and len(core.split()) <= 2:
        return f"{core} in {listed}"
    if low.endswith(_TECH_PLURALS):
        return f"{core} such as {listed}"
    return core


def _languages(text: str) -> list[str]:
    stripped = _PARENS.sub("", text)
    found = [(stripped.find(name), name) for name in _LANGUAGES if re.search(rf"\b{name}\b", stripped)]
    return [name for _, name in sorted(found)]


def normalise(text: str, kind: RequirementKind | None = None) -> Phrase:
    """Reduce a posting line to the phrase an interviewer would say, with its shape.

    >>> normalise("Experience with Docker and Kubernetes").topic
    'Docker and Kubernetes'
    >>> normalise("Ability to build influential relationships").past
    'built influential relationships'
    """
    source = _clean(text)
    clause = _first_clause(source)
    if _EDUCATION.search(" ".join(clause.split()[:14])):
        return Phrase(form=PhraseForm.EDUCATION, topic=_tidy_phrase(clause), source=source)
    languages = _languages(clause)
    if languages and _LANGUAGE.search(clause):
        topic = languages[0] if len(languages) == 1 else ", ".join(languages[:-1]) + " and " + languages[-1]
        return Phrase(form=PhraseForm.LANGUAGE, topic=topic, source=source)
    if _LOGISTICS.search(clause):
        return Phrase(form=PhraseForm.LOGISTICS, topic=_lower_first(_tidy_phrase(clause)), source=source)

    original_first = clause.split()[0] if clause.split() else ""
    core, examples = _pull_examples(clause)
    core, wants_verb = _strip_lead_ins(core)
    core = _cut_tail(core)
    core = _strip_tails(core)
    core = _cut_tail(core)
    core = _tidy_phrase(core)
    if not core:
        core = _tidy_phrase(clause)

    trait = _TRAIT.match(core)
    if trait and not wants_verb:
        topic = _lower_first(trait.group(0))
        last = topic.split()[-1].lower()
        if last in {"communicator", "collaborator", "self-starter", "player", "individual", "leader",
                    "learner", "solver", "problem-solver", "thinker", "storyteller", "listener",
                    "multitasker"} and not re.match(r"(?:a|an)\s", topic):
            topic = ("an " if topic[0].lower() in "aeiou" else "a ") + topic
        if last == "individual":
            topic = re.sub(r"\s*individual$", "", topic).removeprefix("a ").removeprefix("an ")
        return Phrase(form=PhraseForm.TRAIT, topic=topic, source=source)

    words = core.split()
    head = 0
    while head < len(words) - 1 and words[head].lower().endswith("ly") and words[head].lower() not in {"only", "early"}:
        head += 1  # "effectively operate ..." conjugates "operate"
    first = words[head].lower() if words else ""
    imperative = original_first.lower() == (words[0].lower() if words else "")
    if verbs.is_verb(first) and (
        wants_verb or kind == RequirementKind.RESPONSIBILITY or (imperative and first not in _AMBIGUOUS_START)
    ):
        return _verb_phrase(core, head).model_copy(update={"source": source})
    if first.endswith("ing") and first not in _NOUN_ING and verbs.base_from_gerund(first) and len(words) > 1:
        return _verb_phrase(core, head).model_copy(update={"source": source})
    if _ROLE_TAIL.search(core) and len(words) >= 3:
        phrase = core if re.match(r"(?:a|an|the)\s", core, re.I) else f"a {core}"
        return Phrase(form=PhraseForm.VERB, topic=f"working in {phrase}", past=f"worked in {phrase}",
                      base=f"work in {phrase}", source=source)
    if wants_verb and words:
        # "Ability to X" where X is not a known verb: still a verb phrase, inflected by the spelling rules.
        return _verb_phrase(core, head).model_copy(update={"source": source})
    topic = _lower_first(_with_examples(core, examples))
    form = PhraseForm.TOOL if _is_tool(core, examples) else PhraseForm.NOUN
    return Phrase(form=form, topic=topic, source=source)


# --- rendering ------------------------------------------------------------------------------------

_TEMPLATE_FOR_KIND = {
    QuestionKind.BEHAVIOURAL: "templates/question_behavioural",
    QuestionKind.TECHNICAL: "templates/question_technical",
    QuestionKind.SITUATIONAL: "templates/question_situational",
}


def variant_for(text: str) -> int:
    """A stable number from the requirement text, so the same item always gets the same opener."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def tidy(text: str) -> str:
    """Collapse the whitespace templates leave behind and capitalise the first letter."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([,;:.?!])", r"\1", text)
    return text[:1].upper() + text[1:]


def phrase_variables(phrase: Phrase) -> dict[str, str]:
    """The template variables every offline template shares."""
    return {
        "form": phrase.form.value,
        "topic": phrase.topic,
        "past": phrase.past,
        "base": phrase.base,
        "source": phrase.source,
    }


def question_text(
    requirement: Requirement | str,
    kind: QuestionKind,
    difficulty: Difficulty = Difficulty.MEDIUM,
    variant: int | None = None,
) -> str:
    """Offline wording of a question of ``kind`` about ``requirement`` at ``difficulty``."""
    if kind == QuestionKind.POSTING:
        raise ValueError("posting questions are worded by the posting itself, not by a template")
    text = requirement.text if isinstance(requirement, Requirement) else requirement
    req_kind = requirement.kind if isinstance(requirement, Requirement) else None
    phrase = normalise(text, req_kind)
    rendered = prompts.render(
        _TEMPLATE_FOR_KIND[kind],
        **phrase_variables(phrase),
        variant=variant_for(text) if variant is None else variant,
        difficulty=difficulty.value,
    )
    return tidy(rendered)


_PROBLEMS: list[tuple[str, re.Pattern[str]]] = [
    ("template marker left in", re.compile(r"\{\{|\}\}|\{%|%\}")),
    ("'None' or 'undefined' in the text", re.compile(r"\b(?:None|undefined|null|nan)\b")),
    ("double space", re.compile(r"  ")),
    ("space before punctuation", re.compile(r"\s[,.;:?!]")),
    ("repeated word", re.compile(r"\b(\w+) \1\b", re.I)),
    ("posting-list wording left in", re.compile(
        r"\b(?:about|with|in|on|of|you|your|for|is|to) (?:Experience|Ability|Knowledge|Proficiency|Strong|"
        r"Excellent|Demonstrated|Familiarity|Understanding|Proven|Effective|Minimum|Preferred)\b")),
    ("ungrammatical start", re.compile(
        r"Tell me about (?:experience|ability|knowledge|proficiency|strong|excellent)\b|"
        r"\babout (?:ability|experience) (?:to|with|in)\b|\btime you (?:experience|ability|knowledge)\b|"
        r"\bexperience (?:with|in) experience\b|\bskills skills\b|\byears of\b", re.I)),
    ("empty phrase", re.compile(r"\b(?:about|with|of|in|on|you|to) [?.,]|\b(?:a|an|the) [?.,]")),
    ("article before vowel", re.compile(r"\ba (?=[aeiAEI][a-z])")),
]


def wording_problems(text: str) -> list[str]:
    """Problems a reader would notice in a question: leftovers, glitches, posting-list wording."""
    found = [name for name, pattern in _PROBLEMS if pattern.search(text)]
    if not text[:1].isupper():
        found.append("does not start with a capital letter")
    if not text.rstrip().endswith("?"):
        found.append("does not end with '?'")
    return found
