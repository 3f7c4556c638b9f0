"""Chainlit's 1 ms sleep per message and step is gone, and their time stamps still come in order."""

from __future__ import annotations

import time
from datetime import datetime

import chainlit as cl
import chainlit.message
import pytest
from chainlit.context import init_http_context

from ui import compat


async def test_messages_and_steps_are_made_without_sleeping(monkeypatch: pytest.MonkeyPatch) -> None:
    compat.no_sleep_per_message()

    def refuse(_seconds: float) -> None:
        raise AssertionError("Chainlit slept on the event loop")

    init_http_context()  # a message needs a context to belong to
    monkeypatch.setattr(time, "sleep", refuse)
    cl.Message(content="a card")
    cl.Step(name="Retrieved requirements", type="retrieval")


def test_stamps_stay_distinct_and_increasing_without_the_sleep() -> None:
    compat.no_sleep_per_message()
    stamps = [chainlit.message.utc_now() for _ in range(2000)]  # type: ignore[attr-defined]
    parsed = [datetime.fromisoformat(s.removesuffix("Z")) for s in stamps]
    assert all(a < b for a, b in zip(parsed, parsed[1:], strict=False))
    assert stamps[0].endswith("Z") and "+" not in stamps[0]  # Chainlit's own format
