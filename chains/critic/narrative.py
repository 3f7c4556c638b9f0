"""The critique narrative: prose that explains the rubric's evidence and never contradicts it.

Offline, a template renders the evidence. With an LLM, the model words it, and every sentence is
checked against the score of record before anyone sees it: a sentence that quotes words the
candidate did not write, states another score, or claims a point the scorer found missing is
dropped. If nothing survives, the offline narrative is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.tools import BaseTool

from chains.llm.factory import LLMUnavailable, TokenCallback, converse, fallback_notice, fence
from chains.models import Critique
from core.settings import Settings
from core.text import content_stems, split_sentences
from prompts import render

_EVIDENCE_WORDS = 30

_QUOTE_PATTERNS = (
    re.compile(r'"([^"\n]+)"'),
    re.compile(r"“([^”\n]+)”"),
    re.compile(r"‘([^’\n]+)’"),
    re.compile(r"(?<![\w'])'([^'\n]+)'(?![\w'])"),
)
_SCORE_CLAIM = re.compile(
    r"\b(\d{1,3})\s*(?:/\s*100|out of (?:a )?(?:hundred|100))|\bscor\w*\s*(?:of|is|was|:|=)?\s*(\d{1,3})\b",
    re.IGNORECASE,
)
# Words that turn a mention of a missing point into what it should be: naming the gap.
_GAP_CUES = re.compile(
    r"\b(miss\w*|lack\w*|not|no|never|none|without|absent|gap\w*|omit\w*|forg[eo]t\w*|skip\w*|"
    r"could|should|would|next time|add|adding|consider|try|include|including|improv\w*|need\w*|"
    r"weak\w*|only|yet|beyond|instead|did ?n.?t|does ?n.?t|was ?n.?t|is ?n.?t)\b|n't\b",
    re.IGNORECASE,
)
_STRONG_PRAISE = re.compile(
    r"\b(excellent|outstanding|perfect|superb|flawless|great answer|brilliant)\b", re.IGNORECASE
)
_HARSH = re.compile(r"\b(poor|weak|bad|inadequate|fails?)\s+(answer|response)\b", re.I)
_LIST_ITEM = re.compile(r"^(?:[-*•]|\d+[.)])\s+")
def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split()).casefold()


def quotes_in(sentence: str) -> list[str]:
    """Every passage of ``sentence`` inside quotation marks."""
    found: list[str] = []
    for pattern in _QUOTE_PATTERNS:
        found.extend(match.group(1) for match in pattern.finditer(sentence))
    return found


def sentence_problem(sentence: str, critique: Critique, answer: str, context: str = "") -> str | None:
    """Why ``sentence`` disagrees with the critique or the answer, or ``None`` if it may be shown.

    ``context`` is the heading a list item sits under ("Missing from your answer:"), which can
    supply the gap wording the item itself leaves out.
    """
    normalised_answer = _normalise(answer)
    for quoted in quotes_in(sentence):
        snippet = _normalise(quoted).strip(" .,;:!?…")
        if snippet and snippet not in normalised_answer:
            return f"quotes words not in the answer: {quoted!r}"
    for match in _SCORE_CLAIM.finditer(sentence):
        claimed = int(match.group(1) or match.group(2))
        if claimed != critique.score:
            return f"states a score of {claimed}, not {critique.score}"
    has_gap_cue = bool(_GAP_CUES.search(sentence) or (context and _GAP_CUES.search(context)))
    stems = content_stems(sentence)
    for point in critique.missing:
        point_stems = content_stems(point)
        if not point_stems or has_gap_cue:
            continue
        shared = point_stems & stems
        if len(shared) >= min(2, len(point_stems)) and len(shared) / len(point_stems) >= 0.5:
            return f"claims a missing point is covered: {point!r}"
    if critique.band == "weak" and _STRONG_PRAISE.search(sentence) and not has_gap_cue:
        return "praises an answer the rubric found weak"
    if critique.band == "strong" and _HARSH.search(sentence):
        return "calls a strong answer weak"
    return None


def validate_narrative(text: str, critique: Critique, answer: str) -> str:
    """``text`` without the sentences that contradict the evidence; may be empty."""
    kept_lines: list[str] = []
    heading = ""
    for line in text.splitlines():
        stripped = line.strip()
        is_item = bool(_LIST_ITEM.match(stripped))
        if not is_item:
            heading = stripped if stripped.endswith(":") else ""
        context = heading if is_item else ""
        kept = [s for s in split_sentences(line) if sentence_problem(s, critique, answer, context) is None]
        if kept:
            kept_lines.append(" ".join(kept))
    return "\n".join(kept_lines).strip()


def _shorten(evidence: str) -> tuple[str, str]:
    words = evidence.split()
    if len(words) <= _EVIDENCE_WORDS:
        return evidence.strip().rstrip("."), ""
    # Cut inside the quotation marks and put the ellipsis outside, so the quote stays verbatim.
    return " ".join(words[:_EVIDENCE_WORDS]), "…"


def offline_narrative(critique: Critique) -> str:
    """The template narrative: the verdict, the covered points with the answer's words, the gaps."""
    covered = []
    for item in critique.covered:
        evidence, ellipsis = _shorten(item.evidence)
        covered.append({"point": item.point.rstrip("."), "evidence": evidence, "ellipsis": ellipsis})
    return render(
        "templates/critique_narrative",
        score=critique.score,
        band=critique.band,
        covered=covered,
        missing=[point.rstrip(".") for point in critique.missing],
        improvements=critique.improvements,
        flags=critique.caps,
        notes=critique.notes,
    )


class SentenceGate:
    """Streams only sentences that pass a check: tokens are held until a sentence is complete."""

    def __init__(self, on_token: TokenCallback, allowed: Callable[[str, str], bool]) -> None:
        self._on_token = on_token
        self._allowed = allowed
        self._buffer = ""
        self._heading = ""

    async def __call__(self, token: str) -> None:
        """Take one streamed token; emit each sentence it completes, if allowed."""
        self._buffer += token
        while True:
            match = re.search(r"[.!?][\"”’)]?\s+|\n", self._buffer)
            if match is None:
                return
            sentence, self._buffer = self._buffer[: match.end()], self._buffer[match.end():]
            await self._emit(sentence)

    async def flush(self) -> None:
        """Emit what is left once the model has finished."""
        rest, self._buffer = self._buffer, ""
        await self._emit(rest)

    async def _emit(self, sentence: str) -> None:
        if not sentence.strip():
            if sentence:
                await self._on_token(sentence)
            return
        text = sentence.strip()
        is_item = bool(_LIST_ITEM.match(text))
        if not is_item:
            self._heading = text if text.endswith(":") else ""
        if self._allowed(text, self._heading if is_item else ""):
            await self._on_token(sentence)


async def write_narrative(
    critique: Critique,
    *,
    question: str,
    answer: str,
    requirement: str,
    chat_model: BaseChatModel | None,
    tools: Sequence[BaseTool] = (),
    on_token: TokenCallback | None = None,
    settings: Settings | None = None,
) -> tuple[str, str | None]:
    """The narrative for ``critique`` and a notice if the LLM failed (then the offline one is used)."""
    if chat_model is None:
        return offline_narrative(critique), None
    prompt = render(
        "critique",
        question=fence("question", question),
        answer=fence("answer", answer),
        requirement=fence("requirement", requirement or "(none)"),
        score=critique.score,
        band=critique.band,
        covered=[{"point": c.point, "evidence": c.evidence} for c in critique.covered],
        missing=critique.missing,
        improvements=critique.improvements,
        flags=critique.caps,  # notes (a cut long answer) are on the card, not reasons for a low score
    )
    messages = [SystemMessage(render("system")), HumanMessage(prompt)]

    def allowed(sentence: str, context: str) -> bool:
        return sentence_problem(sentence, critique, answer, context) is None

    gate = SentenceGate(on_token, allowed) if on_token else None
    try:
        text, _ = await converse(chat_model, messages, tools=tools, on_token=gate, settings=settings)
    except LLMUnavailable as exc:
        return offline_narrative(critique), fallback_notice(exc.reason)
    if gate is not None:
        await gate.flush()
    kept = validate_narrative(text, critique, answer)
    return (kept or offline_narrative(critique)), None
