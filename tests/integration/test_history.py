"""Chat history on real SQLite through Chainlit's own SQLAlchemy data layer: schema, threads, isolation."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from typing import Any

import pytest
from chainlit.context import init_http_context
from chainlit.types import Pagination, ThreadFilter
from chainlit.user import User

from core.errors import SetupError
from core.settings import get_settings
from ui.history import (
    HistoryDataLayer,
    create_schema,
    make_data_layer,
    schema_statements,
    schema_version,
)


def _step(thread_id: str, output: str, kind: str = "assistant_message") -> dict:
    return {
        "id": str(uuid.uuid4()),
        "threadId": thread_id,
        "name": "Interview Coach",
        "type": kind,
        "output": output,
        "streaming": False,
        "metadata": {},
        "createdAt": "2026-01-01T10:00:00.000Z",
        "start": "2026-01-01T10:00:00.000Z",
        "end": "2026-01-01T10:00:00.000Z",
        "isError": False,
        "waitForAnswer": False,
        "command": None,
        "modes": None,
        "defaultOpen": False,
        "autoCollapse": False,
        "showInput": "json",
        "language": None,
        "parentId": None,
        "tags": None,
        "generation": None,
        "input": "",
    }


def _decoded(value: Any) -> Any:
    # JSONB reads back decoded on PostgreSQL, TEXT reads back as a string on SQLite; Chainlit takes both.
    return json.loads(value) if isinstance(value, str) else value


def _timed_step(thread_id: str, output: str, second: int, kind: str = "assistant_message") -> dict:
    """A step stored at 10:00:``second``: PostgreSQL returns steps with equal times in any order."""
    step = _step(thread_id, output, kind)
    at = f"2026-01-01T10:00:{second:02d}.000Z"
    step.update(createdAt=at, start=at, end=at)
    return step


async def test_schema_is_created_idempotently_under_data_dir() -> None:
    url = get_settings().history_db_url
    await create_schema(url)
    await create_schema(url)  # second run changes nothing and does not fail
    db = get_settings().data_dir / "history.sqlite"
    tables = {
        row[0] for row in sqlite3.connect(db).execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert {"users", "threads", "steps", "elements", "feedbacks"} <= tables
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_schema_file_is_versioned_and_fills_every_type_slot() -> None:
    assert schema_version() >= 1
    for dialect in ("sqlite", "postgresql"):
        statements = schema_statements(dialect)
        assert len(statements) == 8 and not any("{" in s for s in statements)


def test_unsupported_database_is_one_clear_line() -> None:
    with pytest.raises(SetupError, match="not supported"):
        schema_statements("mysql")
    postgres = "\n".join(schema_statements("postgresql"))
    assert '"metadata" JSONB' in postgres and '"id" UUID PRIMARY KEY' in postgres and "TEXT[]" in postgres


async def test_two_users_see_only_their_own_threads() -> None:
    init_http_context()  # an HTTP context: the data layer writes at once instead of queueing
    settings = get_settings()
    layer = make_data_layer(settings)
    assert isinstance(layer, HistoryDataLayer) and layer.engine.dialect.name == "sqlite"
    try:
        await two_users_scenario(layer, thread_tags=False)
    finally:
        await layer.close()


async def two_users_scenario(layer: HistoryDataLayer, *, thread_tags: bool) -> None:
    """Two users' threads, steps, renames, searches and deletes: each sees only their own.

    ``thread_tags``: the database stores a thread's tags (a PostgreSQL array; SQLite has none).
    """
    alice = await layer.create_user(User(identifier="alice", metadata={"role": "candidate"}))
    bob = await layer.create_user(User(identifier="bob"))
    assert alice and bob and alice.id != bob.id
    again = await layer.get_user("alice")
    assert again is not None and again.id == alice.id and again.metadata == {"role": "candidate"}
    assert await layer.create_user(User(identifier="alice")) is not None  # a second login is no error

    a_thread, b_thread = str(uuid.uuid4()), str(uuid.uuid4())
    await layer.update_thread(
        a_thread, name="Practice: Data Engineer", user_id=alice.id, metadata={"posting_id": "p1"}
    )
    tags = ["tw"] if thread_tags else None
    await layer.update_thread(b_thread, name="Practice: Technical Writer", user_id=bob.id, tags=tags)
    await layer.create_step(_timed_step(a_thread, "Question 1 of 5 <script>x</script>", 1))
    await layer.create_step(_timed_step(a_thread, "My answer", 2, "user_message"))
    await layer.create_step(_timed_step(b_thread, "Question 1 of 3", 1))

    page = await layer.list_threads(Pagination(first=20), ThreadFilter(userId=alice.id))
    assert [t["id"] for t in page.data] == [a_thread]
    assert [s["output"] for s in page.data[0]["steps"]] == [
        "Question 1 of 5 <script>x</script>",
        "My answer",
    ]
    page_b = await layer.list_threads(Pagination(first=20), ThreadFilter(userId=bob.id))
    assert [t["id"] for t in page_b.data] == [b_thread]
    if thread_tags:
        assert page_b.data[0]["tags"] == ["tw"]

    # The check Chainlit makes before opening a thread by URL: who wrote it.
    assert await layer.get_thread_author(a_thread) == "alice"
    assert await layer.get_thread_author(b_thread) == "bob"
    thread = await layer.get_thread(a_thread)
    assert thread is not None and thread["name"] == "Practice: Data Engineer"
    assert thread["userIdentifier"] == "alice"

    # Renaming keeps the metadata; search filters within the user's own threads only.
    await layer.update_thread(a_thread, name="Practice: Data Engineer (2)")
    renamed = await layer.get_thread(a_thread)
    assert renamed and renamed["name"] == "Practice: Data Engineer (2)"
    assert _decoded(renamed["metadata"]) == {"posting_id": "p1"}
    hits = await layer.list_threads(Pagination(first=20), ThreadFilter(userId=bob.id, search="answer"))
    assert hits.data == []
    hits_a = await layer.list_threads(
        Pagination(first=20), ThreadFilter(userId=alice.id, search="answer")
    )
    assert [t["id"] for t in hits_a.data] == [a_thread]

    await layer.delete_thread(a_thread)
    assert await layer.get_thread(a_thread) is None
    assert (await layer.list_threads(Pagination(first=20), ThreadFilter(userId=alice.id))).data == []
    assert [
        t["id"]
        for t in (await layer.list_threads(Pagination(first=20), ThreadFilter(userId=bob.id))).data
    ] == [b_thread]

async def concurrent_steps_scenario(layer: HistoryDataLayer) -> None:
    """Three sessions store ten steps each at once, edit one and delete one: reads see it all."""
    owner = await layer.create_user(User(identifier="carol"))
    assert owner is not None
    threads = [str(uuid.uuid4()) for _ in range(3)]
    for n, thread_id in enumerate(threads):
        await layer.update_thread(thread_id, name=f"Practice {n}", user_id=owner.id)

    async def session(thread_id: str) -> list[dict]:
        steps = []
        for n in range(10):
            step = _step(thread_id, f"{thread_id[:4]} step {n}")
            step["createdAt"] = f"2026-01-01T10:00:{n:02d}.000Z"
            steps.append(step)
            await layer.create_step(step)
        await layer.update_step({**steps[3], "output": "edited"})
        await layer.delete_step(steps[5]["id"])
        return steps

    written = await asyncio.gather(*(session(t) for t in threads))

    for thread_id, steps in zip(threads, written, strict=True):
        thread = await layer.get_thread(thread_id)
        assert thread is not None
        expected = [s["output"] for s in steps]
        expected[3] = "edited"
        del expected[5]
        assert [s["output"] for s in thread["steps"]] == expected


async def test_steps_written_at_once_by_many_sessions_read_back_complete_and_in_order() -> None:
    # Steps are queued and written in batches; a read must still see every one, with the last
    # update of each step, in the order they were created; a deleted step stays deleted.
    init_http_context()
    settings = get_settings()
    layer = make_data_layer(settings)
    try:
        await concurrent_steps_scenario(layer)
    finally:
        await layer.close()


async def test_the_practice_name_is_not_overwritten_by_chainlits_first_message_name() -> None:
    init_http_context()
    settings = get_settings()
    layer = make_data_layer(settings)
    try:
        owner = await layer.create_user(User(identifier="dave"))
        assert owner is not None
        thread_id = str(uuid.uuid4())
        await layer.update_thread(thread_id, name="1", user_id=owner.id)  # the typed posting number
        await layer.name_thread(thread_id, "Practice: Data Engineer")
        await layer.update_thread(thread_id, name="My first answer")  # a late first-interaction write
        thread = await layer.get_thread(thread_id)
        assert thread is not None and thread["name"] == "Practice: Data Engineer"
    finally:
        await layer.close()


async def test_a_failed_history_write_is_logged_and_the_chat_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    init_http_context()
    settings = get_settings()
    layer = make_data_layer(settings)
    try:
        owner = await layer.create_user(User(identifier="frank"))
        assert owner is not None
        thread_id = str(uuid.uuid4())
        await layer.update_thread(thread_id, name="Practice", user_id=owner.id)
        # A database error inside the writer: logged, nothing raised, later steps still stored.
        async with layer.engine.begin() as conn:
            await conn.exec_driver_sql("ALTER TABLE steps RENAME TO steps_gone")
        await layer.create_step(_step(thread_id, "lost"))
        await layer.flush()
        assert "Could not store" in caplog.text
        async with layer.engine.begin() as conn:
            await conn.exec_driver_sql("ALTER TABLE steps_gone RENAME TO steps")
        await layer.create_step(_step(thread_id, "kept"))
        thread = await layer.get_thread(thread_id)
        assert thread is not None and [s["output"] for s in thread["steps"]] == ["kept"]
    finally:
        await layer.close()


async def test_elements_are_stored_with_the_local_client_and_come_back_with_their_url() -> None:
    import chainlit as cl
    import plotly.graph_objects as go

    init_http_context()
    settings = get_settings()
    layer = make_data_layer(settings)
    try:
        owner = await layer.create_user(User(identifier="erin"))
        assert owner is not None
        thread_id = str(uuid.uuid4())
        await layer.update_thread(thread_id, name="Practice", user_id=owner.id)
        step = _step(thread_id, "## Session summary")
        await layer.create_step(step)
        report = cl.File(name="report.md", content=b"# Report\n", mime="text/markdown", display="inline")
        report.thread_id, report.for_id = thread_id, step["id"]
        chart = cl.Plotly(name="progress", figure=go.Figure(), display="inline")
        chart.thread_id, chart.for_id = thread_id, step["id"]
        await layer.create_element(report)
        await layer.create_element(chart)

        thread = await layer.get_thread(thread_id)
        assert thread is not None
        by_name = {e["name"]: e for e in thread["elements"]}
        assert set(by_name) == {"report.md", "progress"}
        for element in (report, chart):
            stored = by_name[element.name]
            key = f"threads/{thread_id}/files/{element.id}"
            assert stored["objectKey"] == key and stored["url"] == f"/coach/files/{key}"
            assert (settings.data_dir / "files" / key).is_file()
        stored_report = settings.data_dir / "files" / f"threads/{thread_id}/files/{report.id}"
        assert stored_report.read_bytes() == b"# Report\n"

        await layer.delete_thread(thread_id)  # its files go with it
        assert not list((settings.data_dir / "files" / "threads" / thread_id / "files").glob("*-*"))
    finally:
        await layer.close()
