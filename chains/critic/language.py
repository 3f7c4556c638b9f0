"""Only English answers are scored: a cheap check, so a German answer is not scored as a weak one.

The scorer's model, stop words, stemmer and story cues are English. A translated 79-point answer
scored 13 with the advice to add experience and results: misleading. Instead an answer whose share
of common English function words is far below English prose (0.35-0.55 in the dev set's answers;
German and Spanish answers under 0.08) is not scored, and the card says so. No language model,
no new dependency: a word list.
"""

from __future__ import annotations

from chains.models import Critique, SubScores
from core.text import words

_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "from",
        "by",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "me",
        "us",
        "him",
        "them",
        "not",
        "no",
        "so",
        "if",
        "then",
        "than",
        "when",
        "what",
        "which",
        "who",
        "how",
        "there",
        "here",
        "have",
        "has",
        "had",
        "do",
        "did",
        "would",
        "will",
        "can",
        "could",
        "should",
        "about",
        "after",
        "before",
        "into",
        "out",
        "up",
        "over",
        "just",
        "also",
        "very",
        "all",
        "some",
        "any",
        "more",
        "most",
    ]
)
MIN_WORDS = 12
NOT_ENGLISH = "not in English"
ADVICE = "Only English answers are scored: answer in English to get a score and feedback."


def english_share(text: str) -> float:
    """The share of the text's words that are common English function words."""
    tokens = words(text)
    return sum(1 for w in tokens if w in _ENGLISH) / len(tokens) if tokens else 0.0


def is_english(text: str, min_share: float) -> bool:
    """False for an answer of ``MIN_WORDS``+ words that is plainly not English (short ones pass)."""
    tokens = words(text)
    return len(tokens) < MIN_WORDS or english_share(text) >= min_share


def not_english(rubric: object, judged_as: str) -> Critique:
    """The card for an answer that is not in English: no score is claimed, it says why."""
    return Critique(
        score=0,
        band="weak",
        subscores=SubScores(coverage=0, relevance=0, specificity=0, structure=0, results=0),
        improvements=[ADVICE],
        flags=[NOT_ENGLISH],
        judged_as=judged_as,
    )
