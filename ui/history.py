"""Chat history for the browser app: Chainlit's SQLAlchemy data layer on SQLite (default) or PostgreSQL.

Chainlit's ``SQLAlchemyDataLayer`` only issues queries; it never creates its tables. ``ensure_schema``
writes them (idempotently) with the columns that chainlit 2.12's queries read and write: users,
threads, steps, elements, feedbacks. The column names are quoted camelCase because the data layer
quotes them so.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import re
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.utils import queue_until_user_message
from chainlit.element import Element
from chainlit.step import StepDict
from chainlit.types import Feedback, PaginatedResponse, Pagination, ThreadDict, ThreadFilter
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from core.errors import SetupError
from core.settings import Settings, get_settings
from ui.storage import LocalStorageClient, UnsafeKey, thread_key

logger = logging.getLogger(__name__)

# Who is making the current request (set by the app's token check); Chainlit's feedback routes do
# not check that the message is the caller's, so the data layer does.
ACTING_USER: ContextVar[str | None] = ContextVar("coach_acting_user", default=None)


class NotYours(PermissionError):
    """A write to someone else's thread (feedback on a message of another user)."""

# The DDL lives in history_schema.sql; {uuid}/{json}/{list}/{bool}/{int} are filled per dialect.
SCHEMA_FILE = Path(__file__).with_name("history_schema.sql")


def _tables() -> list[str]:
    body = "\n".join(
        line for line in SCHEMA_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("--")
    )
    return [statement.strip() for statement in body.split(";") if statement.strip()]


def schema_version() -> int:
    """The ``-- version: N`` of the DDL file."""
    match = re.search(r"^-- version: (\d+)$", SCHEMA_FILE.read_text(encoding="utf-8"), re.M)
    if match is None:
        raise SetupError(f"{SCHEMA_FILE.name} has no '-- version: N' line")
    return int(match.group(1))


_TYPES = {
    "sqlite": {"uuid": "TEXT", "json": "TEXT", "list": "TEXT", "bool": "BOOLEAN", "int": "INTEGER"},
    "postgresql": {"uuid": "UUID", "json": "JSONB", "list": "TEXT[]", "bool": "BOOLEAN", "int": "INT"},
}


def schema_statements(dialect: str) -> list[str]:
    """The DDL for ``dialect`` ('sqlite' or 'postgresql'), each statement idempotent."""
    types = _TYPES.get(dialect)
    if types is None:
        raise SetupError(
            f"Chat history on '{dialect}' is not supported: use SQLite (default) or a "
            "postgresql+asyncpg:// URL in COACH_DATABASE_URL"
        )
    return [statement.format(**types) for statement in _tables()]


async def create_schema(url: str) -> None:
    """Create the history tables at ``url`` (an async SQLAlchemy URL) if they are missing."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    statements = schema_statements(backend)
    try:
        # The driver is imported here, when the engine is made, not at the first connection.
        engine = create_async_engine(url)
    except ModuleNotFoundError as exc:
        raise SetupError(
            f"The database driver for {parsed.drivername} is not installed ({exc.name}): "
            "install it, or unset COACH_DATABASE_URL to use SQLite"
        ) from exc
    try:
        try:
            conn = await engine.connect()
        except Exception as exc:
            # No server, wrong password, no such database: each driver raises its own classes, and
            # asyncpg's are not wrapped by SQLAlchemy. All mean the same to the user.
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SetupError(
                f"Cannot open the history database {parsed.render_as_string()}: {reason}"
            ) from exc
        try:
            async with conn.begin():
                if backend == "sqlite":
                    # WAL lets the sidebar read while a session writes; the mode persists in the file.
                    await conn.exec_driver_sql("PRAGMA journal_mode=WAL")
                for statement in statements:
                    await conn.execute(text(statement))
        finally:
            await conn.close()
    finally:
        await engine.dispose()


def ensure_schema(url: str) -> None:
    """``create_schema`` from synchronous code, also when an event loop is already running."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, create_schema(url)).result()


def make_data_layer(settings: Settings | None = None) -> HistoryDataLayer:
    """Chainlit's SQLAlchemy data layer on ``settings.history_db_url``, its schema created first."""
    settings = settings or get_settings()
    url = settings.history_db_url
    ensure_schema(url)
    # Concurrent sessions write steps at once; wait for SQLite's lock instead of failing after 5 s.
    connect_args = {"timeout": 30} if make_url(url).get_backend_name() == "sqlite" else None
    storage = LocalStorageClient(settings.data_dir / "files")
    return HistoryDataLayer(conninfo=url, connect_args=connect_args, storage_provider=storage)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the app loses nothing,
    # a power cut may lose the last messages; each stored step is its own commit, so this matters.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _json_as_text(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy's asyncpg dialect decodes JSON/JSONB into dicts, but Chainlit's queries are plain text
    # written for JSON read back as a string (``get_element`` calls ``json.loads`` on "props"): read
    # it back as text, as SQLite does. Runs after the dialect's own codec set-up, so it wins.
    async def as_text(conn: Any) -> None:
        for name in ("json", "jsonb"):
            await conn.set_type_codec(name, encoder=str, decoder=str, schema="pg_catalog", format="text")

    dbapi_connection.run_async(as_text)


def _step_parameters(step_dict: StepDict) -> dict[str, Any]:
    """The columns Chainlit's ``create_step`` writes for a step (only those it has a value for)."""
    step = dict(step_dict)
    step["showInput"] = str(step.get("showInput", "")).lower() if "showInput" in step else None
    parameters = {
        key: value
        for key, value in step.items()
        if value is not None and not (isinstance(value, dict) and not value)
    }
    parameters["metadata"] = json.dumps(step.get("metadata", {}))
    parameters["generation"] = json.dumps(step.get("generation", {}))
    return parameters


def _upsert_sql(columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{key}"' for key in columns)
    values = ", ".join(f":{key}" for key in columns)
    updates = ", ".join(f'"{key}" = :{key}' for key in columns if key != "id")
    return f"INSERT INTO steps ({names}) VALUES ({values}) ON CONFLICT (id) DO UPDATE SET {updates}"


class HistoryDataLayer(SQLAlchemyDataLayer):
    """Chainlit's SQLAlchemy data layer, with the thread names the app gives kept and fewer lookups.

    - Chainlit calls ``update_thread(thread_id)`` (a SELECT) before each step it stores, only to
      create the thread the first time; a thread seen once by this process is known to exist.
    - A name the app gave a thread ("Practice: ...") wins over the first-message name Chainlit writes.
    - Steps (messages) are written by one background writer, many per transaction. Chainlit stores
      each step in its own session and transaction, fire-and-forget: 4-5 per answer. Writes of one
      step are merged in order (each is an upsert of the columns it has), and every read of steps
      waits for the writer first, so nothing reads stale. Measured against Chainlit's own writes
      (``bench/load.py``, 6 alternating pairs, docs/benchmarks.md): lower reply p95 and CPU per
      answer in 5 of 6 pairs.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known_threads: set[str] = set()
        self._names: dict[str, str] = {}  # names the app gave threads
        self._thread_locks: dict[str, asyncio.Lock] = {}
        self._pending: dict[str, dict[str, Any]] = {}  # step id -> its columns, oldest first
        self._writer: asyncio.Task[None] | None = None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        elif self.engine.dialect.name == "postgresql":
            event.listen(self.engine.sync_engine, "connect", _json_as_text)

    async def flush(self) -> None:
        """Wait until every queued step is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    # -- threads ---------------------------------------------------------------------------------------

    async def update_thread(
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        """Create or update a thread; a bare call for a thread already known is a no-op.

        A name the app gave the thread (``name_thread``) wins over the one Chainlit writes after the
        first message, whichever write comes last.
        """
        if thread_id in self._known_threads and (name, user_id, metadata, tags) == (None, None, None, None):
            return
        # One write per thread at a time, the name chosen once the write may start: a first-message
        # name ("1", "add_posting") that started before the app named the thread but landed after it
        # overwrote "Practice: ..." under load (17 of 31 threads in one run).
        lock = self._thread_locks.setdefault(thread_id, asyncio.Lock())
        async with lock:
            if name is not None:
                name = self._names.get(thread_id, name)
            await super().update_thread(thread_id, name=name, user_id=user_id, metadata=metadata, tags=tags)
        self._known_threads.add(thread_id)

    async def name_thread(self, thread_id: str, name: str) -> None:
        """Name a thread for good (Chainlit's first-message name cannot overwrite it)."""
        self._names[thread_id] = name
        await self.update_thread(thread_id, name=name)

    async def delete_thread(self, thread_id: str) -> None:
        """Delete a thread (after its queued steps) and forget that it exists."""
        await self.flush()
        self._known_threads.discard(thread_id)
        self._thread_locks.pop(thread_id, None)
        await super().delete_thread(thread_id)

    # -- feedback: only on one's own messages ------------------------------------------------------

    async def _require_owner(self, step_id: str) -> None:
        """Refuse unless the step is in a thread of the acting user (when a request is acting)."""
        acting = ACTING_USER.get()
        if acting is None:
            return
        rows = await self.execute_sql(
            query='SELECT t."userIdentifier" AS owner FROM steps s JOIN threads t ON t."id" = s."threadId" '
            'WHERE s."id" = :id',
            parameters={"id": step_id},
        )
        owner = rows[0].get("owner") if isinstance(rows, list) and rows else None
        if owner != acting:
            raise NotYours("Feedback is only for messages in your own chats")

    async def upsert_feedback(self, feedback: Feedback) -> str:
        """Feedback on a message of the acting user's own thread; anyone else's is refused."""
        await self.flush()
        await self._require_owner(feedback.forId)
        if feedback.id:  # an upsert by id would otherwise overwrite someone else's feedback row
            await self._require_feedback_owner(feedback.id, missing_ok=True)
        return await super().upsert_feedback(feedback)

    async def _require_feedback_owner(self, feedback_id: str, *, missing_ok: bool) -> None:
        rows = await self.execute_sql(
            query='SELECT "forId" FROM feedbacks WHERE "id" = :id', parameters={"id": feedback_id}
        )
        if isinstance(rows, list) and rows:
            await self._require_owner(str(rows[0]["forId"]))
        elif not missing_ok and ACTING_USER.get() is not None:
            raise NotYours("Feedback is only for messages in your own chats")

    async def delete_feedback(self, feedback_id: str) -> bool:
        """Delete feedback the acting user gave on their own thread; anyone else's is refused."""
        await self._require_feedback_owner(feedback_id, missing_ok=False)
        return await super().delete_feedback(feedback_id)

    # -- elements --------------------------------------------------------------------------------------

    @queue_until_user_message()
    async def create_element(self, element: Element) -> None:
        """Store an element's bytes (charts, reports) with the storage client, and its row.

        Chainlit's own version keys files by user and fetches ``url`` elements over the network; here
        the key is ``threads/{thread_id}/files/{element_id}`` (the route that serves it checks the
        thread's author) and only content or a local file is stored: the app never sends URL elements.
        """
        if self.storage_provider is None or not element.for_id:
            return
        await self.flush()  # the step it belongs to is written first
        content: bytes | str | None = element.content
        if content is None and element.path:
            content = await asyncio.to_thread(Path(element.path).read_bytes)
        if content is None:
            logger.warning("Element %s has no content or file: not stored", element.id)
            return
        try:
            key = thread_key(element.thread_id, element.id)
        except UnsafeKey:
            logger.warning("Element %s of thread %s has an unsafe id: not stored", element.id,
                           element.thread_id)
            return
        uploaded = await self.storage_provider.upload_file(
            object_key=key, data=content, mime=element.mime or "application/octet-stream", overwrite=True
        )
        row: dict[str, Any] = dict(element.to_dict())
        row.update(url=uploaded["url"], objectKey=uploaded["object_key"])
        row = {k: v for k, v in row.items() if v is not None}
        for column in ("props", "playerConfig"):  # JSON columns
            if column in row:
                row[column] = json.dumps(row[column])
        columns = ", ".join(f'"{column}"' for column in row)
        values = ", ".join(f":{column}" for column in row)
        updates = ", ".join(f'"{column}" = :{column}' for column in row if column != "id")
        await self.execute_sql(
            query=f"INSERT INTO elements ({columns}) VALUES ({values})"
            f" ON CONFLICT (id) DO UPDATE SET {updates}",
            parameters=row,
        )

    # -- steps: queued, written in batches ----------------------------------------------------------

    @queue_until_user_message()
    async def create_step(self, step_dict: StepDict) -> None:
        """Queue a step for the writer (its thread is created first, if new)."""
        await self.update_thread(step_dict["threadId"])
        parameters = _step_parameters(step_dict)
        earlier = self._pending.get(parameters["id"])
        self._pending[parameters["id"]] = {**earlier, **parameters} if earlier else parameters
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_pending())

    @queue_until_user_message()
    async def update_step(self, step_dict: StepDict) -> None:
        """Queue the changed columns of a step."""
        await self.create_step(step_dict)

    async def _write_pending(self) -> None:
        while self._pending:
            await asyncio.sleep(0)  # let the other sessions' steps of this moment join the batch
            batch, self._pending = self._pending, {}
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for parameters in batch.values():
                groups.setdefault(tuple(parameters), []).append(parameters)
            try:
                async with self.engine.begin() as conn:
                    for columns, rows in groups.items():
                        await conn.execute(text(_upsert_sql(columns)), rows)
            except Exception:  # noqa: BLE001 - as Chainlit's own writes: logged, the chat goes on
                logger.exception("Could not store %d chat steps", len(batch))

    # -- reads and deletes wait for the writer -----------------------------------------------------

    async def get_thread(self, thread_id: str) -> ThreadDict | None:
        """The thread with its steps, queued ones included."""
        await self.flush()
        return await super().get_thread(thread_id)

    async def list_threads(
        self, pagination: Pagination, filters: ThreadFilter
    ) -> PaginatedResponse[ThreadDict]:
        """The user's threads, as stored once the queued steps are written."""
        await self.flush()
        return await super().list_threads(pagination, filters)

    async def get_step(self, step_id: str) -> StepDict | None:
        """One step, queued writes included."""
        await self.flush()
        return await super().get_step(step_id)

    async def get_favorite_steps(self, user_id: str) -> list[StepDict]:
        """Steps marked as favourites."""
        await self.flush()
        return await super().get_favorite_steps(user_id)

    async def delete_step(self, step_id: str) -> None:
        """Delete a step after its queued writes (a later write would bring it back)."""
        await self.flush()
        await super().delete_step(step_id)

    async def close(self) -> None:
        """Write what is queued, then close the engine."""
        await self.flush()
        await super().close()
