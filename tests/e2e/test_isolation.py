"""Two people on one server: neither sees nor opens the other's sessions."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import USERS
from tests.e2e.helpers import SLOW, login, messages, pick_first_posting, questions, threads_of

pytestmark = pytest.mark.e2e


def test_users_see_and_open_only_their_own_threads(
    browser: Browser, browser_context_args: dict[str, Any], app_server: Any, shot: Any
) -> None:
    url = app_server.url
    alice = browser.new_context(**browser_context_args).new_page()
    login(alice, url, "alice", USERS["alice"])
    pick_first_posting(alice)
    alice_question = questions(alice).last.inner_text().split("\n")[2]
    alice_threads = threads_of(app_server.data_dir, "alice")
    assert alice_threads

    bob = browser.new_context(**browser_context_args).new_page()
    login(bob, url, "bob", USERS["bob"])
    pick_first_posting(bob)
    [bob_thread] = threads_of(app_server.data_dir, "bob")
    expect(bob.locator(f"a[href='/thread/{bob_thread['id']}']")).to_be_visible(timeout=SLOW)
    shot(bob, "1-bob-sidebar")
    for thread in alice_threads:  # Bob's sidebar lists none of Alice's sessions
        expect(bob.locator(f"a[href='/thread/{thread['id']}']")).to_have_count(0)

    # Opening Alice's thread by its URL shows Bob nothing of hers, and the API refuses him.
    target = alice_threads[0]["id"]
    bob.goto(f"{url}/thread/{target}")
    expect(bob.get_by_text("Couldn't resume chat")).to_be_visible(timeout=SLOW)  # Chainlit's refusal
    shot(bob, "2-bob-opens-alice-url")
    expect(bob.get_by_text(alice_question)).to_have_count(0)
    expect(messages(bob, "Welcome back.")).to_have_count(0)
    response = bob.request.get(f"{url}/project/thread/{target}")
    assert response.status in (401, 403, 404), response.status

    # And Alice, in her own browser, does not see Bob's session.
    alice.reload()
    expect(alice.locator(f"a[href='/thread/{alice_threads[0]['id']}']")).to_be_visible(timeout=SLOW)
    expect(alice.locator(f"a[href='/thread/{bob_thread['id']}']")).to_have_count(0)
    assert alice.request.get(f"{url}/project/thread/{bob_thread['id']}").status in (401, 403, 404)
    assert alice.request.get(f"{url}/project/thread/{target}").status == 200
