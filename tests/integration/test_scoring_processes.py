"""The browser app scores answers in a separate process: same critique as in a thread, and a dead
scoring process does not lose the answer."""

from __future__ import annotations

import os
import signal
from functools import partial

import pytest

from chains.critic.scorer import score_answer
from chains.critic.workers import ScoringProcesses, in_thread

QUESTION = "Tell me about a time you found and fixed a performance problem in production."
MODEL = (
    "Our checkout API slowed to 900 ms at p95. I profiled it and found one query per item in the "
    "basket. I rewrote it as a single query with an index. p95 fell to 200 ms the next day."
)
ANSWERS = [
    MODEL,
    "I profiled the API, saw a query per item, batched them into one query, and latency dropped a lot.",
    "fine",
    "I like hiking and cooking pasta on Sundays with friends and family at the lake house.",
]


@pytest.fixture(scope="module")
def scoring():
    pool = ScoringProcesses(1)
    pool.start()
    yield pool
    pool.close()


async def test_a_scoring_process_gives_the_same_critique_as_a_thread(scoring: ScoringProcesses) -> None:
    for answer in ANSWERS:
        score = partial(score_answer, QUESTION, MODEL, answer, requirement="Fix performance problems")
        here = await in_thread(score)
        there = await scoring(score)
        assert there.model_dump() == here.model_dump(), answer[:40]


async def test_a_killed_scoring_process_is_replaced_and_the_answer_is_scored(
    scoring: ScoringProcesses,
) -> None:
    first = await scoring(partial(score_answer, QUESTION, MODEL, ANSWERS[1]))
    pool = scoring._executor()
    for pid in list(pool._processes):  # the worker processes of the pool
        os.kill(pid, signal.SIGKILL)
    again = await scoring(partial(score_answer, QUESTION, MODEL, ANSWERS[1]))
    assert again.model_dump() == first.model_dump()
    assert scoring._executor() is not pool  # a new pool took over
