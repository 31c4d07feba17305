"""WAL checkpoints of a SQLite file in a thread of their own, off the writer's path.

A SQLite connection checkpoints the WAL itself when one of its commits leaves it past
``wal_autocheckpoint`` pages: that commit copies every page written since into the database file
and syncs both while its caller waits. Story tracking writes postings into every index, spread
over the whole file, so such a commit grows with the archive (the slowest 2% of adds waited
13 ms for it at 8,000 articles, 52 ms at 400,000). Here a thread checkpoints instead, on a
connection of its own, after every ``every`` commits: a PASSIVE checkpoint never blocks the
writer or a reader. The writer keeps its own checkpoint at ``backstop`` pages, for a thread that
falls behind, so the WAL stays bounded whatever happens to the thread. Both writers of the
catalog file (the catalog and the story store) checkpoint this way: one left at the default
would copy back the other's pages in its own commits.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import Counter

logger = logging.getLogger(__name__)

CHECKPOINT_EVERY = 8  # commits between checkpoints (an article writes some 100 pages)
BACKSTOP_PAGES = 20_000  # the writer's own checkpoint (80 MB of 4 KiB pages)
MAX_PASSES = 8


class BackgroundCheckpoints:
    def __init__(self, db: sqlite3.Connection, path: str, stats: Counter[str], every: int = CHECKPOINT_EVERY,
                 backstop: int = BACKSTOP_PAGES):
        """Checkpoints ``path`` (in WAL mode) for the writer connection ``db``, from its
        ``every``-th commit on (a store that commits less starts no thread); counts into
        ``stats``: ``wal_checkpoints`` (passes), ``wal_checkpoint_failed``."""
        db.execute(f"PRAGMA wal_autocheckpoint = {int(backstop)}")
        self.path = path
        self.stats = stats
        stats.update(wal_checkpoints=0, wal_checkpoint_failed=0)  # reported even when none ran
        self._every = max(1, every)
        self._commits = 0
        self._wake = threading.Event()
        self.idle = threading.Event()  # set when a checkpoint ends with none asked for since
        self._stopping = False
        self._thread: threading.Thread | None = None

    def committed(self) -> None:
        """Called after each commit of the writer."""
        self._commits += 1
        if self._commits >= self._every:
            self._commits = 0
            self.idle.clear()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=f"wal-checkpoints {self.path}", daemon=True)
                self._thread.start()
            self._wake.set()

    def _run(self) -> None:
        try:
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            self._failed(exc)
            return
        try:
            while True:
                self._wake.wait()
                self._wake.clear()
                if self._stopping:
                    return
                self._checkpoint(db)
                if not self._wake.is_set():
                    self.idle.set()
        finally:
            db.close()

    def _failed(self, exc: sqlite3.Error) -> None:
        """Counted and said; the writer's own checkpoint (backstop) still bounds the WAL."""
        self.stats["wal_checkpoint_failed"] += 1
        logger.warning("WAL checkpoint of %s failed: %s", self.path, exc)
        self.idle.set()

    def _checkpoint(self, db: sqlite3.Connection) -> None:
        """Copies the WAL into the file until a pass finds no frame written since the last one:
        the WAL is then wholly in the file, and the writer's next transaction starts it over
        (a WAL appended to while each pass ran would otherwise grow to the backstop)."""
        copied = -1
        for _ in range(MAX_PASSES):
            try:
                busy, _frames, done = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error as exc:
                self._failed(exc)
                return
            self.stats["wal_checkpoints"] += 1
            if busy or done == copied or self._stopping:
                return
            copied = done

    def close(self) -> None:
        """Stops the thread (after the checkpoint it may be running); the writer's close
        checkpoints what is left."""
        self._stopping = True
        if self._thread is not None:
            self._wake.set()
            self._thread.join()
