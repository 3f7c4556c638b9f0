"""Which words of an answer are a field's concrete detail, not words every answer uses.

A practitioner's answer is dense with its field's terms, in lower case as often as not ("a hinge
question before independent work", "prove the tester on a proving unit"), which the names-and-numbers
rule (``features.specific_terms``) does not see. ``prompts/common_stems.txt`` lists the stems most of
the competency library's fields use (``bench/common_words.py`` builds it); any other content stem the
answer adds to the question's own words is concrete detail. On the development set's real answers
(parts A-D, no traps) the count of such stems ranks the graders' scores with Spearman 0.91 on
technical questions, against 0.66 for the critic before it was used.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from core.text import content_words, stem

COMMON_STEMS_PATH = Path(__file__).resolve().parents[2] / "prompts" / "common_stems.txt"
_STEM = re.compile(r"^[a-z]+$")


class VocabularyError(Exception):
    """The common-stems file is missing or malformed."""


@cache
def common_stems(path: Path = COMMON_STEMS_PATH) -> frozenset[str]:
    """The stems of ``path`` (one per line, ``#`` comments); fails on a missing file or a bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise VocabularyError(f"{path.name}: cannot read: {exc}") from exc
    stems = set()
    for number, line in enumerate(lines, 1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        if not _STEM.match(item):
            raise VocabularyError(f"{path.name}:{number}: {item!r} is not a lower-case stem")
        stems.add(item)
    if not stems:
        raise VocabularyError(f"{path.name}: no stems")
    return frozenset(stems)


def concrete_stems(text: str, asked: frozenset[str] | set[str] = frozenset()) -> set[str]:
    """Content stems of ``text`` that are neither common to all fields nor the question's own words."""
    common = common_stems()
    found = {stem(w) for w in content_words(text) if len(w) > 2 and not w.isdigit()}
    return {s for s in found if s not in common and s not in asked}
