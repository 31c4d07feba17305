"""``wirecopy worker``: a crawl worker taking units of distributed job runs from PostgreSQL.

    wirecopy worker --archive DIR -s CATALOG_URL=postgresql://... [--name NAME] [--concurrency N] [--once]
"""

from __future__ import annotations

import logging
import sys


def cmd_worker(args) -> int:
    from .distributed.worker import WorkerConfig, main

    settings = dict(args.set)
    url = settings.get("CATALOG_URL") or ""
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
