"""Where the score of record is computed: a worker thread, or worker processes for the browser app.

Scoring is CPU work (one model pass plus word alignment, about 30 ms per answer here). In the app's
own process it shares one interpreter lock with the event loop that serves every session, so the two
take turns even on two cores. The app hands it to worker processes instead (``scoring_processes``
in the settings): measured with 20 sessions answering back to back (``bench/load.py``), reply p95
0.95-1.01 s in threads and 0.84-0.87 s with one scoring process.

A process runs the same ``score_answer`` with the same model and settings, so the score is the same
as in a thread (``tests/integration/test_scoring_processes.py``). The function must be picklable:
a ``functools.partial`` of a module-level function, not a lambda.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from chains.models import Critique

__all__ = ["ScoreRunner", "ScoringProcesses", "in_thread"]

logger = logging.getLogger(__name__)

ScoreRunner = Callable[[Callable[[], Critique]], Awaitable[Critique]]


async def in_thread(score: Callable[[], Critique]) -> Critique:
    """Score in a worker thread of this process (the CLI, the evaluation, tests)."""
    return await asyncio.to_thread(score)


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """Exit this worker when the app that started it is gone.

    ``kill -9`` of the app skips every shutdown hook: its worker (about 600 MB with the model) and
    the resource tracker were re-parented to PID 1 and ran forever. The tracker exits by itself once
    the last process holding its pipe (this worker) has gone.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _load_model() -> None:
    # Runs in each new worker: the first answer should not pay for loading the model.
    _exit_with_parent(os.getppid())
    from chains.critic.scorer import score_answer
    from chains.questions.fields import field_index

    score_answer("Warm-up question?", "The model answer.", "An answer.")
    field_index()  # the library's field profiles: embedded once, or read from the cache dir


class ScoringProcesses:
    """A pool of scoring processes, started on first use and restarted if a worker dies."""

    def __init__(self, processes: int = 1) -> None:
        if processes < 1:
            raise ValueError("ScoringProcesses needs at least one process")
        self.processes = processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the parent has torch and event-loop threads that fork would copy
                # in whatever state they are in.
                self._pool = ProcessPoolExecutor(
                    max_workers=self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_load_model,
                )
            return self._pool

    def start(self) -> None:
        """Start the workers now and load their model (the app calls this at start-up)."""
        pool = self._executor()
        for _ in range(self.processes):
            pool.submit(int)  # any task makes the pool start a worker, which runs the initializer

    async def __call__(self, score: Callable[[], Critique]) -> Critique:
        """Score in a worker process; a dead worker is replaced once, then this process scores."""
        loop = asyncio.get_running_loop()
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return await loop.run_in_executor(pool, score)
            except BrokenProcessPool:
                logger.warning("A scoring process died (attempt %d); starting a new one", attempt)
                with self._lock:
                    if self._pool is pool:
                        self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
        logger.error("Scoring processes keep failing; scoring in the app process instead")
        return await in_thread(score)

    def close(self) -> None:
        """Stop the workers."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
