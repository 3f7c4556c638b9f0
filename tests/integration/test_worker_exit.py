"""Scoring workers exit when the app is killed with -9 (no shutdown hook runs then).

Before: the worker (about 600 MB with the model) and its resource tracker were re-parented to PID 1
and ran forever.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

APP = """
import os, sys, time
from chains.critic.workers import ScoringProcesses
runner = ScoringProcesses(1)
runner.start()
pool = runner._executor()
print(pool.submit(os.getpid).result(timeout=600), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its (dead) parent counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, IndexError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_the_scoring_worker_and_its_tracker_exit_when_the_app_is_killed() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    app = subprocess.Popen(
        [sys.executable, "-c", APP], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert app.stdout is not None
        worker = int(app.stdout.readline())
        assert _alive(worker)
        children = _children(app.pid)  # the worker and multiprocessing's resource tracker
        assert worker in children
        os.kill(app.pid, signal.SIGKILL)
        app.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)], "a child of the app outlived it"
    finally:
        if app.poll() is None:
            app.kill()
