"""Login throttling: repeated wrong passwords for one name, or from one address, slow down.

Without it a script could try passwords as fast as scrypt allows (about 20 a second here). After
``FREE_FAILURES`` failures within ``WINDOW`` seconds for a name *or* an address, each further attempt
must wait twice as long as the last (1 s, 2 s, 4 s ... at most ``MAX_WAIT``) after the latest
failure; attempts inside the wait are refused without checking the password. Kept in memory: a
restart forgives, which is fine for a machine-local app (the wait is about guessing speed).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FREE_FAILURES = 5
WINDOW = 15 * 60.0
MAX_WAIT = 300.0


class LoginThrottle:
    """Failure counts per key (``name:...`` and ``addr:...``), with the wait each one imposes."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < WINDOW]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def wait(self, name: str, address: str | None) -> float:
        """Seconds before ``name`` from ``address`` may try again (0: now)."""
        now = self._clock()
        longest = 0.0
        with self._lock:
            for key in _keys(name, address):
                recent = self._recent(key, now)
                if len(recent) >= FREE_FAILURES:
                    delay = min(MAX_WAIT, 2.0 ** (len(recent) - FREE_FAILURES))
                    longest = max(longest, recent[-1] + delay - now)
        return max(0.0, longest)

    def failed(self, name: str, address: str | None) -> None:
        """Count a wrong password for the name and for the address."""
        now = self._clock()
        with self._lock:
            for key in _keys(name, address):
                self._failures.setdefault(key, []).append(now)

    def succeeded(self, name: str) -> None:
        """The right password: the name's count starts again (the address's does not)."""
        with self._lock:
            self._failures.pop(f"name:{name.strip().lower()}", None)


def _keys(name: str, address: str | None) -> list[str]:
    keys = [f"name:{name.strip().lower()}"]
    if address:
        keys.append(f"addr:{address}")
    return keys
