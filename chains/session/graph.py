"""The interview as a LangGraph graph: plan -> ask -> wait -> critique -> follow-up? -> next or summary.

Nodes are module-level async functions that take the state and return a partial update. The graph
pauses in ``wait`` (``interrupt()``) for the user's answer or action; the checkpointer saves the
state there, so a session resumes exactly at the pending question, in this process or a new one.
The graph is wired at the bottom; ``builder`` is exported so callers compile it with their own
checkpointer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from langchain_core.language_models import BaseChatModel
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from chains.critic.narrative import write_narrative
from chains.critic.scorer import score_question
from chains.critic.workers import ScoreRunner, in_thread
from chains.llm.factory import TokenCallback
from chains.llm.tools import Rubric, critique_tools, question_tools
from chains.llm.wording import word_question
from chains.models import Critique, Question, QuestionKind
from chains.questions import planner
from chains.questions.references import resolve_model_answer
from chains.session.state import AnsweredItem, SessionOptions, State, UserInput
from chains.session.summary import build_summary
from core.settings import Settings
from knowledge.posting import Posting, Requirement
from knowledge.store import PostingStore, SearchHit

_RETRIEVED = 3
_PLANS_KEPT = 256  # (posting, options) plans kept per process


@dataclass
class Context:
    """Per-process parts handed to every run; never checkpointed."""

    store: PostingStore
    """The posting store (Chroma)."""

    settings: Settings
    """Timeouts and retries of the model, data dir."""

    chat_model: BaseChatModel | None = None
    """The session's chat model; None words everything offline."""

    on_token: TokenCallback | None = None
    """Receives streamed tokens of LLM wording and narratives, when an LLM is used."""

    postings: dict[str, Posting] = field(default_factory=dict)
    """Postings read this process, by id (a posting does not change under an id)."""

    vectors: dict[str, list[tuple[Requirement, np.ndarray]]] = field(default_factory=dict)
    """Each posting's requirements with their stored embeddings, read once per process."""

    plans: dict[tuple[Any, ...], asyncio.Task[list[Question]]] = field(default_factory=dict)
    """Planned drafts by posting and options, planned once per process (the planner is deterministic)."""

    score: ScoreRunner = in_thread
    """Where answers are scored: a worker thread, or the app's scoring processes."""

    async def posting(self, posting_id: str) -> Posting:
        """The posting, read once per process."""
        found = self.postings.get(posting_id)
        if found is None:
            found = await asyncio.to_thread(self.store.get, posting_id)
            if found is None:
                raise LookupError(f"Posting '{posting_id}' is not in the store; ingest it again")
            self.postings[posting_id] = found
        return found

    async def plan(
        self, posting: Posting, options: SessionOptions, past: dict[str, int | None] | None = None
    ) -> list[Question]:
        """The drafted main questions of a new session on ``posting`` with ``options`` and ``past``.

        Planning embeds texts (80-100 ms), so it runs in a worker thread: on the event loop it would
        hold up every other session meanwhile. Same posting and options, same plan: it is computed
        once per process, and sessions starting together share the one computation.
        """
        history = dict(past or {})
        key = (posting.id, options.questions, options.difficulty, tuple(options.kinds), tuple(options.focus),
               tuple(sorted(history.items(), key=lambda item: item[0])))
        task = self.plans.get(key)
        if not _reusable(task):
            items = await self.requirements(posting.id)
            task = self.plans.get(key)  # another session may have started it meanwhile
            if not _reusable(task):
                task = asyncio.get_running_loop().create_task(
                    asyncio.to_thread(_plan_with_focus, posting, items, options, history)
                )
                self.plans[key] = task
                while len(self.plans) > _PLANS_KEPT:
                    self.plans.pop(next(iter(self.plans)))
        assert task is not None
        drafts = await asyncio.shield(task)
        return [draft.model_copy(deep=True) for draft in drafts]

    async def requirements(self, posting_id: str) -> list[tuple[Requirement, np.ndarray]]:
        """The posting's requirements with their stored embeddings, read once per process."""
        found = self.vectors.get(posting_id)
        if found is None:
            found = await asyncio.to_thread(self.store.requirements_with_embeddings, posting_id)
            self.vectors[posting_id] = found
        return found

    async def retrieve(self, posting_id: str, question: Question) -> list[SearchHit]:
        """The posting's requirements closest to what ``question`` probes, best first.

        The probed requirement's stored embedding is the query, so nothing is embedded again;
        a question without a stored requirement is searched by its text.
        """
        items = await self.requirements(posting_id)
        probe = question.requirements[0].text if question.requirements else None
        query = next((vector for req, vector in items if req.text == probe), None)
        if query is None:
            return await asyncio.to_thread(self.store.search, probe or question.text, _RETRIEVED, posting_id)
        scores = np.array([float(vector @ query) for _, vector in items])
        best = np.argsort(-scores, kind="stable")[:_RETRIEVED]
        return [
            SearchHit(posting_id=posting_id, requirement=items[i][0], score=float(scores[i])) for i in best
        ]


def _plan_with_focus(
    posting: Posting,
    items: Sequence[tuple[Requirement, np.ndarray]],
    options: SessionOptions,
    history: Mapping[str, int | None] | None = None,
) -> list[Question]:
    """The planner's questions, the ``focus`` requirements first ('Practise my weakest areas').

    No planner change is needed: the focus requirements are planned on their own first, then the rest
    of the session with them counted as asked (the planner puts asked requirements last). The posting's
    own Q&A pairs are left to the second part: planned over a few requirements, a pair would be tied
    to whichever of them fits least badly. ``history`` (earlier sessions' best per requirement key)
    orders the rest as the planner does.
    """
    n, difficulty, kinds = options.questions, options.difficulty, options.kinds
    wanted = set(options.focus)
    focus_items = [item for item in items if item[0].text in wanted]
    first: list[Question] = []
    if focus_items:
        focus_kinds: list[QuestionKind] = [k for k in kinds if k != QuestionKind.POSTING] or list(kinds)
        rank = {text: i for i, text in enumerate(options.focus)}
        seen: set[str] = set()
        for question in planner.plan_questions(
            posting, focus_items, min(n, len(focus_items)), difficulty, focus_kinds, []
        ):
            texts = {r.text for r in question.requirements}
            if texts & seen:
                continue  # near-duplicates share one question; the planner cycled back to it
            seen |= texts
            first.append(question)
        first.sort(key=lambda q: min((rank.get(r.text, len(rank)) for r in q.requirements), default=0))
    asked = [r.text for q in first for r in q.requirements]
    if n <= len(first):
        return first
    return first + planner.plan_questions(posting, items, n - len(first), difficulty, kinds, asked, history)


def _reusable(task: asyncio.Task[Any] | None) -> bool:
    """A shared computation that can still be awaited here: this loop's, and not failed."""
    if task is None or task.get_loop() is not asyncio.get_running_loop():
        return False
    return not task.done() or (not task.cancelled() and task.exception() is None)


def _join(*notices: str | None) -> str | None:
    """One line from several notices, without repeats."""
    unique = list(dict.fromkeys(n for n in notices if n))
    return " ".join(unique) or None


async def _prepare(
    draft: Question,
    state: State,
    ctx: Context,
    prompt: str = "ask_question",
    extra: dict[str, Any] | None = None,
) -> tuple[Question, list[SearchHit], str | None]:
    """Settle a drafted question's model answer and wording, and retrieve what it is grounded in.

    A follow-up keeps the reference the planner gave it: its answer is scored together with the
    first answer against the original question's model answer, so it needs no model answer of its own.
    """
    posting = await ctx.posting(state.posting_id)
    question, answer_notice = draft, None
    if not draft.is_follow_up:
        question, answer_notice = await resolve_model_answer(
            draft, posting, ctx.store, ctx.chat_model, ctx.settings
        )
    worded, wording_notice = await word_question(
        question,
        posting,
        chat_model=ctx.chat_model,
        prompt=prompt,
        tools=question_tools(ctx.store, posting.id, question) if ctx.chat_model else (),
        on_token=ctx.on_token,
        settings=ctx.settings,
        extra=extra,
    )
    hits: list[SearchHit] = []
    if not draft.is_follow_up:  # a follow-up stays on its question's requirement and retrieval
        hits = await ctx.retrieve(posting.id, worded)
    return worded, hits, _join(answer_notice, wording_notice)


def _last_main_question(state: State) -> Question | None:
    """The main question answered last (a follow-up leads back to its question)."""
    by_id = {q.id: q for q in state.asked}
    for item in reversed(state.history):
        question = item.question
        if question.is_follow_up:
            return by_id.get(question.parent_id)
        return question
    return None


# -- nodes ----------------------------------------------------------------------------------------


async def plan(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Choose the session's main questions from the posting's requirements (drafts, offline)."""
    ctx = runtime.context
    posting = await ctx.posting(state.posting_id)
    drafts = await ctx.plan(posting, state.options, state.past)
    return {"plan": drafts, "planned": len(drafts), "posting_title": posting.title}


async def ask(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Put the next planned question to the candidate."""
    draft, rest = state.plan[0], state.plan[1:]
    question, hits, notice = await _prepare(draft, state, runtime.context)
    slots = dict(state.slots)
    # A question back from a retry keeps its place; a new one takes the next.
    slots[question.id] = slots.get(draft.id) or max(slots.values(), default=0) + 1
    return {
        "plan": rest,
        "slots": slots,
        "pending": question,
        "parent": None,
        "parent_answer": "",
        "asked": [*state.asked, question],
        "retrieved": hits,
        "notice": _join(state.notice, notice),
    }


def wait(state: State) -> dict[str, Any]:
    """Pause until the candidate answers or picks an action; the state is saved here."""
    value = interrupt({"question_id": state.pending.id if state.pending else None})
    request = UserInput.model_validate(value)
    # What the previous input produced is cleared: the new input starts a new turn.
    return {"request": request, "critique": None, "shown_model_answer": None, "notice": None}


async def critique(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Score the answer (the rubric alone decides) and explain the evidence."""
    ctx = runtime.context
    assert state.pending is not None and state.request is not None and state.request.answer is not None
    asked, answer = state.pending, state.request.answer
    target, full_answer = asked, answer
    if asked.is_follow_up and state.parent is not None:
        # The follow-up's answer completes the first one: both are scored together, as one answer
        # to the original question, and that combined critique is the score of record.
        target, full_answer = state.parent, f"{state.parent_answer}\n\n{answer}"
    requirement = target.requirements[0] if target.requirements else None
    rubric = Rubric(
        # picklable: the app scores in another process. score_question passes the question's kind and
        # guide, so experience questions are judged by the interviewer's rubric.
        partial(score_question, target, full_answer, state.posting_title),
        ctx.score,
    )
    result: Critique = await rubric.critique()
    tools = critique_tools(ctx.store, state.posting_id, target, rubric) if ctx.chat_model else ()
    narrative, notice = await write_narrative(
        result,
        question=asked.text,
        answer=full_answer,
        requirement=requirement.text if requirement else "",
        chat_model=ctx.chat_model,
        tools=tools,
        on_token=ctx.on_token,
        settings=ctx.settings,
    )
    result = result.model_copy(update={"narrative": narrative})
    item = AnsweredItem(question=asked, answer=answer, critique=result, delivery=state.request.delivery)
    return {
        "history": [*state.history, item],
        "critique": result,
        "pending": None,
        "notice": _join(state.notice, notice),
    }


async def follow_up(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Probe the answer's most important gap once, before moving on (if the planner sees one)."""
    last = state.history[-1]
    drafted = planner.follow_up(last.question, last.critique)
    if drafted is None:
        return {}
    gap = last.critique.missing[0] if last.critique.missing else drafted.why.removeprefix("Follow-up: ")
    question, hits, notice = await _prepare(
        drafted, state, runtime.context, prompt="follow_up",
        extra={"gap": gap, "question": last.question.text, "answer": last.answer},
    )
    return {
        "pending": question,
        "parent": last.question,
        "parent_answer": last.answer,
        "asked": [*state.asked, question],
        "retrieved": hits or state.retrieved,
        "notice": _join(state.notice, notice),
    }


def show_model_answer(state: State) -> dict[str, Any]:
    """Show the model answer of the pending question; the question stays pending."""
    if state.pending is None:
        return {"notice": "There is no question to show a model answer for."}
    return {"shown_model_answer": state.pending.model_answer or "(no model answer)"}


async def skip(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Leave the pending question unanswered and move on, saying what that does to the session.

    A follow-up is simply dropped. A skipped main question does not use up one of the session's
    questions while the posting has a requirement not yet asked: a question on that one takes its
    place at the end. When every requirement was asked, nothing replaces it and the session is one
    question shorter; the notice says so (the counter "Question N of M" follows).
    """
    cleared: dict[str, Any] = {"pending": None, "parent": None, "parent_answer": ""}
    pending = state.pending
    if pending is None or pending.is_follow_up:
        return {**cleared, "notice": "Follow-up skipped." if pending is not None else None}
    answered_ids = {item.question.id for item in state.history}
    slot = state.slots.get(pending.id)
    if pending.id in answered_ids or slot is None:
        return cleared  # a retry passed over: the question was answered and keeps its place
    dropped = [*state.dropped_slots, slot]
    skipped = [*state.skipped, pending]
    ctx = runtime.context
    posting = await ctx.posting(state.posting_id)
    items = await ctx.requirements(posting.id)
    taken = {r.text for q in [*state.asked, *state.plan] for r in q.requirements}
    extra = await asyncio.to_thread(
        planner.plan_questions, posting, items, 1, state.options.difficulty, state.options.kinds,
        sorted(taken),
    )
    fresh = [q for q in extra if not ({r.text for r in q.requirements} & taken)]
    if fresh:
        return {
            **cleared,
            "plan": [*state.plan, *fresh],
            "skipped": skipped,
            "dropped_slots": dropped,
            "notice": f"Skipped: it does not count as one of your {state.planned} questions; a question on "
            "another requirement takes its place. The summary lists what you skipped.",
        }
    planned = max(state.planned - 1, 0)
    left = len(state.plan)
    return {
        **cleared,
        "skipped": skipped,
        "dropped_slots": dropped,
        "planned": planned,
        "notice": "Skipped: every requirement of this posting has been asked already, so nothing takes its "
        f"place and this session now has {planned} question{'s' if planned != 1 else ''}"
        + (f" ({left} still to come)." if left else " (it ends here)."),
    }


async def retry(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Ask the last answered main question again; the pending one goes back to the front of the plan."""
    target = _last_main_question(state)
    if target is None:
        return {"notice": "Nothing to retry yet: answer a question first."}
    plan = list(state.plan)
    pending = state.pending
    if pending is not None and not pending.is_follow_up and pending.id != target.id:
        plan.insert(0, pending)
    return {
        "plan": plan,
        "pending": target,
        "parent": None,
        "parent_answer": "",
        "asked": [*state.asked, target],
        "notice": "Answer it again: your best score counts.",
    }


async def change_difficulty(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """Replace the pending question with an easier or harder one about the same requirement."""
    assert state.request is not None
    action = state.request.action
    if state.pending is None:
        return {"notice": "There is no question to change."}
    changed = planner.easier(state.pending) if action == "easier" else planner.harder(state.pending)
    if changed is None or changed.id == state.pending.id:
        word = "easiest" if action == "easier" else "hardest"
        return {"notice": f"This question is already at the {word} difficulty."}
    question, hits, notice = await _prepare(changed, state, runtime.context)
    slots = dict(state.slots)
    if state.pending.id in slots:
        slots[question.id] = slots[state.pending.id]  # the same question, easier or harder: same place
    return {
        "pending": question,
        "slots": slots,
        "asked": [*state.asked, question],
        "retrieved": hits or state.retrieved,
        "notice": notice,
    }


async def summarize(state: State, runtime: Runtime[Context]) -> dict[str, Any]:
    """End the session with its summary."""
    posting = await runtime.context.posting(state.posting_id)
    answered = [(item.question, item.critique) for item in state.history]
    summary = build_summary(posting, answered, state.asked, [item.delivery for item in state.history])
    return {"summary": summary, "done": True, "pending": None, "parent": None, "plan": []}


# -- routing --------------------------------------------------------------------------------------


def route_next(state: State) -> str:
    """The next main question, or the summary when none is left."""
    return "ask" if state.plan else "summarize"


def route_input(state: State) -> str:
    """Where the user's input goes."""
    request = state.request
    if request is None or (request.answer is None and request.action is None):
        return "wait"
    if request.answer is not None:
        return "critique"
    return {
        "model_answer": "show_model_answer",
        "skip": "skip",
        "next": "skip",
        "retry": "retry",
        "easier": "change_difficulty",
        "harder": "change_difficulty",
        "end": "summarize",
    }[request.action or "end"]


def route_after_critique(state: State) -> str:
    """A follow-up on a main question's answer (if on), else the next question or the summary."""
    last = state.history[-1].question
    if state.options.follow_ups and not last.is_follow_up:
        return "follow_up"
    return route_next(state)


def route_after_follow_up(state: State) -> str:
    """Wait for the follow-up's answer if one was asked, else move on."""
    return "wait" if state.pending is not None else route_next(state)


builder = StateGraph(State, context_schema=Context)
builder.add_node(plan)
builder.add_node(ask)
builder.add_node(wait)
builder.add_node(critique)
builder.add_node(follow_up)
builder.add_node(show_model_answer)
builder.add_node(skip)
builder.add_node(retry)
builder.add_node(change_difficulty)
builder.add_node(summarize)

builder.add_edge(START, "plan")
builder.add_conditional_edges("plan", route_next, ["ask", "summarize"])
builder.add_edge("ask", "wait")
builder.add_conditional_edges(
    "wait",
    route_input,
    ["wait", "critique", "show_model_answer", "skip", "retry", "change_difficulty", "summarize"],
)
builder.add_conditional_edges("critique", route_after_critique, ["follow_up", "ask", "summarize"])
builder.add_conditional_edges("follow_up", route_after_follow_up, ["wait", "ask", "summarize"])
builder.add_conditional_edges("skip", route_next, ["ask", "summarize"])
builder.add_edge("show_model_answer", "wait")
builder.add_edge("retry", "wait")
builder.add_edge("change_difficulty", "wait")
builder.add_edge("summarize", END)
