"""The login page when the login throttle refuses (HTTP 429): one clear line, not a generic error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import AppServer
from tests.e2e.helpers import ASSISTANT, SLOW

pytestmark = pytest.mark.e2e

PASSWORD = "dora-password"


@pytest.fixture(scope="module")
def throttled_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    # Its own server: the throttle counts per address too, and every browser test is 127.0.0.1.
    from core.users import add_user

    root = tmp_path_factory.mktemp("e2e-login")
    users_file = root / "users.txt"
    add_user(users_file, "dora", PASSWORD)
    server = AppServer(root / "data", users_file=users_file)
    server.start()
    yield server
    server.stop()


def _sign_in(page: Page, name: str, password: str) -> None:
    page.fill("#email", name)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign In").click()


def test_a_throttled_login_says_how_long_to_wait(page: Page, throttled_server: AppServer, shot: Any) -> None:
    page.goto(throttled_server.url)
    page.wait_for_selector("#email", timeout=SLOW)
    alert = page.get_by_role("alert")
    statuses = []
    for _ in range(12):  # five free failures, then waits of 1, 2, 4 ... s: soon a try is inside its wait
        with page.expect_response(lambda r: r.url.endswith("/login")) as response:
            _sign_in(page, "dora", "wrong")
        statuses.append(response.value.status)
        if statuses[-1] == 429:
            break
        expect(alert).to_have_text("Unable to sign in", timeout=30_000)  # Chainlit's own, for a 401
    assert statuses[:5] == [401] * 5 and statuses[-1] == 429, statuses
    expect(alert).to_have_text(re.compile(r"^Too many failed logins: try again in \d+ s$"), timeout=10_000)
    expect(page.get_by_text("Unable to sign in")).to_have_count(0)
    expect(page.get_by_text("Too Many Requests")).to_have_count(0)
    shot(page, "throttled")

    # Once the wait is over the right password gets in, and the line does not stay behind.
    wait_s = int(re.findall(r"\d+", alert.inner_text())[0])
    page.wait_for_timeout(1000 * wait_s + 500)
    _sign_in(page, "dora", PASSWORD)
    expect(page.locator(ASSISTANT).first).to_contain_text("No postings stored yet", timeout=SLOW)
