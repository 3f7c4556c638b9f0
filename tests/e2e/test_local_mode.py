"""Without a users file the app runs for one local user, logged in automatically, with history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AppServer
from tests.e2e.helpers import SLOW, messages, named_thread, threads_of

pytestmark = pytest.mark.e2e

POSTING = """Warehouse Team Lead (Northwind Depot, Leeds, United Kingdom)

Responsibilities:
Plan daily shifts for a team of twelve and keep the loading schedule on time.
Train new starters on safe use of forklifts and scanners.

Minimum qualifications:
2 years of experience leading a team in a warehouse.
"""


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    root = tmp_path_factory.mktemp("e2e-local")
    (root / "postings").mkdir()
    (root / "postings" / "warehouse.txt").write_text(POSTING)
    server = AppServer(root / "data")  # no users file
    server.ingest([root / "postings"])
    server.start()
    yield server
    server.stop()


def test_local_user_is_logged_in_and_keeps_history(page: Page, local_server: AppServer, shot: Any) -> None:
    page.goto(local_server.url)
    expect(messages(page, "Choose a posting").first).to_contain_text("Warehouse Team Lead", timeout=SLOW)
    expect(page.locator("#email")).to_have_count(0)  # no login form
    page.get_by_role("button", name="Warehouse Team Lead · Northwind Depot").click()
    expect(messages(page, "Why this question:").first).to_be_visible(timeout=SLOW)
    # "#N · day month hh:mm · title": N counts this user's sessions on the posting.
    name = r"#\d+ · \d+ \w{3} \d\d:\d\d · Warehouse Team Lead"
    thread = named_thread(Path(local_server.data_dir), "local", name)
    assert len(threads_of(Path(local_server.data_dir), "local")) == 1
    assert re.fullmatch(name, thread["name"]), thread["name"]
    expect(page.locator(f"a[href='/thread/{thread['id']}']")).to_be_visible(timeout=SLOW)
    shot(page, "local-mode")
