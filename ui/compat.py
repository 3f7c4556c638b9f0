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
