"""What the catalog back-ends share about units of rows: batching, and the queue written at the end.

A back-end provides ``_write_now(unit)`` (run a unit in a transaction, retried; ``CatalogBusy``
when it could not), ``_drain(retries)`` (write queued units, oldest first; True when none is
left), ``commit()``, ``path`` (where, for messages), ``options``, ``stats`` and ``_queue``.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


class CatalogBusy(Exception):
    """The catalog stayed locked (or unreachable) through every retry of a unit."""


class CatalogWriteError(RuntimeError):
    """Rows that could not be written even at the end of a run."""


class QueuedUnits:
    _batching = 0
    unwritten_because = "stayed locked by another process"  # why a unit could not be written

    def write(self, unit: Callable[..., T]) -> T | None:
        """Run ``unit``; None when it had to be queued (its rows are written later)."""
        if self._queue and not self._drain(retries=0):
            self._queue.append(unit)
            self.stats["queued"] += 1
            return None
        try:
            return self._write_now(unit)
        except CatalogBusy as exc:
            logger.warning("Catalog %s (%s): rows queued until it can be written", self.unwritten_because, exc)
            self._queue.append(unit)
            self.stats["queued"] += 1
            return None

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
