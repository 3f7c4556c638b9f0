"""Load on the engine alone: N concurrent sessions on one ``Coach`` in one process, no Chainlit, no socket.

The same scenario as ``bench/load.py`` (sessions start together on the bundled postings and answer the
same texts back to back, offline) run straight on the session facade, to separate the engine's share
from Chainlit's. Reported: p50/p95 of ``Coach.answer`` and ``Coach.start``, each session's whole time
(start to last reply), CPU per answer (the whole process, session starts included) and the event
loop's own CPU per answer (work that holds up every session while it runs).

    .venv/bin/python bench/load_engine.py [--sessions 20] [--answers 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chains.session.coach import Coach

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _app_server import bundled_postings  # noqa: E402
from _table import print_table  # noqa: E402
from load import ANSWERS, percentile  # noqa: E402


async def _session(
    coach: Coach,
    index: int,
    posting_id: str,
    answers: int,
    starts: list[float],
    replies: list[float],
    whole: list[float],
) -> None:
    from chains.session.coach import SessionOptions

    opened = began = time.perf_counter()
    turn = await coach.start(posting_id, SessionOptions(questions=answers), user_id=f"user{index % 4}")
    starts.append(time.perf_counter() - began)
    for n in range(answers):
        began = time.perf_counter()
        turn = await coach.answer(turn.thread_id, f"{ANSWERS[n % len(ANSWERS)]} (ref {index:012x})")
        replies.append(time.perf_counter() - began)
        if turn.done:
            break
    whole.append(time.perf_counter() - opened)


async def _run(posting_ids: list[str], sessions: int, answers: int) -> dict[str, float]:
    from chains.session.coach import Coach

    async with Coach() as coach:
        await _session(coach, 999, posting_ids[0], 1, [], [], [])  # loads the model, opens the databases
        starts: list[float] = []
        replies: list[float] = []
        whole: list[float] = []
        cpu, loop_cpu, wall = time.process_time(), time.thread_time(), time.perf_counter()
        await asyncio.gather(
            *(
                _session(coach, i, posting_ids[i % len(posting_ids)], answers, starts, replies, whole)
                for i in range(sessions)
            )
        )
        cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
        wall = time.perf_counter() - wall
    n = max(len(replies), 1)
    return {
        "answers": len(replies),
        "answer p50": percentile(replies, 50),
        "answer p95": percentile(replies, 95),
        "answer max": max(replies, default=float("nan")),
        "start p50": percentile(starts, 50),
        "start max": max(starts, default=float("nan")),
        "session p50": percentile(whole, 50),
        "session max": max(whole, default=float("nan")),
        "wall": wall,
        "cpu per answer ms": 1000 * cpu / n,
        "loop cpu per answer ms": 1000 * loop_cpu / n,
    }


def main() -> int:
    """Ingest the bundled postings into a temporary data dir and run the sessions."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--answers", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coach-load-engine-") as tmp:
        os.environ["COACH_DATA_DIR"] = tmp
        os.environ["COACH_LLM"] = "offline"
        from core.settings import get_settings
        from knowledge.ingest import ingest_files
        from knowledge.store import open_store

        get_settings.cache_clear()
        ingest_files(bundled_postings())
        # The postings numbered 1-3 on the first screen, as bench/load.py's clients pick them.
        posting_ids = [p.id for p in open_store().list_postings()][:3]
        if not posting_ids:
            print("no posting could be ingested", file=sys.stderr)
            return 1
        result = asyncio.run(_run(posting_ids, args.sessions, args.answers))
    rows = [
        ("sessions x answers", f"{args.sessions} x {args.answers}"),
        ("answers measured", int(result["answers"])),
        ("answer p50 (s)", f"{result['answer p50']:.3f}"),
        ("answer p95 (s)", f"{result['answer p95']:.3f}"),
        ("answer max (s)", f"{result['answer max']:.3f}"),
        ("start p50 (s)", f"{result['start p50']:.3f}"),
        ("start max (s)", f"{result['start max']:.3f}"),
        ("whole session p50 (s), start to last reply", f"{result['session p50']:.3f}"),
        ("whole session max (s)", f"{result['session max']:.3f}"),
        ("wall time (s)", f"{result['wall']:.1f}"),
        ("CPU per answer, starts included (ms)", f"{result['cpu per answer ms']:.0f}"),
        ("event-loop CPU per answer (ms)", f"{result['loop cpu per answer ms']:.0f}"),
    ]
    print_table("Load on the engine: concurrent sessions on one Coach, no Chainlit (offline)",
                ["measure", "value"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
