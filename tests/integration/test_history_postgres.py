"""Chat history on a real PostgreSQL server (the scale-out path) through Chainlit's SQLAlchemy data layer.

A throwaway cluster is made with the server binaries (Debian's ``postgresql`` package) in a temp dir,
started on a free port of 127.0.0.1 and stopped after the session; each test gets its own database.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from chainlit.context import init_http_context
from chainlit.data.storage_clients.base import BaseStorageClient
from chainlit.element import CustomElement, File, Plotly
from chainlit.types import Feedback, Pagination, ThreadFilter
from chainlit.user import User
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from core.errors import SetupError
from core.settings import get_settings
from tests.integration.conftest import free_port
from tests.integration.test_history import (
    _decoded,
    _timed_step,
    concurrent_steps_scenario,
    two_users_scenario,
)
from ui.history import HistoryDataLayer, create_schema, make_data_layer

_USER = "coach"
_PASSWORD = "coach-test-password"
_TABLES = {"users", "threads", "steps", "elements", "feedbacks"}


@dataclass(frozen=True)
class PgServer:
    """A running throwaway PostgreSQL server: where it listens and how to reach its tools."""

    port: int
    bin_dir: Path

    def url(self, database: str) -> str:
        """The async SQLAlchemy URL of ``database`` on this server, as COACH_DATABASE_URL takes it."""
        return f"postgresql+asyncpg://{_USER}:{_PASSWORD}@127.0.0.1:{self.port}/{database}"


def _server_bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.skip("PostgreSQL server binaries not installed: apt-get install postgresql (make test does)")
    return Path(found[-1]).parent


def _as_server_user(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root: run them as the package's `postgres` account then.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, env=env)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(argv)} exited with {result.returncode}: {result.stdout}{result.stderr}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server on a free port of 127.0.0.1 with password user ``coach``, stopped after."""
    bin_dir = _server_bin_dir()
    # Not under pytest's basetemp: that is private to this user (0700) and `postgres` could not enter it.
    root = Path(tempfile.mkdtemp(prefix="coach-pg-"))
    data, sockets, pwfile = root / "data", root / "sock", root / "pwfile"
    sockets.mkdir()
    pwfile.write_text(_PASSWORD + "\n")
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        for path in (sockets, pwfile):
            shutil.chown(path, "postgres")
    port = free_port()
    _run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D", str(data),
                "-U", _USER,
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--no-sync",
            ]
        )
    )  # fmt: skip
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                          "-o", options, "-w", "-t", "60", "start"]))  # fmt: skip
    try:
        yield PgServer(port=port, bin_dir=bin_dir)
    finally:
        subprocess.run(
            _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database of its own for each test, made the app's COACH_DATABASE_URL."""
    database = f"coach_{uuid.uuid4().hex[:12]}"
    _run(
        [
            str(pg_server.bin_dir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(pg_server.port),
            "-U",
            _USER,
            database,
        ],
        env={**os.environ, "PGPASSWORD": _PASSWORD},
    )
    url = pg_server.url(database)
    monkeypatch.setenv("COACH_DATABASE_URL", url)
    get_settings.cache_clear()
    return url


async def _tables(url: str) -> dict[str, dict[str, str]]:
    """{table: {column: data type}} of the public schema at ``url``."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text(
                    "SELECT table_name, column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'public'"
                )
            )
            tables: dict[str, dict[str, str]] = {}
            for table, column, data_type in rows:
                tables.setdefault(table, {})[column] = data_type
            return tables
    finally:
        await engine.dispose()


async def test_schema_is_created_idempotently_with_postgres_types(pg_url: str) -> None:
    assert get_settings().history_db_url == pg_url
    await create_schema(pg_url)
    await create_schema(pg_url)  # second run changes nothing and does not fail
    tables = await _tables(pg_url)
    assert set(tables) >= _TABLES
    assert tables["threads"]["id"] == "uuid" and tables["threads"]["tags"] == "ARRAY"
    assert tables["steps"]["metadata"] == "jsonb"


async def test_a_wrong_password_or_database_is_one_clear_line(pg_url: str) -> None:
    database = pg_url.rsplit("/", 1)[0]
    for url, reason in [
        (pg_url.replace(_PASSWORD, "not-the-password"), 'password authentication failed for user "coach"'),
        (f"{database}/no_such_db", 'database "no_such_db" does not exist'),
        (f"postgresql+asyncpg://{_USER}:{_PASSWORD}@127.0.0.1:{free_port()}/coach", "Connect call failed"),
    ]:
        with pytest.raises(SetupError, match="^Cannot open the history database postgresql") as caught:
            await create_schema(url)
        message = str(caught.value)
        assert reason in message and "\n" not in message
        assert _PASSWORD not in message and "not-the-password" not in message  # the URL is shown masked


async def test_missing_driver_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "asyncpg", None)  # as if asyncpg were not installed
    with pytest.raises(SetupError, match=r"driver for postgresql\+asyncpg is not installed \(asyncpg\)"):
        await create_schema(f"postgresql+asyncpg://{_USER}:{_PASSWORD}@127.0.0.1:{free_port()}/coach")


class _DirectoryStorage(BaseStorageClient):
    """Element files in a local directory: Chainlit stores element rows only through a storage client."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        path = self.root / object_key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return {"object_key": object_key, "url": path.as_uri()}

    async def delete_file(self, object_key: str) -> bool:
        (self.root / object_key).unlink(missing_ok=True)
        return True

    async def get_read_url(self, object_key: str) -> str:
        return (self.root / object_key).as_uri()

    async def close(self) -> None:
        return None


@pytest.fixture(autouse=True)
def _no_swallowed_sql_errors(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    # Chainlit's data layer logs a failed statement as a warning and carries on: make that a failure.
    yield
    errors = [r.getMessage() for r in caplog.records if "error occurred" in r.getMessage()]
    assert errors == [], errors


async def test_two_users_see_only_their_own_threads_on_postgres(pg_url: str) -> None:
    init_http_context()  # an HTTP context: the data layer writes at once instead of queueing
    layer = make_data_layer(get_settings())
    assert isinstance(layer, HistoryDataLayer) and layer.engine.dialect.name == "postgresql"
    try:
        await two_users_scenario(layer, thread_tags=True)
    finally:
        await layer.close()


async def test_steps_feedback_and_elements_persist_and_read_back_on_postgres(
    pg_url: str, tmp_path: Path
) -> None:
    init_http_context()
    layer = make_data_layer(get_settings())
    layer.storage_provider = _DirectoryStorage(tmp_path / "files")
    try:
        user = await layer.create_user(User(identifier="carol"))
        assert user is not None
        thread_id = str(uuid.uuid4())
        await layer.update_thread(thread_id, name="Practice: SRE", user_id=user.id)
        question = _timed_step(thread_id, "Question 1 of 4: how do you page on-call?", 1)
        question["metadata"] = {"question_id": "q1"}
        question["tags"] = ["question"]
        await layer.create_step(question)
        summary = _timed_step(thread_id, "Session summary", 2)
        await layer.create_step(summary)

        # A streamed message is stored twice: the second write updates the row.
        question["output"] += " (edited)"
        await layer.update_step(question)
        stored = await layer.get_step(question["id"])
        assert stored is not None and stored["output"].endswith("(edited)")
        assert _decoded(stored["metadata"]) == {"question_id": "q1"} and stored["tags"] == ["question"]

        feedback_id = await layer.upsert_feedback(
            Feedback(forId=question["id"], threadId=thread_id, value=1, comment="useful")
        )
        await layer.upsert_feedback(
            Feedback(
                id=feedback_id, forId=question["id"], threadId=thread_id, value=0, comment="on second thought"
            )
        )

        report = File(
            name="report.md", content=b"# Report\nscore 4/5", mime="text/markdown", display="inline",
            thread_id=thread_id, for_id=summary["id"],
        )  # fmt: skip
        chart = Plotly(
            name="scores", figure=go.Figure(go.Bar(y=[3, 4])), display="inline", size="large",
            thread_id=thread_id, for_id=summary["id"],
        )  # fmt: skip
        gauge = CustomElement(
            name="gauge",
            props={"score": 4, "of": 5},
            display="inline",
            thread_id=thread_id,
            for_id=summary["id"],
        )
        for element in (report, chart, gauge):
            await layer.create_element(element)

        thread = await layer.get_thread(thread_id)
        assert thread is not None
        steps = {s["id"]: s for s in thread["steps"]}
        assert list(steps) == [question["id"], summary["id"]]
        feedback = steps[question["id"]]["feedback"]
        assert feedback is not None and (feedback["value"], feedback["comment"]) == (0, "on second thought")
        elements = {e["name"]: e for e in thread["elements"] or []}
        assert set(elements) == {"report.md", "scores", "gauge"}
        assert elements["scores"]["size"] == "large" and elements["report.md"]["forId"] == summary["id"]
        assert elements["report.md"]["mime"] == "text/markdown"
        url = elements["report.md"]["url"]
        assert url is not None and Path(url.removeprefix("file://")).read_bytes() == b"# Report\nscore 4/5"
        # What the server's element endpoint returns when a page opens an element by its link.
        one = await layer.get_element(thread_id, gauge.id)
        assert one is not None and one["name"] == "gauge" and one["props"] == {"score": 4, "of": 5}

        rated = await layer.list_threads(Pagination(first=20), ThreadFilter(userId=user.id, feedback=0))
        assert [t["id"] for t in rated.data] == [thread_id]

        await layer.delete_thread(thread_id)  # steps, feedback, elements and their files go with it
        assert await layer.get_thread(thread_id) is None
        assert await layer.get_element(thread_id, gauge.id) is None
        assert not any(p.is_file() for p in (tmp_path / "files").rglob("*"))
    finally:
        await layer.close()


async def test_steps_written_at_once_by_many_sessions_read_back_on_postgres(pg_url: str) -> None:
    init_http_context()
    layer = make_data_layer(get_settings())
    assert layer.engine.dialect.name == "postgresql"
    try:
        await concurrent_steps_scenario(layer)
    finally:
        await layer.close()
