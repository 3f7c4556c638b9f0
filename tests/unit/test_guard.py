"""The front door (ui/guard.py) as an ASGI app: Host, Origin, upload size, CSP."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ui import guard


async def _inner(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.accept"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


async def _call(
    app: Any, path: str, headers: dict[str, str], *, kind: str = "http", method: str = "GET"
) -> Any:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": kind, "path": path, "method": method, "client": ("10.1.2.3", 5555),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    await app(scope, receive, send)
    return sent


def _local() -> guard.Guard:
    return guard.Guard(_inner, allowed_hosts=guard.LOOPBACK_NAMES, max_upload_bytes=2 * 1024 * 1024)


@pytest.mark.parametrize("host", ["attacker.example:8000", "attacker.example", "10.0.0.5:8000"])
async def test_local_mode_refuses_other_host_names(host: str) -> None:
    sent = await _call(_local(), "/auth/header", {"host": host}, method="POST")
    assert sent[0]["status"] == 421
    assert "is not served here" in json.loads(sent[1]["body"])["detail"]


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "localhost"])
async def test_local_mode_serves_loopback_names(host: str) -> None:
    sent = await _call(_local(), "/auth/header", {"host": host}, method="POST")
    assert sent[0]["status"] == 200


async def test_password_mode_does_not_check_the_host() -> None:
    app = guard.Guard(_inner, allowed_hosts=None, max_upload_bytes=1024)
    assert (await _call(app, "/", {"host": "coach.example.org"}))[0]["status"] == 200


async def test_the_socket_refuses_another_origin_and_accepts_its_own() -> None:
    other = await _call(
        _local(), "/ws/socket.io/", {"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:8799"},
        kind="websocket",
    )
    assert other[0]["type"] == "websocket.close"
    own = await _call(
        _local(), "/ws/socket.io/", {"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:8000"},
        kind="websocket",
    )
    assert own[0]["type"] == "websocket.accept"
    scripted = await _call(_local(), "/ws/socket.io/", {"host": "127.0.0.1:8000"}, kind="websocket")
    assert scripted[0]["type"] == "websocket.accept"  # no Origin: not a browser, carries no victim's cookie


async def test_an_oversized_upload_is_refused_from_its_length_before_its_body_is_read() -> None:
    read: list[int] = []

    async def reading(scope: Any, receive: Any, send: Any) -> None:
        read.append(1)
        await _inner(scope, receive, send)

    app = guard.Guard(reading, allowed_hosts=guard.LOOPBACK_NAMES, max_upload_bytes=2 * 1024 * 1024)
    sent = await _call(
        app, "/project/file", {"host": "localhost", "content-length": str(200 * 1024 * 1024)}, method="POST"
    )
    assert sent[0]["status"] == 413 and not read
    assert "larger than 2 MB" in json.loads(sent[1]["body"])["detail"]
    missing = await _call(app, "/project/file", {"host": "localhost"}, method="POST")
    assert missing[0]["status"] == 411
    fine = await _call(app, "/project/file", {"host": "localhost", "content-length": "5000"}, method="POST")
    assert fine[0]["status"] == 200 and read


async def test_every_page_forbids_fetching_images_from_elsewhere() -> None:
    sent = await _call(_local(), "/", {"host": "localhost"})
    headers = dict(sent[0]["headers"])
    assert headers[b"content-security-policy"] == guard.CSP.encode()
    assert "img-src 'self' data: blob:" in guard.CSP


async def test_the_client_address_is_known_during_the_request() -> None:
    seen: list[str | None] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(guard.client_address())
        await _inner(scope, receive, send)

    await _call(guard.Guard(app, allowed_hosts=None, max_upload_bytes=1), "/login", {"host": "x"})
    assert seen == ["10.1.2.3"] and guard.client_address() is None
