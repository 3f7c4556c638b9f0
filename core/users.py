"""Local accounts for the browser app: a users file of ``name:hash`` lines, passwords hashed with scrypt.

The file turns on password login (``COACH_USERS_FILE``). Without it the app runs for one local user
(see ``chainlit.md``). Hashes are ``scrypt$n$r$p$salt$key`` (base64, no ``:``), so a line splits at
its first colon. ``coach users add NAME`` writes the file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from functools import lru_cache
from pathlib import Path

from core.errors import CoachError, SetupError
from core.settings import Settings, get_settings

# Interactive-login strength (about 50 ms here) without needing more than 16 MB of memory.
_N, _R, _P = 2**14, 8, 1
_KEY_BYTES = 32
_NAME_RE = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")
LOCAL_USER = "local"


class UserError(CoachError):
    """A user name or password that cannot be stored."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of ``password`` in the users-file form ``scrypt$n$r$p$salt$key``."""
    if not password:
        raise UserError("The password is empty: choose one of at least 8 characters")
    salt = salt if salt is not None else os.urandom(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_KEY_BYTES)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt_b64, key_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(key_b64, validate=True)
        key = hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, expected)


def check_name(name: str) -> str:
    """The name, stripped, if it can be a user name; otherwise a UserError saying what is allowed."""
    name = name.strip()
    if name == LOCAL_USER:
        raise UserError(f"'{LOCAL_USER}' is reserved for the app's no-login mode: choose another name")
    if not _NAME_RE.match(name):
        raise UserError(
            f"'{name}' is not a valid user name: use 1-64 letters, digits or . _ @ + - (no spaces or ':')"
        )
    return name


def load_users(path: Path) -> dict[str, str]:
    """Name -> hash from a users file; blank lines and ``#`` comments are skipped.

    Raises SetupError naming the file and line when a line is malformed, so a typo in the file stops
    the app at start instead of silently locking someone out.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise SetupError(
            f"The users file {path} does not exist: create it with 'coach users add NAME' or unset "
            "COACH_USERS_FILE"
        ) from exc
    users: dict[str, str] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, stored = line.partition(":")
        if not sep or not name.strip() or not stored.strip().startswith("scrypt$"):
            raise SetupError(
                f"{path}:{number}: expected 'name:scrypt$...' (write it with 'coach users add NAME')"
            )
        users[name.strip()] = stored.strip()
    return users


def users_file(settings: Settings | None = None) -> Path | None:
    """The configured users file, or None when the app runs for the single local user."""
    settings = settings or get_settings()
    return settings.users_file


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A hash no password is known for, checked for unknown names (made once, not per login)."""
    return hash_password(base64.b64encode(os.urandom(24)).decode("ascii"))


def authenticate(name: str, password: str, settings: Settings | None = None) -> bool:
    """True when the users file has ``name`` and ``password`` matches its hash.

    An unknown name costs exactly what a known one does: one scrypt check (against a stand-in
    hash), so response time does not tell which names exist. (Hashing a stand-in password per call
    and then checking it cost two scrypt runs: 108-162 ms against 70-80 ms for a real name.)
    """
    path = users_file(settings)
    if path is None:
        return False
    stored = load_users(path).get(name.strip())
    matched = verify_password(password, stored if stored is not None else _stand_in_hash())
    return matched and stored is not None


_known_cache: dict[Path, tuple[tuple[int, int], frozenset[str]]] = {}


def user_exists(name: str, settings: Settings | None = None) -> bool:
    """Whether ``name`` may use the app now: in the users file, or the local user without one.

    Checked on every request and socket connection (a removed user's token must stop working),
    so the file is re-read only when its modification time or size changed.
    """
    path = users_file(settings)
    if path is None:
        return name == LOCAL_USER
    try:
        stat = path.stat()
    except FileNotFoundError:
        return False
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _known_cache.get(path)
    if cached is None or cached[0] != key:
        cached = _known_cache[path] = (key, frozenset(load_users(path)))
    return name in cached[1]


def remove_user(path: Path, name: str) -> bool:
    """Remove ``name`` from the users file; False when it was not there. Their logins stop at once."""
    users = load_users(path)
    if users.pop(name.strip(), None) is None:
        return False
    _write_users(path, users)
    return True


def add_user(path: Path, name: str, password: str) -> None:
    """Add ``name`` to the users file (or replace its password), creating the file if needed."""
    name = check_name(name)
    if len(password) < 8:
        raise UserError("The password is too short: use at least 8 characters")
    users = load_users(path) if path.exists() else {}
    users[name] = hash_password(password)
    _write_users(path, users)


def _write_users(path: Path, users: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{user}:{stored}\n" for user, stored in users.items())
    tmp = path.with_name(path.name + ".tmp")
    # Created 0600, never readable by others even for a moment.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("# Interview Coach users: name:scrypt-hash (written by 'coach users add')\n" + body)
    tmp.replace(path)


def ensure_auth_secret(settings: Settings | None = None) -> str:
    """The secret that signs login tokens: ``CHAINLIT_AUTH_SECRET``, else one kept in the data dir.

    Generated once and stored (mode 600) under the data dir, so logins survive a restart and the secret
    is never in the repository. Also exported to the environment, where Chainlit reads it.
    """
    secret = os.environ.get("CHAINLIT_AUTH_SECRET", "").strip()
    if not secret:
        settings = settings or get_settings()
        path = settings.data_dir / "chainlit_auth_secret"
        if path.exists():
            secret = path.read_text(encoding="utf-8").strip()
        if not secret:
            path.parent.mkdir(parents=True, exist_ok=True)
            secret = base64.urlsafe_b64encode(os.urandom(48)).decode("ascii")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secret + "\n")
        os.environ["CHAINLIT_AUTH_SECRET"] = secret
    return secret
