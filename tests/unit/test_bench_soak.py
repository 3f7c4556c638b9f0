"""bench/soak.py's report and memory reading, and ``coach bench`` running it only when asked."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import run_all  # noqa: E402
import soak  # noqa: E402
from load import Client  # noqa: E402


def _finished(
    index: int, replies: list[float], began: float, errors: list[str] | None = None
) -> soak.Finished:
    client = Client(index, thread_id=f"thread-{index}", reply_s=replies, critique_s=replies)
    client.errors = errors or []
    client.received = [{"threadId": client.thread_id, "output": "### Score 60/100"}]
    ends, at = [], began
    for reply in replies:
        at += reply
        ends.append(at)
    return soak.Finished(client, began, ends)


def _memory(rss: float, pss: float) -> dict[str, soak.Memory]:
    return {"server (chainlit run)": soak.Memory(rss, pss), "total": soak.Memory(rss, pss)}


def test_the_report_reads_back_into_coach_bench_figures(capsys: pytest.CaptureFixture[str]) -> None:
    finished = [_finished(0, [0.2, 0.4, 0.6], 0.0), _finished(1, [1.0, 3.0], 100.0)]
    memory = {
        "after warm-up": _memory(700, 500),
        "peak during the run": _memory(800, 600),
        "right after the run": _memory(790, 590),
        "after the idle wait": _memory(760, 540),
    }
    assert soak.report(finished, 2, 120.0, 125.0, 5.0, memory, [soak.Memory(720, 520), soak.Memory(750, 560)])
    out = capsys.readouterr().out
    figures = {m.metric: m for m in run_all.read_soak(out)}
    assert figures["whole reply p50 s (2 sessions, 120 s)"].value == 0.6
    assert figures["answers measured"].value == 5
    assert "720 / 520, 750 / 560" in out  # the total at each minute
    assert figures["client errors + cross-talk problems"].passed is True
    assert figures["server + workers PSS after warm-up, MB"].value == 500
    assert figures["server + workers PSS growth after the run, MB"].value == 40
    assert figures["server + workers RSS growth after the run, MB"].value == 60


def test_an_error_or_cross_talk_fails_the_soak(capsys: pytest.CaptureFixture[str]) -> None:
    crossed = _finished(1, [0.3], 0.0)
    crossed.client.received.append({"threadId": "thread-0", "output": "not mine"})
    memory = {stage: _memory(1, 1) for stage in soak.STAGES}
    assert not soak.report([_finished(0, [0.2], 0.0), crossed], 2, 60, 60, 0, memory)
    assert not soak.report([_finished(0, [0.2], 0.0, ["TimeoutError: no reply"])], 1, 60, 60, 0, memory)
    out = capsys.readouterr().out
    assert "errors of kind TimeoutError: 1" in out
    figures = {m.metric: m for m in run_all.read_soak(out)}
    assert figures["client errors + cross-talk problems"].passed is False


def test_memory_of_this_process_is_read_from_proc() -> None:
    if not Path("/proc/self/smaps_rollup").exists():
        pytest.skip("no /proc/PID/smaps_rollup (not Linux)")
    memory = soak.memory_of(os.getpid())
    assert memory is not None and 0 < memory.pss <= memory.rss
    tree = soak.process_tree(os.getpid())
    assert tree[os.getpid()] == "server (chainlit run)"  # the root is named as the server


def test_a_plain_coach_bench_leaves_the_soak_out() -> None:
    assert "soak" not in [b.name for b in run_all.select(None)]
    assert [b.name for b in run_all.select("soak")] == ["soak"]
