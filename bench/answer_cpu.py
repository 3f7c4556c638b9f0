"""Where the CPU of one answer goes: per process, per thread and per component of the app's main thread.

Runs the back-to-back load scenario of ``bench/load.py`` (real ``chainlit run app.py``, clients on
Chainlit's socket protocol) twice on fresh servers:

1. plain: CPU seconds of every process and thread of the server, read from ``/proc`` before and
   after the measured sessions (the warm-up session excluded), per answer;
2. under ``cProfile`` (main thread of the app only: the event loop, where Chainlit, the graph, the
   checkpointer and the rendering run): each component's share of the profiled time, then applied to
   the main thread's CPU of the plain run, so the profiler's own overhead does not inflate the figures.

CPU time, not wall time: it holds on a machine shared with other work, where latency does not.

    PYTHONPATH=. .venv/bin/python bench/answer_cpu.py [--sessions 20] [--answers 5] [--top 25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _app_server import AppServer, bundled_postings, login_cookie  # noqa: E402
from _table import print_table  # noqa: E402
from load import run, stop_on_sigterm  # noqa: E402

try:
    from core.users import add_user
except ImportError:  # a tree from before the layout move (to compare with)
    from knowledge.users import add_user  # type: ignore[no-redef]

# Components of the main thread, by the file a function's own time is spent in (first match wins).
# Built-ins (C functions, file "~") are matched on their name.
COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("critic (chains/critic)", ("/chains/critic/",)),
    ("questions (chains/questions)", ("/chains/questions/",)),
    ("session facade and nodes (chains/session)", ("/chains/session/",)),
    ("other engine (chains/*)", ("/chains/",)),
    ("postings, store, embeddings (knowledge/)", ("/knowledge/",)),
    ("app handlers (app.py)", ("/app.py",)),
    ("rendering (ui/render.py)", ("/ui/render.py",)),
    ("history data layer (ui/history.py)", ("/ui/history.py",)),
    ("other ui/ and core/", ("/ui/", "/core/")),
    ("checkpointer: SQLite and msgpack", ("/langgraph/checkpoint/", "sqlite3.", "ormsgpack")),
    ("LangGraph runtime", ("/langgraph/", "/langchain_core/")),
    ("history DB: SQLAlchemy, aiosqlite", ("/sqlalchemy/", "/aiosqlite/")),
    ("Chainlit", ("/chainlit/",)),
    ("socket.io, engine.io, websockets", ("/socketio/", "/engineio/", "/websockets/", "/wsproto/")),
    ("HTTP: uvicorn, starlette, fastapi", ("/uvicorn/", "/starlette/", "/fastapi/", "/httptools/")),
    ("pydantic (models, copies, validation)", ("/pydantic/", "pydantic_core")),
    ("model: torch, transformers", ("/torch/", "/transformers/", "/sentence_transformers/", "torch.")),
    ("Chroma", ("/chromadb/",)),
    ("json", ("/json/", "_json")),
    ("asyncio, selectors, threads", ("/asyncio/", "/selectors.py", "/threading.py", "/concurrent/")),
]


# Plain functions whose cumulative time (what they call included) is reported: (label, file, name).
# Coroutines are left out: cProfile charges a suspended coroutine with what other tasks ran meanwhile.
ENTRY_POINTS: list[tuple[str, str, str]] = [
    ("checkpointer: read the latest checkpoint (get_tuple)", "/langgraph/checkpoint/sqlite/__init__.py",
     "get_tuple"),
    ("checkpointer: write a checkpoint (put)", "/langgraph/checkpoint/sqlite/__init__.py", "put"),
    ("checkpointer: write pending writes (put_writes)", "/langgraph/checkpoint/sqlite/__init__.py",
     "put_writes"),
    ("checkpointer: latest id only (latest_id)", "/chains/session/checkpoints.py", "latest_id"),
    ("serde: encode state (dumps_typed)", "/serde/jsonplus.py", "dumps_typed"),
    ("serde: decode state (loads_typed)", "/serde/jsonplus.py", "loads_typed"),
    ("session: State(...) from a checkpoint or run", "/chains/session/coach.py", "_state"),
    ("session: Turn for the app (_turn)", "/chains/session/coach.py", "_turn"),
    ("render: critique_card", "/ui/render.py", "critique_card"),
    ("render: question", "/ui/render.py", "question"),
    ("render: summary", "/ui/render.py", "summary"),
    ("render: scores_figure (plotly)", "/ui/render.py", "scores_figure"),
    ("chainlit: Message.__init__", "/chainlit/message.py", "__init__"),
    ("chainlit: Step.__init__", "/chainlit/step.py", "__init__"),
    ("chainlit: Step.to_dict", "/chainlit/step.py", "to_dict"),
    ("history: step columns (_step_parameters)", "/ui/history.py", "_step_parameters"),
    ("planner: follow_up", "/chains/questions/planner.py", "follow_up"),
    ("summary: build_summary", "/chains/session/summary.py", "build_summary"),
    ("json.dumps", "/json/__init__.py", "dumps"),
    ("json.loads", "/json/__init__.py", "loads"),
]


def component(path: str, name: str) -> str:
    """The component a profiled function belongs to."""
    key = name if path == "~" else path
    for label, needles in COMPONENTS:
        if any(needle in key for needle in needles):
            return label
    return "other (stdlib, libraries)"


def tasks(pid: int) -> dict[tuple[int, int, str], float]:
    """CPU seconds of every thread of ``pid`` and of its descendants: (process, thread, name) -> s."""
    ticks = os.sysconf("SC_CLK_TCK")
    out: dict[tuple[int, int, str], float] = {}
    pending, seen = [pid], set()
    while pending:
        proc = pending.pop()
        if proc in seen:
            continue
        seen.add(proc)
        try:  # the process as a whole: its threads that ended meanwhile are only counted here
            fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
            out[(proc, 0, "")] = (int(fields[11]) + int(fields[12])) / ticks
        except OSError:
            continue
        for task in Path(f"/proc/{proc}/task").glob("*"):
            try:
                stat = (task / "stat").read_text()
                children = (task / "children").read_text().split()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            out[(proc, int(task.name), name)] = (int(fields[11]) + int(fields[12])) / ticks
            pending.extend(int(child) for child in children)
    return out


def scenario(sessions: int, answers: int, profile_to: Path | None) -> tuple[dict[str, float], int]:
    """One fresh server, a warm-up session, then the measured run: CPU by thread kind, answers.

    Threads are told apart by their OS name, which only the profiled server sets (see
    ``_profiled_server``); so the per-thread figures come from the profiled run, the totals from both.
    """
    with tempfile.TemporaryDirectory(prefix="coach-cpu-") as tmp:
        users_file = Path(tmp) / "users.txt"
        for n in range(4):
            add_user(users_file, f"load{n}", "load-password")
        server = AppServer(Path(tmp) / "data", users_file=users_file, profile_to=profile_to)
        server.ingest(bundled_postings())
        url = server.start()
        try:
            cookies = [login_cookie(url, f"load{n}", "load-password") for n in range(4)]
            asyncio.run(run(url, cookies, 1, 1, 3, 120.0))
            assert server.process is not None
            if profile_to is not None:
                server.profile_start()
            before = tasks(server.process.pid)
            clients = asyncio.run(run(url, cookies, sessions, answers, 3, 120.0))
            after = tasks(server.process.pid)
            if profile_to is not None:
                server.profile_stop()
            main_pid = server.process.pid
        finally:
            server.stop()
    errors = [e for c in clients for e in c.errors]
    if errors:
        raise RuntimeError(f"{len(errors)} client errors, first: {errors[0]}")
    replies = sum(len(c.reply_s) for c in clients)
    by_kind: dict[str, float] = defaultdict(float)
    for key, seconds in after.items():
        pid, tid, name = key
        spent = seconds - before.get(key, 0.0)
        if pid != main_pid:  # the scoring process, as a whole (ended threads included)
            if tid == 0:
                by_kind["scoring process (all threads)"] += spent
        elif tid == 0:
            threads = sum(
                s - before.get(k, 0.0) for k, s in after.items() if k[0] == main_pid and k[1] != 0
            )
            by_kind["app: threads that ended during the run"] += max(spent - threads, 0.0)
        elif tid == pid:
            by_kind["app: main thread (event loop)"] += spent
        else:
            by_kind[f"app: thread '{name}'"] += spent
    return dict(by_kind), replies


def profile_shares(
    path: Path, top: int
) -> tuple[dict[str, float], list[tuple[str, float]], list[tuple[str, float]]]:
    """Shares of the profiled main-thread time: per component (own time), per entry point
    (cumulative), and the top functions by own time."""
    stats = pstats.Stats(str(path))
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    entries = []
    for label, file, function in ENTRY_POINTS:
        found = [e[3] for (f, _, n), e in raw.items() if f.endswith(file) or file in f if n == function]
        if found:
            entries.append((label, sum(found) / total))
    shares: dict[str, float] = defaultdict(float)
    functions: list[tuple[str, float]] = []
    for (file, line, name), entry in raw.items():
        shares[component(file, name)] += entry[2] / total
        short = name if file == "~" else f"{'/'.join(Path(file).parts[-2:])}:{line} {name}"
        functions.append((short, entry[2] / total))
    functions.sort(key=lambda item: -item[1])
    return dict(shares), entries, functions[:top]


def main() -> int:
    """Run both scenarios and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--answers", type=int, default=5)
    parser.add_argument("--top", type=int, default=25, help="functions listed by own time")
    parser.add_argument("--keep-profile", type=Path, help="also keep the cProfile output here")
    args = parser.parse_args()
    stop_on_sigterm()

    started = time.perf_counter()
    plain, replies = scenario(args.sessions, args.answers, None)
    with tempfile.TemporaryDirectory(prefix="coach-prof-") as tmp:
        profile = args.keep_profile or Path(tmp) / "app.prof"
        profiled, profiled_replies = scenario(args.sessions, args.answers, profile)
        shares, entries, functions = profile_shares(profile, args.top)

    def ms(seconds: float, answers: int) -> float:
        return 1000 * seconds / max(answers, 1)

    main_kind, scoring_kind = "app: main thread (event loop)", "scoring process (all threads)"
    main_ms = ms(plain.get(main_kind, 0.0), replies)
    total = ms(sum(plain.values()), replies)
    # The main thread and the scoring process from the plain run; the app's other threads (never
    # profiled, so not slowed) from the profiled run, where they carry their names.
    parts = {main_kind: main_ms, scoring_kind: ms(plain.get(scoring_kind, 0.0), replies)}
    for kind, seconds in profiled.items():
        if kind not in (main_kind, scoring_kind):
            parts[kind] = ms(seconds, profiled_replies)
    rows: list[tuple[Any, ...]] = [
        (kind, f"{value:.1f}", f"{100 * value / total:.0f}%")
        for kind, value in sorted(parts.items(), key=lambda item: -item[1])
        if value >= 0.05
    ]
    rows.append(("total, plain run (server CPU per answer)", f"{total:.1f}", "100%"))
    print_table(
        f"CPU per answer by process and thread ({args.sessions} sessions x {args.answers} answers, "
        f"back to back, {replies} answers)",
        ["process / thread", "ms per answer", "share"],
        rows,
    )
    rows = [
        (label, f"{main_ms * share:.1f}", f"{100 * share:.0f}%")
        for label, share in sorted(shares.items(), key=lambda item: -item[1])
        if share >= 0.005
    ]
    print_table(
        "App main thread by component (own time under cProfile, scaled to the plain run's "
        f"{main_ms:.1f} ms per answer)",
        ["component", "ms per answer", "share of main thread"],
        rows,
    )
    print_table(
        "App main thread by function (cumulative: what it calls included; they overlap)",
        ["function", "ms per answer", "share of main thread"],
        [(label, f"{main_ms * share:.2f}", f"{100 * share:.1f}%") for label, share in entries],
    )
    print_table(
        "Top functions of the main thread by own time",
        ["function", "ms per answer", "share"],
        [(name, f"{main_ms * share:.2f}", f"{100 * share:.1f}%") for name, share in functions],
    )
    print(f"(both runs took {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
