"""Worker processes of a crawl: replaced when one dies, gone when the crawler dies.

``WorkerPool`` wraps a forkserver ``ProcessPoolExecutor``. A worker that dies (``kill -9``, the
OOM killer, a crash in C code) breaks the whole executor: every task in it fails with
``BrokenProcessPool``. The pool then starts a new executor, once per break however many tasks
report it (``generation`` tells them apart), and its users submit those tasks again. A task
stuck past its time limit is ended by killing the workers, the same way.

Each worker watches the crawler process through a pidfd and exits the moment it dies, so
a crawler killed with ``kill -9`` leaves no extraction or tracking process behind (and with
them gone, the forkserver and the resource tracker exit too).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

logger = logging.getLogger(__name__)


def _exit_when_gone(pidfd: int) -> None:
    select.select([pidfd], [], [])  # a pidfd turns readable when its process ends
    os._exit(1)


def watch_parent(pid: int) -> None:
    """In a worker: exit at once when the process ``pid`` (the crawler) ends."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)  # the crawler is already gone
    except (AttributeError, OSError):  # no pidfd (not Linux, or a kernel before 5.3)
        return
    threading.Thread(target=_exit_when_gone, args=(pidfd,), name="parent-watch", daemon=True).start()


def _start_worker(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    watch_parent(parent)
    if initializer is not None:
        initializer(*initargs)


class WorkerPool:
    def __init__(self, workers: int, initializer: Callable | None = None, initargs: tuple = (),
                 name: str = "worker"):
        self.workers = workers
        self.initializer = initializer
        self.initargs = initargs
        self.name = name
        self.generation = 0
        self.restarts = 0
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("forkserver"),
            initializer=_start_worker, initargs=(os.getpid(), self.initializer, self.initargs),
        )

    def submit(self, fn: Callable, *args) -> tuple[int, Future]:
        """(generation, future) of ``fn(*args)`` in a worker."""
        if self._executor is None:
            self.start()
        assert self._executor is not None
        try:
            return self.generation, self._executor.submit(fn, *args)
        except BrokenProcessPool:
            # a worker died while the pool was idle: nothing was lost, replace it now
            self.replace(self.generation, "a worker died")
            assert self._executor is not None
            return self.generation, self._executor.submit(fn, *args)

    def replace(self, generation: int, why: str) -> bool:
        """Start a new executor in place of the one of ``generation`` (its workers killed);
        False when that one was already replaced."""
        if generation != self.generation or self._executor is None:
            return False
        logger.error("%s pool: %s; starting new worker processes", self.name, why)
        old, self._executor = self._executor, None
        self._kill(old)
        # not cancel_futures: a broken executor fails every task it held with BrokenProcessPool,
        # which tells its users to submit it again (a cancelled task would look like a shutdown)
        old.shutdown(wait=False)
        self.generation += 1
        self.restarts += 1
        self.start()
        return True

    @staticmethod
    def _kill(executor: ProcessPoolExecutor) -> None:
        # the executor has no public way to end a worker that is stuck in a task
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, ValueError):
                pass

    def shutdown(self, wait: bool = True, kill: bool = False) -> None:
        if self._executor is None:
            return
        executor, self._executor = self._executor, None
        if kill:
            self._kill(executor)
        executor.shutdown(wait=wait, cancel_futures=True)
