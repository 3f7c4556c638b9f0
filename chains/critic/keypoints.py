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
