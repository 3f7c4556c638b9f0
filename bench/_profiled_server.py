"""``chainlit`` with a cProfile of its main thread that the bench turns on and off by signal.

SIGUSR1 starts profiling the main thread (the event loop: Chainlit, the graph, the checkpointer,
rendering); SIGUSR2 stops it and writes the stats to ``$BENCH_PROFILE_OUT``. So a bench profiles
just the window it measures, not the start-up or the warm-up session. The profile counts CPU time
of the thread (``time.thread_time``), not wall time: a blocking call (a socket write, a sleep) shows
only the CPU it used. Each thread also gets its Python name (or class) as its OS name, so ``/proc``
tells the worker threads apart (Python 3.11 leaves them all named after the process). Used by
``_app_server``.
"""

from __future__ import annotations

import contextlib
import cProfile
import ctypes
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

_profile = cProfile.Profile(time.thread_time)
_PR_SET_NAME = 15


def _named_bootstrap(original: Any) -> Any:
    def bootstrap(self: threading.Thread) -> None:
        name = type(self).__name__ if self.name.startswith("Thread-") else self.name
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_NAME, name[:15].encode())
        original(self)

    return bootstrap


def _start(_signum: int, _frame: Any) -> None:
    _profile.enable()


def _stop(_signum: int, _frame: Any) -> None:
    _profile.disable()
    out = os.environ["BENCH_PROFILE_OUT"]
    _profile.dump_stats(out + ".part")
    os.replace(out + ".part", out)  # the bench waits for the file: never let it read half of it


if __name__ == "__main__":
    # As the chainlit script would run: the repository, not bench/ (its module names), on the path.
    sys.path[0] = str(Path(__file__).resolve().parents[1])
    threading.Thread._bootstrap_inner = _named_bootstrap(threading.Thread._bootstrap_inner)  # type: ignore[attr-defined]
    signal.signal(signal.SIGUSR1, _start)
    signal.signal(signal.SIGUSR2, _stop)
    from chainlit.cli import cli

    sys.argv = ["chainlit", *sys.argv[1:]]
    cli()
