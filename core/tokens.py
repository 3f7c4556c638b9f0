"""Login tokens that no longer open the app: logged out, or issued to a user since removed.

Chainlit's tokens are signed JWTs valid for ``user_session_timeout`` (15 days) with no server-side
state, so neither logout nor removing a user from the users file ended access. A logged-out token's
SHA-256 is kept here (file ``revoked_tokens`` in the data dir, one ``hash expiry`` per line) until it
would have expired anyway; the app checks every request and socket connection against it.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

from core.settings import Settings, get_settings

_lock = threading.Lock()
_cache: dict[Path, tuple[tuple[int, int], dict[str, float]]] = {}


def _path(settings: Settings | None) -> Path:
    return (settings or get_settings()).data_dir / "revoked_tokens"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _load(path: Path) -> dict[str, float]:
    """Hash -> expiry of the revoked tokens, re-read only when the file changed (by any process)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    key = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
    revoked = _read(path)
    with _lock:
        _cache[path] = (key, revoked)
    return revoked


def revoke(token: str, expires_at: float, settings: Settings | None = None) -> None:
    """Refuse ``token`` from now on (kept until ``expires_at``, a Unix time; expired ones dropped)."""
    path = _path(settings)
    now = time.time()
    with _lock:
        kept = {d: e for d, e in _read(path).items() if e > now}
        kept[_digest(token)] = expires_at
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(f"{d} {e:.0f}\n" for d, e in kept.items())
        tmp.replace(path)
        _cache.pop(path, None)


def _read(path: Path) -> dict[str, float]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    out: dict[str, float] = {}
    for line in lines:
        digest, _, expiry = line.partition(" ")
        try:
            out[digest] = float(expiry)
        except ValueError:
            continue
    return out


def is_revoked(token: str, settings: Settings | None = None) -> bool:
    """True when ``token`` was logged out."""
    return _digest(token) in _load(_path(settings))
