"""Access: revoked tokens, removed users, login throttling and timing, the data dir's permissions."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import time
from pathlib import Path

import pytest

from core import datadir, tokens, users
from core.errors import SetupError
from core.settings import get_settings
from core.throttle import FREE_FAILURES, LoginThrottle


def test_a_revoked_token_stays_revoked_across_processes_reading_the_file() -> None:
    assert not tokens.is_revoked("token-a")
    tokens.revoke("token-a", time.time() + 3600)
    assert tokens.is_revoked("token-a")
    assert not tokens.is_revoked("token-b")
    tokens._cache.clear()  # another process: nothing cached
    assert tokens.is_revoked("token-a")
    body = (get_settings().data_dir / "revoked_tokens").read_text()
    assert "token-a" not in body  # only its hash is kept
    assert stat.S_IMODE((get_settings().data_dir / "revoked_tokens").stat().st_mode) == 0o600


def test_expired_revocations_are_dropped_when_the_file_is_rewritten() -> None:
    tokens.revoke("old", time.time() - 1)
    tokens.revoke("new", time.time() + 3600)
    assert tokens.is_revoked("new")
    assert not tokens.is_revoked("old")


def test_a_removed_user_no_longer_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "users.txt"
    users.add_user(path, "dana", "dana-password")
    users.add_user(path, "erin", "erin-password")
    monkeypatch.setenv("COACH_USERS_FILE", str(path))
    get_settings.cache_clear()
    assert users.user_exists("dana") and users.user_exists("erin")
    assert not users.user_exists(users.LOCAL_USER)  # a local-mode token is no good with a users file
    assert users.remove_user(path, "dana")
    assert not users.remove_user(path, "dana")
    assert not users.user_exists("dana")
    assert users.user_exists("erin")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_local_mode_knows_only_the_local_user() -> None:
    assert users.user_exists(users.LOCAL_USER)
    assert not users.user_exists("dana")


def test_known_and_unknown_names_cost_one_scrypt_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "users.txt"
    users.add_user(path, "dana", "dana-password")
    monkeypatch.setenv("COACH_USERS_FILE", str(path))
    get_settings.cache_clear()
    users._stand_in_hash()  # made once per process, not per login
    calls: list[int] = []
    real = hashlib.scrypt

    def counting(*args: object, **kwargs: object) -> bytes:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(hashlib, "scrypt", counting)
    assert users.authenticate("dana", "dana-password")
    assert len(calls) == 1
    assert not users.authenticate("nobody", "dana-password")
    assert len(calls) == 2  # before: two (a stand-in hashed per call, then checked)
    assert not users.authenticate("dana", "wrong-password")
    assert len(calls) == 3


def test_known_and_unknown_names_take_the_same_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "users.txt"
    users.add_user(path, "dana", "dana-password")
    monkeypatch.setenv("COACH_USERS_FILE", str(path))
    get_settings.cache_clear()
    users._stand_in_hash()

    def median(name: str) -> float:
        times = []
        for _ in range(7):
            start = time.perf_counter()
            users.authenticate(name, "wrong-password")
            times.append(time.perf_counter() - start)
        return sorted(times)[3]

    known, unknown = median("dana"), median("nobody")
    assert 0.6 < unknown / known < 1.6, (known, unknown)  # before: 1.5-2x slower for unknown names


def test_the_throttle_slows_a_name_and_an_address_after_repeated_failures() -> None:
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(FREE_FAILURES):
        assert throttle.wait("dana", "10.0.0.1") == 0
        throttle.failed("dana", "10.0.0.1")
    assert throttle.wait("dana", "10.0.0.9") == pytest.approx(1.0)  # the name, from anywhere
    assert throttle.wait("erin", "10.0.0.1") == pytest.approx(1.0)  # the address, for any name
    assert throttle.wait("erin", "10.0.0.9") == 0
    now[0] += 1.0
    throttle.failed("dana", "10.0.0.1")
    assert throttle.wait("dana", None) == pytest.approx(2.0)  # doubles with each failure
    throttle.succeeded("dana")
    assert throttle.wait("dana", None) == 0
    assert throttle.wait("dana", "10.0.0.1") > 0  # the address keeps its count


def test_the_data_dir_is_private_and_what_was_there_is_tightened() -> None:
    root = get_settings().data_dir
    root.mkdir(mode=0o755)
    old = root / "history.sqlite"
    old.write_text("x")
    old.chmod(0o644)
    (root / "chroma").mkdir(mode=0o755)
    previous = os.umask(0o022)
    try:
        datadir.prepare()
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        assert stat.S_IMODE((root / "chroma").stat().st_mode) == 0o700
        assert stat.S_IMODE(old.stat().st_mode) == 0o600
        new = root / "sessions.sqlite"
        new.write_text("y")  # created after the start check: private by the umask
        assert stat.S_IMODE(new.stat().st_mode) == 0o600
    finally:
        os.umask(previous)


def test_a_crashed_uploads_leftovers_are_removed_at_start() -> None:
    leftover = get_settings().data_dir / "uploads" / "upload-x" / "posting.docx"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"PK")
    datadir.prepare()
    assert not leftover.exists()


def test_a_data_dir_that_cannot_be_created_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COACH_DATA_DIR", "/proc/coach-data")
    get_settings.cache_clear()
    with pytest.raises(SetupError, match="The data folder /proc/coach-data is not writable.*COACH_DATA_DIR"):
        datadir.prepare()


@pytest.mark.parametrize(
    ("exc", "says"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "is full"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "is full"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
        (OSError(errno.EACCES, "Permission denied"), "may not write"),
    ],
)
def test_storage_failures_are_named_for_the_user(exc: OSError, says: str) -> None:
    assert says in (datadir.storage_problem(exc) or "")


def test_other_failures_are_not_storage_problems() -> None:
    assert datadir.storage_problem(ValueError("bad posting")) is None
    # What a file size limit (RLIMIT_FSIZE) gives: EFBIG, and SQLite's "disk I/O error"; not a full
    # disk (a tmpfs that fills up gives ENOSPC: tests/integration/test_live_storage.py).
    assert datadir.storage_problem(OSError(errno.EFBIG, "File too large")) is None
