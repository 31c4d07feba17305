"""``wirecopy jobs``: run, inspect and schedule the crawl jobs of a jobs file.

    wirecopy jobs [--file PATH] run NAME [--resume | --fresh] [--json] [--verbose]
    wirecopy jobs [--file PATH] run NAME --distributed [--catalog-url URL]
    wirecopy jobs [--file PATH] status [NAME ...] [--runs N] [--json]
    wirecopy jobs [--file PATH] daemon [--state PATH] [--max-parallel N] [--distributed]
    wirecopy jobs [--file PATH] check
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path

from .jobs.config import DEFAULT_FILE, JobsFileError, load_jobs

logger = logging.getLogger(__name__)


def _load(args):
    try:
        return load_jobs(args.file)
    except JobsFileError as exc:
        print(f"wirecopy jobs: {exc}", file=sys.stderr)
        return None


def cmd_run(args) -> int:
    from archive.lock import ArchiveLocked

    from .cli_lock import waiting_announcer, wait_seconds
    from .jobs.lock import JobLocked
    from .jobs.runner import EXIT_FAILED, EXIT_LOCKED, run_job

    jobs = _load(args)
    if jobs is None:
        return EXIT_FAILED
    try:
        job = jobs.job(args.name)
    except JobsFileError as exc:
        print(f"wirecopy jobs: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if args.distributed:
        return defer_run(job, args)
    resume = True if args.resume else (False if args.fresh else None)
    try:
        outcome = run_job(job, resume=resume, quiet=not args.verbose, wait=wait_seconds(args.wait),
                          on_wait=waiting_announcer(f"wirecopy jobs run {job.name}"))
    except (JobLocked, ArchiveLocked) as exc:
        print(f"wirecopy jobs run {job.name}: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    # The run is recorded: a stop signal now (a daemon shutting down) must not change the exit code.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    figures = outcome.as_dict()
    if args.json:
        print(json.dumps({**figures, "stats": outcome.stats}, sort_keys=True, default=str))
    else:
        resumed = f", resumed run {outcome.resumed_run}" if outcome.resumed_run else ""
        print(f"job {job.name} run {outcome.run_id}: {outcome.status} (exit {outcome.exit_code}{resumed}):"
              f" {figures['pages']} pages, {figures['new_articles']} new articles,"
              f" {figures['revisits']} revisits, {figures['changed_articles']} changed,"
              f" {figures['errors']} errors, {figures['duration']:.1f} s")
        if figures["skipped_hosts"]:
            print(f"hosts skipped after repeated failures: {', '.join(figures['skipped_hosts'])}")
        if outcome.alerted:
            print(f"alert: {outcome.alerted} new cop{'y' if outcome.alerted == 1 else 'ies'} at watched outlets"
                  + (", not delivered (see the errors above)" if outcome.alert_problems else ", sent"))
    return outcome.exit_code


def defer_run(job, args) -> int:
    """``run NAME --distributed``: queue the run's units, one per site, for ``wirecopy worker``."""
    from spiders.news import parse_seeds

    from .distributed.history import set_units, start_run
    from .distributed.queue import defer_units, pending_units
    from .distributed.units import split_by_site, units_of_job
    from .jobs.runner import EXIT_FAILED, EXIT_LOCKED

    from archive.catalog import CatalogOptions

    url = args.catalog_url or CatalogOptions.from_settings(dict(job.setting_overrides())).catalog_url
    if not url.startswith(("postgresql://", "postgres://")):
        print(f"wirecopy jobs run {job.name} --distributed: the queue lives in the PostgreSQL catalog:"
              " pass --catalog-url postgresql://... or set CATALOG_URL in the job's settings", file=sys.stderr)
        return EXIT_FAILED
    going = pending_units(url, job.name)
    if going:  # the overlap rule of every job run: never beside the previous run of the job
        print(f"wirecopy jobs run {job.name} --distributed: the previous run is still going"
              f" ({len(going)} site unit(s) queued or being crawled)", file=sys.stderr)
        return EXIT_LOCKED
    seeds = parse_seeds(list(job.seeds), str(job.seeds_file) if job.seeds_file else None)
    since = datetime.now(timezone.utc).isoformat(timespec="seconds")
    # the run's row in the job history, ended by the worker that ends its last unit
    run = start_run(job.archive, job.name, len(split_by_site(seeds)), since) if seeds else None
    units = units_of_job(job, seeds, since, run)
    queued, waiting = defer_units(url, units)
    if waiting and run is not None:  # queued by an earlier run meanwhile: not this run's
        set_units(job.archive, run, len(queued))
    figures = {"job": job.name, "run": run, "units": len(units), "queued": len(queued), "still_queued": waiting,
               "since": since}
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    else:
        print(f"job {job.name}: {len(queued)} of {len(units)} site units queued for the workers"
              + (f"; still queued from an earlier run: {', '.join(waiting)}" if waiting else ""))
    return 0


def _next_run(job, stored: dict) -> datetime | None:
    """When the running daemon will start the job next (``stored`` is empty without one)."""
    if not job.enabled or not job.scheduled:
        return None
    return stored.get(job.name)


def cmd_status(args) -> int:
    from .jobs.history import JobHistory
    from .jobs.scheduler import daemon_running, state_path_for, stored_next_runs

    jobs = _load(args)
    if jobs is None:
        return 2
    names = args.names or list(jobs.jobs)
    try:
        selected = [jobs.job(n) for n in names]
    except JobsFileError as exc:
        print(f"wirecopy jobs: {exc}", file=sys.stderr)
        return 2
    state = Path(args.state) if args.state else state_path_for(jobs.path)
    # a next run exists only while a daemon runs: the store alone keeps the time of a stopped one
    running = daemon_running(state)
    stored = stored_next_runs(state) if running else {}
    report = []
    for job in selected:
        history = JobHistory.open_existing(job.archive)
        runs = []
        if history is not None:
            runs = [dict(r) for r in history.runs(job.name, args.runs)]
            history.close()
        for run in runs:
            run.pop("stats", None)
            run["skipped_hosts"] = json.loads(run["skipped_hosts"] or "[]")
        nxt = _next_run(job, stored)
        report.append({"job": job.name, "schedule": job.describe_schedule(), "enabled": job.enabled,
                       "archive": str(job.archive), "next_run": nxt.isoformat() if nxt else None,
                       "daemon_running": running,
                       "runs": runs})
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        _print_status(report)
    return 0


def _print_status(report: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    from archive.timefmt import show_time

    console = Console() if sys.stdout.isatty() else Console(width=160)
    for entry in report:
        if entry["next_run"]:
            upcoming = f"next run {show_time(entry['next_run'])}"
        elif entry["enabled"] and entry["schedule"] != "manual" and not entry["daemon_running"]:
            upcoming = "no daemon running (wirecopy jobs daemon runs it on schedule)"
        else:
            upcoming = "no next run"
        title = (f"{entry['job']}: {entry['schedule']}{'' if entry['enabled'] else ' (disabled)'},"
                 f" {upcoming}; archive {entry['archive']}")
        table = Table(title=title, title_justify="left")
        for column in ("run", "started", "status", "pages", "new articles", "revisits", "changed",
                       "errors", "duration"):
            table.add_column(column, justify="right" if column not in ("started", "status") else "left")
        for run in entry["runs"]:
            duration = f"{run['duration']:.1f} s" if run["duration"] is not None else "-"
            status = run["status"] + (f" ({run['exit_code']})" if run["exit_code"] is not None else "")
            table.add_row(str(run["id"]), run["started"], status, str(run["pages"]), str(run["new_articles"]),
                          str(run["revisits"]), str(run["changed_articles"]), str(run["errors"]), duration)
        if not entry["runs"]:
            table.add_row("-", "never run", "", "", "", "", "", "", "")
        console.print(table)


def cmd_daemon(args) -> int:
    from .jobs.scheduler import run_daemon

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    try:
        return run_daemon(Path(args.file), Path(args.state) if args.state else None, args.max_parallel,
                          distributed=args.distributed)
    except JobsFileError as exc:
        print(f"wirecopy jobs: {exc}", file=sys.stderr)
        return 2


def cmd_check(args) -> int:
    jobs = _load(args)
    if jobs is None:
        return 2
    for job in jobs.jobs.values():
        print(f"{job.name}: {job.describe_schedule()}, {len(job.seeds)} seed(s), depth {job.depth},"
              f" archive {job.archive}")
    return 0


def register(subparsers) -> None:
    from .cli_lock import add_wait_option

    jobs = subparsers.add_parser("jobs", help="scheduled crawl jobs: run, status, daemon")
    jobs.add_argument("--file", default=DEFAULT_FILE, help=f"the jobs file (default ./{DEFAULT_FILE})")
    sub = jobs.add_subparsers(dest="jobs_command", required=True)

    run = sub.add_parser("run", help="run one job once (exit 0 ok, 1 partial, 2 failed, 75 already running)")
    run.add_argument("name", help="the job's name ([jobs.NAME] in the jobs file)")
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true",
                      help="resume the interrupted previous run (the default when there is one)")
    mode.add_argument("--fresh", action="store_true", help="start afresh even after an interrupted run")
    run.add_argument("--json", action="store_true", help="print the run's figures as JSON")
    run.add_argument("--verbose", action="store_true", help="log the crawl at INFO level")
    run.add_argument("--distributed", action="store_true",
                     help="queue the run as one unit per site for `wirecopy worker` processes instead")
    run.add_argument("--catalog-url", help="with --distributed: the PostgreSQL database of the queue"
                                           " (default: CATALOG_URL in the job's settings)")
    add_wait_option(run)
    run.set_defaults(func=cmd_run)

    status = sub.add_parser("status", help="each job's last runs and next scheduled time")
    status.add_argument("names", nargs="*", metavar="NAME")
    status.add_argument("--runs", type=int, default=5, help="runs shown per job (default 5)")
    status.add_argument("--state", help="the daemon's schedule store (default: beside the jobs file)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_status)

    daemon = sub.add_parser("daemon", help="run every job on its schedule until SIGTERM")
    daemon.add_argument("--state", help="the schedule store (default: JOBSFILE.schedule.sqlite beside it)")
    daemon.add_argument("--max-parallel", type=int, default=2, help="jobs running at once (default 2)")
    daemon.add_argument("--distributed", action="store_true",
                        help="queue each due run for `wirecopy worker` processes (jobs run --distributed)")
    daemon.set_defaults(func=cmd_daemon)

    check = sub.add_parser("check", help="validate the jobs file and list its jobs")
    check.set_defaults(func=cmd_check)
