"""The sessions' checkpoint store: LangGraph's SQLite saver, called on the event loop's own thread.

LangGraph's ``AsyncSqliteSaver`` runs every query on one aiosqlite worker thread. Under load that
thread is the bottleneck, not SQLite: each of the 5-7 reads and writes of an answer waits for the
thread to wake and take the GIL from the model and the event loop (up to a 5 ms switch interval
each time), and every session's queries queue behind each other's. Measured with 20 sessions
answering back to back (``bench/load.py``): reading a session's state took 175 ms (median) of
waiting; the same queries made directly on the loop's thread take well under a millisecond each (a
local file in WAL mode that syncs at checkpoints, not at every commit), so blocking the loop for
them costs less than handing them to a thread.

The data, the tables and the file are LangGraph's own (``SqliteSaver``), so a database written by
either saver is read by the other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata, CheckpointTuple
from langgraph.checkpoint.serde.base import SerializerProtocol
from langgraph.checkpoint.sqlite import SqliteSaver

__all__ = ["LoopSqliteSaver", "open_saver"]

# A CLI run writing the same file holds the lock for milliseconds; never block the app for long.
BUSY_TIMEOUT_S = 5.0


class LoopSqliteSaver(SqliteSaver):
    """``SqliteSaver`` with the async interface the graph uses, run inline (no worker thread)."""

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """The latest (or the configured) checkpoint of a thread."""
        return self.get_tuple(config)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,  # noqa: A002 - LangGraph's parameter name
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Checkpoints matching the arguments, newest first."""
        for item in self.list(config, filter=filter, before=before, limit=limit):
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        """Store a checkpoint."""
        return self.put(config, checkpoint, metadata, new_versions)

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store the pending writes of a task."""
        self.put_writes(config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id: str) -> None:
        """Delete every checkpoint and write of a thread."""
        self.delete_thread(thread_id)

    def latest_id(self, thread_id: str, checkpoint_ns: str = "") -> str | None:
        """The id of the thread's latest checkpoint (what ``get_tuple`` reads without one), or None.

        An index lookup without the blob: callers that keep a decoded state check it is still the
        latest before decoding the same checkpoint again.
        """
        with self.cursor(transaction=False) as cur:
            cur.execute(
                "SELECT checkpoint_id FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = ? "
                "ORDER BY checkpoint_id DESC LIMIT 1",
                (thread_id, checkpoint_ns),
            )
            row = cur.fetchone()
        return None if row is None else str(row[0])

    async def aget_delta_channel_history(self, *args: Any, **kwargs: Any) -> Any:
        """LangGraph's delta-channel history, as the sync saver computes it."""
        return self.get_delta_channel_history(*args, **kwargs)


def open_saver(path: Path, serde: SerializerProtocol | None = None) -> LoopSqliteSaver:
    """The saver on the SQLite file at ``path`` (created with its tables if missing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)
    saver = LoopSqliteSaver(conn, serde=serde)
    saver.setup()  # also puts the file in WAL mode
    # In WAL mode NORMAL syncs at checkpoints instead of at every commit (about 4 ms each here, two
    # per turn): an app crash loses nothing; a power cut may lose the last turns, never the file.
    conn.execute("PRAGMA synchronous=NORMAL")
    return saver
