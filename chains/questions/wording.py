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
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

import prompts
from chains.models import Difficulty, QuestionKind
from core import text as verbs
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
    topic: str = Field(description="Usable as a noun: 'building relationships', 'Docker and Kubernetes'.")
    past: str = Field(default="", description="VERB only: 'built executive relationships'.")
    base: str = Field(default="", description="VERB only: 'build executive relationships'.")
    source: str = Field(default="", description="The requirement text, cleaned, for quoting.")


# --- word lists -----------------------------------------------------------------------------------

# -ing words that name a field rather than an action: "programming in Python" is a noun phrase.
_NOUN_ING = {
    "marketing", "engineering", "programming", "computing", "networking", "accounting",
    "manufacturing", "consulting", "recruiting", "advertising", "publishing", "sourcing", "budgeting",
    "reading", "nursing", "catering", "cleaning", "plumbing", "welding", "wiring", "safeguarding",
    "tendering", "purchasing", "keeping", "bookkeeping", "timekeeping",
    "training", "testing", "writing", "scheduling", "modeling", "modelling", "processing", "pricing",
    "hiring", "banking", "learning", "reporting", "messaging", "billing", "licensing", "routing",
    "logging", "monitoring", "packaging", "planning", "staffing", "casting", "coding", "scripting",
    "design", "financing", "forecasting", "merchandising", "onboarding", "underwriting", "tutoring",
    "setting", "meeting", "offering", "funding", "housing", "clothing",
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
    "dispatch", "invoice",
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
    "detail", "goal", "results", "self", "high-quality", "machine", "big", "distributed",
    "program", "programme", "process", "operations", "operational", "enterprise", "consumer",
    "supply", "quantitative", "qualitative", "statistical", "analytical", "digital", "social",
    "content", "brand", "design", "research", "support", "user", "front-end", "back-end", "full-stack",
    "current", "valid", "active", "comfortable", "grounding", "hands",
}
_ADJECTIVE_SUFFIXES = ("al", "ive", "ic", "ous", "ful", "able", "ible", "ary", "ing", "ed", "tion", "sion",
                       "ure",
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
    r"\b(?:B\.?A\.?|B\.?S\.?c?|M\.?A\.?|M\.?S\.?c?|MBA|Ph\.?D\.?|Bachelor'?s?|Master'?s?|(?i:diploma)|"
    # A registration held ("Registered as a pharmacy technician with ...", "Current Gas Safe registration"),
    # not one run ("event registration", "Registered Nurses who are motivated ...").
    r"(?i:registered (?:as|with)|registration (?:with|as|on)\b)|"
    # "Listed on the RCVS Register of Veterinary Nurses, or eligible to register": a register one is on.
    r"(?i:\b(?:listed|entered|included) on the\b[^.;]{0,60}\bregister\b|"
    r"eligible (?:to|for) regist(?:er|ration)\b)|"
    r"(?:(?i:current|valid|active|full|professional|state)|[A-Z]{2,6}|[A-Z][a-z]+ [A-Z][a-z]+) registration|"
    r"(?i:undergraduate|postgraduate|degree(?! of)|licen[cs]e[sd]?|certifi(?:cate|cates|cation|ed))|"
    r"GED|high school|"
    # "perform basic technical qualification" (of a sales lead) is work, not a qualification.
    r"accredit\w*|(?<!technical )(?<!lead )(?<!sales )[Qq]ualifications?|(?:[A-Z]{3,5}|part|fully) qualified|"
    r"qualified (?:accountant|teacher|nurse|electrician|engineer|social worker)|"
    r"Qualified Teacher Status|"
    # "WRAS Approved Plumber scheme membership", "membership of the CIPD": a membership held.
    r"(?i:(?:scheme|professional|chartered|full|associate) membership|"
    r"membership (?:of|with) (?:the )?(?-i:[A-Z])\w*)|"
    # "A current Instructor Rating ... is acceptable for ...": a substitute for a qualification.
    r"(?i:\bis acceptable (?:for|in lieu|as|instead)\b)|"
    # "IBMS Specialist Portfolio or working towards it": only a qualification is worked towards.
    r"(?i:,?\s*or (?:be )?working towards (?:it|one|this|them))|"
    # "Completion of a recognized apprenticeship as a machinist", "a military machinist training program"
    r"(?i:completion of an? (?:recogni[sz]ed |approved |accredited )?(?:\w+ ){0,4}"
    r"(?:apprenticeship|training program(?:me)?|course)))(?=\W|$)"
)
_LANGUAGE = re.compile(
    r"\b(?:speak|write|read|communicate)\b.*\b(?:fluent|fluently|idiomatically)\b|\bfluen(?:t|cy) in\b|"
    r"\b(?:native|business)[- ]level\b|\bproficien(?:t|cy) in (?:" + "|".join(_LANGUAGES) + r")\b",
    re.IGNORECASE,
)
_WRITING_FOR = re.compile(
    r"^(?:(?:clear|good|excellent|strong|effective|accurate|concise|plain|high[- ]quality),?\s+(?:and\s+)?)*"
    r"written (?:English|Welsh|communication)(?: skills)? for (\w.{3,})$",
    re.IGNORECASE,
)
# "Clear, kind communicator who can explain a diagnosis and plan in plain language": the person noun
# frames the work, and the work after "who can" is what an interviewer asks about.
_PERSON_WHO_CAN = re.compile(
    r"^(?:(?:a|an)\s+)?(?:[\w/-]+,?\s+(?:and\s+)?){0,4}(?:communicator|collaborator|team player|leader|"
    r"problem[- ]solver|thinker|listener|professional|practitioner|person|individual|someone)\s+"
    r"(?:who|that)\s+(?:can|is able to|will|knows how to)\s+(\w.{3,})$",
    re.IGNORECASE,
)
# A language asked for without naming it ("A second European language", "bilingual").
_SOME_LANGUAGE = re.compile(
    r"\b(?:an?\s+)?(?:second|foreign|another|additional|further|other)\s+(?:[A-Z][a-z]+\s+)?languages?\b",
    re.IGNORECASE,
)
_LOGISTICS = re.compile(
    r"authori[sz]ation to work|work permit|\bvisa\b|right to work|\btravel\b.*%|willing(?:ness)? to travel|"
    r"(?:ability|able|available) to travel|relocat|\blift\b.*pounds|driv(?:er'?s|ing) licen[cs]e|"
    r"security clearance|"
    r"extended hours|background check|on-site \d|\bshifts?\b.*(?:night|weekend)|shift (?:system|pattern)|"
    r"(?:able|available|willing) to work\b.*\b(?:full[- ]time|part[- ]time|evenings?|weekends?|nights?|"
    r"shifts?|overtime|on call|holidays)",
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
    r"seven|eight|nine|ten|several|many)\s*\+?(?:\s*\(\d+\))?\s*\+?\s*(?:or more\s+)?years?'?"
    r"(?:\s+(?:of|in|at|within))?\s+",
    re.IGNORECASE,
)
_LEAD_INS = [
    # "A sound grasp of ...", "A working knowledge of ...": the article of the lead-in goes with it.
    re.compile(r"^(?:a|an)\s+(?=(?:[\w-]+\s+){0,2}(?:grasp|knowledge|understanding|interest|command|awareness|"
               r"appreciation|experience|background|familiarity|proficiency)\b)", re.I),
    re.compile(r"^(?:all|any)\s+(?=(?-i:[a-z]))", re.I),  # "all notice functions and record keeping"
    # "We know you will understand how important your record keeping is": the posting's voice.
    re.compile(r"^we know (?:that )?you (?:will )?(?:understand|know|appreciate) how important (?:your )?",
               re.I),
    # "We are seeking Registered NICU Nurses who are motivated ...": the employer's lead-in, then the trait.
    re.compile(r"^(?:we are|we're|we) (?:seeking|looking for|recruiting|want|need)\s+[^.]{0,80}?\bwho "
               r"(?:are|is|have|has|can)\s+", re.I),
    re.compile(r"^(?:generally |typically |usually )?(?:requires?|must have|should have|you have|"
               r"you will have|we are looking for|looking for|candidates? with|someone with)\s+", re.I),
    _YEARS,
    re.compile(r"^working (?=knowledge|experience|proficiency|familiarity|understanding)", re.I),
    # Prose in the posting's voice: "Your responsibilities will include ...", "Tools-wise we use ...".
    re.compile(r"^your (?:main |key |day-to-day )?(?:responsibilities|duties|tasks|work) will (?:also )?"
               r"(?:include|involve|cover)\s+", re.I),
    re.compile(r"^(?:[\w-]+-wise,?\s+)?we (?:use|work with|work in|run)\s+", re.I),
    re.compile(r"^(?:this|the) (?:position|role|post|job)(?: ?holder)? "
               r"(?:demonstrates|requires|needs|calls for)(?: the)?\s+", re.I),
    # "Six years of full-time paid experience performing machine shop work" (civil-service bulletins):
    # the terms of the experience, not what it was in.
    re.compile(r"^(?:(?:full|part)\s?-\s?time|paid|professional|qualifying|relevant|\s)+(?=experience\b)",
               re.I),
    re.compile(r"^(?:a |an )?(?:proven |demonstrated |strong |solid )?track record (?:of|in|with)\s+", re.I),
    re.compile(r"^(?:a |an )?(?:high|strong|good|deep|solid) (?:degree|level|sense) of\s+", re.I),
    re.compile(r"^(?:strong|excellent|exceptional|outstanding|superb|solid|good|great|deep|extensive|"
               r"advanced|basic|relevant|prior|previous|proven|demonstrated|demonstrable|effective|"
               r"sound|exemplary|significant|substantial|professional|practical|some|general|thorough|"
               r"in-depth|firm|broad|hands-on|direct|recent|related|proficient|successful|specialist)\s+",
               re.I),
]
_ABILITY = re.compile(
    r"^(?:the |an? )?(?:ability|abilities|able|capability|capacity|willingness|desire|eagerness|"
    r"aptitude|drive|willing|prepared|happy|keen|ready|eager) to\s+|"
    # "There is a need to understand ...": the posting's voice, then the verb.
    r"^there (?:is|are|will (?:also )?be) (?:a |an )?(?:clear |strong )?"
    r"(?:need|requirement|expectation) to\s+",
    re.I
)
_CAPABLE = re.compile(
    r"^(?:capable|skilled|experienced|adept|comfortable|confident|accurate|careful|competent|reliable)"
    r"(?: (?:of|in|at|with)\s+| (?=[a-z]+ing\b))", re.I
)
_EXPERIENCE = re.compile(
    r"^(?:experience|expertise|background|knowledge|understanding|familiarity|proficiency|fluency|"
    r"competence|competency|mastery|exposure|history|skills?|grasp|command|comfort|passion|interest|"
    r"experienced|proficient|familiar|fluent|knowledgeable|versed|well-versed|"
    r"(?:super |very |really |highly |genuinely )?passionate)"
    r"(?:\s+(?:or|and)\s+(?:internship|training|education|knowledge|skills|expertise|experience))?"
    r"(?:\s+(?:of|in|with|using|on|across|as|at|to|for|around|within|about))?\s+",
    re.I,
)
_TAIL_CUTS = [
    re.compile(r",?\s+(?:with|and|plus) (?:the |an? )?(?:proven |demonstrated )?(?:ability|track record|"
               r"understanding|eye|passion|focus|expertise)\b.*$", re.I),
    re.compile(r",\s+(?:with|both|especially|ideally|preferably|as well as|along with|as required|"
               r"as needed|where|which|who)\b.*$", re.I),
    re.compile(r"\s+(?:in order to|so that|so as to)\b.*$", re.I),
    re.compile(r",?\s+(?:required|preferred|a plus|is a plus|highly desired|desired|strongly preferred|"
               r"is preferred|is required|(?:is|are|would be) (?:desirable|essential|an advantage|"
               r"advantageous|a bonus|beneficial|useful))$", re.I),
    re.compile(r",?\s+(?:is|are) not (?:required|essential|necessary)\b.*$", re.I),
    re.compile(r",?\s+(?:and|or)$", re.I),
    # "... teaching, and highly responsible and love to ...": a trait of the person follows.
    re.compile(r",\s+and (?:highly|very|extremely|really|always)\s+\w+.*$", re.I),
    # "... record keeping responsibilities of the City", "... calculations are in the role": the frame.
    re.compile(r"(?<!essential)(?<!key)(?<!main)(?<!core)(?<!principal)"
               r"\s+(?:responsibilities|duties|functions|tasks)\s+(?:of|for)\s+the\s+\w+$", re.I),
    re.compile(r"\s+(?:is|are) (?:in|to|for) (?:the|this|your) (?:role|job|post|work)\b.*$", re.I),
    # "Confident with HR systems and Excel, and able to keep records ...": the second clause is another skill.
    re.compile(r",?\s+and (?:is |are )?(?:able|willing|happy|ready|prepared) to\b.*$", re.I),
    re.compile(r",?\s+and (?:possesses|possess|has|have|demonstrates) (?:the |an? )?"
               r"(?:ability|abilities|knowledge|skills?|understanding)\b.*$", re.I),
]
# Left dangling when a long line is cut before its "with ..." or "when ...": "in line", "in conjunction".
_DANGLING_TAIL = re.compile(
    r"\s+(?:in (?:line|conjunction|accordance|partnership|collaboration|addition|relation|respect|order)|"
    r"when|where|while|whilst|along|together|according|compared|prior|due|and|or)$",
    re.I,
)
_EXAMPLES_INLINE = re.compile(
    r",?\s+(?:such as|including(?:,?\s+but not limited to)?,?|e\.g\.,?|for example,?|for instance,?|like)"
    r"\s+(.+)$",
    re.I,
)
_PARENS = re.compile(r"\s*\(([^()]*)\)")
_ROLE_TAIL = re.compile(
    r"\b(?:role|capacity|position|setting|environment|function|facility|business|organi[sz]ation|company)s?$",
    re.I,
)


def _clean(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"^[\s*•·\-–—\d.)]+(?=[A-Za-z(])", "", text) if re.match(r"^[*•·\-–—]", text) else text
    text = " ".join(text.split())
    return text.strip(" .;:,")


def _first_clause(text: str) -> str:
    # "Comfortable with data: able to write SQL ..." - a short label before a colon is elaborated after it.
    label = re.match(r"^([^:]{1,40}):\s+(.+)$", text)
    if label and len(label.group(1).split()) <= 4 and len(label.group(2).split()) >= 3:
        text = label.group(2)
    guarded = re.sub(r"\b([eE])\.g\.|\b([iI])\.e\.", lambda m: (m.group(1) or m.group(2)) + "\x00", text)
    parts = re.split(r";\s+|(?<=[a-z0-9%)\]])\.\s+(?=[A-Z])|\s+[–—]\s+|\s+-\s+", guarded)
    first = parts[0] if parts else guarded
    first = re.sub(r"([eE])\x00", r"\1.g.", re.sub(r"([iI])\x00", r"\1.e.", first))
    return first.strip(" .;:,")


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
        lead = r"^(?:e\.g\.|i\.e\.|eg|such as|including|for example)[,:]?\s*(?:but not limited to[,:]?\s*)?"
        group = re.sub(lead, "", group.strip(), flags=re.I)
        for item in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and/or|and|or)\s+", group):
            item = item.strip(" .;:")
            if item and item.lower() not in {"etc", "etc.", "and", "or"}:
                examples.append(item)

    def paren(match: re.Match[str]) -> str:
        inner = match.group(1)
        if "," in inner or re.match(r"\s*(?:e\.g|i\.e|such as|including)", inner, re.I):
            take(inner)
        return ""

    text = _PARENS.sub(paren, text)
    # "A grasp of basic statistics: averages and medians, percentages": the list after the colon.
    colon = re.match(r"^(\S+(?:\s+\S+)+?):\s+(.+)$", text)
    if colon and re.search(r",|\s(?:and|or)\s", colon.group(2)):
        take(colon.group(2))
        text = colon.group(1)
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
            # "to carry out the check and to refuse to drive ...": a second duty whose verb the rules
            # cannot inflect is cut, so the question does not read "you carried out the check and to refuse".
            second = re.search(r",?\s+(?:and|or) to ([a-z]+)\b", text)
            if second and not verbs.is_verb(second.group(1)):
                text = text[: second.start()]
        how = re.match(r"how to\s+([a-z]+)\b", text, re.I)
        if how and verbs.is_verb(how.group(1).lower()):
            # "Knowledge of how to install fire doors": the skill is installing them ("how your team
            # handles how to install ..." otherwise).
            text, wants_verb = text[how.start(1):], True
        text = _CAPABLE.sub("", text, count=1)
        work = re.match(
            r"(?:work(?:ing)?|post-registration|post-qualification|post-qualifying) experience\s+"
            r"(in|at|within)\s+",
            text, re.I,
        )
        if work:
            # "Two years of work experience in retail", "Post-registration experience in an MSK outpatient
            # setting": the experience is working there.
            return f"working {work.group(1).lower()} " + text[work.end():], wants_verb
        role = _EXPERIENCE.match(text)
        as_role = role and role.group(0).rstrip().lower().endswith(" as")
        if role and as_role and re.match(r"an?\s", text[role.end():], re.I):
            # "Two years' experience as a site engineer": the experience is working as one.
            return "working as " + text[role.end():], wants_verb
        text = _EXPERIENCE.sub("", text, count=1) if len(text.split()) > 1 else text
        if text == before:
            break
    return text, wants_verb


def _verbish(word: str, allow_ambiguous: bool = True) -> bool:
    """A base verb of the lexicon, or the -ing form of one that is not a field name."""
    low = word.lower().rstrip(",")
    if verbs.is_verb(low):
        return allow_ambiguous or low not in _AMBIGUOUS_START
    return low.endswith("ing") and low not in _NOUN_ING and verbs.base_from_gerund(low) is not None


def _adverb(word: str) -> bool:
    return word.lower().endswith("ly") and word.lower() not in _NON_ADV


def _head_index(words: list[str]) -> int:
    """Index of the head word, skipping leading adverbs ("effectively operate ...")."""
    head = 0
    while head < len(words) - 1 and _adverb(words[head]):
        head += 1
    return head


# " to <verb>" starts a purpose clause, except after "how/what/..." ("teach patients how to manage ...").
# "the action to take after a sharps injury": after these nouns "to" starts what they are, not a purpose.
_PURPOSE = (
    r"(?<!\bhow)(?<!\bwhat)(?<!\bwhen)(?<!\bwhere)(?<!\bwhether)(?<!\baction)(?<!\bactions)(?<!\bsteps)"
    r"(?<!\bmeasures)(?<!\bprecautions)(?<!\bway)\s+to\s+([a-z]+)\b"
)
_NON_ADV = {"only", "early", "family", "supply", "apply", "rally", "italy"}
_FILLER = {"and", "or", "a", "an", "the", "in", "with", "of", "such", "as", "using", "&"}
_LONG_CUTS = (" through ", " by ", " via ", " across ", " for ", " with ", " within ", " as they ", " that ",
              " which ", " who ", " where ", ", and ")


_HOLDING_VERBS = frozenset(
    {"hold", "have", "possess", "obtain", "complete", "gain", "achieve", "maintain", "be"}
)
_WHEN_TAIL = re.compile(r"\s+when\s+(?:the|a|an|you|things|it|plans?|something|someone)\b.*$", re.I)


def _cut_tail(text: str, verb_headed: bool) -> str:
    for pattern in _TAIL_CUTS:
        text = pattern.sub("", text)
    # "Calm decision-making under pressure when the plan falls apart at 6am": the case, not the skill.
    when = _WHEN_TAIL.search(text)
    if when and len(text[: when.start()].split()) >= 4:
        text = text[: when.start()]
        # "triaging patients and recognising when an animal needs ...": the "when" clause was the last
        # verb's object, so that verb goes with it.
        last = re.search(r",?\s+(?:and|or)\s+([a-z]+)$", text)
        if last and (
            verbs.is_verb(last.group(1)) or last.group(1).endswith(("ing", "ise", "ize"))
        ):
            text = text[: last.start()]
    # A comma followed by a verb starts the next duty: "Build X, influence Y, and act as Z".
    parts = text.split(", ")
    kept = [parts[0]]
    for part in parts[1:]:
        words = part.split()
        if words and words[0] in {"and", "or"}:
            words = words[1:]
        head = words[0].lower() if words else ""
        nxt = words[1].lower() if len(words) > 1 else ""
        ambiguous_ok = verb_headed and (nxt in _DETERMINERS or nxt.endswith("ly"))
        is_clause = len(words) > 1 and (
            (verbs.is_verb(head) and (head not in _AMBIGUOUS_START or ambiguous_ok))
            or (head.endswith("ing") and len(head) > 5 and head not in _NOUN_ING)
        )
        leading_run = all(len(k.split()) == 1 and verbs.is_verb(k.lower()) for k in kept)
        # Keep a second duty when the first is too short to stand alone ("Think creatively, take ...").
        if is_clause and len(" ".join(kept).split()) >= 3 and not leading_run:
            break
        kept.append(part)
    text = ", ".join(kept)
    if len(text.split()) > 12:
        # Long lines: the core comes before a purpose clause ("... team to ensure sales ...").
        match = re.search(_PURPOSE, text)
        if match and verbs.is_verb(match.group(1)) and len(text[: match.start()].split()) >= 5:
            text = text[: match.start()]
    while len(text.split()) > 12:
        cuts = [i for i in (text.find(c) for c in _LONG_CUTS) if i > 0 and len(text[:i].split()) >= 4]
        if not cuts:
            break
        text = text[: min(cuts)]
        # A participle left dangling by the cut ("documents written") goes too.
        text = re.sub(r"\s+(?:written|done|made|given|used|based|provided|owned|led)$", "", text)
    return _undangle(text).strip(" ,")


def _undangle(text: str) -> str:
    """Drop the words a cut left dangling: "in line", "when", or "and stay" (a verb that lost its object)."""
    for _ in range(3):
        before = text
        if len(text.split()) > 3:
            text = _DANGLING_TAIL.sub("", text)
        words = text.split()
        if len(words) > 5 and words[-2].lower() in {"and", "or"} and verbs.is_verb(words[-1].lower()) \
                and words[-1].lower() not in _AMBIGUOUS_START:
            text = " ".join(words[:-2])
        if text == before:
            break
    return text


def _strip_tails(text: str) -> str:
    text = re.sub(r"\s+(?:experience|expertise|background|know-how)$", "", text, flags=re.I)
    mid = r"^(.+?)\s+experience\s+((?:in|with|at|across|within|on)\s+.+)$"
    text = re.sub(mid, r"\1 \2", text, flags=re.I)
    skills = re.match(r"^(.+?)\s+(?:skills?|abilities|capabilities|skill set|skillset|competencies)\b", text,
                      re.I)
    if skills:
        core = skills.group(1).strip(" ,")
        words = [w.strip(",").lower() for w in core.split()]
        keep_word = len(words) == 1 or any(w.endswith(("al", "ive", "ic", "ous")) for w in words)
        text = f"{core} skills" if keep_word else core
    # A trailing participle clause is context, not the core: "field sales ... selling enterprise software".
    words = text.split()
    for i, word in enumerate(words[3:], start=3):
        previous = words[i - 1]
        if "-" in previous or previous.endswith(",") or previous.lower() in {"and", "or"}:
            continue  # "solution-based selling", "sales, marketing" are nouns
        if _verbish(word, allow_ambiguous=False) and word.lower().endswith("ing"):
            text = " ".join(words[:i])
            break
    return text


def _lower_first(text: str) -> str:
    """Lower-case the first word when it is capitalised only because it started the line."""
    words = text.split()
    if not words:
        return text
    bare = words[0].strip(",.;:")
    if bare in {"A", "An"} and len(words) > 1 and words[1][:1].islower():
        return text[0].lower() + text[1:]  # "A methodical approach"
    if len(bare) < 2 or not bare[0].isupper() or not bare[1:].replace("-", "").islower():
        return text  # acronym (HTML), camel case (JavaScript) or already lower
    if len(words) > 1 and words[1][:1].isupper():
        return text  # a name in title case: "Commodity Management", "Google Cloud"
    low = bare.lower()
    common = (
        low in _COMMON_WORDS or low in _QUALITIES or verbs.is_verb(low)
        or verbs.base_from_gerund(low) is not None
        or low.endswith(_ADJECTIVE_SUFFIXES) or low.endswith("ly") or low in _NOUN_ING
    )
    return text[0].lower() + text[1:] if common else text


# "You will also deputise for ...", "May personally perform ...": a subject or modal before the duty's verb.
_SUBJECT = re.compile(
    # "In your first six months you'll help redesign ...": when, then the subject, then the duty.
    r"^(?:(?:in|during|over) (?:your|the) first [\w ]{1,20}?,?\s+)?"
    r"(?:you(?:'ll| will| would)|(?:the )?post ?holders? will|(?:will|may|shall))"
    r"(?:\s+(?:also|usually|typically|personally|occasionally|be expected to|be required to|need to|"
    r"help(?: to)?))*\s+(?=[a-z])",
    re.I,
)


# After an -s word these make it a verb: "Acts as back-up", "Presides over", "Researches and responds".
_VERB_PARTICLES = {"as", "over", "and", "on", "upon", "to", "for", "with"}
# Ambiguous bases whose -s form starting a posting line is a duty, not a plural noun ("Monitors progress").
_VERB_WHEN_S = {"research", "monitor", "act", "use", "fix", "move", "check", "reach", "edit", "tune", "track"}


def _bases_of_s_form(low: str) -> list[str]:
    """Candidate base forms of a third-person -s word: 'certifies' -> certify, 'passes' -> pass."""
    found = [low[:-1], low[:-2]]
    if low.endswith("ies"):
        found.insert(0, low[:-3] + "y")
    return found


def _third_person_verb(word: str, nxt: str, duty: bool, after: str = "") -> str | None:
    """The base verb of a duty's verb in the third person ("Supervises", "Records children's").

    ``nxt`` is the word after ``word``, ``after`` the one after that ("Researches and accurately ...").
    """
    low = word.lower().rstrip(",")
    if nxt == "and" and not (_adverb(after) or (after.endswith("s") and verbs.is_verb(after[:-1]))):
        nxt = ""  # "Reports and dashboards": a list of nouns, not two duties
    if verbs.is_verb(low) or not low.endswith("s") or low.endswith("ss"):
        return None
    for base in _bases_of_s_form(low):
        if not verbs.is_verb(base):
            continue
        # An ambiguous word ("records", "reports") is a verb only when a verb's object or particle follows.
        objects = nxt in _DETERMINERS or nxt.endswith("'s") or nxt in _VERB_PARTICLES
        # "Works well in a team", "Works closely with ...": an adverb of manner follows a verb.
        manner = nxt == "well" or _adverb(nxt)
        if base not in _AMBIGUOUS_START or base in _VERB_WHEN_S or (duty and objects) or \
                nxt in _VERB_PARTICLES or manner:
            return base
    if word.islower() and nxt in _VERB_PARTICLES - {"and"}:
        # "presides over ...": a lower-case line that goes on mid-sentence; the spelling rules give the base.
        return _bases_of_s_form(low)[0]
    return None


def _third_to_base(word: str) -> str:
    """'reviews,' -> 'review,' for a verb listed with a third-person head ("Assigns, reviews, and ...")."""
    bare = word.rstrip(",")
    low = bare.lower()
    candidates = _bases_of_s_form(low) if low.endswith("s") and not low.endswith("ss") else []
    # Inside the head's list every word is a verb: outside the lexicon the spelling rules decide.
    base = next((b for b in candidates if verbs.is_verb(b)), candidates[0] if candidates else None)
    return (base + word[len(bare):]) if base and bare.islower() else word


def _as_verb(word: str) -> str | None:
    """The base form when ``word`` is a lexicon verb in base, -ing or third-person -s form."""
    low = word.lower()
    if verbs.is_verb(low):
        return low
    from_gerund = verbs.base_from_gerund(low)
    if from_gerund:
        return from_gerund
    if low.endswith("s") and not low.endswith("ss"):
        # "creates" in "Perform data analysis and creates benchmarking"; "certifies" -> certify
        for base in _bases_of_s_form(low):
            if verbs.is_verb(base) and base not in _AMBIGUOUS_START:
                return base
    return None


_PREPOSITIONS = {"with", "in", "on", "for", "of", "to", "at", "across", "within", "by", "from", "about"}


def _conjugate(words: list[str], head: int, to: str) -> list[str]:
    """Inflect the head verb and the verbs coordinated with it ('build and maintain', 'X and delivering')."""

    def inflect(word: str) -> str:
        bare = word.rstrip(",")
        base = _as_verb(bare) or bare.lower()
        if to == "past":
            form = "were" if base == "be" else verbs.past(base)  # the templates' subject is "you"
        elif to == "gerund":
            form = verbs.gerund(base)
        else:
            form = base
        return form + word[len(bare):]

    out = list(words)
    out[head] = inflect(words[head])
    gerund_phrase = verbs.base_from_gerund(words[head]) is not None
    run = True  # inside the leading run of verbs: "Edit, clarify, and proofread"
    for i in range(head + 1, len(words)):
        word = words[i].rstrip(",")
        low = word.lower()
        prev = words[i - 1]
        if low in {"and", "or"} or (_adverb(low) and prev.lower() in {"and", "or"}):
            continue  # "and accurately responds": the adverb keeps the coordination open
        if i >= 2 and _adverb(prev) and words[i - 2].lower() in {"and", "or"}:
            prev = words[i - 2]
        if prev.lower() in {"and", "or"} or prev.endswith(","):
            nxt = words[i + 1].lower() if i + 1 < len(words) else ""
            if i >= 3 and words[i - 3].lower() == "to" and verbs.is_verb(words[i - 2].lower()):
                run = False  # "SQL to extract and join data": the infinitive's second verb, not the head's
                continue
            if gerund_phrase:
                coordinated = _verbish(low) and low.endswith("ing")
            else:
                # "... and creates benchmarking" is a second duty; "the surgery, instruments and
                # materials" is a list of nouns: a third-person verb joins the head only after "and".
                third_person = (not verbs.is_verb(low) and _as_verb(low) is not None
                                and not low.endswith("ing") and not run and nxt not in _PREPOSITIONS
                                and prev.lower() in {"and", "or"})
                # "induce and monitor anaesthesia": a verb right after "<inflected verb> and" joins it
                paired = prev.lower() in {"and", "or"} and i >= 2 and out[i - 2] != words[i - 2]
                coordinated = third_person or (
                    verbs.is_verb(low)
                    and (run or paired or nxt in _DETERMINERS or low not in _AMBIGUOUS_START)
                )
            if coordinated and (run or len(words) - i > 1):
                out[i] = inflect(words[i])
                continue
        run = False
    return out


def _verb_phrase(text: str, source: str) -> Phrase:
    # "write queries and to interpret results": the second verb is coordinated with the first.
    text = re.sub(r"\b(and|or) to (\w+)", lambda m: f"{m.group(1)} {m.group(2)}" if verbs.is_verb(m.group(2))
                  else m.group(0), text)
    words = text.split()
    head = _head_index(words)
    pair = len(words) > head + 3 and words[head + 1] == "and" and _verbish(words[head + 2])
    if pair and len(words) >= _WHOLE_LINE_WORDS and _bare(text) == _bare(source):
        # A long line said whole reads as pasted in; an interviewer names one of the paired verbs
        # ("devising and implementing virtual methods of ..." -> "devising virtual methods of ...").
        del words[head + 1 : head + 3]
    elif (len(words) > head + 3 and words[head + 1] == "and" and verbs.is_verb(words[head].lower())
          and words[head + 2].isalpha() and words[head + 2].islower() and not _verbish(words[head + 2])
          and not _adverb(words[head + 2])
          and not words[head + 2].endswith(("tion", "ment", "ness", "ity", "ing", "s"))):
        # "Identify and unlock opportunities": right after "<verb> and" comes a verb the lexicon lacks,
        # which the rules would leave uninflected ("identifying and unlock"); the first verb says it.
        del words[head + 1 : head + 3]

    listed = _unknown_listed_verbs(words, head)
    if listed:
        # "Install, pressure test and commission pipework": verbs the rules cannot inflect are dropped,
        # the first says the duty ("installing pipework").
        del words[head + 1 : head + 1 + listed]
        words[head] = words[head].rstrip(",")

    def form(to: str) -> str:
        inflected = _conjugate(words, head, to)
        inflected[:head] = [w.lower() for w in inflected[:head]]
        return " ".join(inflected)

    return Phrase(
        form=PhraseForm.VERB, topic=form("gerund"), past=form("past"), base=form("base"), source=source
    )


def _unknown_listed_verbs(words: list[str], head: int) -> int:
    """How many words after ``head`` form a verb list ending "and <verb>" that the rules cannot inflect."""
    if not words[head].endswith(","):
        return 0
    for j in range(head + 1, min(len(words) - 1, head + 7)):
        if words[j] == "and":
            items = [w.strip(",") for w in words[head + 1 : j + 2] if w != "and"]
            if not all(w.isalpha() and w.islower() for w in items):
                return 0
            if all(_verbish(w) for w in items):
                return 0  # "Plan, deliver and review lessons": the rules inflect them
            return j + 1 - head
        if not words[j].rstrip(",").isalpha() or not words[j][:1].islower():
            return 0
    return 0


# As chains.evaluation.question_checks.VERBATIM_MIN_WORDS: a line this long quoted whole reads as pasted in.
_WHOLE_LINE_WORDS = 7


def _bare(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _techy(token: str) -> bool:
    if any(c.isdigit() or c in "+#." for c in token) or (len(token) > 1 and token.isupper()):
        return True
    if not token[:1].isupper():
        return False
    if any(c.isupper() for c in token[1:]):
        return True  # JavaScript, BigQuery
    low = token.lower()
    return not (low in _COMMON_WORDS or low.endswith(_ADJECTIVE_SUFFIXES) or low.endswith(("s", "y", "ment")))


def _is_tool(core: str, examples: list[str]) -> bool:
    tokens = [t.strip(",.") for t in core.split()]
    content = [t for t in tokens if t and t.lower() not in _FILLER]
    if not content:
        return False
    techy = [t for t in content if _techy(t)]
    if _techy(content[0]) and len(techy) * 3 >= len(content):
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


_PERSON_NOUNS = {"communicator", "collaborator", "self-starter", "player", "individual", "leader", "learner",
                 "solver", "problem-solver", "thinker", "storyteller", "listener", "multitasker"}


def _trait(match: str) -> str:
    topic = _lower_first(match)
    last = topic.split()[-1].lower()
    if last == "individual":
        return " ".join(topic.split()[:-1]).removeprefix("a ").removeprefix("an ") or "self-motivated"
    if last in _PERSON_NOUNS and not re.match(r"(?:a|an)\s", topic):
        topic = ("an " if topic[0].lower() in "aeiou" else "a ") + topic
    return topic


# Personal qualities a posting lists as adjectives ("Calm, kind and patient", "Polite and respectful with
# tenants"): asked about as traits, never as something "your team handles".
_QUALITIES = frozenset({
    "calm", "kind", "patient", "polite", "respectful", "friendly", "approachable", "enthusiastic",
    "charismatic", "energetic", "high-energy", "caring", "compassionate", "supportive", "reliable",
    "dependable", "punctual", "honest", "flexible", "adaptable", "resilient", "organised", "organized",
    "proactive", "positive", "confident", "tactful", "diplomatic", "empathetic", "personable", "courteous",
    "hard-working", "hardworking", "conscientious", "thorough", "tenacious", "curious", "cheerful", "warm",
    "discreet", "trustworthy", "dedicated", "committed", "sensitive", "outgoing", "helpful", "considerate",
    "level-headed", "composed", "nurturing", "coachable", "motivated", "self-motivated", "driven",
    "results-driven", "passionate", "professional", "creative", "dynamic", "ambitious", "gentle",
    "fair", "methodical", "meticulous", "systematic", "careful", "logical", "even-handed", "impartial",
})
_MANNERS = {"approach", "manner", "attitude", "disposition", "nature", "personality", "outlook", "person"}
_INTENSIFIERS = {"very", "highly", "extremely", "genuinely", "really", "always", "naturally"}


def _qualities(core: str) -> str:
    """"Calm, kind and patient with X" -> "calm, kind and patient"; "" unless two qualities lead the line."""
    found: list[str] = []
    core = re.sub(r"^(?:you're|you are|we're looking for someone who is)\s+", "", core, flags=re.I)
    # "A fair, methodical approach": the qualities of a manner are the person's too.
    article = re.match(r"(?:a|an)\s+", core, re.I)
    words = core[article.end():].split() if article else core.split()
    after = ""
    for word in words:
        bare = word.lower().strip(",;:.!")
        if bare in {"and", "or", "&"} or bare in _INTENSIFIERS:
            continue
        if bare not in _QUALITIES:
            after = bare
            break
        found.append(bare)
        if word.endswith((";", ":", ".", "!")):
            break
    if len(found) < 2 or (article and after not in _MANNERS):
        return ""
    return ", ".join(found[:-1]) + " and " + found[-1]


@lru_cache(maxsize=4096)
def normalise(text: str, kind: RequirementKind | None = None) -> Phrase:
    """Reduce a posting line to the phrase an interviewer would say, with its shape.

    >>> normalise("Experience with Docker and Kubernetes").topic
    'Docker and Kubernetes'
    >>> normalise("Ability to build influential relationships").past
    'built influential relationships'
    """
    source = _clean(text)
    clause = _first_clause(source)
    first_word = clause.split()[0].lower().strip(",;:") if clause.split() else ""
    # "Record every job, certificate and part used ...", "Issue gas safety certificates": a duty that
    # names a certificate, not a qualification to hold.
    # "Administers certification tests" too: a duty in the third person.
    first_verb = first_word if verbs.is_verb(first_word) else None
    if first_verb is None and first_word.endswith("s"):
        first_verb = _as_verb(first_word)
    duty_first = first_verb is not None and first_verb not in _HOLDING_VERBS
    if not duty_first and _EDUCATION.search(" ".join(clause.split()[:14])):
        degree = re.sub(r",?\s+(?:is\s+)?(?:required|preferred|a plus)\b.*$", "", clause, flags=re.I)
        return Phrase(form=PhraseForm.EDUCATION, topic=_tidy_phrase(degree), source=source)
    care = re.match(r"(?:great |real |genuine )?care (with|over) ([^,;]+)", clause, re.I)
    if care:
        # "Care with numbers, and the habit of checking your work": a quality, not "caring with numbers".
        return Phrase(form=PhraseForm.TRAIT, topic=f"careful {care.group(1).lower()} {care.group(2)}",
                      source=source)
    person = _PERSON_WHO_CAN.match(clause)
    if person:
        work = person.group(1).rstrip(". ")
        return normalise(work[:1].upper() + work[1:], kind).model_copy(update={"source": source})
    writing = _WRITING_FOR.match(clause)
    if writing:
        # "Clear written English for specifications and reports": the writing is the work to ask about.
        return normalise(f"Write {writing.group(1)} clearly", kind).model_copy(update={"source": source})
    languages = _languages(clause)
    if languages and _LANGUAGE.search(clause):
        topic = languages[0] if len(languages) == 1 else ", ".join(languages[:-1]) + " and " + languages[-1]
        return Phrase(form=PhraseForm.LANGUAGE, topic=topic, source=source)
    some = _SOME_LANGUAGE.search(clause)
    if some and not languages and len(clause.split()) <= 8:
        topic = re.sub(r"^An?\b", lambda m: m.group(0).lower(), some.group(0))
        return Phrase(form=PhraseForm.LANGUAGE, topic=topic, source=source)
    if _LOGISTICS.search(clause):
        return Phrase(form=PhraseForm.LOGISTICS, topic=_lower_first(_tidy_phrase(clause)), source=source)

    # Quote marks around the posting's own term ("school community") read as quoting the posting.
    clause = re.sub(r"[\"“”]", "", clause)
    subject = _SUBJECT.match(clause)
    if subject:
        clause = clause[subject.end():]
    original_first = clause.split()[0].lower() if clause.split() else ""
    core, examples = _pull_examples(clause)
    core, wants_verb = _strip_lead_ins(core)
    words = core.split()
    head = _head_index(words)
    first = words[head].lower().strip(",;:") if words else ""
    duty = kind == RequirementKind.RESPONSIBILITY or subject is not None
    nxt = words[head + 1].lower() if len(words) > head + 1 else ""
    third = _third_person_verb(first, nxt, duty, words[head + 2].lower() if len(words) > head + 2 else "")
    if third is None and head > 0 and first.endswith("s") and not first.endswith("ss"):
        # An adverb in front makes the -s word a verb: "Independently reviews initial applications".
        third = next((b for b in _bases_of_s_form(first) if verbs.is_verb(b)), None)
    if third and (duty or head > 0 or (third in _VERB_WHEN_S and nxt != "and") or "," in words[head]
                  or nxt in _DETERMINERS or nxt in _VERB_PARTICLES or nxt == "well" or _adverb(nxt)):
        # "Assigns, reviews, and evaluates the work": the posting describes the duty; ask about doing it.
        words[head] = third + words[head][len(words[head].rstrip(",")):]
        # The verbs listed with it ("reviews, and evaluates") go to the base form too; later words stay.
        listed = words[head].endswith(",")
        for i in range(head + 1, len(words)):
            if words[i] in {"and", "or"}:
                listed = True
            elif not (listed and _adverb(words[i])):
                if not listed:
                    break
                words[i] = _third_to_base(words[i])
                listed = words[i].endswith(",")
        core, first, wants_verb = " ".join(words), third, True
    elif subject:
        wants_verb = True  # "You will deputise for ...": a verb follows, in the lexicon or not
    imperative = bool(words) and original_first.strip(",;:") == words[0].lower().strip(",;:")
    # "Dispatch and track units": an ambiguous first word paired with a plain verb is a verb too.
    paired = len(words) > head + 3 and words[head + 1].lower() == "and" and verbs.is_verb(words[head + 2])
    verb_headed = bool(words) and (
        (verbs.is_verb(first) and (wants_verb or kind == RequirementKind.RESPONSIBILITY
                                   or (imperative and (first not in _AMBIGUOUS_START or paired))))
        or (len(words) > 1 and _verbish(first) and first.endswith("ing"))
        or (len(words) > 1 and first in _NOUN_ING and verbs.base_from_gerund(first) is not None
            and words[1].lower() not in _PREPOSITIONS | {"and", "or"} and not words[0].endswith(","))
    )
    qualities = _qualities(core)
    if qualities and not wants_verb and (not verb_headed or first in _QUALITIES):
        return Phrase(form=PhraseForm.TRAIT, topic=qualities, source=source)
    trait = _TRAIT.match(core)
    if trait and not wants_verb and not verb_headed:
        topic = _trait(trait.group(0))
        # A two-word trait says little alone; its "with ..." clause says what it is about.
        detail = re.match(r",?\s+(with\s+[^,;]+)", core[trait.end():])
        ability = r"with\s+(?:the\s+|an?\s+)?(?:proven\s+|demonstrated\s+)?abilit"
        if detail and len(topic.split()) <= 2 and not re.match(ability, detail.group(1)):
            topic = topic + ", " + re.sub(r"\ba (?=[aeiou])", "an ", detail.group(1))
        return Phrase(form=PhraseForm.TRAIT, topic=topic, source=source)
    if verb_headed or (wants_verb and words):
        # "Ability to X" with X outside the lexicon is still a verb phrase; the spelling rules inflect it.
        # "Works well in a team and is willing to ...": the second clause is a trait of its own.
        core = re.sub(r"\s+and (?:is|are|has|have)\b.*$", "", core)
        return _verb_phrase(_tidy_phrase(_cut_tail(core, True)), source)

    core = _cut_tail(_strip_tails(_cut_tail(core, False)), False)
    core = _tidy_phrase(core) or _tidy_phrase(clause)
    if _ROLE_TAIL.search(core) and re.match(r"(?:a|an)\s", core, re.I) and len(core.split()) >= 3:
        return Phrase(form=PhraseForm.VERB, topic=f"working in {core}", past=f"worked in {core}",
                      base=f"work in {core}", source=source)
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
    return _question_text(text, req_kind, kind, difficulty, variant_for(text) if variant is None else variant)


@lru_cache(maxsize=8192)
def _question_text(
    text: str, req_kind: RequirementKind | None, kind: QuestionKind, difficulty: Difficulty, variant: int
) -> str:
    # Cached: the planner tries several openers per item, and each render compiles the template.
    phrase = normalise(text, req_kind)
    rendered = prompts.render(
        _TEMPLATE_FOR_KIND[kind],
        **phrase_variables(phrase),
        variant=variant,
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
        r"\bexperience (?:with|in) experience\b|\bskills skills\b|\b\d+\+?\s*years of\b", re.I)),
    ("empty phrase", re.compile(r"\b(?:about|with|of|in|on|you|to) [?.,]|\b(?:a|an|the) [?.,]")),
    ("article before vowel", re.compile(r"\ba (?=[aeiAEI][a-z])")),
    # "... with WRAS scheme membership is desirable, and how ...": the posting's sentence pasted in.
    ("the posting's 'is desirable' left in", re.compile(
        r"\b(?:is|are) (?:desirable|essential|required|preferred|acceptable|a plus|an advantage|advantageous|"
        r"a bonus)\b(?! (?:to|for|when|if|because)\b)", re.I)),
]
# A verb or a list-opening adjective capitalised mid-sentence and followed by a lower-case word is a
# posting line pasted in whole ("... that Participate in reviews"); title-case names are left alone.
_MID_CAPITAL = re.compile(
    r"\b(?:that|about|with|of|you|to|on|in|your|when|being|how|use|used|applied|handles) ([A-Z][a-z]+) [a-z]"
)
_LIST_OPENERS = {"current", "strong", "excellent", "proven", "solid", "good", "great", "deep", "extensive",
                 "demonstrated", "effective", "relevant", "prior", "previous", "hands-on", "working"}


# Interviewers ask as often with a request as with a question: "Describe a time ...", "Walk me through ...".
_REQUEST = re.compile(
    r"^(?:describe|tell|give|walk|talk|take|explain|name|pick|show|share|list|outline|run)\b", re.I
)


# Three or more single words listed with commas and "and"/"or": "recruiting, training and supervising".
_WORD_LIST = re.compile(r"\b[a-z]+(?:,\s+[a-z]+)+,?\s+(?:and|or)\s+[a-z]+\b")
_VERB_SHAPED = ("ify", "ise", "ize", "ate")
_IRREGULAR_PASTS = frozenset(verbs.IRREGULAR_PAST.values())


def mixed_verb_list(text: str) -> str:
    """The verb left in another form in a list of -ing or -ed verbs ("training, certify and ..."), or ""."""
    for match in _WORD_LIST.finditer(text):
        items = [w for w in re.split(r",\s*|\s+", match.group(0)) if w not in {"and", "or", ""}]
        for ending in ("ing", "ed"):
            formed = [w for w in items if w.endswith(ending)]
            # "proofread" and "built" are past forms too; only a base or -s form is out of step.
            odd = [w for w in items if not w.endswith(ending)
                   and not (ending == "ed" and (verbs.past(w) == w or w in _IRREGULAR_PASTS))
                   and (verbs.is_verb(w) or w.endswith(_VERB_SHAPED) or _as_verb(w))]
            if len(formed) >= 2 and odd:
                return odd[0]
    return ""


def wording_problems(text: str) -> list[str]:
    """Problems a reader would notice in a question: leftovers, glitches, posting-list wording."""
    found = [name for name, pattern in _PROBLEMS if pattern.search(text)]
    odd = mixed_verb_list(text)
    if odd:
        found.append(f"verb in another form inside a list ({odd})")
    for match in _MID_CAPITAL.finditer(text):
        word = match.group(1).lower()
        if verbs.is_verb(word) or verbs.base_from_gerund(word) or word in _LIST_OPENERS:
            found.append(f"capitalised word mid-sentence ({match.group(1)})")
            break
    if not text[:1].isupper():
        found.append("does not start with a capital letter")
    last = re.split(r"(?<=[.?!])\s+", text.strip())[-1]
    if not text.rstrip().endswith("?") and not (_REQUEST.match(last) and text.rstrip().endswith(".")):
        found.append("does not end with '?'")  # neither a question nor a request ("Describe ...")
    return found
