"""The session facade: the one way the app and the CLI run a practice session.

``Coach`` compiles the interview graph (``chains.session.graph``) with a SQLite checkpointer under the data
dir, keyed by thread id, and turns every call into one run of the graph up to its next pause. What
comes back is a ``Turn``: the critique of the answer just given, the question now pending, a notice,
and the summary once the session ended. A new process resumes any session with ``current``.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.types import Command
from pydantic import BaseModel, Field

from chains.critic.rubric import load_rubric
from chains.critic.workers import ScoreRunner, in_thread
from chains.llm.factory import get_chat_model
from chains.models import (
    AreaNote,
    CoveredPoint,
    Critique,
    Delivery,
    DeliveryOverview,
    Difficulty,
    LongPause,
    Question,
    QuestionKind,
    RequirementProgress,
    SessionSummary,
    SubScores,
)
from chains.questions.planner import requirement_key
from chains.session.checkpoints import LoopSqliteSaver, open_saver
from chains.session.graph import Context, builder
from chains.session.index import SessionIndex
from chains.session.progress import Progress, build_progress
from chains.session.report import SessionReport, build_report
from chains.session.state import (
    ACTIONS,
    Action,
    AnsweredItem,
    SessionOptions,
    State,
    UserInput,
    question_number,
)
from chains.session.summary import best_by_requirement, build_summary, session_score
from core.errors import CoachError
from core.settings import Settings, get_settings
from knowledge.posting import Posting, Requirement, RequirementKind
from knowledge.store import PostingStore, SearchHit, open_store

__all__ = ["AnsweredItem", "Coach", "SessionOptions", "Turn", "UnknownSession", "MAX_ANSWER_CHARS"]

log = logging.getLogger(__name__)

MAX_ANSWER_CHARS = load_rubric().max_answer_chars
"""Longer answers are cut to this length before scoring (the rubric's ``max_answer_chars``)."""

# Types the checkpoint may hold; anything else is refused when a checkpoint is read back.
_STATE_TYPES = [
    SessionOptions, AnsweredItem, UserInput, Question, QuestionKind, Difficulty, Critique, SubScores,
    CoveredPoint, SessionSummary, RequirementProgress, AreaNote, Requirement, RequirementKind, SearchHit,
    Delivery, LongPause, DeliveryOverview,
]

_STATES_KEPT = 1024  # decoded session states kept per process (a few kB each)

EMPTY_ANSWER = "Your answer is empty: type your answer, or /skip."

SPOKEN_WORDS_PER_MINUTE = 150  # a calm speaking pace; a spoken answer of 1-3 minutes is 150-450 words
LONG_ANSWER_WORDS = 3 * SPOKEN_WORDS_PER_MINUTE
ANSWER_LENGTH_ADVICE = "An interview answer should take one to three minutes to say (about 150-450 words)."


def length_notice(text: str) -> str | None:
    """A line for an answer longer than three minutes spoken, else None."""
    words = len(text.split())
    if words <= LONG_ANSWER_WORDS:
        return None
    minutes = round(words / SPOKEN_WORDS_PER_MINUTE)
    return (
        f"Your answer is about {words:,} words, some {minutes:,} minutes spoken. {ANSWER_LENGTH_ADVICE} "
        "Lead with your main point and keep one example."
    )


class UnknownSession(CoachError):
    """No session has this thread id."""


class Turn(BaseModel):
    """What one call on the session produced, for the app or the terminal to render."""

    thread_id: str = Field(description="The session's id (LangGraph thread).")
    posting_id: str
    posting_title: str
    critique: Critique | None = Field(default=None, description="Critique of the answer just given.")
    question: Question | None = Field(
        default=None, description="The question now awaiting an answer (new, follow-up, or retried)."
    )
    retrieved: list[SearchHit] = Field(default_factory=list, description="Retrieval behind `question`.")
    model_answer: str | None = Field(default=None, description="Set after act('model_answer').")
    notice: str | None = Field(default=None, description="One line for the user about this turn.")
    summary: SessionSummary | None = Field(default=None, description="Set when the session ended.")
    done: bool = False
    answered: int = Field(default=0, description="Main questions answered so far.")
    planned: int = Field(default=0, description="Main questions in the session (a skip may shorten it).")
    number: int = Field(
        default=0, description="The pending question's N in 'Question N of M' (a follow-up: its question's)."
    )
    score: int | None = Field(default=None, description="The session score so far (``session_score``).")
    exchanges: int = Field(default=0, description="Answers critiqued so far (the last one's index + 1).")


def _state(values: dict[str, Any]) -> State:
    return State(**values)


def _asked_items(state: State) -> dict[str, int | None]:
    """Requirement key -> best score in this session (None: asked, not answered yet)."""
    items: dict[str, int | None] = {}
    for question in state.asked:
        for requirement in question.requirements:
            items.setdefault(requirement_key(requirement.text), None)
    for item in state.history:
        for requirement in item.question.requirements:
            key = requirement_key(requirement.text)
            known = items.get(key)
            items[key] = item.critique.score if known is None else max(known, item.critique.score)
    return items


def _answered_main(state: State) -> int:
    """Main questions answered: a retried or reworded question counts once (its place, not its id)."""
    places = {state.slots.get(item.question.id, item.question.id) for item in state.history
              if not item.question.is_follow_up}
    return len(places)


def _pairs(state: State) -> list[tuple[Question, Critique]]:
    return [(item.question, item.critique) for item in state.history]


def _turn(thread_id: str, state: State) -> Turn:
    return Turn(
        thread_id=thread_id,
        posting_id=state.posting_id,
        posting_title=state.posting_title,
        critique=state.critique,
        question=None if state.done else state.pending,
        retrieved=[] if state.done else state.retrieved,
        model_answer=state.shown_model_answer,
        notice=state.notice,
        summary=state.summary,
        done=state.done,
        answered=_answered_main(state),
        planned=state.planned,
        number=question_number(state),
        score=session_score(_pairs(state)),
        exchanges=len(state.history),
    )


class Coach:
    """Runs practice sessions; one instance per process is enough (it caches store and models)."""

    def __init__(
        self,
        settings: Settings | None = None,
        chat_model: BaseChatModel | None = None,
        score: ScoreRunner = in_thread,
    ) -> None:
        self.settings = settings or get_settings()
        self._chat_model = chat_model
        self._score = score
        self._store: PostingStore | None = None
        self._postings: dict[str, Posting] = {}
        self._vectors: dict[str, list[tuple[Requirement, np.ndarray]]] = {}
        self._plans: dict[tuple[Any, ...], asyncio.Task[list[Question]]] = {}
        self._index = SessionIndex(self.settings.checkpoint_db)
        self._saver: LoopSqliteSaver | None = None
        self._graph: Any = None
        # thread id -> (id of its latest checkpoint, that checkpoint decoded). An answer reads the
        # state twice (the app's ownership check, then the facade) right after the previous run
        # stored it: each read decoded the whole session again. A state is used only while its
        # checkpoint is still the thread's latest, so a write by another process is never missed.
        self._states: OrderedDict[str, tuple[str, State]] = OrderedDict()
        # One run at a time per session: a double submit waits instead of resuming the pause twice.
        self._thread_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    # -- plumbing ---------------------------------------------------------------------------------

    @property
    def store(self) -> PostingStore:
        """The posting store (opened on first use)."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    async def _compiled(self) -> Any:
        if self._graph is None:
            serde = JsonPlusSerializer(allowed_msgpack_modules=_STATE_TYPES)
            self._saver = open_saver(self.settings.checkpoint_db, serde=serde)
            self._graph = builder.compile(checkpointer=self._saver)
        return self._graph

    async def aclose(self) -> None:
        """Close the checkpoint database."""
        if self._saver is not None:
            saver, self._saver, self._graph = self._saver, None, None
            saver.conn.close()

    async def __aenter__(self) -> Coach:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _model(self, options: SessionOptions) -> BaseChatModel | None:
        if self._chat_model is not None:
            return self._chat_model
        return get_chat_model(options.llm or self.settings.llm, self.settings)

    def _context(self, options: SessionOptions, on_token: Callable[[str], Awaitable[None]] | None) -> Context:
        model = self._model(options)
        return Context(
            store=self.store,
            settings=self.settings,
            chat_model=model,
            on_token=_safe(on_token) if (on_token and model is not None) else None,
            postings=self._postings,
            vectors=self._vectors,
            plans=self._plans,
            score=self._score,
        )

    @staticmethod
    def _config(thread_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": thread_id}}

    def _remember(self, thread_id: str, checkpoint_id: str | None, state: State) -> None:
        if checkpoint_id is None:
            return
        self._states[thread_id] = (checkpoint_id, state)
        self._states.move_to_end(thread_id)
        while len(self._states) > _STATES_KEPT:
            self._states.popitem(last=False)

    async def _load(self, thread_id: str) -> State | None:
        graph = await self._compiled()
        assert self._saver is not None
        latest = self._saver.latest_id(thread_id)
        if latest is None:
            self._states.pop(thread_id, None)
            return None
        known = self._states.get(thread_id)
        if known is not None and known[0] == latest:
            return known[1]
        snapshot = await graph.aget_state(self._config(thread_id))
        if not snapshot.values:
            return None
        state = _state(snapshot.values)
        self._remember(thread_id, snapshot.config["configurable"].get("checkpoint_id"), state)
        return state

    async def _require(self, thread_id: str) -> State:
        state = await self._load(thread_id)
        if state is None:
            raise UnknownSession(f"No session '{thread_id}': start one, or check the id")
        return state

    def _lock(self, thread_id: str) -> asyncio.Lock:
        lock = self._thread_locks.get(thread_id)
        if lock is None:
            lock = asyncio.Lock()
            self._thread_locks[thread_id] = lock
        return lock

    async def _run(self, thread_id: str, payload: Any, state_options: SessionOptions,
                   on_token: Callable[[str], Awaitable[None]] | None = None) -> State:
        graph = await self._compiled()
        values = await graph.ainvoke(
            payload,
            self._config(thread_id),
            context=self._context(state_options, on_token),
            durability="exit",
        )
        # The run's output is the state just stored (reading it back costs a query and a decode).
        state = _state({key: value for key, value in values.items() if not key.startswith("__")})
        assert self._saver is not None
        self._remember(thread_id, self._saver.latest_id(thread_id), state)
        scores = [item.critique.score for item in state.history]
        pairs = _pairs(state)
        await asyncio.to_thread(
            self._index.record, thread_id, state.user_id, state.posting_id, scores, state.done,
            _asked_items(state), session_score(pairs), best_by_requirement(pairs),
        )
        return state

    # -- the facade -------------------------------------------------------------------------------

    async def start(
        self,
        posting_id: str,
        options: SessionOptions | None = None,
        thread_id: str | None = None,
        user_id: str | None = None,
    ) -> Turn:
        """Start a session on a stored posting and return its first question.

        Raises ``LookupError`` for an unknown posting and ``SetupError`` when the configured LLM
        cannot start. Starting a thread id that already has a session returns that session's
        current turn (after the same ownership check as ``current``).
        """
        options = options or SessionOptions()
        self._model(options)  # a missing provider package fails here, before anything is saved
        if thread_id is not None:
            existing = await self.current(thread_id, user_id)
            if existing is not None:
                return existing
        # A posting private to another user is "not in the store" for this one (user_id None: the CLI).
        posting = await asyncio.to_thread(self.store.get, posting_id, user_id)
        if posting is None:
            raise LookupError(
                f"Posting '{posting_id}' is not in the store: run 'coach postings' to list them"
            )
        self._postings[posting.id] = posting
        thread_id = thread_id or uuid.uuid4().hex
        past = await asyncio.to_thread(self._index.past_items, posting.id, user_id, thread_id)
        initial = {"posting_id": posting.id, "posting_title": posting.title, "user_id": user_id,
                   "options": options, "past": past}
        state = await self._run(thread_id, initial, options)
        turn = _turn(thread_id, state)
        if state.planned == 0:
            turn.notice = (
                "This posting lists no requirements to ask about (only screening items such as degrees, "
                "travel or application instructions, if any); add some and ingest it again."
            )
        return turn

    async def answer(
        self,
        thread_id: str,
        text: str,
        on_token: Callable[[str], Awaitable[None]] | None = None,
        delivery: Delivery | None = None,
    ) -> Turn:
        """Critique ``text`` as the answer to the pending question; returns the critique and what is next.

        An empty answer scores nothing and keeps the question. An answer longer than
        ``MAX_ANSWER_CHARS`` is cut to that length, with a notice. ``delivery`` (a spoken answer's
        figures) is kept with the answer for the summary; the score never sees it.
        """
        lock = self._lock(thread_id)
        async with lock:
            return await self._answer(thread_id, text, on_token, delivery)

    async def _answer(
        self,
        thread_id: str,
        text: str,
        on_token: Callable[[str], Awaitable[None]] | None,
        delivery: Delivery | None = None,
    ) -> Turn:
        state = await self._require(thread_id)
        if state.done:
            return _turn(thread_id, state).model_copy(
                update={"critique": None, "notice": "This session has ended: start a new one."}
            )
        if not text or not text.strip():
            return _turn(thread_id, state).model_copy(
                update={"critique": None, "model_answer": None, "notice": EMPTY_ANSWER}
            )
        cut_notice = length_notice(text)
        if len(text) > MAX_ANSWER_CHARS:
            cut_notice = (
                f"Your answer was {len(text):,} characters; only the first {MAX_ANSWER_CHARS:,} were scored. "
                + ANSWER_LENGTH_ADVICE
            )
            text = text[:MAX_ANSWER_CHARS]
        resume: dict[str, Any] = {"answer": text}
        if delivery is not None:
            resume["delivery"] = delivery.model_dump()
        state = await self._run(thread_id, Command(resume=resume), state.options, on_token)
        turn = _turn(thread_id, state)
        if cut_notice:
            turn.notice = " ".join(n for n in (cut_notice, turn.notice) if n)
        return turn

    async def act(self, thread_id: str, action: Action) -> Turn:
        """Apply an action: model_answer, skip, retry, next, easier, harder or end."""
        if action not in ACTIONS:
            raise ValueError(f"Unknown action '{action}': use one of {', '.join(ACTIONS)}")
        lock = self._lock(thread_id)
        async with lock:
            state = await self._require(thread_id)
            if state.done:
                return _turn(thread_id, state).model_copy(update={"critique": None})
            state = await self._run(thread_id, Command(resume={"action": action}), state.options)
            return _turn(thread_id, state)

    async def current(self, thread_id: str, user_id: str | None = None) -> Turn | None:
        """The session as it stands (pending question, last critique, summary); None if unknown.

        Raises ``PermissionError`` when the session belongs to another user.
        """
        state = await self._load(thread_id)
        if state is None:
            return None
        if state.user_id is not None and state.user_id != user_id:
            raise PermissionError(f"Session '{thread_id}' belongs to another user")
        return _turn(thread_id, state)

    async def history(self, thread_id: str) -> list[AnsweredItem]:
        """The answered exchanges of a session, in order."""
        return list((await self._require(thread_id)).history)

    async def summary(self, thread_id: str) -> SessionSummary:
        """The summary: the final one once ended, else as the session stands now."""
        state = await self._require(thread_id)
        if state.summary is not None:
            return state.summary
        posting = self._postings.get(state.posting_id) or await asyncio.to_thread(
            self.store.get, state.posting_id
        )
        if posting is None:
            raise LookupError(f"Posting '{state.posting_id}' is no longer in the store")
        answered = [(item.question, item.critique) for item in state.history]
        return build_summary(posting, answered, state.asked, [item.delivery for item in state.history])

    async def question_number(self, thread_id: str) -> int:
        """The pending main question's number in the session (1-based; retried or reworded keep theirs)."""
        return question_number(await self._require(thread_id))

    async def answered_question(self, thread_id: str, index: int) -> Question:
        """The question whose model answer and guide belong beside the ``index``-th critique.

        A follow-up's answer is judged with its question's answer against that question's model
        answer, so for a follow-up this is the main question it followed.
        """
        state = await self._require(thread_id)
        if not 0 <= index < len(state.history):
            raise LookupError(f"This session has no answer number {index + 1}")
        question = state.history[index].question
        if question.is_follow_up:
            parent = next((q for q in state.asked if q.id == question.parent_id), None)
            return parent or question
        return question

    async def report(self, thread_id: str, user_id: str | None) -> SessionReport:
        """The session's report: every exchange, the summary, and progress over the user's sessions."""
        state = await self._require(thread_id)
        summary = await self.summary(thread_id)
        posting = self._postings.get(state.posting_id) or await asyncio.to_thread(
            self.store.get, state.posting_id
        )
        return build_report(
            state,
            summary,
            await asyncio.to_thread(self.progress, state.posting_id, user_id),
            company=posting.company if posting is not None else "",
            session_number=await asyncio.to_thread(self.session_number, thread_id, state.posting_id, user_id),
        )

    def progress(self, posting_id: str, user_id: str | None) -> Progress:
        """The user's progress on the posting over their ended sessions (this one too, once ended)."""
        return build_progress(posting_id, self._index.finished(posting_id, user_id))

    def session_number(self, thread_id: str, posting_id: str, user_id: str | None) -> int:
        """Which of this user's sessions on the posting this is (1 for the first)."""
        return self._index.session_number(thread_id, posting_id, user_id)

    def practised_postings(self, user_id: str | None) -> list[str]:
        """Postings this user has ended a scored session on, most recent first."""
        return self._index.practised(user_id)

    def past_sessions(
        self, posting_id: str, user_id: str | None, exclude_thread_id: str | None = None
    ) -> list[list[int]]:
        """Scores of this user's ended sessions for this posting, oldest first (one list per session).

        Pass the session being shown as ``exclude_thread_id`` to get only the ones before it.
        """
        return self._index.finished_scores(posting_id, user_id, exclude_thread_id)


def _safe(on_token: Callable[[str], Awaitable[None]]) -> Callable[[str], Awaitable[None]]:
    """A token callback whose failure (a closed page) never fails the turn."""

    async def call(token: str) -> None:
        try:
            await on_token(token)
        except Exception:  # pragma: no cover - depends on the UI going away mid-stream
            log.debug("token callback failed", exc_info=True)

    return call
