"""Start the real app (``chainlit run app.py``) on a free port with its own data dir: for e2e and load.

A helper (not a benchmark) for ``tests/e2e/conftest.py`` and ``bench/load.py``. The server runs from
the repository root so it picks up ``.chainlit/config.toml``, ``chainlit.md`` and ``public/``;
everything it writes goes to the data dir given (plus Chainlit's git-ignored ``.files/`` uploads).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
_PR_SET_PDEATHSIG = 1
_BIND_ATTEMPTS = 5
_ADDRESS_IN_USE = "address already in use"  # uvicorn's words for EADDRINUSE
_LISTEN = "0A"  # TCP_LISTEN in /proc/net/tcp


def _die_with_parent() -> None:
    # Runs in the child before exec: the kernel sends SIGTERM when the process that started the
    # server dies, however it dies (SIGKILL included), so a killed bench or test run leaves no
    # server behind. The server's own scoring process already exits with its parent. (Linux sends
    # it when the starting *thread* ends: start servers from a thread that outlives them.)
    with contextlib.suppress(OSError, AttributeError):  # not Linux: stop() is the only clean-up
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def listening_inodes(port: int) -> set[int] | None:
    """Inodes of the sockets listening on TCP ``port`` (IPv4 and IPv6); None without /proc/net."""
    found: set[int] = set()
    readable = False
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        readable = True
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == _LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                found.add(int(fields[9]))
    return found if readable else None


def socket_inodes(pid: int) -> set[int]:
    """Inodes of the sockets process ``pid`` holds open (empty when it is gone)."""
    found: set[int] = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    found.add(int(target[8:-1]))
    return found


def bundled_postings() -> list[Path]:
    """The sample postings shipped in knowledge/postings (or ../shared's when the folder is empty)."""
    bundled = REPO / "knowledge" / "postings"
    if bundled.is_dir() and any(p.is_file() for p in bundled.iterdir()):
        return [bundled]
    shared = REPO.parent / "shared" / "postings"
    return [p for p in (shared / "google", shared / "000_c829ed06b855b098.txt") if p.exists()]


class AppServer:
    """One ``chainlit run app.py`` process; ``start()`` returns its URL once the page answers."""

    def __init__(
        self,
        data_dir: Path,
        *,
        users_file: Path | None = None,
        port: int | None = None,
        extra_env: dict[str, str] | None = None,
        profile_to: Path | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.data_dir = data_dir
        self.host = host  # what ``--host`` binds; the URL is always the loopback address
        self.profile_to = profile_to  # where profile_stop() writes the main thread's cProfile
        self._port_is_ours = port is None  # a port we picked may be replaced if someone takes it first
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("COACH_", "CHAINLIT_", "PYTEST_"))
        }
        self.env.update(
            {
                "COACH_DATA_DIR": str(data_dir),
                "COACH_LLM": "offline",
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False",
                "PYTHONUNBUFFERED": "1",
            }
        )
        if users_file is not None:
            self.env["COACH_USERS_FILE"] = str(users_file)
        self.env.update(extra_env or {})
        self.process: subprocess.Popen[bytes] | None = None

    def ingest(self, paths: list[Path]) -> str:
        """Ingest posting files into this server's data dir with ``coach ingest``; its output."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [str(BIN / "coach"), "ingest", *map(str, paths)],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode not in (0, 1):  # 1: some files refused, the rest stored
            raise RuntimeError(f"coach ingest failed ({done.returncode}): {done.stderr or done.stdout}")
        return done.stdout

    def start(self, timeout: float = 180.0) -> str:
        """Start the server and wait until the page answers; raises with the log tail if it does not.

        ``free_port`` only says a port was free a moment ago: another process (a test server, a
        parallel run) can bind it before this server does. The server then exits with "address already
        in use", or, worse, the other process answers the readiness check. So the answer only counts
        when the listening socket is this server's own, and a port this helper picked is replaced by a
        new one when the server could not bind it (a port given by the caller, or the one a restart
        keeps, is not: its users expect that URL).
        """
        deadline = time.monotonic() + timeout
        for _attempt in range(_BIND_ATTEMPTS if self._port_is_ours else 1):
            outcome = self._launch_and_wait(deadline)
            if outcome == "ready":
                return self.url
            if outcome == "timeout":
                break
            self.port = free_port()  # "taken": someone else got there first
            self.url = f"http://127.0.0.1:{self.port}"
        self.stop()
        raise RuntimeError(f"the app did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def _launch_and_wait(self, deadline: float) -> str:
        """"ready" (this server answers), "taken" (its port was bound by someone else) or "timeout"."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        chainlit = [str(BIN / "chainlit")]
        env = self.env
        if self.profile_to is not None:
            chainlit = [sys.executable, str(REPO / "bench" / "_profiled_server.py")]
            env = {**self.env, "BENCH_PROFILE_OUT": str(self.profile_to)}
        self.process = subprocess.Popen(
            [
                *chainlit,
                "run",
                "app.py",
                "--headless",
                "--host",
                self.host,
                "--port",
                str(self.port),
            ],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        log.close()  # the child has its own copy
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if self._port_is_ours and _ADDRESS_IN_USE in self._log_since(log_start):
                    return "taken"
                raise RuntimeError(f"the app exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/auth/config", timeout=2) as response:
                    if response.status == 200 and self._listens_here():
                        return "ready"
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        return "timeout"

    def _log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode(errors="replace")

    def _listens_here(self) -> bool:
        """Is the socket listening on this port one of the server's own? (True where /proc cannot say.)"""
        assert self.process is not None
        inodes = listening_inodes(self.port)
        if inodes is None:
            return True
        return bool(inodes & socket_inodes(self.process.pid))

    def stop(self) -> None:
        """Stop the server (its whole process group) if it is running."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        # Chainlit removes <repo>/.files when it shuts down, but every server started from the repo
        # keeps its uploads there: another one still running got HTTP 500 on its next upload (e2e:
        # test_isolation, test_local_mode, then test_upload, also before this helper changed).
        (REPO / ".files").mkdir(exist_ok=True)

    def profile_start(self) -> None:
        """Start profiling the server's main thread (needs ``profile_to``)."""
        assert self.process is not None and self.profile_to is not None
        self.profile_to.unlink(missing_ok=True)
        os.kill(self.process.pid, signal.SIGUSR1)

    def profile_stop(self, timeout: float = 60.0) -> Path:
        """Stop profiling; the path of the stats once written."""
        assert self.process is not None and self.profile_to is not None
        os.kill(self.process.pid, signal.SIGUSR2)
        deadline = time.monotonic() + timeout
        while not self.profile_to.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server wrote no profile within {timeout:.0f} s")
            time.sleep(0.2)
        return self.profile_to

    def restart(self, timeout: float = 180.0) -> str:
        """Stop and start again on the same port and data dir (a server restart mid-session)."""
        self.stop()
        self._port_is_ours = False  # the clients know this URL: keep the port
        return self.start(timeout)

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system, all threads) of the server and its live child processes (the
        scoring processes); None if unknown."""
        if self.process is None:
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        total, pending, seen = 0, [self.process.pid], set()
        while pending:
            pid = pending.pop()
            if pid in seen:
                continue
            seen.add(pid)
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                if pid == self.process.pid:
                    return None
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    pending.extend(int(child) for child in task.read_text().split())
                except OSError:
                    continue
        return total / ticks

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's output."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def login_cookie(url: str, name: str, password: str) -> str:
    """Log in with a password through the app's /login and return the Cookie header value."""
    import urllib.parse

    body = urllib.parse.urlencode({"username": name, "password": password}).encode()
    request = urllib.request.Request(
        url + "/login",
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)


def header_login_cookie(url: str) -> str:
    """The local user's Cookie header value when the app runs without a users file."""
    request = urllib.request.Request(
        url + "/auth/header", data=b"{}", method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)
