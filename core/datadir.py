"""The data dir, made private and checked writable before anything is stored in it.

Every answer a user gives ends up under the data dir (history, checkpoints, the store). Files were
created 0644 in 0755 folders, so any local account could read them: the process umask becomes 077
(new files 0600, folders 0700) and what is already there is tightened once at start.

A read-only or full data dir used to start without complaint and fail at the first chat (Chroma:
"'RustBindingsAPI' object has no attribute 'bindings'"; SQLite: "database or disk is full"), or
die with an OSError traceback; ``prepare`` writes and syncs a probe file and says in one line what
is wrong and what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

from core.errors import SetupError
from core.settings import Settings, get_settings

UPLOADS = "uploads"  # upload temp folders live here, so a crash mid-parse leaves nothing in /tmp
_PROBE_BYTES = 64 * 1024  # a probe this size fails on a disk with (almost) no room left


def storage_problem(exc: BaseException) -> str | None:
    """What a storage failure means for the user, or None when ``exc`` is not one."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    # EDQUOT: a user quota is a full disk for this account (SQLite says "database or disk is full").
    if code in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text or "no space left" in text:
        return "the disk that holds the coach's data is full"
    if code == errno.EROFS or "read-only" in text or "readonly" in text:
        return "the coach's data folder is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return "the coach may not write to its data folder"
    return None


def prepare(settings: Settings | None = None) -> Path:
    """Private permissions, an empty uploads folder, and a write check; SetupError in one line."""
    settings = settings or get_settings()
    os.umask(0o077)
    root = settings.data_dir
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        _tighten(root)
        shutil.rmtree(root / UPLOADS, ignore_errors=True)  # left by a crash mid-parse
        probe = root / f".write-check-{os.getpid()}"
        try:
            with probe.open("wb") as handle:
                handle.write(b"\0" * _PROBE_BYTES)
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        problem = storage_problem(exc) or f"it cannot be used ({exc.strerror or exc})"
        raise SetupError(
            f"The data folder {root} is not writable: {problem}; free some space, make it writable, or "
            "set COACH_DATA_DIR to a writable folder"
        ) from exc
    return root


def _tighten(root: Path) -> None:
    """No access for group and others under ``root`` (the owner's bits are kept; symlinks skipped)."""
    for folder, dirs, files in os.walk(root):
        for path in (Path(folder), *(Path(folder) / name for name in files)):
            current = stat.S_IMODE(path.lstat().st_mode)
            if current & 0o077 and not path.is_symlink():
                path.chmod(current & 0o700)
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]


def uploads_dir(settings: Settings | None = None) -> Path:
    """Where upload temp folders go (emptied at every start)."""
    path = (settings or get_settings()).data_dir / UPLOADS
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
