"""Start-up: a missing model or a broken users file stops the app at once with one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import BIN, REPO, AppServer

pytestmark = pytest.mark.e2e


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    server = AppServer(tmp_path / "data", extra_env=env)
    command = [str(BIN / "chainlit"), "run", "app.py", "--headless", "--port", str(server.port)]
    return subprocess.run(command, cwd=REPO, env=server.env, capture_output=True, text=True, timeout=120)


def test_missing_embeddings_model_fails_in_one_line(tmp_path: Path) -> None:
    done = _start(tmp_path, COACH_EMBEDDINGS_MODEL=str(tmp_path / "no-model"))
    assert done.returncode == 1
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "cannot start" in line]
    assert len(lines) == 1 and "COACH_EMBEDDINGS_MODEL" in lines[0] and "unset it" in lines[0]


def test_broken_users_file_fails_in_one_line(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    users.write_text("alice-without-a-hash\n")
    done = _start(tmp_path, COACH_USERS_FILE=str(users))
    assert done.returncode == 1
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "cannot start" in line]
    assert len(lines) == 1 and "users.txt:1" in lines[0] and "coach users add" in lines[0]
