"""A session survives a restart: two turns in one process, resumed exactly in another."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from chains.critic.scorer import score_question
from chains.models import Question
from chains.session.coach import Coach, SessionOptions
from tests.engine_fixtures import ingest, partial_answer

REPO = Path(__file__).resolve().parents[2]

FIRST_PROCESS = """
import asyncio, json, sys
from chains.session.coach import Coach, SessionOptions
from tests.engine_fixtures import partial_answer, strong_answer

async def main():
    async with Coach() as coach:
        turn = await coach.start(sys.argv[1], SessionOptions(questions=3), user_id="alice")
        turn = await coach.answer(turn.thread_id, strong_answer(turn.question))
        second = turn.question
        turn = await coach.answer(turn.thread_id, partial_answer(second.model_answer))
        history = await coach.history(turn.thread_id)
        print(json.dumps({
            "thread_id": turn.thread_id,
            "turn": turn.model_dump(mode="json"),
            "second": second.model_dump(mode="json"),
            "history": [item.model_dump(mode="json") for item in history],
        }))

asyncio.run(main())
"""

SECOND_PROCESS = """
import asyncio, json, sys
from chains.session.coach import Coach

async def main():
    async with Coach() as coach:
        turn = await coach.current(sys.argv[1], "alice")
        history = await coach.history(sys.argv[1])
        print(json.dumps({"turn": turn.model_dump(mode="json"),
                          "history": [item.model_dump(mode="json") for item in history]}))

asyncio.run(main())
"""


def _run(code: str, *args: str) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


async def test_session_resumes_in_a_new_process_exactly_where_it_stopped() -> None:
    posting = ingest()
    before = _run(FIRST_PROCESS, posting.id)
    thread_id = before["thread_id"]
    pending = before["turn"]["question"]
    assert pending["is_follow_up"], "the second answer was weak: a follow-up is pending"

    after = _run(SECOND_PROCESS, thread_id)
    turn = after["turn"]
    assert turn["question"] == pending
    assert turn["answered"] == before["turn"]["answered"] == 2
    assert turn["planned"] == 3 and not turn["done"]
    assert turn["critique"] == before["turn"]["critique"]
    assert after["history"] == before["history"]
    assert [h["critique"]["score"] for h in after["history"]] == [
        h["critique"]["score"] for h in before["history"]
    ]

    # And it goes on from there, in this (third) process: the follow-up's answer is scored together
    # with the first answer, which was carried through the restart.
    async with Coach() as coach:
        resumed = await coach.current(thread_id, "alice")
        assert resumed is not None and resumed.question is not None
        assert resumed.question.model_dump(mode="json") == pending
        second = before["second"]
        first_try = before["history"][-1]["answer"]
        rest = "I measured the result and wrote down what I learned."
        turn2 = await coach.answer(thread_id, rest)
        # Scored as the session scores it: the question as asked, its kind and guide included.
        expected = score_question(
            Question.model_validate(second), f"{first_try}\n\n{rest}", turn2.posting_title or None
        )
        assert turn2.critique is not None and turn2.critique.score == expected.score
        assert turn2.question is not None and not turn2.question.is_follow_up
        assert len(await coach.history(thread_id)) == 3


async def test_a_kept_state_equals_the_stored_one_and_yields_to_a_newer_checkpoint() -> None:
    # The facade keeps the state it last stored or read, to skip decoding it again on the next
    # read; it must be what the checkpoint holds, and a write from elsewhere must replace it.
    posting = ingest()
    async with Coach() as coach, Coach() as elsewhere:
        turn = await coach.start(posting.id, SessionOptions(questions=3), user_id="alice")
        assert turn.question is not None
        turn = await coach.answer(turn.thread_id, partial_answer(turn.question.model_answer))
        kept = await coach._load(turn.thread_id)
        assert kept is not None and coach._states[turn.thread_id][1] is kept  # the kept one
        assert kept == await elsewhere._load(turn.thread_id)  # decoded from the file afresh

        moved_on = await elsewhere.answer(turn.thread_id, "I measured the result and wrote it down.")
        seen = await coach.current(turn.thread_id, "alice")
        assert seen is not None and seen.exchanges == moved_on.exchanges == 2
        assert seen.question == moved_on.question


NEVER_CLOSED = """
import asyncio, sys
from chains.session.coach import Coach, SessionOptions

coach = Coach()  # like a server's module-level instance: never closed

async def main():
    turn = await coach.start(sys.argv[1], SessionOptions(questions=1))
    print(turn.thread_id)

asyncio.run(main())
"""


def test_a_process_that_never_closes_the_coach_still_exits() -> None:
    posting = ingest()
    done = subprocess.run(
        [sys.executable, "-c", NEVER_CLOSED, posting.id], cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout.strip().splitlines()[-1]) == 32
