"""Sessions are LangGraph checkpoints in SQLite, read and written on the event loop's thread.

Databases written by earlier versions of the app (LangGraph's ``AsyncSqliteSaver``, same tables)
must resume exactly, and the other way round.
"""

from __future__ import annotations

import aiosqlite
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from chains.session.checkpoints import LoopSqliteSaver
from chains.session.coach import Coach, SessionOptions
from chains.session.graph import builder
from core.settings import get_settings
from tests.engine_fixtures import ingest, partial_answer, strong_answer


async def test_a_session_written_by_the_earlier_async_saver_resumes_with_its_history() -> None:
    posting = ingest()
    async with Coach() as coach:
        await coach._compiled()
        assert coach._saver is not None
        async with aiosqlite.connect(str(get_settings().checkpoint_db)) as conn:
            old = AsyncSqliteSaver(conn, serde=coach._saver.serde)
            coach._graph = builder.compile(checkpointer=old)  # the app before this version
            turn = await coach.start(posting.id, SessionOptions(questions=3), user_id="alice")
            assert turn.question is not None
            first = await coach.answer(turn.thread_id, strong_answer(turn.question))
            assert first.question is not None
            second = first.question
            written = await coach.history(turn.thread_id)

    async with Coach() as coach:  # this version, a new process
        resumed = await coach.current(turn.thread_id, user_id="alice")
        assert resumed is not None and resumed.question is not None
        assert resumed.question.model_dump() == second.model_dump()
        history = await coach.history(turn.thread_id)
        assert [h.model_dump() for h in history] == [h.model_dump() for h in written]
        after = await coach.answer(turn.thread_id, partial_answer(second.model_answer))
        assert after.critique is not None and after.answered == 2


async def _one_answered_session(coach: Coach, user_id: str) -> tuple[str, LoopSqliteSaver]:
    """A new session on the sample posting with its first question answered; its id and the saver."""
    turn = await coach.start(ingest().id, SessionOptions(questions=2), user_id=user_id)
    assert turn.question is not None
    await coach.answer(turn.thread_id, turn.question.model_answer)
    assert coach._saver is not None
    return turn.thread_id, coach._saver


async def test_the_earlier_async_saver_reads_what_this_version_wrote() -> None:
    async with Coach() as coach:
        thread_id, saver = await _one_answered_session(coach, "bob")
        config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
        ours = saver.get_tuple(config)
        serde = saver.serde
    assert ours is not None
    async with aiosqlite.connect(str(get_settings().checkpoint_db)) as conn:
        theirs = await AsyncSqliteSaver(conn, serde=serde).aget_tuple(config)
    assert theirs is not None
    assert theirs.checkpoint["id"] == ours.checkpoint["id"]
    assert theirs.checkpoint["channel_values"] == ours.checkpoint["channel_values"]


async def test_a_sessions_checkpoints_are_listed_newest_first() -> None:
    async with Coach() as coach:
        thread_id, saver = await _one_answered_session(coach, "erin")
        config = {"configurable": {"thread_id": thread_id}}
        listed = [item async for item in saver.alist(config)]
        latest = await saver.aget_tuple(config)
    assert len(listed) >= 2
    assert latest is not None and listed[0].checkpoint["id"] == latest.checkpoint["id"]
    ids = [item.checkpoint["id"] for item in listed]
    assert ids == sorted(ids, reverse=True)
