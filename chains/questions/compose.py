"""The wording, answer guide and model answer of one question, offline.

A requirement that matches a library competency (``chains.questions.library``) is asked with the
library's question of the chosen kind and difficulty, its ``{terms}`` slot filled with the
requirement's own names where it has some, and gets the competency's answer guide and the example
answer written for that question (``model_answer_source`` "library"). A question the library has no
example for is shown with its guide only (the guide is its model answer): an example written for a
neighbouring question answers something else, which a reader sees at once. The library's questions
that have an example are asked first (``EXAMPLE_MARGIN``). A qualification (licence, certificate,
degree with a field) is
asked through the library's ``qualifications`` family. A requirement that matches nothing well is
asked with a grammatical question built from its core phrase (``chains.questions.wording``) and
gets a guide-style outline of what a strong answer covers (source "offline").

``Spread`` is the session's memory: competencies, openings and texts already used, so the session
spreads over competencies and does not open two questions in three the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

import prompts
from chains.models import Difficulty, QuestionKind, guide_text
from chains.questions import library, wording
from chains.questions.qualifications import QUALIFICATION_FAMILY, is_qualification, qualification_terms
from chains.questions.wording import PhraseForm, normalise, tidy
from knowledge.posting import Requirement
from prompts.library import Competency, KindEntry

# Within any SESSION_WINDOW consecutive questions, two may open with the same three words; a third
# waits for other wording. The window is two sessions of the default length (SessionOptions: 5); a
# whole cycle of a long posting (up to 60 questions) cannot avoid "Tell me about" every tenth time,
# and a real interviewer does not either.
OPENING_WORDS = 3
MAX_SAME_OPENING = 2
SESSION_WINDOW = 10
MAX_WORDS = 45
CROSS_ROLE = "cross_role"
# A domain competency wins over the qualifications family for a licence or certificate line only
# when it matches this well ("Current NMC registration" -> nursing registration and practice).
DOMAIN_OVER_QUALIFICATION = 0.55
# A library question with an example answer is asked before one without, unless the other is this much
# closer to the requirement (cosine): "explain variances to managers" still gets the variance
# question when the example is about the cash-flow forecast of the same competency.
EXAMPLE_MARGIN = 0.08
# A posting's home families are those its requirements match best (``home_families``).
# A match from another job family must reach AWAY_CONFIDENCE (unless the posting has no home family):
# "Strong coding experience" on an ML posting matches the API competency at 0.51, "Experience
# collaborating with Cloud Partners" on a partner-sales posting the DevOps competency at 0.57, and
# the questions read as asked of another job. A cross-role competency (communication, teamwork) fits
# any posting.
HOME_CONFIDENCE = 0.60
AWAY_CONFIDENCE = 0.58


@dataclass
class Spread:
    """What a session already used: competencies, question openings and texts."""

    competencies: Counter[str] = field(default_factory=Counter)
    recent: list[str] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)
    # The posting's home families (``home_families``); None: not known, every family may match.
    families: frozenset[str] | None = None

    def take(self, composed: Composed) -> None:
        """Record a question the session will ask."""
        if composed.competency_id:
            self.competencies[composed.competency_id] += 1
        self.recent.append(opening(composed.text))
        self.texts.add(composed.text)

    def note(self, text: str) -> None:
        """Record a question worded elsewhere (the posting's own): its opening counts too."""
        self.recent.append(opening(text))
        self.texts.add(text)

    def opening_used(self, text: str) -> int:
        """How often the last questions (one window, this one included) opened like ``text``."""
        return self.recent[-(SESSION_WINDOW - 1):].count(opening(text))

    def fresh(self, text: str) -> bool:
        """Not asked yet, and its opening is not used up in the window."""
        return text not in self.texts and self.opening_used(text) < MAX_SAME_OPENING


@dataclass(frozen=True)
class Composed:
    """A question's text with its guide and model answer, before it becomes a ``Question``."""

    kind: QuestionKind
    text: str
    guide: list[str]
    model_answer: str
    source: str  # "library" or "offline"
    has_example: bool = False  # the model answer is an example written for this question
    fit: float = 0.0  # a library question's closeness to its line, with its ``_credit`` (``_ranked``)
    competency_id: str = ""
    confidence: float = 0.0
    competency_name: str = ""


def opening(text: str) -> str:
    """A question's first words, lower-cased: what a listener hears as "the same opening"."""
    return " ".join(re.findall(r"[a-z']+", text.lower())[:OPENING_WORDS])


# --- matching ------------------------------------------------------------------------------------


def _qualification_competency(requirement: Requirement) -> str:
    text = requirement.text
    if re.search(r"licen[cs]|regist|chartered", text, re.I):
        return "professional_licence_registration"
    if re.search(r"certif|accredit|award|NVQ|diploma|\bcourse\b|qualification|\bLevel \d", text, re.I):
        return "certification_applied"
    return "degree_knowledge_applied"


def choose_competency(
    requirement: Requirement, vector: np.ndarray, spread: Spread
) -> tuple[Competency, float] | None:
    """The competency a requirement is asked about, with the match's confidence, or None."""
    index = library.library_index()
    matches = index.matches(vector, top=6)
    if is_qualification(requirement):
        domain = next((m for m in matches if _family(m.competency) != QUALIFICATION_FAMILY), None)
        if domain is not None and domain.confidence >= DOMAIN_OVER_QUALIFICATION:
            return domain.competency, domain.confidence
        chosen = index.by_id(_qualification_competency(requirement))
        if chosen is not None:
            confidence = round(float(index.confidences(vector)[index.competencies.index(chosen)]), 4)
            if confidence >= library.QUALIFICATION_THRESHOLD:
                return chosen, confidence
    # The qualifications family is for qualification lines only; a competency the session used gives
    # way only to one of the same family (or a cross-role one), never to a look-alike from another job.
    matches = [m for m in matches if _family(m.competency) != QUALIFICATION_FAMILY]
    if spread.families:
        matches = [m for m in matches if _at_home(m, spread.families)]
    if matches:
        home = _family(matches[0].competency)
        matches = [m for m in matches if _family(m.competency) in (home, CROSS_ROLE)]
    picked = library.pick_match(matches, set(spread.competencies))
    return (picked.competency, picked.confidence) if picked else None


def _at_home(match: library.Match, families: frozenset[str]) -> bool:
    """A confident match, or one of the posting's own families, or a cross-role competency."""
    family = _family(match.competency)
    return match.confidence >= AWAY_CONFIDENCE or family in families or family == CROSS_ROLE


def home_families(vectors: Sequence[np.ndarray]) -> frozenset[str]:
    """The job families of a posting: those its requirements match best, often or confidently.

    A family is home when it is the best match of at least half as many requirements as the leading
    family, or of one requirement at HOME_CONFIDENCE. Cross-role competencies and the qualifications
    family are no job's family.
    """
    index = library.library_index()
    counts: Counter[str] = Counter()
    confident: set[str] = set()
    for vector in vectors:
        best = index.matches(vector, top=1)
        if not best or best[0].confidence < library.MATCH_THRESHOLD:
            continue
        family = _family(best[0].competency)
        if family in (QUALIFICATION_FAMILY, CROSS_ROLE):
            continue
        counts[family] += 1
        if best[0].confidence >= HOME_CONFIDENCE:
            confident.add(family)
    top = max(counts.values(), default=0)
    return frozenset({f for f, n in counts.items() if 2 * n >= top} | confident)


_FAMILY_OF: dict[str, str] = {}


def _family(competency: Competency) -> str:
    if not _FAMILY_OF:
        for family in library.library_index().library.families:
            for item in family.competencies:
                _FAMILY_OF[item.id] = family.family
    return _FAMILY_OF.get(competency.id, "")


# --- library questions ---------------------------------------------------------------------------


def _terms(requirement: Requirement, competency: Competency) -> str:
    if _family(competency) == QUALIFICATION_FAMILY:
        return qualification_terms(requirement, competency.id)
    return library.requirement_terms(requirement.text, competency.slot_names)


def library_options(
    requirement: Requirement,
    competency: Competency,
    kind: QuestionKind,
    difficulty: Difficulty,
    vector: np.ndarray | None = None,
) -> list[str]:
    """The competency's questions of ``kind`` at ``difficulty``, filled, best first for the requirement."""
    return [text for _, text, _ in _ranked(requirement, competency, kind, difficulty, vector)]


def _ranked(
    requirement: Requirement,
    competency: Competency,
    kind: QuestionKind,
    difficulty: Difficulty,
    vector: np.ndarray | None = None,
) -> list[tuple[str, str, float]]:
    """(question as listed, question filled, fit) triples, best first.

    The fit is the filled question's cosine to the requirement's ``vector`` plus its ``_credit`` (an
    example's ``EXAMPLE_MARGIN``); without a vector, the credit alone over a stable rotation by the
    requirement's text, examples first.
    """
    entry = library.entry(competency, kind)
    listed = library.candidates(competency, kind, difficulty)
    terms = _terms(requirement, competency)
    pairs = [(q, library.fill_terms(q, terms, competency.default_terms)) for q in listed]
    start = library.stable_number(requirement.text, kind.value) % len(pairs)
    rotated = pairs[start:] + pairs[:start]
    scores = np.array([_credit(entry, kind, q) for q, _ in rotated], dtype=np.float64)
    if vector is not None:
        texts = tuple(t for _, t in rotated)
        scores += _vectors(texts) @ np.asarray(vector, dtype=np.float32).ravel()
    order = np.argsort(-scores, kind="stable")
    return [(*rotated[i], float(scores[i])) for i in order]


def _credit(entry: KindEntry, kind: QuestionKind, listed: str) -> float:
    """A worked example's credit; a technical question shown with another question's points loses it.

    A knowledge answer is scored by the guide's points, so a technical question whose guide was
    written for a neighbouring question ("CrashLoopBackOff" shown points on Terraform state) is asked
    only when it fits the line clearly better.
    """
    if entry.example_for(listed):
        return EXAMPLE_MARGIN
    if kind is QuestionKind.TECHNICAL and not entry.has_own_guide(listed):
        return -EXAMPLE_MARGIN
    return 0.0


@lru_cache(maxsize=4096)
def _vectors(texts: tuple[str, ...]) -> np.ndarray:
    from knowledge.embeddings import embed  # lazy: loading the model costs seconds

    return embed(list(texts))


def _fresh(options: list[str], spread: Spread) -> str:
    """The first option the session has not asked, whose opening is not used up; else the least used."""
    for text in options:
        if spread.fresh(text):
            return text
    return min(options, key=lambda t: (t in spread.texts, spread.opening_used(t)))


def _fresh_pair(ranked: list[tuple[str, str, float]], spread: Spread) -> tuple[str, str, float]:
    chosen = _fresh([text for _, text, _ in ranked], spread)
    return next(item for item in ranked if item[1] == chosen)


def from_library(
    requirement: Requirement,
    competency: Competency,
    kind: QuestionKind,
    difficulty: Difficulty,
    spread: Spread,
    confidence: float = 0.0,
    text: str | None = None,
    vector: np.ndarray | None = None,
) -> Composed:
    """A library question about ``requirement`` with its guide, and its example answer where one exists.

    ``text``: one of the competency's questions as filled for this requirement, to keep it.
    """
    entry = library.entry(competency, kind)
    ranked = _ranked(requirement, competency, kind, difficulty, vector)
    listed, chosen, fit = next((r for r in ranked if r[1] == text), None) or _fresh_pair(ranked, spread)
    example = entry.example_for(listed)
    guide = entry.guide_for(listed)
    return Composed(
        kind=kind,
        text=chosen,
        guide=guide,
        model_answer=example.answer.strip() if example is not None else guide_text(guide),
        source="library",
        has_example=example is not None,
        fit=fit,
        competency_id=competency.id,
        confidence=confidence,
        competency_name=competency.name,
    )


def library_question(
    requirement: Requirement, text: str
) -> tuple[Competency, QuestionKind, Difficulty] | None:
    """The competency, kind and difficulty whose library question, filled for ``requirement``, is ``text``.

    A question the coach asked, brought back (``coach critique``, an evaluation row), is the library's
    question: it is scored with the guide it was asked with, not an outline of the requirement.
    """
    wanted = " ".join(text.split()).casefold()
    for competency in library.library_index().competencies:
        terms = _terms(requirement, competency)
        for kind in (QuestionKind.BEHAVIOURAL, QuestionKind.TECHNICAL, QuestionKind.SITUATIONAL):
            for difficulty in Difficulty:
                for listed in library.candidates(competency, kind, difficulty):
                    filled = library.fill_terms(listed, terms, competency.default_terms)
                    if " ".join(filled.split()).casefold() == wanted:
                        return competency, kind, difficulty
    return None


# --- no match: built from the requirement ---------------------------------------------------------


def subject_of(requirement: Requirement) -> str:
    """The requirement as a noun phrase: "running containers", "being detail oriented"."""
    phrase = normalise(requirement.text, requirement.kind)
    if phrase.form == PhraseForm.TRAIT:
        return f"being {phrase.topic}"
    if phrase.form == PhraseForm.LANGUAGE:
        return f"working in {phrase.topic}"
    if phrase.form in (PhraseForm.EDUCATION, PhraseForm.LOGISTICS):
        return "your training"
    return phrase.topic


_DANGLING = {"and", "or", "of", "in", "to", "the", "a", "an", "with", "for"}


def _clip(text: str, words: int = 10) -> str:
    """The line's first clause, at most ``words`` words, cut before a dangling "and", "of" or comma."""
    first = re.split(r"[.;:]\s|\s[-–—]\s", text, maxsplit=1)[0]
    kept = first.split()[:words]
    while kept and kept[-1].lower().strip(",") in _DANGLING:
        kept.pop()
    return " ".join(kept).rstrip(",")


def outline(requirement: Requirement, kind: QuestionKind, difficulty: Difficulty) -> list[str]:
    """What a strong answer covers, for a question no competency matched (one point per line)."""
    style = QuestionKind.BEHAVIOURAL if kind == QuestionKind.POSTING else kind
    rendered = prompts.render(
        "templates/answer_outline",
        kind=style.value,
        subject=subject_of(requirement),
        difficulty=difficulty.value,
    )
    return [tidy(line) for line in rendered.splitlines() if line.strip()]


def outline_answer(points: list[str]) -> str:
    """The outline as the model answer's text: one sentence per point, so the scorer can split it."""
    return guide_text(points)


def from_requirement(
    requirement: Requirement,
    kind: QuestionKind,
    difficulty: Difficulty,
    spread: Spread,
    variant: int | None = None,
) -> Composed:
    """A grammatical question built from the requirement's core, with an answer outline.

    ``variant`` picks one wording; without it, the requirement's own wording unless the session
    already used its opening.
    """
    start = wording.variant_for(requirement.text)
    if variant is not None:
        options = [wording.question_text(requirement, kind, difficulty, start + variant)]
    else:
        options = [wording.question_text(requirement, kind, difficulty, start + v) for v in range(6)]
    readable = [o for o in dict.fromkeys(options) if not wording.wording_problems(o)] or options
    short = [o for o in dict.fromkeys(readable) if len(o.split()) <= MAX_WORDS]
    if not short:
        # A paragraph pasted as one item: its first words carry the point.
        clipped = requirement.model_copy(update={"text": _clip(requirement.text)})
        short = [wording.question_text(clipped, kind, difficulty, start + (variant or 0))]
    text = _fresh(short, spread)
    points = outline(requirement, kind, difficulty)
    return Composed(kind=kind, text=text, guide=points, model_answer=outline_answer(points), source="offline")
