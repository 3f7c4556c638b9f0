"""Fixtures of the integration tests: a real Chroma server, started once per session."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from _app_server import listening_inodes, socket_inodes  # noqa: E402


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_executable() -> str:
    beside = Path(sys.executable).with_name("chroma")
    if beside.exists():
        return str(beside)
    found = shutil.which("chroma")
    if found is None:
        pytest.fail("the 'chroma' command is missing: reinstall chromadb into the venv")
    return found


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """(host, port) of a real ``chroma run`` server on a free port, stopped after the session.

    A port free a moment ago can be bound by another process first (tests and other runs share the
    machine): then the server exits saying so and starts again on another port; a heartbeat only
    counts when this server holds the listening socket.
    """
    path = tmp_path_factory.mktemp("chroma-server")
    for attempt in range(5):
        port = free_port()
        log_path = path / f"server-{attempt}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [_chroma_executable(), "run", "--path", str(path / "db"), "--host", "127.0.0.1",
                 "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        if _wait_for_chroma(process, port, log_path):
            break
    else:
        pytest.fail("chroma run found its port taken 5 times in a row")
    try:
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for_chroma(process: subprocess.Popen[bytes], port: int, log_path: Path) -> bool:
    """True once this server answers its heartbeat; False when its port was taken; else fail."""
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            output = log_path.read_text(errors="replace")
            if f"127.0.0.1:{port} is not available" in output:  # chroma 1.x's words (and exit 0)
                return False
            pytest.fail(f"chroma run exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1):
                inodes = listening_inodes(port)
                if inodes is None or inodes & socket_inodes(process.pid):
                    return True
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("chroma run did not answer its heartbeat within 60 s")
        time.sleep(0.2)
