"""The state of one practice session: what the graph checkpoints after every step.

Everything a resumed session needs lives here, as typed pydantic models, so a new process picks up
exactly where the old one stopped. Per-process things (the store, the chat model, the token
callback) are not state: they come in through ``chains.session.graph.Context``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from chains.models import Critique, Delivery, Difficulty, Question, QuestionKind, SessionSummary
from knowledge.store import SearchHit

Action = Literal["model_answer", "skip", "retry", "next", "easier", "harder", "end"]
ACTIONS: tuple[Action, ...] = ("model_answer", "skip", "retry", "next", "easier", "harder", "end")


class SessionOptions(BaseModel):
    """How a session is run; chosen at start and kept for the whole session."""

    difficulty: Difficulty = Field(default=Difficulty.MEDIUM, description="Difficulty of the questions.")
    kinds: list[QuestionKind] = Field(
        default_factory=lambda: list(QuestionKind), description="Question kinds to draw from."
    )
    questions: int = Field(default=5, ge=1, le=50, description="Main questions; follow-ups not counted.")
    follow_ups: bool = Field(default=True, description="Ask one follow-up when an answer misses its key gap.")
    llm: str | None = Field(
        default=None, description="Override of settings.llm for this session ('offline' or 'provider:model')."
    )
    focus: list[str] = Field(
        default_factory=list,
        description="Requirement texts to ask first, weakest first ('Practise my weakest areas'); the rest "
        "of the session is planned as usual.",
    )


class AnsweredItem(BaseModel):
    """One exchange of the history, for re-rendering a resumed thread."""

    question: Question = Field(description="The question answered (a follow-up has is_follow_up set).")
    answer: str = Field(description="The answer as given (after truncation of oversized answers).")
    critique: Critique = Field(
        description="The score of record; for a follow-up, of both answers together against the question."
    )
    delivery: Delivery | None = Field(
        default=None, description="How the answer was spoken (None if typed); never part of the score."
    )


class UserInput(BaseModel):
    """What the user sent to the paused session: an answer or an action."""

    answer: str | None = Field(default=None, description="Answer text, when the user answered.")
    action: Action | None = Field(default=None, description="The action, when the user chose one.")
    delivery: Delivery | None = Field(default=None, description="With a spoken answer: how it was said.")


@dataclass(kw_only=True)
class State:
    """The checkpointed state of one session (one LangGraph thread)."""

    posting_id: str = ""
    """The posting practised for (full id)."""

    posting_title: str = ""
    """The posting's title, for headings and the summary."""

    user_id: str | None = None
    """Who owns the session; another user may not resume it. None for a local, anonymous session."""

    options: SessionOptions = field(default_factory=SessionOptions)
    """Difficulty, kinds, number of questions and follow-ups, chosen at start."""

    past: dict[str, int | None] = field(default_factory=dict)
    """Requirements asked in this user's earlier sessions on the posting (key -> best score or None),
    read at start: the plan begins with the requirements not yet asked, then the worst answered."""

    plan: list[Question] = field(default_factory=list)
    """Main questions still to ask, in order (drafts: wording and model answer are settled when asked)."""

    planned: int = 0
    """Number of main questions planned at start."""

    asked: list[Question] = field(default_factory=list)
    """Every question shown so far (main, follow-up, retried or reworded), in order."""

    pending: Question | None = None
    """The question now awaiting an answer; None before the first ask and after the end."""

    parent: Question | None = None
    """When ``pending`` is a follow-up: the main question it probes."""

    parent_answer: str = ""
    """When ``pending`` is a follow-up: the main question's answer, scored again with the follow-up's."""

    retrieved: list[SearchHit] = field(default_factory=list)
    """The posting requirements retrieved for ``pending`` (shown as a collapsed step)."""

    history: list[AnsweredItem] = field(default_factory=list)
    """Answered exchanges with their critiques, in order."""

    skipped: list[Question] = field(default_factory=list)
    """Main questions skipped (or passed with Next) before they were answered, in order."""

    slots: dict[str, int] = field(default_factory=dict)
    """Question id -> its place among the session's main questions (1, 2, ...): a retried or reworded
    question keeps its place; a follow-up has none (it belongs to its question's)."""

    dropped_slots: list[int] = field(default_factory=list)
    """Places of skipped questions: they do not count in "Question N of M"."""

    request: UserInput | None = None
    """The user's latest input, read by the routing after the pause."""

    critique: Critique | None = None
    """The critique produced by the latest input (None if that input was not an answer)."""

    shown_model_answer: str | None = None
    """The model answer shown by the latest input (the model_answer action)."""

    notice: str | None = None
    """One line for the user about the latest input (LLM fallback, nothing to retry, ...)."""

    summary: SessionSummary | None = None
    """The end-of-session summary, once the session ended."""

    done: bool = False
    """True once the session ended (all questions asked, or the user ended it)."""


def question_number(state: State) -> int:
    """The pending main question's number in "Question N of M" (a follow-up shows its question's).

    Retries, rewordings and follow-ups keep their question's number; a skipped question's place
    does not count.
    """
    pending = state.pending
    if pending is not None and pending.is_follow_up and state.parent is not None:
        pending = state.parent
    dropped = set(state.dropped_slots)
    kept = sorted({slot for slot in state.slots.values() if slot not in dropped})
    slot = state.slots.get(pending.id) if pending is not None else None
    if slot is None and not state.slots:  # a session checkpointed before places were kept
        answered = {item.question.id for item in state.history if not item.question.is_follow_up}
        return len(answered) + (1 if pending is not None and pending.id not in answered else 0)
    if slot is None or slot in dropped:
        return len(kept) + (1 if pending is not None else 0)
    return kept.index(slot) + 1
