"""The app's front door (an ASGI middleware around Chainlit's server): what reaches Chainlit at all.

Chainlit 2.12 checks neither the Host header nor the socket's Origin, reads a whole upload into
memory before checking its size, and lets any Markdown image in user text make the browser fetch it.
This middleware, outermost, refuses before Chainlit sees the request:

- **Host** (local mode only, no users file): only the names the app is bound to (``localhost``,
  ``127.0.0.1``, ``::1`` and the ``--host`` name). Without it any web page could reach the app through
  DNS rebinding (``attacker.example`` resolving to 127.0.0.1) and, being "the local user", read
  every thread.
- **Origin** on the socket (``/ws/socket.io``): a browser's socket must come from the page's own
  origin (Origin equal to Host); clients that send no Origin (scripts, the load bench) are not
  browsers and cannot carry someone else's cookie.
- **Upload size** (``POST /project/file``): a body longer than the posting limit (plus form overhead)
  is refused from its Content-Length, before a byte of it is read; one without Content-Length is
  refused too (browsers always send it).
- **Content-Security-Policy** ``img-src 'self' data: blob:; media-src 'self' data: blob:``: a
  Markdown image or HTML in an answer (``![x](http://elsewhere/b)``) is shown as text or not at all,
  never fetched, live or on reload of the thread.

It also remembers the client address of the request (``client_address()``) for login throttling.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SOCKET_PATH = "/ws/socket.io"
UPLOAD_PATH = "/project/file"
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file's bytes
CSP = "img-src 'self' data: blob:; media-src 'self' data: blob:"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

_client: ContextVar[str | None] = ContextVar("coach_client_address", default=None)


def client_address() -> str | None:
    """The address of the client whose request is being handled (None outside a request)."""
    return _client.get()


def host_name(value: str) -> str:
    """The host name of a ``Host`` header value or URL netloc, without port, lower case."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1:].split("]", 1)[0]
    if value.count(":") > 1:  # a bare IPv6 address
        return value
    return value.rsplit(":", 1)[0] if ":" in value else value


class Guard:
    """The middleware; ``allowed_hosts`` None turns the Host check off (password mode)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: frozenset[str] | None, max_upload_bytes: int) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.max_upload = max_upload_bytes + FORM_OVERHEAD
        self.max_upload_mb = max_upload_bytes / (1024 * 1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse what must not reach Chainlit; pass the rest with the CSP header added."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if self.allowed_hosts is not None and host_name(host) not in self.allowed_hosts:
            await _refuse(scope, send, 421, f"Host '{host_name(host)}' is not served here: open the app "
                          "at http://localhost (or start it with --host NAME)")
            return
        path = str(scope.get("path", ""))
        origin = headers.get("origin")
        if path.startswith(SOCKET_PATH) and origin and urlsplit(origin).netloc.lower() != host.lower():
            await _refuse(scope, send, 403, "Socket connections must come from the app's own page")
            return
        if scope["type"] == "http" and scope.get("method") == "POST" and path.endswith(UPLOAD_PATH):
            length = headers.get("content-length")
            if length is None or not length.isdigit():
                await _refuse(scope, send, 411, "An upload must say its size (Content-Length)")
                return
            if int(length) > self.max_upload:
                await _refuse(scope, send, 413, f"The file is larger than {self.max_upload_mb:.0f} MB: "
                              "upload a smaller file or paste the text")
                return
        token = _client.set((scope.get("client") or ("",))[0] or None)
        try:
            await self.app(scope, receive, _with_csp(send) if scope["type"] == "http" else send)
        finally:
            _client.reset(token)


def _with_csp(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = [h for h in message.get("headers", []) if h[0].lower() != b"content-security-policy"]
            headers.append((b"content-security-policy", CSP.encode("ascii")))
            message["headers"] = headers
        await send(message)

    return sending


async def _refuse(scope: Scope, send: Send, status: int, detail: str) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})
        return
    body = json.dumps({"detail": detail}).encode("utf-8")
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})
