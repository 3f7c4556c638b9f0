"""The card never contradicts itself: the rules, enforced on every critique and checked by tests.

Rules (``card_problems`` checks them; ``tidy_card`` enforces the ones a scorer could break by
accident, so a card that reaches a candidate always keeps them):

1. Every covered item quotes an answer sentence, verbatim, and the quote shows that part: a
   "measured result" quote holds a number.
2. Nothing is both covered and missing; no item appears twice in either list.
3. Advice never asks for a part the card shows as covered ("End with a measured result" beside a
   covered measured result; "Add one concrete example" beside a concrete situation).
4. A capped score says why: a cap flag is present whenever the score sits at a cap it names.
5. The results sub-score and the card agree: results 100 never sits beside a missing result.

The evaluation runs ``card_problems`` on every row (``coach eval critic`` reports any breach).
"""

from __future__ import annotations

import re

from chains.critic.experience import holds_measure
from chains.models import CAP_FLAGS, Critique

# What each piece of advice asks for, by the words of the covered items that make it moot.
_ASKS_FOR: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (
        re.compile(r"measured result|what your actions changed|a number that shows", re.I),
        re.compile(r"result|outcome", re.I),
    ),
    (
        re.compile(r"what you learned|what you would do differently", re.I),
        re.compile(r"learned|lesson", re.I),
    ),
    (
        re.compile(r"concrete example|one real situation|one concrete situation", re.I),
        re.compile(r"situation|experience|example", re.I),
    ),
    (re.compile(r"steps you took yourself", re.I), re.compile(r"own actions", re.I)),
    (re.compile(r"concrete plan", re.I), re.compile(r"plan", re.I)),
    (re.compile(r"who you would involve", re.I), re.compile(r"involve", re.I)),
    (re.compile(r"main risk", re.I), re.compile(r"risk", re.I)),
    (re.compile(r"how you would know it worked", re.I), re.compile(r"check it worked", re.I)),
    (re.compile(r"trade-off you weighed", re.I), re.compile(r"trade-off", re.I)),
    (re.compile(r"larger scale", re.I), re.compile(r"larger scale", re.I)),
    (re.compile(r"done it yourself", re.I), re.compile(r"hands-on experience", re.I)),
]
_MEASURED = re.compile(r"measured", re.I)
_RESULT_ITEM = re.compile(r"\bresult\b", re.I)


def _moot(advice: str, covered: list[str]) -> bool:
    for asks, shown in _ASKS_FOR:
        if asks.search(advice) and any(shown.search(point) for point in covered):
            return True
    return False


def tidy_card(critique: Critique) -> Critique:
    """The critique with rules 2 and 3 enforced: duplicates dropped, covered wins, moot advice dropped."""
    covered, seen = [], set()
    for item in critique.covered:
        if item.point not in seen:
            seen.add(item.point)
            covered.append(item)
    missing = [m for m in dict.fromkeys(critique.missing) if m not in seen]
    points = [c.point for c in covered]
    advice = [a for a in dict.fromkeys(critique.improvements) if not _moot(a, points)]
    if not advice and critique.improvements:
        advice = ["Keep this shape: practise saying it aloud in about two minutes."]
    return critique.model_copy(update={"covered": covered, "missing": missing, "improvements": advice})


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def card_problems(critique: Critique, answer: str, cap_values: dict[str, int] | None = None) -> list[str]:
    """Every way ``critique`` breaks a card rule (empty when it keeps them all)."""
    problems: list[str] = []
    whole = _normalise(answer)
    points = [c.point for c in critique.covered]
    for item in critique.covered:
        if not item.evidence.strip() or _normalise(item.evidence) not in whole:
            problems.append(f"covered item {item.point!r} does not quote the answer")
        if _MEASURED.search(item.point) and not holds_measure(item.evidence):
            problems.append(f"{item.point!r} quotes no measure: {item.evidence[:60]!r}")
    if len(points) != len(set(points)):
        problems.append("a covered item appears twice")
    if len(critique.missing) != len(set(critique.missing)):
        problems.append("a missing item appears twice")
    both = set(points) & set(critique.missing)
    if both:
        problems.append(f"both covered and missing: {sorted(both)}")
    for advice in critique.improvements:
        if _moot(advice, points):
            problems.append(f"advice asks for a part shown as covered: {advice!r}")
    if len(critique.improvements) != len(set(critique.improvements)):
        problems.append("the same advice appears twice")
    if critique.subscores.results == 100 and any(_RESULT_ITEM.search(m) for m in critique.missing):
        problems.append("results 100 beside a missing result")
    caps = [f for f in critique.flags if f in CAP_FLAGS]
    if cap_values:
        for flag in caps:
            limit = cap_values.get(flag)
            if limit is not None and critique.score > limit:
                problems.append(f"capped as {flag!r} but scored {critique.score} (cap {limit})")
    return problems
