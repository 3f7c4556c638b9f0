"""``chainlit run app.py --host 0.0.0.0`` without a users file: refused at start, or open with a warning.

Without a users file everyone who reaches the app is the local user, with every chat; bound to all
addresses that is everyone on the network (issue 14).
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from core.users import add_user
from tests.integration.live import AppServer, list_threads, login_cookie


def _log_lines(server: AppServer, needle: str) -> list[str]:
    return [line for line in server.log_tail(400).splitlines() if needle in line]


def test_an_open_bind_without_users_is_refused_in_one_line(tmp_path: Path) -> None:
    server = AppServer(tmp_path / "data", host="0.0.0.0")
    with pytest.raises(RuntimeError, match="the app exited"):
        server.start(timeout=120)
    assert server.process is not None and server.process.returncode == 1
    [line] = _log_lines(server, "cannot start")
    assert "--host 0.0.0.0 without a users file" in line
    assert "coach users add" in line and "COACH_ALLOW_OPEN_LOCAL_MODE=1" in line
    assert "Traceback" not in server.log_tail(400)


def test_the_explicit_flag_starts_it_with_a_warning(tmp_path: Path) -> None:
    server = AppServer(tmp_path / "data", host="0.0.0.0", extra_env={"COACH_ALLOW_OPEN_LOCAL_MODE": "1"})
    server.start()
    try:
        [warning] = _log_lines(server, "WARNING: Interview Coach is open to anyone")
        assert "0.0.0.0" in warning and "sees every chat" in warning
        # Open means open: any Host name gets the local user's cookie.
        response = httpx.post(
            server.url + "/auth/header", json={}, headers={"Host": f"coach.example:{server.port}"}, timeout=30
        )
        assert response.status_code == 200
    finally:
        server.stop()


def test_an_open_bind_with_a_users_file_starts_and_asks_for_a_password(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    add_user(users, "alice", "alice-password")
    server = AppServer(tmp_path / "data", users_file=users, host="0.0.0.0")
    server.start()
    try:
        assert not _log_lines(server, "cannot start") and not _log_lines(server, "WARNING: Interview Coach")
        assert list_threads(server.url, "").status_code == 401
        cookie = login_cookie(server.url, "alice", "alice-password")
        assert list_threads(server.url, cookie).status_code == 200
    finally:
        server.stop()


def test_a_bad_setting_is_one_line_at_start_not_a_traceback(tmp_path: Path) -> None:
    server = AppServer(tmp_path / "data", extra_env={"COACH_SPEECH_PROMPT": "loudly"})
    with pytest.raises(RuntimeError, match="the app exited"):
        server.start(timeout=120)
    assert server.process is not None and server.process.returncode == 1
    [line] = _log_lines(server, "cannot start")
    assert "COACH_SPEECH_PROMPT" in line
    assert "Traceback" not in server.log_tail(400)
