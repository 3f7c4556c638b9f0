"""Offline turn latency of a practice session: start, answer (critique + next question), actions, resume.

Run: .venv/bin/python bench/session_turns.py [--sessions 10]. Each session answers every question once
(strong and weak answers alternate, so follow-ups happen), on a posting in a temporary store.
The first session warms the embeddings model and is not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _table import print_table  # noqa: E402

from core.settings import get_settings  # noqa: E402


def _row(name: str, timings: list[float]) -> list[object]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return [name, len(timings), round(statistics.median(ordered), 1), round(p95, 1), round(ordered[-1], 1)]


async def _measure(sessions: int) -> dict[str, list[float]]:
    from chains.session.coach import Coach, SessionOptions
    from tests.engine_fixtures import ingest, partial_answer

    posting = ingest()
    timings: dict[str, list[float]] = {k: [] for k in ("start", "answer", "model_answer", "skip", "current")}

    async def timed(name: str, call):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = await call
        if name:
            timings[name].append((time.perf_counter() - started) * 1000)
        return result

    async with Coach() as coach:
        for number in range(sessions + 1):
            record = number > 0
            five, two = SessionOptions(questions=5), SessionOptions(questions=2)
            turn = await timed("start" if record else "", coach.start(posting.id, five))
            weak = False
            while not turn.done:
                assert turn.question is not None
                await timed("model_answer" if record else "", coach.act(turn.thread_id, "model_answer"))
                await timed("current" if record else "", coach.current(turn.thread_id))
                text = partial_answer(turn.question.model_answer) if weak else turn.question.model_answer
                text += f" That was in {2000 + number}."  # a new text each session: no cached vectors
                weak = not weak
                turn = await timed("answer" if record else "", coach.answer(turn.thread_id, text))
            turn = await timed("start" if record else "", coach.start(posting.id, two))
            await timed("skip" if record else "", coach.act(turn.thread_id, "skip"))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["COACH_DATA_DIR"] = folder
        os.environ["COACH_LLM"] = "offline"
        get_settings.cache_clear()
        timings = asyncio.run(_measure(args.sessions))
    print_table(
        f"Offline turn latency, ms ({args.sessions} sessions of 5 questions)",
        ["call", "n", "median", "p95", "max"],
        [_row(name, values) for name, values in timings.items()],
    )


if __name__ == "__main__":
    main()
