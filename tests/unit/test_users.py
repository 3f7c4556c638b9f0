"""Users file, password hashing and the auth secret: what a person logging in would notice."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from core import users
from core.errors import SetupError
from core.settings import get_settings


def test_hash_round_trip_and_wrong_password() -> None:
    stored = users.hash_password("correct horse")
    assert stored.startswith("scrypt$") and ":" not in stored
    assert users.verify_password("correct horse", stored)
    assert not users.verify_password("correct hors", stored)
    assert not users.verify_password("", stored)


def test_same_password_gets_different_salts() -> None:
    assert users.hash_password("secret-pass") != users.hash_password("secret-pass")


@pytest.mark.parametrize("stored", ["", "plain", "scrypt$x$8$1$AA$AA", "bcrypt$1$2$3$4$5", "scrypt$1$2$3"])
def test_malformed_hash_never_matches(stored: str) -> None:
    assert users.verify_password("anything", stored) is False


def test_add_user_writes_file_that_authenticates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "users.txt"
    users.add_user(path, "alice", "alice-password")
    users.add_user(path, "bob", "bob-password")
    users.add_user(path, "alice", "new-alice-password")  # replaces, does not duplicate
    text = path.read_text()
    assert "alice-password" not in text and text.count("alice:") == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("COACH_USERS_FILE", str(path))
    get_settings.cache_clear()
    assert users.authenticate("alice", "new-alice-password")
    assert not users.authenticate("alice", "alice-password")
    assert users.authenticate("bob", "bob-password")
    assert not users.authenticate("bob", "alice-password")
    assert not users.authenticate("carol", "bob-password")


def test_no_users_file_means_no_password_login() -> None:
    assert users.users_file() is None
    assert users.authenticate("alice", "whatever") is False


@pytest.mark.parametrize("name", ["", "has space", "a:b", "local", "x" * 65])
def test_bad_names_are_refused_with_a_reason(tmp_path: Path, name: str) -> None:
    with pytest.raises(users.UserError) as info:
        users.add_user(tmp_path / "u.txt", name, "long-enough")
    assert str(info.value)
    assert not (tmp_path / "u.txt").exists()


def test_short_password_refused(tmp_path: Path) -> None:
    with pytest.raises(users.UserError, match="too short"):
        users.add_user(tmp_path / "u.txt", "alice", "short")


def test_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "users.txt"
    path.write_text("# comment\n\nalice:scrypt$1$2$3$4$5\nbob-without-hash\n")
    with pytest.raises(SetupError, match=r"users\.txt:4"):
        users.load_users(path)


def test_missing_users_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(SetupError, match="coach users add"):
        users.load_users(tmp_path / "nope.txt")


def test_auth_secret_generated_once_and_kept_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINLIT_AUTH_SECRET", "placeholder")  # records the original, restored after
    monkeypatch.delenv("CHAINLIT_AUTH_SECRET")
    first = users.ensure_auth_secret()
    path = get_settings().data_dir / "chainlit_auth_secret"
    assert path.read_text().strip() == first and len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.environ["CHAINLIT_AUTH_SECRET"] == first
    monkeypatch.delenv("CHAINLIT_AUTH_SECRET")
    assert users.ensure_auth_secret() == first  # same secret after a restart: logins survive


def test_auth_secret_from_env_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHAINLIT_AUTH_SECRET", "from-the-environment")
    assert users.ensure_auth_secret() == "from-the-environment"
    assert not (get_settings().data_dir / "chainlit_auth_secret").exists()
