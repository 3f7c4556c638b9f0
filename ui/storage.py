"""Chainlit elements (charts, reports) on the local file system, served with the user's own authorisation.

Chainlit 2.12 ships only cloud storage clients (S3, GCS, Azure); without one its SQLAlchemy data layer
stores no element, so a reopened thread had lost its chart and report. ``LocalStorageClient`` keeps
each element's bytes under ``<data dir>/files/threads/{thread_id}/files/{element_id}`` (its media
type beside it), and ``install_route`` serves them at ``/coach/files/threads/{thread_id}/files/
{element_id}`` only to the thread's author (404 for anyone else, 401 without a login): never from
Chainlit's unauthenticated ``/public``.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path
from typing import Annotated, Any

from chainlit.auth import get_current_user
from chainlit.data import get_data_layer
from chainlit.data.storage_clients.base import BaseStorageClient
from fastapi import Depends, HTTPException
from fastapi.responses import FileResponse

ROUTE = "/coach/files"
CATCH_ALL = "/{full_path:path}"  # Chainlit's page route, the last one it adds
# The only keys written: the history layer's element key (see ui.history.HistoryDataLayer.create_element).
_KEY = re.compile(r"^threads/([A-Za-z0-9_-]{1,64})/files/([A-Za-z0-9_-]{1,64})$")
_MIME = re.compile(r"^[\w.+-]+/[\w.+-]+$")


class UnsafeKey(ValueError):
    """An object key that is not threads/{thread_id}/files/{element_id} (a traversal attempt, say)."""


def thread_key(thread_id: str, element_id: str) -> str:
    """The object key of an element of a thread."""
    key = f"threads/{thread_id}/files/{element_id}"
    if not _KEY.match(key):
        raise UnsafeKey(f"Not a safe element key: {key!r}")
    return key


class LocalStorageClient(BaseStorageClient):
    """Element files in a folder; keys are checked, so nothing is read or written outside it."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path_of(self, object_key: str) -> Path:
        """The file of a key; ``UnsafeKey`` for anything but threads/{id}/files/{id}."""
        if not _KEY.match(object_key):
            raise UnsafeKey(f"Not a safe element key: {object_key!r}")
        path = (self.root / object_key).resolve()
        if not path.is_relative_to(self.root):  # the pattern already forbids it; kept as a second lock
            raise UnsafeKey(f"Not a safe element key: {object_key!r}")
        return path

    def _write(self, object_key: str, data: bytes, mime: str, overwrite: bool) -> None:
        path = self.path_of(object_key)
        if path.exists() and not overwrite:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        path.with_name(path.name + ".mime").write_text(
            mime if _MIME.match(mime) else "application/octet-stream", encoding="utf-8"
        )

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        """Store the bytes under the key; returns the key and the URL the page reads it from."""
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        await asyncio.to_thread(self._write, object_key, raw, mime, overwrite)
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        """Remove a stored element (and its media type); False when it was not there."""
        path = self.path_of(object_key)

        def remove() -> bool:
            path.with_name(path.name + ".mime").unlink(missing_ok=True)
            if not path.exists():
                return False
            path.unlink()
            return True

        return await asyncio.to_thread(remove)

    async def get_read_url(self, object_key: str) -> str:
        """The app's authorised URL of the element (under CHAINLIT_ROOT_PATH when the app is mounted)."""
        self.path_of(object_key)
        return f"{os.getenv('CHAINLIT_ROOT_PATH', '')}{ROUTE}/{object_key}"

    async def close(self) -> None:
        """Nothing to close: files are opened per call."""

    def read(self, object_key: str) -> tuple[Path, str] | None:
        """The file and media type of a stored element, or None."""
        path = self.path_of(object_key)
        if not path.is_file():
            return None
        mime_file = path.with_name(path.name + ".mime")
        mime = mime_file.read_text(encoding="utf-8").strip() if mime_file.is_file() else ""
        return path, mime if _MIME.match(mime) else "application/octet-stream"


def install_route(app: Any, client: LocalStorageClient) -> None:
    """Serve stored elements to their thread's author, on a route placed before Chainlit's catch-all.

    Chainlit's router ends with ``GET /{full_path:path}`` (the page); a route added after it would
    never be reached (Chainlit issues #1819, #1099), so this one is moved in front of it. FastAPI 0.165
    keeps an included router as one entry (it no longer copies its routes into the app's), so the
    entry moved in front of is the one that holds the catch-all, wherever it is nested.
    """
    async def serve_element(
        thread_id: str, element_id: str, user: Annotated[Any, Depends(get_current_user)]
    ) -> Any:
        if user is None:
            raise HTTPException(status_code=401, detail="Log in to see this file")
        try:
            key = thread_key(thread_id, element_id)
        except UnsafeKey:
            raise HTTPException(status_code=404, detail="Not found") from None
        # Anyone else's thread (or none) is "not found": the file's existence is no one else's
        # business, and 401 ("log in") would be untrue for a logged-in user.
        mine = await _is_author(user.identifier, thread_id)
        found = await asyncio.to_thread(client.read, key) if mine else None
        if found is None:
            raise HTTPException(status_code=404, detail="Not found")
        path, mime = found
        # Same-origin page reads only; never cached by a shared proxy.
        headers = {"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"}
        return FileResponse(path, media_type=mime, headers=headers)

    path = ROUTE + "/threads/{thread_id}/files/{element_id}"
    if any(getattr(route, "path", None) == path for route in app.router.routes):
        return
    app.add_api_route(path, serve_element, methods=["GET"], include_in_schema=False)
    routes = app.router.routes
    ours = routes.pop()
    catch_all = next((i for i, route in enumerate(routes) if _holds_catch_all(route)), len(routes))
    routes.insert(catch_all, ours)


async def _is_author(identifier: str, thread_id: str) -> bool:
    """Whether the user wrote the thread.

    Not Chainlit's ``is_thread_author``: it answers 401 for another user's thread, and its SQL data
    layer raises ValueError (a 500) for a thread that does not exist.
    """
    layer = get_data_layer()
    if layer is None:
        return False
    try:
        author = await layer.get_thread_author(thread_id)
    except ValueError:  # no such thread
        return False
    return bool(author) and author == identifier


def _holds_catch_all(route: Any) -> bool:
    """Whether the route is Chainlit's page route, or an included router that has it."""
    if getattr(route, "path", None) == CATCH_ALL:
        return True
    included = getattr(getattr(route, "original_router", None), "routes", None) or []
    return any(_holds_catch_all(inner) for inner in included)
