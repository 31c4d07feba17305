"""``wirecopy worker``: a crawl worker taking units of distributed job runs from PostgreSQL.

    wirecopy worker --archive DIR -s CATALOG_URL=postgresql://... [--name NAME] [--concurrency N] [--once]
    wirecopy workers status --catalog-url postgresql://... [--archive DIR] [--json]
"""

from __future__ import annotations

import json
import logging
import sys


def cmd_worker(args) -> int:
    from archive.catalog.options import CatalogOptions

    from .distributed.worker import WorkerConfig, main

    url = CatalogOptions.from_settings(dict(args.set)).catalog_url
    if not url.startswith(("postgresql://", "postgres://")):
        print("wirecopy worker: workers share a PostgreSQL catalog and queue: pass"
              " -s CATALOG_URL=postgresql://...", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    config = WorkerConfig(archive=args.archive, catalog_url=url, settings=list(args.set),
                          heartbeat=args.heartbeat, stalled_after=args.stalled_after, once=args.once,
                          concurrency=max(1, args.concurrency))
    if args.name:
        config.name = args.name
    return main(config)


def cmd_workers_status(args) -> int:
    from .distributed.status import print_status, queue_status, stories_status, writers_status

    queue = queue_status(args.catalog_url)
    stories = stories_status(args.catalog_url, args.archive)
    writers = writers_status(args.archive) if args.archive else None
    if args.json:
        print(json.dumps({"queue": queue, "stories": stories, "writers": writers}, sort_keys=True, default=str))
    else:
        print_status(queue, stories, writers)
    return 0


def register(subparsers) -> None:
    from .cli import ARCHIVE_DIR, _setting

    worker = subparsers.add_parser("worker", help="take crawl units of distributed job runs from PostgreSQL")
    worker.add_argument("--archive", default=ARCHIVE_DIR, help="the archive directory all workers share")
    worker.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                        help="a setting for every crawl (CATALOG_URL=postgresql://... is required)")
    worker.add_argument("--name", help="this worker's name (letters, digits, _; default HOST_PID):"
                                       " its WARC files end in -NAME.warc.gz")
    worker.add_argument("--heartbeat", type=float, default=10.0, help="seconds between heartbeats (default 10)")
    worker.add_argument("--stalled-after", type=float, default=30.0,
                        help="a worker without heartbeat this long is dead; its units are taken over (default 30)")
    worker.add_argument("--concurrency", type=int, default=1,
                        help="sites crawled at once, each in its own process (default 1)")
    worker.add_argument("--once", action="store_true", help="exit when the queue is empty")
    worker.add_argument("--verbose", action="store_true", help="log at INFO level")
    worker.set_defaults(func=cmd_worker)

    workers = subparsers.add_parser("workers", help="crawl workers: the queue and the archive's writers")
    sub = workers.add_subparsers(dest="workers_command", required=True)
    status = sub.add_parser("status", help="units waiting and being crawled, heartbeats, story tracking, live writers")
    status.add_argument("--catalog-url", required=True, help="the PostgreSQL database of the queue")
    status.add_argument("--archive", help="also list this archive's named writers and their open files, and count"
                                           " its sealed WARC files not tracked for stories yet")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_workers_status)
