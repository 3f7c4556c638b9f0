"""A read-only or full data dir, for real, against the live app (issue 14).

The data dir is a small tmpfs (a real file system that fills up, or is remounted read-only), so what
is tested is what the kernel and SQLite really do, not a simulated exception. Mounting needs root;
as root, ``chmod`` does not stop writes, so without a mount the read-only and full cases are skipped
(a non-root run tests read-only with ``chmod`` instead). The server's log is kept outside the data
dir: a full disk must not also silence the log.
"""

from __future__ import annotations

import asyncio
import errno
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.live import AppServer, Chat, header_login_cookie

POSTING = """Warehouse Team Lead (Northwind Depot, Leeds, United Kingdom)

Responsibilities:
Plan daily shifts for a team of twelve and keep the loading schedule on time.
Train new starters on safe use of forklifts and scanners.

Minimum qualifications:
2 years of experience leading a team in a warehouse.
"""
ANSWER = (
    "In my last role I planned the shifts for a team of ten: I built a rota in a shared sheet, agreed "
    "it with the team every Friday, and the loading schedule was on time 98% of weeks."
)


class Tmpfs:
    """A tmpfs of ``size`` mounted at ``path`` (root only); unmounted by the fixture."""

    def __init__(self, path: Path, size: str) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): needs root with CAP_SYS_ADMIN")

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True, capture_output=True)

    def fill(self) -> Path:
        """Write a file until the disk is full (ENOSPC); the file, to remove to free the space."""
        filler = self.path / "filler"
        chunk = b"\0" * (64 * 1024)
        with filler.open("wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
        # A partial last chunk may leave a few bytes: take them too.
        with filler.open("ab", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0")
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
        return filler

    def unmount(self) -> None:
        # Lazy: a server that is still closing its files must not leave the mount behind.
        subprocess.run(["umount", "-l", str(self.path)], capture_output=True)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Tmpfs]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = Tmpfs(tmp_path / "mnt", "48m")
    try:
        yield mounted
    finally:
        mounted.unmount()


def _server(tmp_path: Path, data_dir: Path) -> AppServer:
    server = AppServer(data_dir)  # local mode: no users file
    server.log_path = tmp_path / "server.log"
    return server


def _ingest(tmp_path: Path, server: AppServer) -> None:
    postings = tmp_path / "postings"
    postings.mkdir(exist_ok=True)
    (postings / "warehouse.txt").write_text(POSTING)
    server.ingest([postings])


def _refused_at_start(server: AppServer) -> str:
    """The server's output when it refuses to start (it must: exit 1)."""
    with pytest.raises(RuntimeError, match=r"the app exited \(1\)"):
        server.start(timeout=120)
    return server.log_path.read_text(errors="replace")


def _one_line(log: str, says: str) -> None:
    [line] = [line for line in log.splitlines() if line.startswith("Interview Coach cannot start:")]
    assert says in line and "COACH_DATA_DIR" in line, line
    assert "Traceback" not in log, log


def test_an_empty_read_only_data_dir_is_one_line_at_start(tmp_path: Path, tmpfs: Tmpfs) -> None:
    tmpfs.read_only()
    log = _refused_at_start(_server(tmp_path, tmpfs.path))
    _one_line(log, f"The data folder {tmpfs.path} is not writable: the coach's data folder is read-only")


def test_a_read_only_data_dir_with_postings_is_one_line_at_start(tmp_path: Path, tmpfs: Tmpfs) -> None:
    # Before the start check this one started without complaint, and then every chat failed.
    server = _server(tmp_path, tmpfs.path / "data")
    _ingest(tmp_path, server)
    tmpfs.read_only()
    _one_line(_refused_at_start(server), "the coach's data folder is read-only")


def test_a_data_dir_without_write_permission_is_one_line_at_start(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes through chmod 0500: the tmpfs tests cover read-only as root")
    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o500)
    try:
        _one_line(_refused_at_start(_server(tmp_path, data)), "the coach may not write to its data folder")
    finally:
        data.chmod(0o700)


def test_a_full_data_disk_is_one_line_at_start(tmp_path: Path, tmpfs: Tmpfs) -> None:
    server = _server(tmp_path, tmpfs.path / "data")
    _ingest(tmp_path, server)
    tmpfs.fill()
    _one_line(_refused_at_start(server), "the disk that holds the coach's data is full")


def test_a_disk_that_fills_up_mid_chat_is_one_clear_line_and_nothing_is_lost(
    tmp_path: Path, tmpfs: Tmpfs
) -> None:
    server = _server(tmp_path, tmpfs.path / "data")
    _ingest(tmp_path, server)
    server.start()

    async def scenario() -> tuple[str, str]:
        chat = Chat(server.url, header_login_cookie(server.url))
        await chat.connect()
        await chat.wait_for("Choose a posting")
        await chat.send("1")
        await chat.wait_for("Why this question:")
        filler = tmpfs.fill()
        await chat.send(ANSWER)
        refused = await chat.wait_for(lambda text: "could not be saved" in text or "### Score" in text)
        filler.unlink()  # whoever runs the coach frees some space
        await chat.send(ANSWER)
        scored = await chat.wait_for("### Score")
        await chat.close()
        return str(refused["output"]), str(scored["output"])

    try:
        refused, scored = asyncio.run(scenario())
    finally:
        server.stop()
    assert "the disk that holds the coach's data is full" in refused, refused
    assert "send it again" in refused and "database or disk is full" not in refused
    assert "### Score" in scored
    log = server.log_path.read_text(errors="replace")
    assert "Storage failure in" in log
    databases = sorted(server.data_dir.rglob("*.sqlite*"))
    databases = [p for p in databases if p.suffix in (".sqlite", ".sqlite3")]
    assert databases
    for path in databases:
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",), path
