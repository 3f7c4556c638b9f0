"""A small table of sessions (owner, posting, scores) beside the checkpoints, for progress over sessions.

The checkpointer stores each session's full state but cannot be queried by posting and user
cheaply; this index can. It lives in the same SQLite file as the checkpoints. ``items`` holds, per
requirement key (``chains.questions.planner.requirement_key``) asked in the session, its best score
(null: asked, not answered), so a new session on the posting starts where the last ones left off. Each
row also keeps the session score (``chains.session.summary.session_score``) and the best score per
requirement text, so progress across sessions is read without decoding a checkpoint.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS coach_sessions (
    thread_id TEXT PRIMARY KEY,
    user_id TEXT,
    posting_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    scores TEXT NOT NULL DEFAULT '[]',
    items TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS coach_sessions_by_posting ON coach_sessions (posting_id, user_id, created_at);
"""
# Columns added after the first release: an existing file gets them on open (old rows: NULL / '{}').
_ADDED_MAIN = {"items": "TEXT NOT NULL DEFAULT '{}'"}  # before score
_ADDED = {"score": "INTEGER", "requirements": "TEXT NOT NULL DEFAULT '{}'"}


@dataclass(frozen=True)
class SessionRecord:
    """One ended session as the index knows it."""

    thread_id: str
    created_at: float
    scores: list[int]
    score: int | None
    """The session score; None for a row written before it was kept (then see ``scores``)."""
    requirements: dict[str, int] = field(default_factory=dict)
    """Best score per answered requirement text ({} for rows written before it was kept)."""


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
                have = {row[1] for row in conn.execute("PRAGMA table_info(coach_sessions)")}
                for name, kind in {**_ADDED_MAIN, **_ADDED}.items():
                    if name not in have:
                        conn.execute(f"ALTER TABLE coach_sessions ADD COLUMN {name} {kind}")
                self._ready = True
            # Every turn records its scores here before the reply: no disk sync per commit (WAL).
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:  # commits, or rolls back on error
                yield conn
        finally:
            conn.close()

    def record(
        self,
        thread_id: str,
        user_id: str | None,
        posting_id: str,
        scores: list[int],
        done: bool,
        items: Mapping[str, int | None] | None = None,
        score: int | None = None,
        requirements: dict[str, int] | None = None,
    ) -> None:
        """Create or update the row of a session (``items``: requirement key -> best score or None)."""
        now = time.time()
        with self._lock, self._connect() as conn:
            conn.execute(
                "INSERT INTO coach_sessions"
                " (thread_id, user_id, posting_id, created_at, updated_at, done, scores, items, score,"
                " requirements) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(thread_id) DO UPDATE SET updated_at = excluded.updated_at,"
                " done = excluded.done, scores = excluded.scores, items = excluded.items,"
                " score = excluded.score, requirements = excluded.requirements",
                (thread_id, user_id, posting_id, now, now, int(done), json.dumps(scores),
                 json.dumps(dict(items or {})), score, json.dumps(requirements or {})),
            )

    def past_items(
        self, posting_id: str, user_id: str | None, exclude_thread_id: str | None = None
    ) -> dict[str, int | None]:
        """Requirements this user was asked on this posting in other sessions, with the best score."""
        query = (
            "SELECT thread_id, items FROM coach_sessions WHERE posting_id = ? AND "
            + ("user_id IS NULL" if user_id is None else "user_id = ?")
            + " ORDER BY created_at, rowid"
        )
        params: tuple[str, ...] = (posting_id,) if user_id is None else (posting_id, user_id)
        with self._lock, self._connect() as conn:
            rows = conn.execute(query, params).fetchall()
        merged: dict[str, int | None] = {}
        for thread_id, raw in rows:
            if thread_id == exclude_thread_id:
                continue
            for key, score in json.loads(raw or "{}").items():
                known = merged.get(key)
                merged[key] = score if known is None else (known if score is None else max(known, score))
        return merged

    def _owner(self, user_id: str | None) -> tuple[str, tuple[str, ...]]:
        return ("user_id IS NULL", ()) if user_id is None else ("user_id = ?", (user_id,))

    def finished(self, posting_id: str, user_id: str | None) -> list[SessionRecord]:
        """The user's ended sessions on this posting that scored anything, oldest first."""
        owner, params = self._owner(user_id)
        query = (
            "SELECT thread_id, created_at, scores, score, requirements FROM coach_sessions"
            f" WHERE posting_id = ? AND done = 1 AND {owner} ORDER BY created_at, rowid"
        )
        with self._lock, self._connect() as conn:
            rows = conn.execute(query, (posting_id, *params)).fetchall()
        records = [
            SessionRecord(
                thread_id=row[0], created_at=float(row[1]), scores=[int(x) for x in json.loads(row[2])],
                score=None if row[3] is None else int(row[3]),
                requirements={str(k): int(v) for k, v in json.loads(row[4] or "{}").items()},
            )
            for row in rows
        ]
        return [r for r in records if r.scores]

    def session_number(self, thread_id: str, posting_id: str, user_id: str | None) -> int:
        """Which of this user's sessions on this posting ``thread_id`` is (1 for the first), by start time."""
        owner, params = self._owner(user_id)
        with self._lock, self._connect() as conn:
            row = conn.execute(
                "SELECT created_at FROM coach_sessions WHERE thread_id = ?", (thread_id,)
            ).fetchone()
            if row is None:
                return 1
            (count,) = conn.execute(
                f"SELECT COUNT(*) FROM coach_sessions WHERE posting_id = ? AND {owner} AND created_at <= ?",
                (posting_id, *params, row[0]),
            ).fetchone()
        return int(count)

    def practised(self, user_id: str | None) -> list[str]:
        """Postings this user ended a scored session on, most recent first."""
        owner, params = self._owner(user_id)
        with self._lock, self._connect() as conn:
            rows = conn.execute(
                f"SELECT posting_id, MAX(updated_at) AS last FROM coach_sessions WHERE done = 1 AND {owner}"
                " AND scores != '[]' GROUP BY posting_id ORDER BY last DESC",
                params,
            ).fetchall()
        return [str(row[0]) for row in rows]

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
