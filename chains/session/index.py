"""A small table of sessions (owner, posting, scores) beside the checkpoints, for past-session charts.

The checkpointer stores each session's full state but cannot be queried by posting and user
cheaply; this index can. It lives in the same SQLite file as the checkpoints.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS coach_sessions (
    thread_id TEXT PRIMARY KEY,
    user_id TEXT,
    posting_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    scores TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS coach_sessions_by_posting ON coach_sessions (posting_id, user_id, created_at);
"""


class SessionIndex:
    """Sessions by owner and posting, with their scores in answer order."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._ready = False

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            if not self._ready:
                conn.execute("PRAGMA journal_mode=WAL")  # kept by the file; the checkpointer's mode too
                conn.executescript(_SCHEMA)
                self._ready = True
            # Every turn records its scores here before the reply: no disk sync per commit (WAL).
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:  # commits, or rolls back on error
                yield conn
        finally:
            conn.close()

    def record(
        self, thread_id: str, user_id: str | None, posting_id: str, scores: list[int], done: bool
    ) -> None:
        """Create or update the row of a session."""
        now = time.time()
        with self._lock, self._connect() as conn:
            conn.execute(
                "INSERT INTO coach_sessions"
                " (thread_id, user_id, posting_id, created_at, updated_at, done, scores)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(thread_id) DO UPDATE SET updated_at = excluded.updated_at,"
                " done = excluded.done, scores = excluded.scores",
                (thread_id, user_id, posting_id, now, now, int(done), json.dumps(scores)),
            )

    def finished_scores(
        self, posting_id: str, user_id: str | None, exclude_thread_id: str | None = None
    ) -> list[list[int]]:
        """Scores of this user's ended sessions for this posting that scored anything, oldest first."""
        query = (
            "SELECT thread_id, scores FROM coach_sessions WHERE posting_id = ? AND done = 1 AND "
            + ("user_id IS NULL" if user_id is None else "user_id = ?")
            + " ORDER BY created_at, rowid"
        )
        params: tuple[str, ...] = (posting_id,) if user_id is None else (posting_id, user_id)
        with self._lock, self._connect() as conn:
            rows = conn.execute(query, params).fetchall()
        found = [[int(s) for s in json.loads(row[1])] for row in rows if row[0] != exclude_thread_id]
        return [scores for scores in found if scores]
