"""Plain-text features the critique scorer reads: STAR cues, numbers, negation, non-answers, lists.

Words, stems and sentences come from ``core.text`` (one of each for the whole project).

Everything here is pure string work (no model), deterministic, and linear in the text length, so the
scorer stays fast on a pasted 5 MB answer once the caller has capped the text.
"""

from __future__ import annotations

import re

from core.text import STOPWORDS, stem, words
from core.text import split_sentences as _split


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Negations flip the meaning of a clause; "no" and "not" answers are often the wrong ones on SemEval.
NEGATIONS = _wordset(
    """
    not no never none nothing nobody neither nor cannot can't don't doesn't didn't isn't aren't
    wasn't weren't won't wouldn't shouldn't couldn't hasn't haven't hadn't without
    """
)

NON_ANSWERS = frozenset(
    {
        "i don't know", "i do not know", "dont know", "don't know", "idk", "no idea", "not sure",
        "i'm not sure", "i am not sure", "no comment", "pass", "skip", "n/a", "na", "nothing",
        "fine", "ok", "okay", "good", "yes", "no", "maybe", "whatever", "dunno", "i have no idea",
        "no answer", "none", "?", "...",
    }
)

_NOT_KNOWING = ("i don't know", "i do not know", "dont know", "don't know", "no idea", "not sure",
                "i'm not sure", "i am not sure", "i have no idea", "idk")
_NUMBER = re.compile(
    r"(?:\d+(?:[.,]\d+)?\s*(?:%|percent|x\b|ms\b|s\b|k\b|m\b|hours?|days?|weeks?|months?|years?|minutes?|"
    r"users?|customers?|people|engineers?|requests?|million|thousand|billion))|[$€£]\s?\d|\b\d+(?:[.,]\d+)?\b"
)
RESULT_WORDS = _wordset(
    """
    reduced increased improved cut saved grew raised dropped decreased doubled tripled halved
    boosted lowered shortened faster slower fewer result results resulted outcome impact delivered
    achieved shipped launched
    """
)
_STAR_CUES = {
    "situation": _wordset(
        "when while during last previous situation context team project company role faced"
    ),
    "task": _wordset("needed need goal task responsible asked aim objective challenge problem deadline"),
    "action": _wordset(
        "built designed wrote led created implemented introduced decided analysed analyzed organised "
        "organized migrated added ran worked talked proposed automated refactored profiled fixed"
    ),
    "result": RESULT_WORDS,
}
_FIRST_PERSON = re.compile(r"\b(i|my|me|i'm|i've|i'd)\b")
_I_SUBJECT = re.compile(r"\b(i|i'm|i've|i'd)\b")
_WE = re.compile(r"\b(we|our|us|we're|we've)\b")
_PROPER_OR_TECH = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z0-9+#.]{1,}|\b[A-Za-z]+\d+\w*|\b[A-Z]{2,}\b")


def has_negation(text: str) -> bool:
    """True when the text contains a negation word."""
    return any(w in NEGATIONS for w in words(text))


def split_sentences(text: str) -> list[str]:
    """Sentences, bullet items and clauses at semicolons: the pieces the critic weighs one by one."""
    return _split(text, at_semicolons=True)


def is_non_answer(text: str) -> bool:
    """A stock reply that says nothing ("fine", "I don't know")."""
    normalised = " ".join(words(text))
    if normalised in NON_ANSWERS or normalised.rstrip(".!") in NON_ANSWERS or not normalised:
        return True
    # "I don't know SQL", "not sure about that": a stock phrase and a few words more say nothing.
    return len(normalised.split()) <= 5 and normalised.startswith(_NOT_KNOWING)


def looks_like_keyword_list(text: str) -> bool:
    """A list of terms with no sentences: comma/slash separated, almost no function words or verbs."""
    tokens = words(text)
    if len(tokens) < 4:
        return False
    function_share = sum(1 for w in tokens if w in STOPWORDS) / len(tokens)
    separators = len(re.findall(r"[,;/|•\n]", text))
    return function_share < 0.12 and separators >= max(2, len(tokens) // 4)


_PRONOUN_OR_VERB = re.compile(
    r"\b(i|we|you|he|she|they|it|my|our|is|are|was|were|have|has|had|do|did|would|will|can|could)\b", re.I
)


def looks_like_bare_terms(text: str) -> bool:
    """Terms strung together without separators or sentences ("Kubernetes Spark feature store ...").

    Five or more words, almost no function words, no pronoun or auxiliary verb, at most one
    sentence: nothing is said about the terms.
    """
    tokens = words(text)
    if len(tokens) < 5 or _PRONOUN_OR_VERB.search(text):
        return False
    function_share = sum(1 for w in tokens if w in STOPWORDS) / len(tokens)
    return function_share < 0.12 and len(split_sentences(text)) <= 1


def numbers(text: str) -> list[str]:
    """Quantities the text states (percentages, durations, counts, money)."""
    return [m.group(0) for m in _NUMBER.finditer(text)]


def has_result(text: str) -> bool:
    """A measured result: a number together with an outcome word, or a percentage/multiple."""
    low = text.lower()
    if re.search(r"\d\s*(%|percent|x\b)", low):
        return True
    # "shipment" stems like "shipped": nouns in -ment are no outcome verbs.
    return bool(numbers(text)) and any(
        stem(w) in _RESULT_STEMS and not w.endswith(("ment", "ments")) for w in words(low)
    )


_RESULT_STEMS = frozenset(stem(w) for w in RESULT_WORDS)


def star_parts(text: str) -> dict[str, bool]:
    """Which of situation, task, action, result the text shows cues for."""
    toks = {stem(w) for w in words(text)}
    parts = {name: bool(toks & {stem(c) for c in cues}) for name, cues in _STAR_CUES.items()}
    parts["action"] = parts["action"] and bool(_FIRST_PERSON.search(text.lower()) or _WE.search(text.lower()))
    parts["result"] = parts["result"] or has_result(text)
    return parts


def first_person_counts(text: str) -> tuple[int, int]:
    """How often the text says "I" (own actions) and how often "we"/"our"/"us"."""
    low = text.lower()
    return len(_I_SUBJECT.findall(low)), len(_WE.findall(low))


def is_own_experience(text: str) -> bool:
    """The text tells someone's own experience ("I used Spark ...", "our checkout API ...")."""
    mine, ours = first_person_counts(text)
    return mine + ours > 0 or bool(re.search(r"\b(my|me)\b", text.lower()))


def specific_terms(text: str) -> list[str]:
    """Names, acronyms, versions and numbers: the concrete details that make an answer evidence."""
    found = [m.group(0) for m in _PROPER_OR_TECH.finditer(text)]
    return found + numbers(text)


def is_story(text: str) -> bool:
    """True when a model answer is a told experience (several sentences, first person or a result)."""
    sentences = split_sentences(text)
    mine, ours = first_person_counts(text)
    mine += len(_FIRST_PERSON.findall(text.lower()))
    return len(sentences) >= 3 and (mine + ours >= 2 or has_result(text))
