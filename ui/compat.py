"""Every workaround for Chainlit's behaviour in one place, checked against the version it was written for.

Each shim names the Chainlit behaviour it works around. When Chainlit is upgraded, ``check_version``
fails at start with one line, so whoever upgrades re-checks each shim here (and its test) instead of
finding out from a broken page.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from importlib.metadata import version
from typing import Any

import chainlit as cl
from chainlit.types import ThreadDict

from core.errors import SetupError

WRITTEN_FOR = "2.12"  # major.minor of the Chainlit these shims were written and tested against


def check_version(installed: str | None = None) -> None:
    """Fail at start when the installed Chainlit is not the one these shims were written for."""
    found = installed if installed is not None else version("chainlit")
    if ".".join(found.split(".")[:2]) != WRITTEN_FOR:
        raise SetupError(
            f"Chainlit {found} is installed but ui/compat.py was written for {WRITTEN_FOR}.x: "
            "re-check its shims (and their tests), then update WRITTEN_FOR"
        )


async def send_transient(message: cl.Message) -> cl.Message:
    """Show a message without storing it in the thread (a re-rendering of what is stored already).

    Chainlit has no such option; it skips storing a message it believes already stored.
    """
    message.persisted = True
    return await message.send()


def after_page_replaced(show: Callable[[], Awaitable[None]]) -> bool:
    """Run ``show`` right after Chainlit replaces the page with a resumed thread's stored messages.

    Chainlit 2.12 sends the stored thread *after* ``on_chat_resume`` returns (Chainlit issue #2611),
    which would wipe anything sent from the hook; so the emitter's ``resume_thread`` is wrapped once.
    Returns False when the emitter has no such method (then ``show`` should be awaited at once).
    """
    emitter: Any = cl.context.emitter
    replace_page = getattr(emitter, "resume_thread", None)
    if replace_page is None:
        return False

    async def replace_then_show(thread_dict: ThreadDict) -> None:
        emitter.resume_thread = replace_page
        await replace_page(thread_dict)
        await show()

    emitter.resume_thread = replace_then_show
    return True


# --- access: every request and socket connection --------------------------------------------------

TokenCheck = Callable[[str, str], "str | None"]  # (token, user identifier) -> refusal, or None


def check_every_token(refusal: TokenCheck) -> None:
    """Refuse a valid-looking token that ``refusal`` rejects, on every request and socket connection.

    Chainlit 2.12 accepts any unexpired signed token: logout only clears the cookie, and a user
    removed from the users file keeps access for ``user_session_timeout`` (15 days). Its routes get
    the user from ``chainlit.auth.get_current_user`` (replaced here through FastAPI's dependency
    overrides) and its socket ``connect`` handler from ``chainlit.socket.get_current_user`` (a
    module global, looked up at each call, replaced here too).
    """
    import chainlit.socket as cl_socket
    from chainlit import auth as cl_auth
    from chainlit.auth.jwt import decode_jwt
    from chainlit.server import app as server
    from fastapi import Depends, HTTPException

    original = cl_auth.get_current_user

    async def checked_user(token: str | None = Depends(cl_auth.reuseable_oauth)) -> Any:
        if not cl_auth.require_login():
            return None
        try:
            identifier = decode_jwt(token or "").identifier
        except Exception as exc:
            raise HTTPException(status_code=401, detail="Invalid authentication token") from exc
        reason = refusal(token or "", identifier)
        if reason is not None:
            raise HTTPException(status_code=401, detail=reason)
        return await original(token)  # type: ignore[arg-type]

    server.dependency_overrides[original] = checked_user
    cl_socket.get_current_user = checked_user  # type: ignore[assignment]


LoginCallback = Callable[[str, str], Awaitable["cl.User | None"]]


def password_auth(callback: LoginCallback) -> None:
    """Register ``callback`` as the password login; an ``HTTPException`` it raises reaches the client.

    Chainlit 2.12 wraps the callback (``wrap_user_function``) so that any exception is logged and
    becomes "no user": the 429 the login throttle raises turned into a 401, so a script guessing
    passwords saw no difference (it was still slowed, but got no word of it). Other exceptions are
    still logged and refuse the login, as before.
    """
    from chainlit.config import config
    from chainlit.logger import logger
    from fastapi import HTTPException

    async def login(username: str, password: str) -> cl.User | None:
        try:
            return await callback(username, password)
        except HTTPException:
            raise
        except Exception:
            logger.exception("Password login failed")
            return None

    cl.password_auth_callback(callback)  # turns password login on (Chainlit's own registration)
    config.code.password_auth_callback = login


def refuse_socket_event(event: str, why: str) -> None:
    """Drop a socket event Chainlit handles although its feature is off.

    Chainlit 2.12 registers ``edit_message`` whatever ``features.edit_message`` says: a client that
    sends it rewrites a stored answer (after its critique) and re-runs ``on_message``.
    """
    from chainlit.logger import logger
    from chainlit.server import sio

    async def refused(sid: str, *args: Any) -> None:
        logger.warning("Refused socket event %s from %s: %s", event, sid, why)

    sio.handlers.setdefault("/", {})[event] = refused


# The socket transport's own limit: engine.io's default (1 MB) closes the connection with no word to
# the user. Raised to uvicorn's websocket limit, so the app sees the message and can answer it.
TRANSPORT_MAX_BYTES = 16 * 1024 * 1024


def cap_client_messages(limit_bytes: int, refusal: Callable[[int], str]) -> None:
    """Answer a chat message over ``limit_bytes`` with one line instead of dropping the connection.

    engine.io (under Chainlit 2.12's socket) closes the socket on a packet over
    ``max_http_buffer_size`` (1 MB), silently: the message and its answer are just gone. The
    transport limit is raised to ``TRANSPORT_MAX_BYTES`` and ``client_message`` wrapped: a message
    over ``limit_bytes`` is neither stored nor handled; ``refusal(size)`` is sent instead.
    """
    import chainlit as cl
    from chainlit.context import init_ws_context
    from chainlit.server import sio
    from chainlit.session import WebsocketSession

    sio.eio.max_http_buffer_size = TRANSPORT_MAX_BYTES
    handlers = sio.handlers.setdefault("/", {})
    original = handlers["client_message"]

    async def capped(sid: str, payload: Any) -> Any:
        output = str(((payload or {}).get("message") or {}).get("output") or "")
        size = len(output.encode("utf-8"))
        if size > limit_bytes:
            init_ws_context(WebsocketSession.require(sid))
            await cl.Message(content=refusal(size)).send()
            return None
        return await original(sid, payload)

    handlers["client_message"] = capped


def refuse_empty_uploads(refusal: Callable[[str], str]) -> None:
    """Answer an empty upload with HTTP 400 and one line instead of a 500.

    Chainlit 2.12's upload route hands the bytes to ``WebsocketSession.persist_file``, which raises
    ``ValueError`` for empty content; the route turns that into "Internal Server Error".
    """
    from chainlit.session import WebsocketSession
    from fastapi import HTTPException

    original = WebsocketSession.persist_file

    async def persist_file(self: Any, name: str, mime: str, path: Any = None, content: Any = None) -> Any:
        if not path and not content:
            raise HTTPException(status_code=400, detail=refusal(name))
        return await original(self, name=name, mime=mime, path=path, content=content)

    WebsocketSession.persist_file = persist_file  # type: ignore[method-assign]


class _NoSleep:
    """Stands in for the ``time`` module inside Chainlit's message and step modules."""

    @staticmethod
    def sleep(_seconds: float) -> None:
        return None


def _increasing_utc_now() -> Callable[[], str]:
    from datetime import UTC, datetime, timedelta

    last: list[datetime] = []

    def utc_now() -> str:
        now = datetime.now(UTC).replace(tzinfo=None)
        if last and now <= last[0]:
            now = last[0] + timedelta(microseconds=1)
        last[:] = [now]
        return now.isoformat() + "Z"

    return utc_now


def no_sleep_per_message() -> None:
    """Stop Chainlit from sleeping 1 ms on the event loop for every message and step it makes.

    Chainlit 2.12's ``Message.__init__`` and ``Step.__init__`` call ``time.sleep(0.001)`` so that
    consecutive messages get distinct ``createdAt`` stamps (the history is ordered by them). It
    blocks the event loop, so every session waits: 6-7 messages and steps per answer, about 6 ms of
    every answer's reply time during which nothing else runs (measured: 8.9% of the app's main
    thread under load). Here the stamps are kept distinct and increasing (a microsecond apart at
    least, in this process) without waiting.
    """
    import importlib

    stamp = _increasing_utc_now()
    # By module path: ``chainlit.step`` as an attribute is the @step decorator, not the module.
    for name in ("chainlit.message", "chainlit.step"):
        module = importlib.import_module(name)
        module.time = _NoSleep  # type: ignore[attr-defined]
        module.utc_now = stamp  # type: ignore[attr-defined]


def add_middleware(middleware: Any, **options: Any) -> None:
    """Put an ASGI middleware around Chainlit's server (outermost; before the server starts)."""
    from chainlit.server import app as server

    server.add_middleware(middleware, **options)


def bound_host() -> str:
    """The ``--host`` Chainlit was started with (``chainlit run`` sets it before loading the app)."""
    from chainlit.config import config

    return str(config.run.host)


# <link> tags to other hosts in Chainlit's page: Google Fonts (Inter) and KaTeX's stylesheet from jsDelivr.
_REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*/?>\s*", re.S)


def offline_page(html: str) -> str:
    """Chainlit's page without its requests to other hosts.

    Chainlit 2.12's index.html always asks fonts.googleapis.com for the Inter font and jsDelivr for
    KaTeX's CSS; offline both fail and leave console errors. The app turns LaTeX off
    (``features.latex = false``), so KaTeX's CSS is unused, and the page falls back to the system
    sans-serif font (its stylesheet lists one after Inter).
    """
    return _REMOTE_LINK.sub("", html)


def serve_page_offline() -> None:
    """Make Chainlit's page route send ``offline_page`` of its template (once per process)."""
    import chainlit.server as server

    template = server.get_html_template
    if getattr(template, "coach_offline", False):
        return

    def get_html_template(root_path: str) -> str:
        return offline_page(template(root_path))

    get_html_template.coach_offline = True  # type: ignore[attr-defined]
    server.get_html_template = get_html_template
