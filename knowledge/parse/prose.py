"""Requirements written as free paragraphs: cut into items a question can target, and judged by cue.

NHS adverts and LinkedIn descriptions state what they want in sentences ("You must have a minimum of
6 months' experience ..."); civil-service bulletins list duties as one sentence of semicolon clauses
("directs ...; assigns ...; coaches ..."). A paragraph under a heading that names its kind is cut
into sentences (and duty paragraphs into clauses); a paragraph under any other heading gives only the
sentences with a clear cue, so descriptions of the service or the team stay text.
"""

from __future__ import annotations

import re

from core.text import DUTY_VERBS, split_sentences
from knowledge.posting import RequirementKind

# A plain line this long, or of several sentences, is a paragraph rather than one listed item.
PARAGRAPH_WORDS = 30

_REQUIRED_CUE = re.compile(
    r"\byou (?:must|should|will need to) (?:have|hold|be|possess|provide|know|understand)\b|"
    r"\byou(?:['’]ll| will) need (?!to\b)|"  # a thing needed; "need to <verb>" only as above
    r"\bmust (?:have|hold|possess|present|be able)\b|\b(?:is|are) (?:essential|required|a must)\b|"
    r"\bis a must\b|\bthe (?:successful )?candidate (?:must|will be|should)\b|"
    r"\bwe (?:are seeking|are looking for|want|need) [^.]{0,80}\bwho (?:are|have|can|will)\b|"
    r"\bwe want people who\b|\bdemonstrates? (?:the )?knowledge\b|\bpossesses the ability\b|"
    r"\b(?:we would welcome applications from|welcome applications from)\b|\byou will be familiar with\b|"
    r"\bminimum (?:entry )?requirement\b|\bevidence of\b[^.]{0,40}\bessential\b|"
    r"\bmust have\b|\brequires? (?:the ability|a valid|possession)\b|\bpossession of\b|"
    r"\bvalid [^.]{0,40}licen[cs]e\b|"
    r"\bthe position requires\b|\bthere is a need to understand\b",
    re.IGNORECASE,
)
_PREFERRED_CUE = re.compile(
    r"\b(?:is|are|would be) (?:desirable|an advantage|a plus|preferred)\b|\bideally\b|\bnice to have\b",
    re.IGNORECASE,
)
_DUTY_CUE = re.compile(
    r"\byou(?: will|['’]ll) (?:also )?(?:be expected to|be responsible|deputise|lead|manage|supervise|"
    r"provide|work closely|support|deliver|oversee|coordinate|run|help|train)\b|"
    r"\bresponsibilities will include\b|"
    r"\b(?:is|are|will be) (?:also )?responsible for\b|\bwill require you to\b|\bpost ?holder will\b|"
    r"\bexpected to\b|\bsupervisory element\b|\bthe purpose of this position is to\b|"
    r"\bwill serve as\b|\bmay be required to provide\b|\bworking across\b|\blead the service\b|"
    r"\btypically,? you (?:would|will)\b|\bdeliver [^.]{0,30}\bcare\b|"
    r"\bthe [A-Z][\w ]{2,40} will (?:[“\"]?\w+[”\"]? )?(?:manage|lead|plan|deliver|support|teach)\b",
    re.IGNORECASE,
)
_SEMICOLON = re.compile(r";\s+(?![^()]*\))")
_LEAD_AND = re.compile(r"^(?:and|or)\s+", re.IGNORECASE)


def is_paragraph(text: str) -> bool:
    """A free paragraph (long, or several sentences), not one listed item."""
    return len(text.split()) >= PARAGRAPH_WORDS or len(split_sentences(text)) > 1


def cut(text: str, kind: RequirementKind | None) -> list[str]:
    """A paragraph as items: its sentences; a duty paragraph also at its semicolons."""
    pieces: list[str] = []
    for sentence in split_sentences(text):
        if kind is RequirementKind.RESPONSIBILITY and "; " in sentence:
            parts = [_LEAD_AND.sub("", part.strip()).strip() for part in _SEMICOLON.split(sentence)]
            pieces.extend(part for part in parts if len(part.split()) >= 2)
        else:
            pieces.append(sentence)
    return pieces


# LinkedIn-style prose speaks to the reader: "You'll run your own section", "You'll need two years'
# experience", "Level 3 is a bonus".
_CONTRACTION = re.compile(r"\b(you|we)(?:'|’)(ll|re)\b", re.IGNORECASE)
_YOU_NEED = re.compile(
    r"\byou (?:must|will need to|need to) (?:know|understand|bring|show|explain|communicate)\b|"
    r"\bwe(?:'d|’d| would) love to hear from you if you\b|"
    r"\byou will (?:probably |likely |ideally )?have (?:\d|\w+(?:-\w+)? years?\b|at least|an? |experience)|"
    r"\byou (?:will )?need (?:at least|a|an|to have|experience|strong|solid|good|\d)|"
    r"\bwe (?:are looking for|want|need) someone (?:who|with)\b",
    re.IGNORECASE,
)
_BONUS = re.compile(r"\b(?:is|would be) a (?:bonus|plus)\b", re.IGNORECASE)
# Said as the sentence's own clause ("You'll run ...", "..., and you'll be trusted to ..."), not inside
# a description ("the ward you will work on").
_YOU_WILL = re.compile(
    r"(?:^|[,;]\s*|\band\s+|\bin (?:this|the) (?:role|job|post),?\s+)you will (?:also |help |be trusted to |"
    r"get to )?([a-z]+)",
    re.IGNORECASE,
)
_YOUR_DUTY_VERBS = frozenset(
    """
    run own train help keep handle cook prepare teach care build
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


def _spoken_to(sentence: str) -> str:
    def spelled(match: re.Match[str]) -> str:
        return f"{match.group(1)} {'will' if match.group(2).lower() == 'll' else 'are'}"

    return _CONTRACTION.sub(spelled, sentence)


def cue_kind(sentence: str, *, spoken: bool = True) -> RequirementKind | None:
    """The kind a sentence of prose states by a clear cue, or None (a description, kept as text).

    ``spoken``: also read the cues of a posting written to the reader in paragraphs ("You'll run ...",
    "we'd love to hear from you if ..."); off where the posting names its sections, so a role summary
    under "About the role" stays text.
    """
    sentence = _spoken_to(sentence)
    extra_preferred = _BONUS.search(sentence) if spoken else None
    extra_required = _YOU_NEED.search(sentence) if spoken else None
    preferred = [m.start() for m in (_PREFERRED_CUE.search(sentence), extra_preferred) if m]
    required = [m.start() for m in (_REQUIRED_CUE.search(sentence), extra_required) if m]
    # "You'll need two years' experience, ideally as ...": what the sentence opens with decides.
    if preferred and not (required and min(required) < min(preferred)):
        return RequirementKind.PREFERRED
    if required:
        return RequirementKind.REQUIRED
    you_will = _YOU_WILL.search(sentence) if spoken else None
    if you_will and (duty_verb(you_will.group(1)) or you_will.group(1).lower() in _YOUR_DUTY_VERBS):
        return RequirementKind.RESPONSIBILITY
    duty = _DUTY_CUE.search(sentence)
    if duty and not _org_before(sentence[: duty.start()]):
        return RequirementKind.RESPONSIBILITY
    if _job_as_subject(sentence):
        return RequirementKind.RESPONSIBILITY
    return None


def _org_before(text: str) -> bool:
    """The words before a duty cue name an organisation ("the Office of ... is responsible for")."""
    return any(word.lower().strip(",.") in _ORG_NOUNS for word in text.split()[-6:])


_SUBJECT = re.compile(r"(?:the|an?|this|each) (?:[A-Z][\w/&-]*|position|incumbent|employee)\b", re.IGNORECASE)


def _job_as_subject(sentence: str) -> bool:
    """A sentence whose subject is the job and whose verb is a duty.

    "The Teacher I plans ...", "An incumbent develops ...".
    """
    if not _SUBJECT.match(sentence):
        return False
    words = sentence.split()[1:7]
    for index, word in enumerate(words):
        if word.lower() in _ORG_NOUNS:
            return False  # "The Shipment Tracking team owns ...": about the team, not the job
        if duty_verb(word) and word.lower().endswith("s") and index:
            return True
    return False


_ORG_NOUNS = frozenset(
    """
    team teams company department board trust office unit division group organisation organization
    service services program programme agency council hospital school state
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


def is_duty_list(text: str) -> bool:
    """A run-on sentence of duty clauses: it opens with a duty verb and holds two or more semicolons."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return duty_verb(first) and text.count("; ") >= 2 and len(text.split()) >= PARAGRAPH_WORDS


# Duty verbs of teaching, care and public-service descriptions beyond the shared lexicon.
_MORE_DUTY_VERBS = frozenset(
    """
    complete keep make devise consult adhere practise practice record obtain demonstrate implement
    supervise maintain conduct attend collaborate participate
    """.split()  # noqa: SIM905 (a word list reads better as words)
)


def duty_verb(word: str) -> bool:
    """A duty verb, also in the third person that job descriptions use ("directs", "assists")."""
    word = word.lower().strip(",:;")
    verbs = DUTY_VERBS | _MORE_DUTY_VERBS
    if word in verbs:
        return True
    for suffix in ("es", "s"):
        if word.endswith(suffix) and word[: -len(suffix)] in verbs:
            return True
    return word.endswith("s") and word[:-1] in verbs
