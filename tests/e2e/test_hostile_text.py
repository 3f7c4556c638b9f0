"""User text that names another server is shown without the browser fetching it, live and after reload.

Before (issue 14): an answer with ``![x](http://127.0.0.1:8799/b)`` made Chromium fetch the URL when
the message was shown, and again on every reload of the thread. The app's Content-Security-Policy
(``ui/guard.py``) allows images only from the app itself.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import USERS
from tests.e2e.helpers import SLOW, answer, login, messages, questions

pytestmark = pytest.mark.e2e

# A 1x1 transparent PNG: what a tracking pixel would send.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class _Hits:
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.lock = threading.Lock()


@pytest.fixture
def listener() -> Iterator[tuple[str, _Hits]]:
    """A tiny HTTP server on a free port that records every request; (base URL, its hits)."""
    hits = _Hits()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the http.server name)
            with hits.lock:
                hits.paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PIXEL)))
            self.end_headers()
            self.wfile.write(PIXEL)

        def log_message(self, *_: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_an_image_in_an_answer_is_never_fetched(
    page: Page, app_server: Any, listener: tuple[str, _Hits], shot: Any
) -> None:
    base, hits = listener
    login(page, app_server.url, "alice", USERS["alice"])
    # Not the first posting: test_practice counts alice's sessions on that one and their question order.
    chooser = messages(page, "Choose a posting").first
    chooser.get_by_role("button", name=re.compile("Registered Nurse")).click()
    expect(questions(page).first).to_be_visible(timeout=SLOW)
    text = (
        "I planned the work with my team and shipped on time. "
        f'![chart]({base}/markdown.png) and <img src="{base}/html.png"> and [link]({base}/link)'
    )
    card = answer(page, text)
    assert "Score" in card
    user_step = page.locator(".step[data-step-type='user_message']").filter(has_text="I planned the work")
    expect(user_step.last).to_be_visible(timeout=SLOW)
    page.wait_for_timeout(1500)  # time for an image request to go out, had the page allowed it
    shot(page, "live")
    assert hits.paths == [], f"the browser fetched {hits.paths} while showing the answer"

    page.reload()
    expect(messages(page, "Welcome back.")).to_have_count(1, timeout=SLOW)
    expect(user_step.last).to_be_visible(timeout=SLOW)
    page.wait_for_timeout(1500)
    shot(page, "after-reload")
    assert hits.paths == [], f"the browser fetched {hits.paths} on reload of the thread"
