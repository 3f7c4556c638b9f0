"""Browser tests: a real ``chainlit run app.py`` (one per session) driven by Debian's Chromium.

The server gets its own data dir with the bundled postings ingested and a users file with two users,
so password login, history and isolation are the real thing. Screenshots go to tests/e2e/artifacts/.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _app_server import BIN, REPO, AppServer, bundled_postings  # noqa: E402, F401 (re-exported to tests)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
USERS = {"alice": "alice-password", "bob": "bob-password"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run 'make browser' (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "accept_downloads": True}


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The app on a free port: bundled postings ingested, users alice and bob."""
    from core.users import add_user

    root = tmp_path_factory.mktemp("e2e")
    users_file = root / "users.txt"
    for name, password in USERS.items():
        add_user(users_file, name, password)
    server = AppServer(root / "data", users_file=users_file)
    postings = bundled_postings()
    if not postings:
        pytest.skip("no sample postings: knowledge/postings is empty and ../shared is absent")
    server.ingest(postings)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Any:
    """shot(page, name): save a screenshot under tests/e2e/artifacts/<test>-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page: Any, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
