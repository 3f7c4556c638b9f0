"""The local storage client for Chainlit elements: keys, traversal, and the authorised route's place."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import Request  # at module level: the route's dependency annotation is resolved here

from ui.storage import ROUTE, LocalStorageClient, UnsafeKey, install_route, thread_key

THREAD = "0b6f2a36-7d0e-4f57-9a43-2f1e7c1f7a11"
ELEMENT = "5a0c7d2e-1111-4b2c-8d3e-9f8e7d6c5b4a"


async def test_upload_read_delete(tmp_path: Path) -> None:
    client = LocalStorageClient(tmp_path / "files")
    key = thread_key(THREAD, ELEMENT)
    got = await client.upload_file(key, '{"data": []}', mime="application/json")
    assert got == {"object_key": key, "url": f"{ROUTE}/{key}"}
    path, mime = client.read(key) or (None, None)
    assert path is not None and path.read_text() == '{"data": []}' and mime == "application/json"
    await client.upload_file(key, b"new", mime="text/markdown", overwrite=False)
    assert path.read_text() == '{"data": []}'  # not overwritten when told not to
    assert await client.delete_file(key) and client.read(key) is None
    assert not await client.delete_file(key)


@pytest.mark.parametrize(
    "key",
    [
        "../secret", "threads/../../etc/passwd", f"threads/{THREAD}/files/../../x", "/etc/passwd",
        f"threads/{THREAD}/files/{ELEMENT}/more", f"{THREAD}/{ELEMENT}/report.md", "threads/a b/files/c",
        f"threads/{THREAD}/files/..",
    ],
)
async def test_keys_outside_the_pattern_are_refused(tmp_path: Path, key: str) -> None:
    client = LocalStorageClient(tmp_path / "files")
    with pytest.raises(UnsafeKey):
        await client.upload_file(key, b"x")
    with pytest.raises(UnsafeKey):
        client.read(key)
    assert not any((tmp_path).rglob("x"))


async def test_a_bad_media_type_is_stored_as_bytes(tmp_path: Path) -> None:
    client = LocalStorageClient(tmp_path)
    key = thread_key(THREAD, ELEMENT)
    await client.upload_file(key, b"x", mime="text/html\r\nSet-Cookie: a=b")
    assert client.read(key) == (tmp_path / key, "application/octet-stream")


def test_the_route_goes_before_the_catch_all(tmp_path: Path) -> None:
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/{full_path:path}")
    def page(full_path: str) -> str:
        return "page"

    install_route(app, LocalStorageClient(tmp_path))
    install_route(app, LocalStorageClient(tmp_path))  # once only
    paths = [getattr(r, "path", "") for r in app.router.routes]
    ours = paths.index(f"{ROUTE}/threads/{{thread_id}}/files/{{element_id}}")
    assert ours < paths.index("/{full_path:path}") and paths.count(paths[ours]) == 1


def test_the_route_is_reached_when_the_catch_all_is_in_an_included_router(tmp_path: Path) -> None:
    # As Chainlit builds its app: the page route sits in an APIRouter that the app includes.
    from fastapi import APIRouter, FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()
    router = APIRouter()

    @router.get("/{full_path:path}")
    def page(full_path: str) -> str:
        return "page"

    app.include_router(router)
    install_route(app, LocalStorageClient(tmp_path))
    response = TestClient(app).get(f"{ROUTE}/threads/{THREAD}/files/{ELEMENT}")
    assert response.status_code == 401  # ours answered (no login), not the page
    assert TestClient(app).get("/thread/x").json() == "page"


class _Authors:
    """A data layer that knows only who wrote which thread (as the SQL layer answers it)."""

    def __init__(self, authors: dict[str, str]) -> None:
        self.authors = authors

    async def get_thread_author(self, thread_id: str) -> str:
        if thread_id not in self.authors:
            raise ValueError(f"Author not found for thread_id {thread_id}")  # as SQLAlchemyDataLayer does
        return self.authors[thread_id]


async def test_a_stored_file_is_served_to_its_author_only_and_hidden_from_other_users(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    import chainlit.data
    from chainlit.auth import get_current_user
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    client = LocalStorageClient(tmp_path / "files")
    await client.upload_file(thread_key(THREAD, ELEMENT), "# Report", mime="text/markdown")
    # Chainlit's own data-layer slot, which both Chainlit's checks and ours read.
    monkeypatch.setattr(chainlit.data, "_data_layer", _Authors({THREAD: "alice"}))
    monkeypatch.setattr(chainlit.data, "_data_layer_initialized", True)
    app = FastAPI()
    install_route(app, client)

    def user_of(request: Request) -> object:  # who is logged in, as the test says
        name = request.headers.get("x-test-user")
        return SimpleNamespace(identifier=name) if name else None

    app.dependency_overrides[get_current_user] = user_of
    web = TestClient(app, raise_server_exceptions=False)
    url = f"{ROUTE}/threads/{THREAD}/files/{ELEMENT}"

    mine = web.get(url, headers={"x-test-user": "alice"})
    assert mine.status_code == 200 and mine.text == "# Report"
    # Bob is logged in: not "log in" (401) but not found, as if the file did not exist.
    theirs = web.get(url, headers={"x-test-user": "bob"})
    assert theirs.status_code == 404 and "Report" not in theirs.text
    absent = web.get(f"{ROUTE}/threads/{ELEMENT}/files/{ELEMENT}", headers={"x-test-user": "bob"})
    assert absent.status_code == 404  # no such thread: the same answer, not a 500
    assert theirs.json() == absent.json()
    assert web.get(url).status_code == 401  # no login at all
