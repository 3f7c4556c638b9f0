"""Matching a posting's requirements to the competency library (prompts/competencies/*.yaml).

Each competency is represented by the embeddings of its example phrasings and of its name with its
description. A requirement's confidence for a competency is the best cosine to one of its phrasings,
blended with the cosine to the description (``PHRASING_WEIGHT``): phrasings are written as postings
write requirement lines, so they carry most of the signal, and the description keeps a single
lucky phrasing from deciding alone. The library's vectors (about 94 x 8 texts) are computed once per
process (``library_index``).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from chains.models import Difficulty, QuestionKind
from core.errors import SetupError
from prompts.library import SLOT, Competency, KindEntry, Library, LibraryError, load_library

# Confidence blend: best phrasing cosine vs the name-and-description cosine.
PHRASING_WEIGHT = 0.7
# A requirement matches a competency when its confidence reaches MATCH_THRESHOLD. Measured on the
# 1,030 requirement lines of the 43 postings in ../shared/postings, bench/data and knowledge/postings
# (see docs/evaluation.md): at 0.45, 7 of 60 hand-checked matches between 0.45 and 0.50 were wrong
# family (0.40-0.45: 19 of 40), while the lines left unmatched are mostly company-specific duties,
# which the fallback wording handles from the requirement itself.
MATCH_THRESHOLD = 0.50
# The qualifications family is chosen by the line's own word (licence, certificate, degree); the
# embedding only confirms it, so a lower bar holds ("A personal licence (APLH)..." scores 0.49).
QUALIFICATION_THRESHOLD = 0.45
# A competency already used in the session is taken again only when no other competency comes within
# this margin of it: a spread of competencies keeps the session from asking the same thing twice.
SPREAD_MARGIN = 0.06


@dataclass(frozen=True)
class Match:
    """One competency a requirement matches, with the confidence of the match (0-1)."""

    competency: Competency
    confidence: float

    @property
    def id(self) -> str:
        """The competency's id."""
        return self.competency.id


class LibraryIndex:
    """The library's competencies with their embeddings, for matching requirement vectors."""

    def __init__(self, library: Library) -> None:
        from knowledge.embeddings import embed  # lazy: loading the model costs seconds

        self.library = library
        self.competencies = library.competencies
        texts: list[str] = []
        owners: list[int] = []
        for i, competency in enumerate(self.competencies):
            for phrasing in competency.phrasings:
                texts.append(phrasing)
                owners.append(i)
        descriptions = [f"{c.name}: {c.description}" for c in self.competencies]
        vectors = cached_embed(texts + descriptions, embed)
        self._phrasings = vectors[: len(texts)]
        self._owners = np.asarray(owners)
        self._descriptions = vectors[len(texts):]

    def confidences(self, vector: np.ndarray) -> np.ndarray:
        """The requirement's confidence for every competency, in library order."""
        unit = np.asarray(vector, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(unit))
        unit = unit / norm if norm > 0 else unit
        phrasing = self._phrasings @ unit
        best = np.full(len(self.competencies), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owners, phrasing)
        return PHRASING_WEIGHT * best + (1 - PHRASING_WEIGHT) * (self._descriptions @ unit)

    def matches(self, vector: np.ndarray, top: int = 3) -> list[Match]:
        """The ``top`` closest competencies, best first (ties by library order)."""
        scores = self.confidences(vector)
        order = np.argsort(-scores, kind="stable")[:top]
        return [Match(self.competencies[i], round(float(scores[i]), 4)) for i in order]

    def by_id(self, competency_id: str) -> Competency | None:
        """The competency with this id, or None."""
        return next((c for c in self.competencies if c.id == competency_id), None)


def check_library() -> Library:
    """The competency library, loaded and validated; a broken file is one ``SetupError`` line."""
    try:
        return load_library()
    except LibraryError as exc:
        raise SetupError(
            f"The competency library is broken: {exc} (fix the file in prompts/competencies/, "
            "then check it with 'python -m prompts.library')"
        ) from exc


def cached_embed(texts: list[str], embed: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """``embed(texts)``, read from the cache dir when the same texts were embedded by the same model.

    The library is about 900 texts: 5 s on an idle core, 25 s on a loaded one, paid by every process
    (each ``coach`` command, each app worker). The file is keyed by a hash of the model and the texts,
    so an edited library or another model never reads a stale file; an unwritable dir only costs time.
    """
    from core.settings import get_settings
    from knowledge.embeddings import model_path

    digest = hashlib.sha256("\n".join([str(model_path()), *texts]).encode("utf-8")).hexdigest()[:20]
    path = get_settings().cache_dir / f"library-vectors-{digest}.npy"
    try:
        cached = np.load(path)
        if cached.shape[0] == len(texts):
            return cached
    except (OSError, ValueError):
        pass
    vectors = np.asarray(embed(texts), dtype=np.float32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            np.save(handle, vectors)
        partial.replace(path)  # atomic: a reader sees the old file or the whole new one
    except OSError:
        pass
    return vectors


_lock = threading.Lock()
_index: LibraryIndex | None = None


def library_index() -> LibraryIndex:
    """The process's library index, built on first use (embeds the library once)."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = LibraryIndex(load_library())
    return _index


def pick_match(matches: list[Match], used: set[str]) -> Match | None:
    """The best match above the threshold, preferring a competency the session has not used yet."""
    good = [m for m in matches if m.confidence >= MATCH_THRESHOLD]
    if not good:
        return None
    best = good[0]
    if best.id in used:
        fresh = next((m for m in good if m.id not in used), None)
        if fresh is not None and best.confidence - fresh.confidence <= SPREAD_MARGIN:
            return fresh
    return best


def entry(competency: Competency, kind: QuestionKind) -> KindEntry:
    """The competency's questions, guide and example answer for ``kind`` (posting -> behavioural)."""
    if kind == QuestionKind.TECHNICAL:
        return competency.technical
    if kind == QuestionKind.SITUATIONAL:
        return competency.situational
    return competency.behavioural


def stable_number(*parts: str) -> int:
    """A stable number from text, so the same requirement always starts from the same wording."""
    return int(hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:8], 16)


def candidates(competency: Competency, kind: QuestionKind, difficulty: Difficulty) -> list[str]:
    """The library's questions of ``kind`` at ``difficulty``."""
    questions = entry(competency, kind).questions
    return list(getattr(questions, difficulty.value))


# --- {terms} ---------------------------------------------------------------------------------------

_TERM_LIST = re.compile(
    r"(?:such as|including|e\.g\.,?|for example,?|like|\()\s*([^()]+?)(?:\)|$|;|\.\s)", re.IGNORECASE
)
_NAME = re.compile(r"^(?:[A-Z][A-Za-z0-9+#./-]*|[A-Z0-9]{2,}[a-z]?|[a-z]+[A-Z][A-Za-z]*)$")
_NOT_NAMES = {
    "The", "A", "An", "And", "Or", "In", "With", "Of", "For", "To", "On", "At", "By", "As", "Our", "We",
    "You", "Your", "This", "Is", "Be", "Are", "Must", "Experience", "Ability", "Knowledge", "Strong",
    "Excellent", "Proven", "Demonstrated", "Familiarity", "Understanding", "Proficiency", "Working",
    "Good", "Solid", "Deep", "Hands-on", "Including", "Such", "Minimum", "Preferred", "Required",
    "Bachelor's", "Master's", "Degree", "Years", "Year", "Plus", "Advanced", "Basic", "Other", "Etc",
    "It", "I", "US", "UK", "EU", "Must-have", "Nice", "Bonus", "Ideally", "Comfortable",
}
_MAX_TERMS = 3


def _whole_word(name: str, text: str) -> re.Match[str] | None:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def requirement_terms(text: str, allowed: Sequence[str] | None = None) -> str:
    """The tools, standards or settings the requirement names, as a short list ('' if none).

    "Experience with reconciliation tools such as BlackLine or FloQast" -> "BlackLine or FloQast";
    "Experience with Docker and Kubernetes" -> "Docker or Kubernetes". Only names count (capitalised
    words that are not a lead-in, acronyms, camel case, versions), listed after "such as",
    "including", "e.g." or in parentheses, or a line that is itself a list of tools: ordinary words
    read badly in a question's slot, so the competency's default is used for them. With ``allowed``
    (the competency's ``slot_names``), only names among those count: "cut {terms} spending" reads
    well with "AWS or Azure", not with "Docker or Kubernetes".
    """
    from chains.questions.wording import PhraseForm, normalise  # the one phrase normaliser

    listed = _TERM_LIST.search(text)
    if listed:
        source = listed.group(1)
    else:
        phrase = normalise(text)
        source = phrase.topic if phrase.form == PhraseForm.TOOL else ""
    names: list[str] = []
    for raw in re.split(r",\s*|\s+(?:and|or|and/or|&)\s+|/", source):
        item = raw.strip(" .;:()")
        words = item.split()
        if not words or len(words) > 3 or not item[:1].isalnum():
            continue
        if all(_NAME.match(w) and w not in _NOT_NAMES for w in words) and item not in names:
            names.append(item)
    if allowed is not None:
        wanted = {a.lower() for a in allowed}
        names = [n for n in names if n.lower() in wanted]
        if not names:
            # A slot name said anywhere in the line counts too: "speak and write in English and German
            # fluently" names German, which is what the languages competency's slot wants.
            found = [(m.start(), a) for a in allowed for m in [_whole_word(a, text)] if m]
            names = [a for _, a in sorted(found)]
    return _join(names[:_MAX_TERMS]) if names else ""


def fills(question: str, text: str) -> bool:
    """True when ``text`` is the library's ``question`` as asked: itself, or with its slot filled."""
    if SLOT not in question:
        return text == question
    head, tail = question.split(SLOT, 1)
    return len(text) > len(head) + len(tail) and text.startswith(head) and text.endswith(tail)


def fill_terms(question: str, terms: str, default: str) -> str:
    """The question with its {terms} slot filled by ``terms`` (the requirement's) or ``default``."""
    if SLOT not in question:
        return question
    return question.replace(SLOT, terms or default)
