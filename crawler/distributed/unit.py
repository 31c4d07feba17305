"""One crawl unit in a process of its own: ``python -m crawler.distributed.unit``.

A worker starts it for each unit (a Twisted reactor runs once per process) and passes the
unit as JSON on stdin. The crawl writes the shared archive as the worker's named writer
(``ARCHIVE_WRITER``), and always resumes captures of the job since the run started: a unit
taken over from a worker that died answers the pages that worker archived from the archive
(``crawler.resume``) instead of fetching them again; a first attempt finds none.

The process dies with its worker (``PR_SET_PDEATHSIG``, set by the worker), so a worker
killed with ``kill -9`` leaves no crawl writing behind it; one frozen (its heartbeats late) has
its crawl stop itself before another worker takes the unit over (``lease``, ``lease_lost`` in
the summary). The last line on stdout is a JSON
summary; the exit code is 0 when the crawl finished, 1 when it stopped early, 2 when it failed.
"""

from __future__ import annotations

import json
import sys

from .gate import gate_handlers
from .lease import LeaseWatch
from .units import CrawlUnit

FINISHED = ("finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout")


def unit_settings(unit: CrawlUnit, archive: str, writer: str, extra: list[tuple[str, str]]):
    from crawler.cli import crawl_settings

    overrides = list(unit.settings) + [
        ("WIRECOPY_JOB", unit.job), ("ARCHIVE_WRITER", writer), ("WORKER_UNIT_SITE", unit.site),
        ("RESUME_ENABLED", True), ("RESUME_SINCE", unit.since),
        # the story index has one writer: the worker's story-tracking task (distributed.stories)
        ("STORIES_ENABLED", False),
    ] + list(extra)
    return crawl_settings(archive, overrides, max_pages=unit.max_pages, quiet=True, progress=False)


def _stop_gracefully(crawler) -> None:
    """From another thread: stop the crawl as its first SIGTERM does (nothing when it is stopping)."""
    from scrapy.utils.defer import deferred_from_coro
    from twisted.internet import reactor

    reactor.callFromThread(lambda: deferred_from_coro(crawler.stop_async()))


def main() -> int:
    from dataclasses import asdict

    from crawler.cli import run_crawl
    from crawler.jobs.history import RunFigures
    from crawler.outcome import account
    from crawler.progress import jsonable_stats

    request = json.loads(sys.stdin.read())
    unit = CrawlUnit.from_task_args(request["unit"])
    settings = unit_settings(unit, request["archive"], request["writer"],
                             [tuple(pair) for pair in request.get("settings", [])])
    lease = request.get("lease")
    if lease:
        gate_handlers(settings)
    watch: LeaseWatch | None = None

    def watch_lease(crawler) -> None:
        nonlocal watch
        if lease:
            watch = LeaseWatch(lease["catalog_url"], lease["job_id"], lease["worker_id"], lease["stalled_after"],
                               stop_crawl=lambda: _stop_gracefully(crawler))
            crawler.lease_watch = watch
            watch.start()

    try:
        stats, elapsed = run_crawl(settings, {"seeds": list(unit.seeds), "depth": unit.depth, "same_domain": True},
                                   on_crawler=watch_lease)
    finally:
        if watch is not None:
            watch.stop()
    stats = jsonable_stats(stats)
    figures: dict = {"errors": 0}
    account(figures, stats, request["archive"])
    reason = stats.get("finish_reason")
    summary = {"site": unit.site, "job": unit.job, "finish_reason": reason, "elapsed": round(elapsed, 3),
               "pages": stats.get("wirecopy/pages", 0), "replayed": stats.get("resume/replayed", 0),
               "recovered_files": stats.get("warc/recovered_files", 0), "lost": figures.get("lost", 0),
               "warc_files": stats.get("warc/file_names", []),
               "figures": asdict(RunFigures.from_stats(stats)), "lease_lost": watch.lost if watch else None}
    print(json.dumps(summary, sort_keys=True), flush=True)
    if reason in FINISHED:
        return 0
    return 1 if summary["pages"] else 2


if __name__ == "__main__":
    sys.exit(main())
