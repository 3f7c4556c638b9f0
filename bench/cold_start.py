"""Cold start: ``chainlit run app.py`` from launch to the page, the first message and the first question.

Each run starts a fresh server on a free port with a temporary data dir holding the bundled postings
(ingested before the clock starts), then times, from launch: the HTTP server answering, the first
assistant message over Chainlit's socket (the welcome with the postings), and the first question after
picking posting 1 (which waits for the embeddings model the app warms up in the background). Memory is
the PSS summed over the server's process group (the app and its scoring process; PSS splits shared
pages between the processes that map them, so the sum is what the app really holds; RSS where the
kernel gives no PSS), read from /proc after the first question and again after ``--answers`` turns.

    .venv/bin/python bench/cold_start.py [--runs 3] [--answers 3] [--json]

Targets (set here; the issues give none): page up <= 10 s, first question <= 30 s after launch,
memory after the answered turns <= 1.5 GiB (1 GiB until the app got its scoring process, which holds
a second copy of torch and the model: about 450 MiB for lower latency under load).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _app_server import AppServer, bundled_postings, header_login_cookie  # noqa: E402
from _table import machine, print_table  # noqa: E402
from load import ANSWERS, _is_question, _is_reply_end, _user_message  # noqa: E402

TARGETS = {"page_s": 10.0, "first_question_s": 30.0, "rss_after_turns_mib": 1536.0}
LABELS = {
    "page_s": "page answers (HTTP), s",
    "first_message_s": "first message (welcome), s",
    "first_question_s": "first question, s",
    "rss_first_reply_mib": "memory (PSS) after first question, MiB",
    "rss_after_turns_mib": "memory (PSS) after {answers:g} answer(s), MiB",
}
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _memory_bytes(proc: Path) -> int:
    try:
        for line in (proc / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return int((proc / "statm").read_text().split()[1]) * PAGE_SIZE  # resident pages


def group_rss_mib(group: int) -> float:
    """Memory in MiB (PSS, else RSS) summed over the live processes of a process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            # Fields after the ")" that closes the command name: state ppid pgrp ...
            if int(stat.rsplit(")", 1)[1].split()[2]) == group:
                total += _memory_bytes(entry)
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return total / 2**20


async def _session(url: str, launched: float, group: int, answers: int, timeout: float) -> dict[str, float]:
    """Log in, connect like the browser, pick posting 1 and answer; seconds since launch and memory."""
    import socketio

    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sio = socketio.AsyncClient(reconnection=False)

    @sio.on("new_message")
    async def on_new(data: dict[str, Any]) -> None:
        if data.get("type") == "assistant_message":
            await inbox.put(data)

    async def wait_for(predicate: Any) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = await asyncio.wait_for(inbox.get(), max(0.0, deadline - time.monotonic()))
            if predicate(message):
                return message

    figures: dict[str, float] = {}
    cookie = await asyncio.to_thread(header_login_cookie, url)
    await sio.connect(
        url,
        socketio_path="/ws/socket.io",
        transports=["websocket"],
        headers={"Cookie": cookie},
        auth={"clientType": "webapp", "sessionId": str(uuid.uuid4()), "threadId": None, "userEnv": "{}",
              "chatProfile": None},
    )
    try:
        await sio.emit("connection_successful")
        await wait_for(lambda m: bool(m.get("output")))
        figures["first_message_s"] = time.perf_counter() - launched
        await sio.emit("client_message", _user_message("1"))
        await wait_for(_is_question)
        figures["first_question_s"] = time.perf_counter() - launched
        figures["rss_first_reply_mib"] = group_rss_mib(group)
        done = 0
        for n in range(answers):
            await sio.emit("client_message", _user_message(ANSWERS[n % len(ANSWERS)]))
            end = await wait_for(_is_reply_end)
            done += 1
            if "## Session summary" in end.get("output", ""):
                break
        figures["answered"] = done
        figures["rss_after_turns_mib"] = group_rss_mib(group)
    finally:
        await sio.disconnect()
    return figures


def one_run(data_dir: Path, answers: int, timeout: float) -> dict[str, float]:
    """Launch the app once on ``data_dir`` (postings already stored) and measure it; stops it after."""
    server = AppServer(data_dir)
    launched = time.perf_counter()
    try:
        url = server.start(timeout=timeout)
        figures = {"page_s": time.perf_counter() - launched}
        assert server.process is not None
        figures.update(asyncio.run(_session(url, launched, server.process.pid, answers, timeout)))
    except Exception as exc:
        raise RuntimeError(f"{type(exc).__name__}: {exc}\n{server.log_tail(15)}") from exc
    finally:
        server.stop()
    return figures


def summarise(runs: list[dict[str, float]]) -> dict[str, Any]:
    """Medians over the runs, with the targets and whether each is met."""
    medians = {name: statistics.median(r[name] for r in runs) for name in runs[0]}
    answers = medians.pop("answered")
    return {
        "runs": len(runs),
        "answers": answers,
        "medians": medians,
        "labels": {key: label.format(answers=answers) for key, label in LABELS.items()},
        "targets": TARGETS,
        "met": {name: medians[name] <= limit for name, limit in TARGETS.items()},
        "each_run": runs,
        "machine": machine(),
    }


def _row(result: dict[str, Any], key: str, label: str) -> list[object]:
    if key not in result["targets"]:
        return [label, result["medians"][key], "-", "-"]
    met = "yes" if result["met"][key] else "NO"
    return [label, result["medians"][key], f"<= {result['targets'][key]:g}", met]


def main(argv: list[str] | None = None) -> int:
    """Measure ``--runs`` cold starts; print a table (or JSON with ``--json``); 0 when targets are met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="cold starts to measure (median reported)")
    parser.add_argument("--answers", type=int, default=3, help="turns before the 2nd memory reading")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for any one step")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    postings = bundled_postings()
    if not postings:
        print("cold_start: no postings in knowledge/postings (nor ../shared/postings)", file=sys.stderr)
        return 2
    runs = []
    with tempfile.TemporaryDirectory(prefix="coach-bench-cold-") as tmp:
        data_dir = Path(tmp) / "data"
        AppServer(data_dir).ingest(postings)
        for n in range(args.runs):
            runs.append(one_run(data_dir, args.answers, args.timeout))
            print(f"run {n + 1}/{args.runs}: {runs[-1]}", file=sys.stderr)
    result = summarise(runs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(
            f"Cold start (bench/cold_start.py): median of {len(runs)} runs, seconds from launch",
            ["measure", "median", "target", "met"],
            [_row(result, key, label) for key, label in result["labels"].items()],
        )
    return 0 if all(result["met"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
