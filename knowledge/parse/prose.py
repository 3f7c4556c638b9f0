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
    r"\byou (?:must|should|will need to) (?:have|hold|be|possess|provide)\b|"
    r"\bmust (?:have|hold|possess|present|be able)\b|\b(?:is|are) (?:essential|required|a must)\b|"
    r"\bis a must\b|\bthe (?:successful )?candidate (?:must|will be|should)\b|"
    r"\bwe (?:are seeking|are looking for|want|need) (?:people|someone|nurses?|candidates?|staff|an?\b[^.]{0,60}\bwho)\b|"
    r"\b(?:we would welcome applications from|welcome applications from)\b|\byou will be familiar with\b|"
    r"\bminimum (?:entry )?requirement\b|\bevidence of\b[^.]{0,40}\bessential\b|"
    r"\bmust have\b|\brequires? (?:the ability|a valid|possession)\b|\bpossession of\b|\bvalid [^.]{0,40}licen[cs]e\b|"
    r"\bthe position requires\b|\bthere is a need to understand\b",
    re.IGNORECASE,
)
_PREFERRED_CUE = re.compile(
    r"\b(?:is|are|would be) (?:desirable|an advantage|a plus|preferred)\b|\bideally\b|\bnice to have\b",
    re.IGNORECASE,
)
_DUTY_CUE = re.compile(
    r"\byou will (?:also )?(?:be expected to|be responsible|deputise|lead|manage|supervise|provide|"
    r"work closely|support|deliver|oversee|coordinate)\b|\bresponsibilities will include\b|"
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


def cue_kind(sentence: str) -> RequirementKind | None:
    """The kind a sentence of prose states by a clear cue, or None (a description, kept as text)."""
    if _PREFERRED_CUE.search(sentence):
        return RequirementKind.PREFERRED
    if _REQUIRED_CUE.search(sentence):
        return RequirementKind.REQUIRED
    if _DUTY_CUE.search(sentence):
        return RequirementKind.RESPONSIBILITY
    return None


def duty_verb(word: str) -> bool:
    """A duty verb, also in the third person that job descriptions use ("directs", "assists")."""
    word = word.lower().strip(",:;")
    if word in DUTY_VERBS:
        return True
    for suffix in ("es", "s"):
        if word.endswith(suffix) and word[: -len(suffix)] in DUTY_VERBS:
            return True
    return False
