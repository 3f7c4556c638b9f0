"""Load: N concurrent practice sessions over Chainlit's socket protocol against a real ``chainlit run``.

Each client logs in, connects like the browser does (python-socketio, websocket transport), picks a
posting by typing its number, and answers ``--answers`` questions offline. Reported: p50/p95 latency of
the critique and of the whole reply (critique and the next question, or the summary), per answer; of
the first question (from picking a posting), per session; and a cross-talk check: every message a
client receives carries its own thread id, and no client ever sees another client's answer text.
Target: p95 of the whole reply <= 1 s with 20 sessions.

    .venv/bin/python bench/load.py [--sessions 20] [--answers 5] [--idle 0] [--url http://127.0.0.1:8000]

``--idle N`` holds N more sockets open during the run, each logged in and on the welcome message like
a browser tab left open, to check that idle connections do not slow the sessions (issue 14: 200 idle
sockets and one normal client).

Without ``--url`` it starts its own server on a free port with a temporary data dir and ingests the
bundled postings first.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _app_server import AppServer, bundled_postings, login_cookie  # noqa: E402
from _table import print_table  # noqa: E402

ANSWERS = [
    "In my last role I owned this end to end. The situation was a missed deadline; my task was to fix "
    "it. I planned the work, agreed priorities with the stakeholders, and shipped in two weeks. As a "
    "result we met the deadline and cut errors by 30%.",
    "I would start by clarifying the goal with the team, then measure where we stand, pick the two "
    "changes with the largest effect, and review the results weekly with the people involved.",
    "fine",
    "I have done this for three years: I write the plan, track progress in a shared board, and report "
    "the outcome with numbers, for example a 20% faster turnaround last quarter.",
    "I don't know",
]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Client:
    """One simulated person: a socket, the messages it got, its timings."""

    index: int
    nonce: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    thread_id: str | None = None
    received: list[dict[str, Any]] = field(default_factory=list)
    start_s: float | None = None  # picking a posting to its first question
    critique_s: list[float] = field(default_factory=list)
    reply_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    inbox: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)


def _user_message(text: str) -> dict[str, Any]:
    return {
        "message": {
            "id": str(uuid.uuid4()),
            "threadId": "",
            "name": "User",
            "type": "user_message",
            "output": text,
            "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        },
        "fileReferences": None,
    }


async def _connect(sio: Any, url: str, cookie: str, wait_timeout: float) -> None:
    """Open Chainlit's socket as the page does: websocket transport, the login cookie, a new session."""
    await sio.connect(
        url,
        socketio_path="/ws/socket.io",
        transports=["websocket"],
        headers={"Cookie": cookie},
        auth={
            "clientType": "webapp",
            "sessionId": str(uuid.uuid4()),
            "threadId": None,
            "userEnv": "{}",
            "chatProfile": None,
        },
        wait_timeout=wait_timeout,
    )


async def _wait_for(client: Client, predicate: Any, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"client {client.index}: no expected message within {timeout:.0f} s")
        message = await asyncio.wait_for(client.inbox.get(), remaining)
        if predicate(message):
            return message


def _is_question(m: dict[str, Any]) -> bool:
    return "_Why this question:_" in m.get("output", "")


def _is_reply_end(m: dict[str, Any]) -> bool:
    return _is_question(m) or "## Session summary" in m.get("output", "")


async def run_client(
    client: Client,
    url: str,
    cookie: str,
    answers: int,
    posting_number: int,
    timeout: float,
    think: float = 0.0,
    connect_timeout: float = 1.0,
) -> None:
    """Connect, pick a posting, answer; record timings and everything received (a failure, the
    connection's included, is recorded in ``client.errors``)."""
    import socketio

    sio = socketio.AsyncClient(reconnection=False)

    @sio.on("new_message")
    async def on_new(data: dict[str, Any]) -> None:
        client.received.append(data)
        if data.get("type") == "assistant_message":
            await client.inbox.put(data)

    @sio.on("first_interaction")
    async def on_first(data: dict[str, Any]) -> None:
        client.thread_id = data.get("thread_id")

    try:
        await _connect(sio, url, cookie, connect_timeout)
        await sio.emit("connection_successful")
        await _wait_for(client, lambda m: "Choose a posting" in m.get("output", ""), timeout)
        picked = time.perf_counter()
        await sio.emit("client_message", _user_message(str(posting_number)))
        await _wait_for(client, _is_question, timeout)
        client.start_s = time.perf_counter() - picked
        rng = random.Random(client.index)
        for n in range(answers):
            if think:  # a person reads the question and types: uniform in [0.5, 1.5] x think
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            text = f"{ANSWERS[n % len(ANSWERS)]} (ref {client.nonce})"
            sent = time.perf_counter()
            await sio.emit("client_message", _user_message(text))
            await _wait_for(client, lambda m: m.get("output", "").startswith("### Score"), timeout)
            client.critique_s.append(time.perf_counter() - sent)
            end = await _wait_for(client, _is_reply_end, timeout)
            client.reply_s.append(time.perf_counter() - sent)
            if "## Session summary" in end.get("output", ""):
                break
    except Exception as exc:  # noqa: BLE001 - reported per client, the run goes on
        client.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        await sio.disconnect()


@dataclass
class Idle:
    """Sockets held open and silent during a run: how many connected, and how many stayed connected."""

    wanted: int = 0
    connected: int = 0
    still_connected: int = 0
    errors: list[str] = field(default_factory=list)


async def _open_idle(url: str, cookie: str, timeout: float, idle: Idle) -> Any:
    """One socket that connects, gets its welcome message and then says nothing; None if it failed."""
    import socketio

    sio = socketio.AsyncClient(reconnection=False)
    welcomed = asyncio.Event()

    @sio.on("new_message")
    async def on_new(data: dict[str, Any]) -> None:
        if "Choose a posting" in data.get("output", ""):
            welcomed.set()

    try:
        await _connect(sio, url, cookie, timeout)
        await sio.emit("connection_successful")
        await asyncio.wait_for(welcomed.wait(), timeout)
    except Exception as exc:  # noqa: BLE001 - counted, the run goes on
        idle.errors.append(f"{type(exc).__name__}: {exc}")
        await sio.disconnect()
        return None
    idle.connected += 1
    return sio


def cross_talk(clients: list[Client]) -> list[str]:
    """Problems: a message of another thread, or another client's answer text, reaching a client."""
    problems = []
    nonces = {c.index: c.nonce for c in clients}
    for client in clients:
        threads = {m.get("threadId") for m in client.received if m.get("threadId")}
        if client.thread_id is None or threads - {client.thread_id}:
            problems.append(
                f"client {client.index}: messages of threads {sorted(map(str, threads))}, "
                f"own {client.thread_id}"
            )
        for message in client.received:
            for other, nonce in nonces.items():
                if other != client.index and nonce in str(message.get("output", "")):
                    problems.append(f"client {client.index} received client {other}'s answer")
    return problems


async def run(
    url: str,
    cookies: list[str],
    sessions: int,
    answers: int,
    postings: int,
    timeout: float,
    think: float = 0.0,
) -> list[Client]:
    """All clients at once."""
    clients = [Client(i) for i in range(sessions)]
    await asyncio.gather(
        *(
            run_client(
                c,
                url,
                cookies[c.index % len(cookies)],
                answers,
                1 + c.index % max(postings, 1),
                timeout,
                think,
            )
            for c in clients
        )
    )
    return clients


async def hold_idle(url: str, cookies: list[str], idle: Idle, timeout: float) -> list[Any]:
    """Open ``idle.wanted`` silent sockets, each welcomed; the ones that connected."""
    held: list[Any] = []
    # In batches, as tabs are opened over time: all at once would measure a connect storm instead.
    for first in range(0, idle.wanted, 25):
        batch = range(first, min(first + 25, idle.wanted))
        opened = await asyncio.gather(
            *(_open_idle(url, cookies[i % len(cookies)], timeout, idle) for i in batch)
        )
        held += [sio for sio in opened if sio is not None]
    return held


async def release_idle(held: list[Any], idle: Idle) -> None:
    """Count the held sockets still connected, then close them."""
    idle.still_connected = sum(1 for sio in held if sio.connected)
    await asyncio.gather(*(sio.disconnect() for sio in held))


def report(
    clients: list[Client],
    sessions: int,
    answers: int,
    wall_s: float,
    think: float = 0.0,
    server_cpu_s: float | None = None,
    idle: Idle | None = None,
) -> bool:
    """Print the table; True when the run met the target (p95 reply <= 1 s, no errors, no cross-talk)."""
    critiques = [t for c in clients for t in c.critique_s]
    replies = [t for c in clients for t in c.reply_s]
    starts = [c.start_s for c in clients if c.start_s is not None]
    errors = [f"client {c.index}: {e}" for c in clients for e in c.errors]
    problems = cross_talk(clients)
    p95 = percentile(replies, 95)
    rows = [
        ("sessions x answers", f"{sessions} x {answers}"),
        ("think time (s)", f"{think:g} x U(0.5, 1.5)" if think else "0 (back to back)"),
        ("answers measured", len(replies)),
        ("critique p50 (s)", f"{percentile(critiques, 50):.3f}"),
        ("critique p95 (s)", f"{percentile(critiques, 95):.3f}"),
        ("whole reply p50 (s)", f"{percentile(replies, 50):.3f}"),
        ("whole reply p95 (s)", f"{p95:.3f}"),
        ("whole reply max (s)", f"{max(replies, default=float('nan')):.3f}"),
        ("first question p50 (s), from picking a posting", f"{percentile(starts, 50):.3f}"),
        ("first question p95 (s)", f"{percentile(starts, 95):.3f}"),
        ("mean reply (s)", f"{statistics.fmean(replies) if replies else float('nan'):.3f}"),
        ("wall time (s)", f"{wall_s:.1f}"),
        (
            "server CPU per answer, starts included (ms)",
            f"{1000 * server_cpu_s / max(len(replies), 1):.0f}" if server_cpu_s is not None else "-",
        ),
        ("client errors", len(errors)),
        ("cross-talk problems", len(problems)),
    ]
    if idle is not None and idle.wanted:
        rows.insert(2, ("idle sockets: connected / still connected at the end", f"{idle.connected} / "
                        f"{idle.still_connected} of {idle.wanted}"))
    print_table("Load: concurrent practice sessions over the socket (offline)", ["measure", "value"], rows)
    idle_errors = [f"idle socket: {e}" for e in idle.errors] if idle is not None else []
    for line in errors[:10] + problems[:10] + idle_errors[:10]:
        print(f"  ! {line}")
    idle_ok = idle is None or idle.still_connected == idle.wanted
    return not errors and not problems and idle_ok and len(replies) == sessions * answers and p95 <= 1.0


def stop_on_sigterm() -> None:
    """Make SIGTERM stop the run as Ctrl-C does, so the ``finally`` that stops the server runs.

    (A SIGKILL cannot be caught: the server then gets SIGTERM from the kernel, see ``_app_server``.)
    """

    def interrupt(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main() -> int:
    """Run the load test; exit 0 when the target is met."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--answers", type=int, default=5)
    parser.add_argument("--url", help="an already running app (password login needs --user/--password)")
    parser.add_argument("--user", default="load")
    parser.add_argument("--password", default="load-password")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for any one message")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds before each answer (0: back to back, a stress test)",
    )
    parser.add_argument(
        "--idle", type=int, default=0, help="sockets held open and silent during the run (tabs left open)"
    )
    args = parser.parse_args()
    stop_on_sigterm()

    server = None
    with tempfile.TemporaryDirectory(prefix="coach-load-") as tmp:
        if args.url:
            url, postings = args.url.rstrip("/"), 1
        else:
            from core.users import add_user

            data = Path(tmp) / "data"
            users_file = Path(tmp) / "users.txt"
            for n in range(4):  # a few accounts, several sessions each, like a small team
                add_user(users_file, f"{args.user}{n}", args.password)
            server = AppServer(data, users_file=users_file)
            started = time.perf_counter()
            print(server.ingest(bundled_postings()).strip().splitlines()[-1:], file=sys.stderr)
            url = server.start()
            postings = 3
            print(
                f"server up in {time.perf_counter() - started:.1f} s (with ingest) at {url}", file=sys.stderr
            )
        try:
            names = [f"{args.user}{n}" for n in range(4)] if server else [args.user]
            cookies = [login_cookie(url, name, args.password) for name in names]
            # One warm-up session first: the first request pays for loading the embeddings model.
            asyncio.run(run(url, cookies, 1, 1, postings, args.timeout))
            idle = Idle(wanted=args.idle)

            async def measured() -> tuple[list[Client], float, float | None]:
                # The idle sockets are opened (and welcomed) before the clock and the CPU count start.
                held = await hold_idle(url, cookies, idle, args.timeout)
                cpu_before = server.cpu_seconds() if server else None
                started = time.perf_counter()
                clients = await run(
                    url, cookies, args.sessions, args.answers, postings, args.timeout, args.think
                )
                wall = time.perf_counter() - started
                cpu_after = server.cpu_seconds() if server else None
                await release_idle(held, idle)
                cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
                return clients, wall, cpu

            clients, wall, cpu = asyncio.run(measured())
        finally:
            if server is not None:
                server.stop()
    ok = report(clients, args.sessions, args.answers, wall, args.think, cpu, idle)
    print("target p95 <= 1 s with no errors and no cross-talk:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
