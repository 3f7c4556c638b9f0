"""Key points of an offline model answer judged by the part of a story they stand for.

An offline model answer (prompts/templates/model_answer.md) is a scaffold: "In my last role I relied
on X every week", "I would measure the result with a clear metric, for example 20 percent". Its words
are placeholders, so matching a candidate's real story against them word for word says little: a
strong sales story ("I ran the pipeline for mid-market accounts ... grew bookings by 35 percent")
shares almost none of them. What each scaffold sentence does say is which part a strong answer has:
hands-on experience, a concrete situation, own actions, a measured result, a reflection, a trade-off.
So a scaffold point also counts as covered when the answer, on the requirement's topic, has that part.

Pure string work on sentences, deterministic; the topic check (a cosine) is the scorer's.
"""

from __future__ import annotations

import re
from enum import StrEnum

from chains.critic import features as tf
from core.text import ACTION_PAST, STOPWORDS, words


class Role(StrEnum):
    """A part of a told answer that a scaffold sentence asks for."""

    EXPERIENCE = "experience"
    SITUATION = "situation"
    ACTION = "action"
    RESULT = "result"
    REFLECTION = "reflection"
    TRADE_OFF = "trade-off"


# Cues in the template's own sentences, checked in this order (a reflection sentence can mention a
# previous role, a trade-off sentence a result). Every template sentence is pinned by a unit test.
_POINT_CUES: list[tuple[Role, re.Pattern[str]]] = [
    (Role.TRADE_OFF, re.compile(r"trade-off|\bscale\b")),
    (Role.REFLECTION, re.compile(r"\blearned\b|\blesson\b|looking back")),
    (Role.RESULT, re.compile(r"\bmeasured?\b|\bmetric\b|\bpercent\b")),
    (Role.SITUATION, re.compile(r"concrete (example|situation)|similar situation|\bproject\b")),
    (Role.ACTION, re.compile(r"\bi (would|planned)\b|^(first|next|then) i\b|^your own actions")),
]

# Evidence in the candidate's sentences.
_SITUATION = re.compile(
    r"\b(at|in|on) (my|our|a|the) (last|previous|current|former|old|first|new)? ?"
    r"(job|role|company|team|position|employer|project|internship|startup|unit|ward|shift)\b"
    r"|\bat [A-Z][\w&.-]+|\b(when|while|once|one time|last year|last quarter)\b"
    r"|\b(project|client|customer)s?\b",
    re.IGNORECASE,
)
_FIRST_PERSON_VERB = re.compile(
    r"\b(i|we|i'd|we'd|i've|we've)\s+(?:also\s+|then\s+|first\s+)?([a-z']+)", re.IGNORECASE
)
# What follows "I" in a sentence that states no action: feelings, opinions, being.
_NOT_ACTIONS = frozenset(
    {
        "am", "was", "were", "think", "believe", "feel", "guess", "hope", "suppose", "like", "love", "enjoy",
        "want", "wish", "know", "don't", "dont", "do", "not", "never", "can't", "cannot", "didn't", "haven't",
        "hadn't", "won't", "wouldn't", "couldn't", "learned", "learnt", "realised", "realized",
    }
)
_MEASURE = re.compile(
    r"\b(measur\w*|metrics?|kpis?|tracked|track|monitor\w*|benchmark\w*|dashboards?|p\d\d|sla|slo)\b",
    re.IGNORECASE,
)
# A result told without a number: an outcome, or (asked what one would do) how success would be known.
_OUTCOME = re.compile(
    r"\b(recovered|resolved|stabili[sz]ed|discharged|went live|on time|ahead of schedule|on schedule|"
    r"signed off|approved|adopted)\b|\bknow (that )?it (has )?worked\b|\bit worked when\b|"
    r"\bsuccess (would|will) (be|mean|look)\b",
    re.IGNORECASE,
)
_REFLECTION = re.compile(
    r"\b(learn\w*|lessons?|looking back|next time|hindsight|differently|taught me|"
    r"(i|we|me)('ve|'d)?( \w+)? reali[sz]\w*|"
    r"since then|from then on|now i|i now)\b",
    re.IGNORECASE,
)
_TRADE_OFF = re.compile(
    r"\btrade[- ]?offs?\b|\bbalanc\w*|at the (cost|expense) of|\binstead of\b|\bversus\b|\bvs\.?\b|"
    r"\bdownsides?\b|\bpros and cons\b|\bscal\w*|\bcompromis\w*|\bprioriti[sz]\w*",
    re.IGNORECASE,
)

# Words that fill a slot without saying anything: "I learned a lot", "I did it well".
_VAGUE = frozenset(
    {
        "lot", "lots", "thing", "things", "stuff", "something", "everything", "anything", "good", "great",
        "well", "bit", "better", "best", "job", "work", "worked", "way", "really", "percent",
    }
)
_RESULT_NOISE = frozenset(words(" ".join(tf.RESULT_WORDS))) | {"result", "results", "outcome"}


def _substance(tokens: list[str], ignore: frozenset[str] = frozenset()) -> int:
    """Content words that say what, not how much: no filler, no numbers, none of ``ignore``."""
    return sum(
        1 for w in tokens
        if w not in STOPWORDS and w not in _VAGUE and w not in ignore and not w[0].isdigit() and len(w) > 1
    )


ADVICE = {
    Role.EXPERIENCE: "Show you have done it yourself: where you used it, how often, and what it involved.",
    Role.SITUATION: "Start from one concrete situation: where it was, what was at stake, your role in it.",
    Role.ACTION: "Walk through the steps you took yourself, in order, using 'I' for your own actions.",
    Role.RESULT: "End with a measured result: a number that shows the outcome "
    "(time saved, errors cut, users reached).",
    Role.REFLECTION: "Close with what you learned, or what you would do differently next time.",
    Role.TRADE_OFF: "Name a trade-off you weighed, and what you would change at a larger scale.",
}


def label(role: Role, nth: int, of: int) -> str:
    """What the candidate is shown for a scaffold point: the part, not the placeholder sentence.

    ``nth`` of ``of`` numbers the points of one part (two action steps; the trade-off and its scale).
    Each label has its part's cue, so ``point_role(label(...))`` is the part again.
    """
    if role is Role.ACTION:
        return "Your own actions" + (f" (step {nth})" if of > 1 else "")
    if role is Role.TRADE_OFF:
        return "How it would change at a larger scale" if nth > 1 else "A trade-off you weighed"
    return {
        Role.EXPERIENCE: "Hands-on experience with it",
        Role.SITUATION: "A concrete situation",
        Role.RESULT: "A measured result",
        Role.REFLECTION: "What you learned",
    }[role]


def is_label(text: str) -> bool:
    """True for a part's label as ``label`` shows it (a scaffold point), not a model answer's sentence."""
    return text in _LABELS


def point_role(point: str) -> Role:
    """The story part a scaffold sentence stands for (its first sentence, the skill, is experience)."""
    low = point.strip().lower()
    for role, cue in _POINT_CUES:
        if cue.search(low):
            return role
    return Role.EXPERIENCE


# Further verbs listed after the first action: "I built X, met Y and grew Z".
_LISTED_VERB = re.compile(
    r"(?:,|\band\b|\bthen\b)\s+(?:then\s+)?(?:[a-z]+ed|" + "|".join(sorted(ACTION_PAST)) + r")\b",
    re.IGNORECASE,
)


_CLAUSE_END = re.compile(r"[,.;:!?]|\band\b|\bthen\b|\bbut\b", re.IGNORECASE)


def _clause_after(sentence: str, start: int) -> str:
    """The rest of the clause that starts at ``start`` (up to a comma, "and", "then", ...)."""
    end = _CLAUSE_END.search(sentence, start)
    return sentence[start : end.start() if end else len(sentence)]


def _clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE_END.split(sentence) if c and c.strip()]


_PERSON = frozenset({"him", "her", "them", "us", "me"})


def _acts_on_something(sentence: str, end: int) -> bool:
    """The verb ending at ``end`` has an object that says what ("a territory plan", "him"; not "it")."""
    following = words(_clause_after(sentence, end))[:4]
    return _substance(following) > 0 or bool(following and following[0] in _PERSON)


def action_steps(sentence: str) -> int:
    """How many of the candidate's own actions a sentence states ("I built X, met Y and grew Z" is 3).

    An action counts when it acts on something: "I planned it, I did it" states no step.
    """
    steps = sum(
        1
        for match in _FIRST_PERSON_VERB.finditer(sentence)
        if match.group(2).lower() not in _NOT_ACTIONS and _acts_on_something(sentence, match.end())
    )
    if not steps:
        return 0
    return steps + sum(1 for m in _LISTED_VERB.finditer(sentence) if _acts_on_something(sentence, m.end()))


def evidence(role: Role, sentence: str, has_result: bool) -> int:
    """How much evidence of ``role`` one answer sentence gives (0 = none); ``has_result`` is the scorer's."""
    if role is Role.EXPERIENCE:
        # Having done it: an action of one's own, or "my last role ..."; opinions ("I think") are not.
        mine = re.search(r"\b(my|our)\b", sentence, re.IGNORECASE)
        return 1 if action_steps(sentence) or (mine and _SITUATION.search(sentence)) else 0
    if role is Role.SITUATION:
        return 1 if _SITUATION.search(sentence) else 0
    if role is Role.ACTION:
        return action_steps(sentence)
    tokens = words(sentence)
    if role is Role.RESULT:
        # A number alone is not a result: "improved it by 20 percent" does not say what improved.
        if has_result or _MEASURE.search(sentence):
            # Whichever clause holds the number or the measure has to name what was measured.
            holders = [c for c in _clauses(sentence) if tf.numbers(c) or _MEASURE.search(c)]
            if any(_substance(words(c), _RESULT_NOISE) > 0 for c in holders):
                return 1
        return 1 if _OUTCOME.search(sentence) and _substance(tokens, _RESULT_NOISE) >= 3 else 0
    if role is Role.REFLECTION:
        cue = _REFLECTION.search(sentence)
        # "I learned a lot" is no lesson: the lesson itself has to be said.
        return 1 if cue and _substance(words(sentence[cue.end():])) >= 2 else 0
    cue = _TRADE_OFF.search(sentence)
    return 1 if cue and _substance(tokens) >= 3 else 0


_LABELS = frozenset(
    label(role, nth, of) for role in Role for of in (1, 2) for nth in range(1, of + 1)
)
