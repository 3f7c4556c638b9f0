"""Key points of a model answer: its sentences and clauses, deduplicated, in order."""

from __future__ import annotations

import re
from functools import lru_cache

from chains.critic.features import split_sentences
from core.text import content_stems, content_words

MAX_KEY_POINTS = 12
_MIN_CONTENT_WORDS = 3  # shorter fragments ("No.", "Yes, exactly.") join the next sentence
_BRACKETED = re.compile(r"\[([^\]]+)\]")
_LONG_CLAUSE = re.compile(r",\s+(?=(?:and|but|so|which|while|then)\s)")
_LONG_SENTENCE_WORDS = 35


def _clauses(sentence: str) -> list[str]:
    """Split a very long sentence at clause boundaries; short ones stay whole."""
    if len(sentence.split()) <= _LONG_SENTENCE_WORDS:
        return [sentence]
    return [c.strip() for c in _LONG_CLAUSE.split(sentence) if c.strip()]


@lru_cache(maxsize=1024)
def _key_points(model_answer: str) -> tuple[str, ...]:
    text = _BRACKETED.sub(lambda m: ". " + m.group(1).strip() + " ", model_answer)
    pieces = [c for s in split_sentences(text) for c in _clauses(s)]
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        piece = f"{carry} {piece}".strip() if carry else piece
        if len(content_words(piece)) < _MIN_CONTENT_WORDS:
            carry = piece
            continue
        carry = ""
        merged.append(piece)
    if carry:
        if merged:
            merged[-1] = f"{merged[-1]} {carry}"
        elif content_words(carry):
            merged.append(carry)
    points: list[str] = []
    seen: set[frozenset[str]] = set()
    for point in merged:
        key = frozenset(content_stems(point))
        if key in seen:
            continue
        seen.add(key)
        points.append(point)
    return tuple(points[:MAX_KEY_POINTS])


def key_points(model_answer: str) -> list[str]:
    """The model answer's key points: sentences (long ones split into clauses), duplicates dropped.

    Fragments too short to stand alone ("No.") are joined to the next sentence so that every point
    says something checkable. At most ``MAX_KEY_POINTS`` are returned.
    """
    return list(_key_points(model_answer.strip()))


# "Risks, such as security, performance and backwards compatibility": a guide point names an idea and
# the instances a strong answer may give for it. An answer that names the idea, or gives one of the
# instances in its own words, makes the point; the whole phrase rarely reads like one sentence of a
# spoken answer ("I also look for the risky things, like SQL built from strings").
_INSTANCES = re.compile(r",?\s*\b(?:such as|e\.g\.|for example|including)\s+|\s*\(\s*")
_LIST_SEP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\)")


@lru_cache(maxsize=4096)
def _facets(point: str, question: str) -> tuple[str, ...]:
    parts = _INSTANCES.split(point, maxsplit=1)
    if len(parts) < 2:
        return ()
    head, rest = parts
    asked = set(content_stems(question))
    facets = [head.strip(" ,;:")]
    facets += [item.strip(" .,;:") for item in _LIST_SEP.split(rest)]
    # A facet the question already names shows nothing when the answer repeats it.
    kept = [f for f in facets if f and set(content_stems(f)) - asked]
    return tuple(dict.fromkeys(kept))


def point_facets(point: str, question: str = "") -> list[str]:
    """A guide point's idea and its listed instances, each a way the answer can make the point.

    Empty when the point lists no instances ("such as", "e.g.", "including", a bracket): then the point
    is matched whole. Facets whose content words are all in the question are left out.
    """
    return list(_facets(point.strip(), question.strip()))
