"""What the catalog back-ends share about units of rows: batching, and the queue written at the end.

A back-end provides ``_drain(retries)`` (write queued units, oldest first; True when none is
left), ``commit()``, ``path`` (where, for messages), ``options``, ``stats`` and ``_queue``.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


class CatalogBusy(Exception):
    """The catalog stayed locked (or unreachable) through every retry of a unit."""


class CatalogWriteError(RuntimeError):
    """Rows that could not be written even at the end of a run."""


class QueuedUnits:
    _batching = 0
    unwritten_because = "stayed locked by another process"  # why a unit could not be written

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Units inside share transactions (committed by ``commit()`` and at the end)."""
        self._batching += 1
        try:
            yield
        finally:
            self._batching -= 1
            if not self._batching:
                self.commit()

    def flush(self) -> None:
        """Write every queued unit, with patience; raises ``CatalogWriteError`` for what is left."""
        self.commit()
        for _round in range(self.options.flush_rounds):
            if self._drain(retries=self.options.retries):
                return
        lost = len(self._queue)
        self.stats["write_errors"] += lost
        self._queue.clear()
        raise CatalogWriteError(f"{lost} catalog writes could not be made: {self.path} {self.unwritten_because};"
                                " `wirecopy check --repair` catalogs them from the WARC files")
