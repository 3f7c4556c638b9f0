"""Soak: N concurrent practice sessions, started again and again for M minutes, on a real ``chainlit run``.

``bench/load.py`` answers one burst; this keeps ``--sessions`` clients busy for ``--minutes``: each
client runs a whole session (log in, connect, pick a posting, answer until the summary), disconnects
and starts the next one, until time is up. Reported: memory (RSS and PSS, from /proc/PID/smaps_rollup)
of the server and of each process under it (the scoring worker, the resource tracker) after a warm-up,
at its peak during the run, right after it and after a short idle; reply p50/p95 over the whole run and
for its first and last minute (a slowdown over time shows there); sessions and answers completed;
client errors; cross-talk (``load.cross_talk``: a message of another thread or another client's
answer text reaching a client).

    .venv/bin/python bench/soak.py [--sessions 50] [--minutes 5] [--answers 5] [--think 5]

Exit 0 when there was no error and no cross-talk (memory and latency are for information: the
figures, not a threshold, are what a reader compares between runs). Too slow for CI; ``coach bench
--only soak`` runs it, a plain ``coach bench`` does not.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _app_server import AppServer, bundled_postings, login_cookie  # noqa: E402
from _table import print_table  # noqa: E402
from load import Client, cross_talk, percentile, run, run_client, stop_on_sigterm  # noqa: E402

USERS = 4  # a few accounts with many sessions each, as bench/load.py
POSTINGS = 3  # the clients pick postings 1-3 on the first screen
CONNECT_TIMEOUT = 30.0  # s: under load the socket handshake takes longer than python-socketio's 1 s
STAGES = ("after warm-up", "peak during the run", "right after the run", "after the idle wait")


@dataclass(frozen=True)
class Memory:
    """Resident (RSS) and proportional (PSS: shared pages split between their users) size, in MB."""

    rss: float
    pss: float


def process_tree(root: int) -> dict[int, str]:
    """``root`` and every live process under it, as pid -> a short role name from its command line."""
    found: dict[int, str] = {}
    pending = [root]
    while pending:
        pid = pending.pop()
        if pid in found:
            continue
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        found[pid] = _role(pid == root, [a.decode(errors="replace") for a in argv if a])
        for task in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                pending.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def _role(is_root: bool, argv: list[str]) -> str:
    if is_root:
        return "server (chainlit run)"
    text = " ".join(argv)
    if "resource_tracker" in text:
        return "resource tracker"
    if "multiprocessing" in text or "spawn_main" in text or "forkserver" in text:
        return "scoring worker"
    return argv[0].rsplit("/", 1)[-1] if argv else "child"


def memory_of(pid: int) -> Memory | None:
    """RSS and PSS of one process in MB; None when it is gone."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return None
    values = {}
    for line in lines:
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("Rss:", "Pss:"):
            values[parts[0]] = int(parts[1]) / 1024
    if "Rss:" not in values or "Pss:" not in values:
        return None
    return Memory(rss=values["Rss:"], pss=values["Pss:"])


def snapshot(root: int) -> dict[str, Memory]:
    """Memory per role (summed when a role has several processes) and ``total``."""
    by_role: dict[str, Memory] = {}
    for pid, role in process_tree(root).items():
        memory = memory_of(pid)
        if memory is None:
            continue
        seen = by_role.get(role, Memory(0.0, 0.0))
        by_role[role] = Memory(seen.rss + memory.rss, seen.pss + memory.pss)
    by_role["total"] = Memory(sum(m.rss for m in by_role.values()), sum(m.pss for m in by_role.values()))
    return by_role


@dataclass
class Peak:
    """The largest total PSS seen by a sampler thread while the run goes on."""

    root: int
    every_s: float = 5.0
    largest: dict[str, Memory] = field(default_factory=dict)
    by_minute: list[Memory] = field(default_factory=list)  # the total at the end of each minute
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        started = time.monotonic()
        while not self._stop.wait(self.every_s):
            now = snapshot(self.root)
            if not self.largest or now["total"].pss > self.largest["total"].pss:
                self.largest = now
            if time.monotonic() - started >= 60 * (len(self.by_minute) + 1):
                self.by_minute.append(now["total"])

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Finished:
    """One completed (or failed) session, stamped with when it began relative to the run's start."""

    client: Client
    began_s: float
    reply_ends_s: list[float]  # when each reply ended, from the run's start (for per-minute figures)


async def soak(
    url: str, cookies: list[str], sessions: int, seconds: float, answers: int, think: float, timeout: float
) -> list[Finished]:
    """``sessions`` loops, each starting one whole session after another until ``seconds`` are over."""
    started = time.perf_counter()
    finished: list[Finished] = []
    counter = iter(range(10**9))

    async def loop(slot: int) -> None:
        while time.perf_counter() - started < seconds:
            client = Client(next(counter))
            began = time.perf_counter() - started
            await run_client(
                client, url, cookies[slot % len(cookies)], answers, 1 + slot % POSTINGS, timeout, think,
                connect_timeout=CONNECT_TIMEOUT,
            )
            ends, at = [], began
            for reply in client.reply_s:  # approximate: replies follow one another within a session
                at += reply
                ends.append(at)
            finished.append(Finished(client, began, ends))
            if client.errors:
                await asyncio.sleep(1.0)  # a failing server is not hammered in a tight loop

    await asyncio.gather(*(loop(slot) for slot in range(sessions)))
    return finished


def _mb(memory: Memory | None) -> str:
    return "-" if memory is None else f"{memory.rss:.0f} / {memory.pss:.0f}"


def report(
    finished: list[Finished],
    sessions: int,
    seconds: float,
    wall_s: float,
    think: float,
    memory: dict[str, dict[str, Memory]],
    by_minute: list[Memory] | None = None,
) -> bool:
    """Print the tables; True when there was no error and no cross-talk."""
    clients = [f.client for f in finished]
    replies = [t for c in clients for t in c.reply_s]
    critiques = [t for c in clients for t in c.critique_s]
    first = [t for f in finished for t, end in zip(f.client.reply_s, f.reply_ends_s, strict=True) if end < 60]
    last = [
        t for f in finished for t, end in zip(f.client.reply_s, f.reply_ends_s, strict=True)
        if end >= wall_s - 60
    ]
    errors = [f"client {c.index}: {e}" for c in clients for e in c.errors]
    problems = cross_talk(clients)
    complete = sum(1 for c in clients if not c.errors and c.reply_s)
    rows = [
        ("concurrent sessions", sessions),
        ("duration asked / wall (s)", f"{seconds:.0f} / {wall_s:.0f}"),
        ("think time (s)", f"{think:g} x U(0.5, 1.5)" if think else "0 (back to back)"),
        ("sessions run (completed without error)", f"{len(clients)} ({complete})"),
        ("answers measured", len(replies)),
        ("answers per second", f"{len(replies) / max(wall_s, 1e-9):.1f}"),
        ("critique p50 / p95 (s)", f"{percentile(critiques, 50):.3f} / {percentile(critiques, 95):.3f}"),
        ("whole reply p50 (s)", f"{percentile(replies, 50):.3f}"),
        ("whole reply p95 (s)", f"{percentile(replies, 95):.3f}"),
        ("whole reply max (s)", f"{max(replies, default=float('nan')):.3f}"),
        ("whole reply p95, first minute (s)", f"{percentile(first, 95):.3f}"),
        ("whole reply p95, last minute (s)", f"{percentile(last, 95):.3f}"),
        ("client errors", len(errors)),
        ("cross-talk problems", len(problems)),
        # PSS splits shared pages between every process mapping them, other programs' included: on a
        # shared machine it moves with them. RSS is this tree's own view.
        ("server + workers RSS / PSS at each minute's end (MB)",
         ", ".join(_mb(m) for m in by_minute or []) or "-"),
    ]
    print_table("Soak: concurrent practice sessions over the socket, started again and again (offline)",
                ["measure", "value"], rows)
    stages = list(STAGES)
    roles = sorted({r for snap in memory.values() for r in snap if r != "total"}) + ["total"]
    memory_rows = [
        (role, *(_mb(memory.get(stage, {}).get(role)) for stage in stages)) for role in roles
    ]
    before, after = memory.get(stages[0], {}).get("total"), memory.get(stages[3], {}).get("total")
    if before is not None and after is not None:
        memory_rows.append(
            ("growth, idle after vs warm-up", "", "", "", f"{after.rss - before.rss:+.0f} / "
             f"{after.pss - before.pss:+.0f}")
        )
    print_table("Soak: memory of the server and the processes under it, RSS / PSS (MB)",
                ["process", *stages], memory_rows)
    kinds: dict[str, int] = {}
    for error in (e for c in clients for e in c.errors):
        kinds[error.split(":", 1)[0]] = kinds.get(error.split(":", 1)[0], 0) + 1
    for kind, count in sorted(kinds.items(), key=lambda item: -item[1]):
        print(f"  errors of kind {kind}: {count}")
    for line in errors[:10] + problems[:10]:
        print(f"  ! {line}")
    return not errors and not problems and bool(replies)


def main() -> int:
    """Start a server, warm it up, soak it, and report; exit 0 when nothing failed or crossed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--answers", type=int, default=5, help="answers per session (its length)")
    # People read the question and type (bench/load.py's load_think scenario): 50 clients answering
    # back to back saturate 2 cores (replies queue up to ~10 s) and measure the queue, not the soak.
    parser.add_argument(
        "--think", type=float, default=5.0, help="mean seconds before each answer (0: back to back)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for any one message")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds of idle before the last sample")
    args = parser.parse_args()
    stop_on_sigterm()
    from core.users import add_user

    memory: dict[str, dict[str, Memory]] = {}
    with tempfile.TemporaryDirectory(prefix="coach-soak-") as tmp:
        users_file = Path(tmp) / "users.txt"
        for n in range(USERS):
            add_user(users_file, f"soak{n}", "soak-password")
        server = AppServer(Path(tmp) / "data", users_file=users_file)
        try:
            print(server.ingest(bundled_postings()).strip().splitlines()[-1:], file=sys.stderr)
            url = server.start()
            assert server.process is not None
            cookies = [login_cookie(url, f"soak{n}", "soak-password") for n in range(USERS)]
            # Warm-up: the model loads and the scoring worker starts, so "before" is a running app.
            asyncio.run(run(url, cookies, 2, 2, POSTINGS, args.timeout))
            memory["after warm-up"] = snapshot(server.process.pid)
            peak = Peak(server.process.pid)
            sampler = threading.Thread(target=peak.run, daemon=True)
            sampler.start()
            print(f"soaking: {args.sessions} sessions for {args.minutes:g} min at {url}", file=sys.stderr)
            started = time.perf_counter()
            finished = asyncio.run(
                soak(url, cookies, args.sessions, 60 * args.minutes, args.answers, args.think, args.timeout)
            )
            wall = time.perf_counter() - started
            peak.stop()
            sampler.join()
            memory["peak during the run"] = peak.largest
            memory["right after the run"] = snapshot(server.process.pid)
            time.sleep(args.idle)
            memory["after the idle wait"] = snapshot(server.process.pid)
            if any(f.client.errors for f in finished):
                print(f"server log, last lines:\n{server.log_tail(30)}", file=sys.stderr)
        finally:
            server.stop()
    ok = report(finished, args.sessions, 60 * args.minutes, wall, args.think, memory, peak.by_minute)
    print("target: no errors and no cross-talk:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
