"""``coach ingest`` while the app runs on the same embedded store: the app lists and opens the new posting.

Before (issue 14): the new posting was listed, but starting a session on it failed with "Error
executing plan: Internal error: Error finding id" until the app restarted (the running app kept its
own in-memory vector index).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.integration.live import AppServer, Chat, header_login_cookie

FIRST = """Warehouse Team Lead (Northwind Depot, Leeds, United Kingdom)

Responsibilities:
Plan daily shifts for a team of twelve and keep the loading schedule on time.
Train new starters on safe use of forklifts and scanners.

Minimum qualifications:
2 years of experience leading a team in a warehouse.
"""

ADDED = """Ward Nurse (St Mary's Hospital, Bristol, United Kingdom)

Responsibilities:
Assess and monitor patients on a surgical ward and record their observations.
Give medicines safely and explain care plans to patients and their families.

Minimum qualifications:
Registered nurse with 1 year of experience on a hospital ward.
"""


def test_a_posting_ingested_while_the_app_runs_is_listed_and_a_session_starts(tmp_path: Path) -> None:
    (tmp_path / "first").mkdir()
    (tmp_path / "first" / "warehouse.txt").write_text(FIRST)
    (tmp_path / "added").mkdir()
    (tmp_path / "added" / "nurse.txt").write_text(ADDED)
    server = AppServer(tmp_path / "data")  # local mode: no users file
    server.ingest([tmp_path / "first"])
    server.start()
    try:

        async def scenario() -> tuple[str, str, str]:
            cookie = header_login_cookie(server.url)
            before = Chat(server.url, cookie)
            await before.connect()
            # The app reads every part of the store before the other process writes: the list, a
            # search by meaning (the postings' vectors) and a session (the requirements' vectors).
            await before.wait_for("(1 stored)", timeout=60)
            await before.send("a job in logistics")
            await before.wait_for(lambda t: "of 1)" in t, timeout=120)  # listed or not: it searched
            await before.send("1")
            await before.wait_for("_Why this question:_", timeout=120)
            await before.close()
            output = await asyncio.to_thread(server.ingest, [tmp_path / "added"])
            chat = Chat(server.url, cookie)
            await chat.connect()
            await chat.wait_for("(2 stored)", timeout=60)
            await chat.send("an interview for a nursing job")  # by meaning: the new posting's vectors
            listed = await chat.wait_for(lambda t: "Ward Nurse" in t or "rror" in t, timeout=120)
            await chat.send("1")
            started = await chat.wait_for(lambda t: "_Why this question:_" in t or "rror" in t, timeout=120)
            errors = [t for t in chat.assistant_texts() if "Error finding id" in t or "Error executing" in t]
            await chat.close()
            assert not errors, errors
            return output, str(listed["output"]), str(started["output"])

        output, listed, started = asyncio.run(scenario())
    finally:
        server.stop()
    assert "Ward Nurse" in output
    assert "Ward Nurse" in listed
    assert "_Why this question:_" in started, started
    assert "Error finding id" not in server.log_tail(400)
