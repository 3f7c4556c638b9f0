"""The sidebar name the app gives a thread wins over Chainlit's first-message name, under load too.

Before: a first-message write ("1", "add_posting") that started before the app named the thread but
landed after it overwrote "Practice: ..." (17 of 31 threads with 30 sessions at once).
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

from core.settings import get_settings
from ui.history import make_data_layer


async def test_the_apps_name_wins_over_a_slower_first_message_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    layer = make_data_layer(get_settings())
    thread_id = str(uuid.uuid4())
    real = SQLAlchemyDataLayer.update_thread

    async def slow_first_message(self: Any, thread_id: str, name: str | None = None, **kw: Any) -> None:
        if name == "1":  # Chainlit's write, held up by SQLite's single writer under load
            await asyncio.sleep(0.3)
        await real(self, thread_id, name=name, **kw)

    monkeypatch.setattr(SQLAlchemyDataLayer, "update_thread", slow_first_message)
    first = asyncio.create_task(layer.update_thread(thread_id, name="1"))
    await asyncio.sleep(0.05)
    await layer.name_thread(thread_id, "Practice: Data Engineer")
    await first
    rows = await layer.execute_sql('SELECT "name" FROM threads WHERE "id" = :id', {"id": thread_id})
    assert isinstance(rows, list) and rows[0]["name"] == "Practice: Data Engineer"
    await layer.close()


async def test_feedback_only_on_ones_own_messages() -> None:
    # Before: PUT /feedback with another user's step id returned 200 (Chainlit checks no ownership).
    from chainlit.types import Feedback
    from chainlit.user import User

    from ui.history import ACTING_USER, NotYours

    layer = make_data_layer(get_settings())
    alice = await layer.create_user(User(identifier="alice"))
    assert alice is not None
    thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
    await layer.update_thread(thread_id, name="Practice: X", user_id=alice.id)
    await layer.execute_sql(
        'INSERT INTO steps ("id", "threadId", "name", "type", "output", "streaming") '
        "VALUES (:id, :t, :n, :k, :o, false)",
        {"id": step_id, "t": thread_id, "n": "Coach", "k": "assistant_message", "o": "card"},
    )

    ACTING_USER.set("bob")
    with pytest.raises(NotYours):
        await layer.upsert_feedback(Feedback(forId=step_id, threadId=thread_id, value=0))
    ACTING_USER.set("alice")
    feedback_id = await layer.upsert_feedback(Feedback(forId=step_id, threadId=thread_id, value=1))
    ACTING_USER.set("bob")
    with pytest.raises(NotYours):
        await layer.delete_feedback(feedback_id)
    with pytest.raises(NotYours):  # nor overwrite it by id, pointed at a step of his own
        await layer.upsert_feedback(
            Feedback(id=feedback_id, forId=str(uuid.uuid4()), threadId=thread_id, value=0)
        )
    ACTING_USER.set("alice")
    assert await layer.delete_feedback(feedback_id)
    await layer.close()
