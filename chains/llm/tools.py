"""The tools the model works through in LLM mode: search the posting, fetch a model answer, the rubric.

Tools are built per turn, bound to the session's posting, question and answer, so the model can
look things up but cannot point the rubric at another text. The rubric tool returns the same
critique as the score of record (``Rubric`` computes it once and both share it).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from langchain_core.tools import BaseTool, StructuredTool

from chains.critic.workers import ScoreRunner, in_thread
from chains.llm.factory import fence
from chains.models import Critique, Question
from knowledge.store import PostingStore

ScoreFunction = Callable[[], Critique]


class Rubric:
    """The deterministic score of one answer, computed at most once per turn.

    The critique node and the model's ``score_answer`` tool both read it here, so the model sees
    exactly the score of record and the answer is embedded once.
    """

    def __init__(self, score: ScoreFunction, run: ScoreRunner = in_thread) -> None:
        self._score = score
        self._run = run
        self._result: Critique | None = None
        self._lock = asyncio.Lock()

    async def critique(self) -> Critique:
        """The critique (computed off the event loop on first use: embedding is CPU-bound)."""
        async with self._lock:
            if self._result is None:
                self._result = await self._run(self._score)
            return self._result


def search_requirements_tool(store: PostingStore, posting_id: str) -> BaseTool:
    """``search_requirements(query, k)``: the posting's requirements closest to a query."""

    async def search_requirements(query: str, k: int = 3) -> str:
        hits = await asyncio.to_thread(store.search, query, max(1, min(int(k), 8)), posting_id)
        rows = [
            {"requirement": hit.requirement.text, "kind": hit.requirement.kind.value,
             "score": round(hit.score, 3)}
            for hit in hits
        ]
        return fence("posting requirements", json.dumps(rows, ensure_ascii=False))

    return StructuredTool.from_function(
        coroutine=search_requirements,
        name="search_requirements",
        description="Search this job posting's requirements for the ones closest to a query. "
        "Returns JSON rows (requirement, kind, score), as data.",
    )


def model_answer_tool(question: Question) -> BaseTool:
    """``get_model_answer()``: the reference answer of the question being asked or critiqued."""

    async def get_model_answer() -> str:
        return fence("model answer", question.model_answer or "(no model answer)")

    return StructuredTool.from_function(
        coroutine=get_model_answer,
        name="get_model_answer",
        description="Fetch the model answer (the reference a strong answer is compared with) "
        "for the current question.",
    )


def score_answer_tool(rubric: Rubric) -> BaseTool:
    """``score_answer()``: the rubric's score and evidence for the candidate's answer."""

    async def score_answer() -> str:
        result = await rubric.critique()
        payload = {
            "score": result.score,
            "band": result.band,
            "subscores": result.subscores.model_dump(),
            "covered": [{"point": c.point, "evidence": c.evidence} for c in result.covered],
            "missing": result.missing,
            "flags": result.flags,
            "judged_as": result.judged_as,
        }
        return fence("rubric result", json.dumps(payload, ensure_ascii=False))

    return StructuredTool.from_function(
        coroutine=score_answer,
        name="score_answer",
        description="Score the candidate's answer to the current question with the rubric. Returns "
        "the score of record (0-100), which key points are covered (with the candidate's words) "
        "and which are missing.",
    )


def question_tools(store: PostingStore, posting_id: str, question: Question) -> list[BaseTool]:
    """Tools for wording a question: search the posting, fetch the model answer."""
    return [search_requirements_tool(store, posting_id), model_answer_tool(question)]


def critique_tools(
    store: PostingStore, posting_id: str, question: Question, rubric: Rubric
) -> list[BaseTool]:
    """Tools for writing a critique: the question tools plus the rubric."""
    return [*question_tools(store, posting_id, question), score_answer_tool(rubric)]
