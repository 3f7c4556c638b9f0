"""Access and hostile input against the live app: a real ``chainlit run app.py`` with a users file.

Each test is what a person (or a script with a copied cookie) does over HTTP and the socket; each
fails without its fix in ``app.py`` / ``ui/compat.py`` (issue 14).
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import socketio

from core.users import add_user
from tests.integration.live import BIN, AppServer, Chat, list_threads, login_cookie

USERS = {"alice": "alice-password", "bob": "bob-password", "carol": "carol-password"}


@pytest.fixture(scope="module")
def users_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("live-users") / "users.txt"
    for name, password in USERS.items():
        add_user(path, name, password)
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, users_file: Path) -> Iterator[AppServer]:
    """The app with password login and no postings (none of these checks needs one)."""
    app = AppServer(tmp_path_factory.mktemp("live-access") / "data", users_file=users_file)
    app.start()
    yield app
    app.stop()


def _refused_socket(url: str, cookie: str) -> bool:
    async def attempt() -> bool:
        chat = Chat(url, cookie)
        try:
            await chat.connect()
        except socketio.exceptions.ConnectionError:
            return True
        await chat.close()
        return False

    return asyncio.run(attempt())


def test_after_logout_the_old_cookie_opens_nothing(server: AppServer) -> None:
    cookie = login_cookie(server.url, "alice", USERS["alice"])
    assert list_threads(server.url, cookie).status_code == 200
    assert not _refused_socket(server.url, cookie)
    logout = httpx.post(server.url + "/logout", headers={"Cookie": cookie}, timeout=30)
    assert logout.status_code == 200
    # A copy of the cookie (the browser's is cleared) must not list threads or open the socket.
    refused = list_threads(server.url, cookie)
    assert refused.status_code == 401 and "logged out" in refused.json()["detail"]
    assert _refused_socket(server.url, cookie)
    assert list_threads(server.url, login_cookie(server.url, "alice", USERS["alice"])).status_code == 200


def test_a_removed_user_loses_access_on_the_next_request(server: AppServer, users_file: Path) -> None:
    cookie = login_cookie(server.url, "bob", USERS["bob"])
    assert list_threads(server.url, cookie).status_code == 200
    done = subprocess.run(
        [str(BIN / "coach"), "users", "remove", "bob", "--file", str(users_file)],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    refused = list_threads(server.url, cookie)
    assert refused.status_code == 401 and "no longer exists" in refused.json()["detail"]
    assert _refused_socket(server.url, cookie)


def test_the_edit_message_event_is_refused(server: AppServer) -> None:
    cookie = login_cookie(server.url, "alice", USERS["alice"])

    async def scenario() -> tuple[Chat, str]:
        chat = Chat(server.url, cookie)
        await chat.connect()
        await chat.wait_for("No postings stored yet", timeout=60)
        sent = await chat.send("99")
        await chat.wait_for("no posting number 99", timeout=60)
        # What a client does to rewrite an answer after its critique; Chainlit 2.12 would store the
        # new text and run on_message again (here: a reply about posting 98).
        await chat.sio.emit("edit_message", {"message": {"id": sent, "output": "98"}})
        await asyncio.sleep(4)
        await chat.close()
        return chat, sent

    chat, sent = asyncio.run(scenario())
    assert not [t for t in chat.assistant_texts() if "98" in t]
    assert not [d for e, d in chat.events if e == "update_message" and d.get("id") == sent]
    assert chat.thread_id is not None
    thread = httpx.get(
        f"{server.url}/project/thread/{chat.thread_id}", headers={"Cookie": cookie}, timeout=30
    ).json()
    [stored] = [s for s in thread["steps"] if s["id"] == sent]
    assert stored["output"] == "99"
    assert "Refused socket event edit_message" in server.log_tail(200)


def test_an_empty_upload_is_a_400_that_names_the_file_not_a_server_path(server: AppServer) -> None:
    cookie = login_cookie(server.url, "alice", USERS["alice"])

    async def scenario() -> tuple[httpx.Response, str]:
        chat = Chat(server.url, cookie)
        await chat.connect()
        await chat.wait_for("No postings stored yet", timeout=60)
        empty = await asyncio.to_thread(chat.upload, "empty.txt", b"")
        # A file that is not text at all: its error must name it as the user knows it.
        binary = await asyncio.to_thread(chat.upload, "binary.txt", bytes(range(256)) * 64)
        assert binary.status_code == 200, binary.text
        await chat.send("", files=[binary.json()["id"]])
        reply = await chat.wait_for("binary.txt", timeout=60)
        await chat.close()
        return empty, str(reply["output"])

    empty, reply = asyncio.run(scenario())
    assert empty.status_code == 400, empty.text
    detail = empty.json()["detail"]
    assert detail.startswith("empty.txt is empty")
    for text in (detail, reply):
        assert "/tmp" not in text and str(server.data_dir) not in text, text
        assert "coach-upload" not in text and "upload-" not in text, text


def test_a_message_over_1_mb_is_answered_and_the_socket_stays(server: AppServer) -> None:
    cookie = login_cookie(server.url, "alice", USERS["alice"])

    async def scenario() -> tuple[Chat, str, str]:
        chat = Chat(server.url, cookie)
        await chat.connect()
        await chat.wait_for("No postings stored yet", timeout=60)
        await chat.send("x" * (1024 * 1024 + 10))
        refusal = await chat.wait_for("over the 1 MB", timeout=30)
        await chat.send("99")  # the same socket still works
        after = await chat.wait_for("no posting number 99", timeout=30)
        disconnected = chat.disconnected.is_set()
        await chat.close()
        assert not disconnected
        return chat, str(refusal["output"]), str(after["output"])

    chat, refusal, _ = asyncio.run(scenario())
    assert "it was not sent" in refusal
    # Not stored either: nothing the client got back carries the megabyte.
    assert all(len(str(data)) < 1024 * 1024 for _, data in chat.events)


def test_many_wrong_passwords_in_a_row_get_429(tmp_path: Path, users_file: Path) -> None:
    # Its own server: the throttle also counts per address, and every test here is 127.0.0.1.
    app = AppServer(tmp_path / "data", users_file=users_file)
    app.start()
    try:
        statuses = []
        for _ in range(8):
            began = time.monotonic()
            response = httpx.post(
                app.url + "/login", data={"username": "carol", "password": "wrong"}, timeout=30
            )
            statuses.append((response.status_code, time.monotonic() - began))
        codes = [code for code, _ in statuses]
        assert codes[:5] == [401] * 5, codes
        assert set(codes[5:]) == {429}, codes
        assert "try again in" in response.json()["detail"]
        # Refused without checking the password: no scrypt run, answered at once.
        assert max(seconds for code, seconds in statuses if code == 429) < 0.5
        # Even the right password waits out the delay.
        right = httpx.post(
            app.url + "/login", data={"username": "carol", "password": USERS["carol"]}, timeout=30
        )
        assert right.status_code == 429
        time.sleep(float(right.json()["detail"].split("try again in ")[1].split(" s")[0]) + 0.2)
        right = httpx.post(
            app.url + "/login", data={"username": "carol", "password": USERS["carol"]}, timeout=30
        )
        assert right.status_code == 200
    finally:
        app.stop()
