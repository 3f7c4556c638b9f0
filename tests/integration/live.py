"""A client of the live app (a real ``chainlit run app.py``): HTTP with a cookie, and the page's socket.

The socket client speaks Chainlit's protocol as ``bench/load.py`` does (python-socketio, websocket
transport); it records every event so a test can say what did, and did not, come back.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _app_server import BIN, AppServer, header_login_cookie, login_cookie  # noqa: E402, F401 (re-exported to tests)

SLOW = 120.0  # s: the first answer on a cold server waits for the embeddings model


def list_threads(url: str, cookie: str) -> httpx.Response:
    """``POST /project/threads`` (the sidebar) with this cookie."""
    return httpx.post(
        url + "/project/threads",
        json={"pagination": {"first": 20}, "filter": {}},
        headers={"Cookie": cookie},
        timeout=30,
    )


def user_message(
    text: str, message_id: str | None = None, files: list[str] | None = None
) -> dict[str, Any]:
    """The payload of a ``client_message`` (or ``edit_message``) event, as the browser sends it."""
    return {
        "message": {
            "id": message_id or str(uuid.uuid4()),
            "threadId": "",
            "name": "User",
            "type": "user_message",
            "output": text,
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        },
        "fileReferences": [{"id": f} for f in files] if files else None,
    }


class Chat:
    """One browser tab's socket: ``connect``, then ``emit`` and ``wait_for`` assistant messages."""

    def __init__(self, url: str, cookie: str) -> None:
        self.url = url
        self.cookie = cookie
        self.session_id = str(uuid.uuid4())
        self.thread_id: str | None = None
        self.events: list[tuple[str, Any]] = []  # every event received, in order
        self.disconnected = asyncio.Event()
        self._inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("*", self._any)
        self.sio.on("disconnect", self._gone)

    async def _any(self, event: str, data: Any = None) -> None:
        self.events.append((event, data))
        if event == "first_interaction" and isinstance(data, dict):
            self.thread_id = data.get("thread_id")
        if event == "new_message" and isinstance(data, dict) and data.get("type") == "assistant_message":
            await self._inbox.put(data)

    async def _gone(self, *_: Any) -> None:
        self.disconnected.set()

    async def connect(self) -> None:
        """Open the socket as the page does (raises ``socketio.exceptions.ConnectionError`` if refused)."""
        await self.sio.connect(
            self.url,
            socketio_path="/ws/socket.io",
            transports=["websocket"],
            headers={"Cookie": self.cookie},
            auth={
                "clientType": "webapp",
                "sessionId": self.session_id,
                "threadId": None,
                "userEnv": "{}",
                "chatProfile": None,
            },
            wait_timeout=30,
        )
        await self.sio.emit("connection_successful")

    async def send(self, text: str, message_id: str | None = None, files: list[str] | None = None) -> str:
        """Send a chat message (with the ids of files uploaded for this session); its id."""
        payload = user_message(text, message_id, files)
        await self.sio.emit("client_message", payload)
        return str(payload["message"]["id"])

    async def wait_for(self, has: Callable[[str], bool] | str, timeout: float = SLOW) -> dict[str, Any]:
        """The next assistant message whose text satisfies ``has`` (or contains it)."""
        test = has if callable(has) else (lambda text: has in text)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                message = await asyncio.wait_for(self._inbox.get(), remaining)
            except TimeoutError:
                got = self.assistant_texts()[-3:]
                raise TimeoutError(
                    f"no assistant message as expected within {timeout:.0f} s; the last ones: {got}"
                ) from None
            if test(str(message.get("output", ""))):
                return message

    def upload(self, name: str, content: bytes, mime: str = "text/plain") -> httpx.Response:
        """Attach a file as the page's clip button does (``POST /project/file`` for this session)."""
        return httpx.post(
            self.url + "/project/file",
            params={"session_id": self.session_id},
            files={"file": (name, content, mime)},
            headers={"Cookie": self.cookie},
            timeout=30,
        )

    def assistant_texts(self) -> list[str]:
        """Every assistant message received so far."""
        return [
            str(d.get("output", ""))
            for e, d in self.events
            if e == "new_message" and isinstance(d, dict) and d.get("type") == "assistant_message"
        ]

    async def close(self) -> None:
        """Disconnect (if still connected)."""
        if self.sio.connected:
            await self.sio.disconnect()
