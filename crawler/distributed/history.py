"""A distributed run in the job history (``ARCHIVE/jobs.sqlite``), as a local run is: one row,
written ``running`` when its units are queued, to which every unit adds its figures when it
ends for good (finished, or failed on its last attempt); the last one ends the row, so
``wirecopy jobs status`` and ``wirecopy history`` show the run."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from .units import CrawlUnit

logger = logging.getLogger(__name__)


def start_run(archive: str | Path, job: str, units: int, since: str) -> int:
    from crawler.jobs.history import JobHistory

    history = JobHistory(archive)
    try:
        return history.start_distributed(job, units=units, frontier_since=since)
    finally:
        history.close()


def set_units(archive: str | Path, run: int, units: int) -> None:
    """Fewer units than planned were queued for ``run``."""
    from crawler.jobs.history import JobHistory

    history = JobHistory(archive)
    try:
        with history.db:
            history.db.execute("UPDATE runs SET units = ? WHERE id = ?", (units, run))
    finally:
        history.close()


def record_unit(archive: str | Path, unit: CrawlUnit, summary: dict[str, Any], finished: bool) -> None:
    """Add an ended unit to its run's row (a unit queued without one, as by hand, has none)."""
    from crawler.jobs.history import JobHistory, RunFigures

    if unit.run is None:
        return
    figures = RunFigures(**{name: tuple(value) if name == "skipped_hosts" else value
                            for name, value in summary.get("figures", {}).items()
                            if name in RunFigures.__dataclass_fields__})
    history = JobHistory(archive)
    try:
        ended = history.add_unit(unit.run, figures=figures, failed=not finished)
    finally:
        history.close()
    if ended:
        logger.warning("Job %s run %s: its last unit ended; the run is %s", unit.job, unit.run, ended)
