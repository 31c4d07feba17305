"""A job run as crawl units: one per site (scheme and host), deferred to the worker queue.

A unit carries everything its crawl needs (the worker knows only its archive directory), and
the queue lock ``site:SCHEME://HOST`` keeps every site with one worker at a time, so Scrapy's
per-host delay, the robots.txt cache and wirecopy's back-off see all of a site's requests.
Its queueing lock (job and site) keeps a second run from queueing a unit that still waits.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

QUEUE = "crawl"
TASK_NAME = "wirecopy.crawl_site"


@dataclass(frozen=True)
class CrawlUnit:
    job: str
    site: str  # scheme://host[:port]
    seeds: tuple[str, ...]
    since: str  # when the run started (ISO 8601, UTC): a retried unit resumes captures from then
    depth: int = 2
    max_pages: int | None = None
    settings: list[tuple[str, Any]] = field(default_factory=list)
    run: int | None = None  # the run's row in the job history of the archive

    @property
    def lock(self) -> str:
        return f"site:{self.site}"

    @property
    def queueing_lock(self) -> str:
        return f"unit:{self.job}:{self.site}"

    def as_task_args(self) -> dict[str, Any]:
        args = asdict(self)
        args["seeds"] = list(self.seeds)
        args["settings"] = [list(pair) for pair in self.settings]
        json.dumps(args)  # a unit travels as JSON: fail here, not in a worker
        return args

    @classmethod
    def from_task_args(cls, args: dict[str, Any]) -> CrawlUnit:
        return cls(job=args["job"], site=args["site"], seeds=tuple(args["seeds"]), since=args["since"],
                   depth=int(args["depth"]), max_pages=args.get("max_pages"),
                   settings=[(name, value) for name, value in args.get("settings", [])], run=args.get("run"))


def site_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def split_by_site(seeds: list[str]) -> dict[str, list[str]]:
    """Seeds grouped by site, each group in the order given."""
    groups: dict[str, list[str]] = {}
    for seed in seeds:
        groups.setdefault(site_of(seed), []).append(seed)
    return groups


def units_of_job(job, seeds: list[str], since: str | None = None, run: int | None = None) -> list[CrawlUnit]:
    """The units of one run of ``job`` (a ``crawler.jobs.config.Job``) with ``seeds``; ``run``
    is the run's row in the job history."""
    since = since or datetime.now(timezone.utc).isoformat(timespec="seconds")
    settings = [(name, value) for name, value in job.setting_overrides()]
    return [CrawlUnit(job=job.name, site=site, seeds=tuple(group), since=since, depth=job.depth,
                      max_pages=job.max_pages, settings=settings, run=run)
            for site, group in split_by_site(seeds).items()]
