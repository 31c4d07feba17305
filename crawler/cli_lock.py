"""The archive's writer lock at the command line: refuse (exit 75) or ``--wait``.

Commands that write an archive (crawl, import, replay, ``stories rebuild``, ``jobs run``) hold
``archive.lock.ArchiveLock`` for their whole run; read-only commands never take it.
"""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from typing import Iterator

from archive.lock import ArchiveLock, ArchiveLocked, Holder

# EX_TEMPFAIL of sysexits.h: another process writes the archive, try again later
EXIT_LOCKED = 75


def add_wait_option(parser) -> None:
    parser.add_argument("--wait", nargs="?", type=float, const=math.inf, default=0.0, metavar="SECONDS",
                        help="when another process writes the archive, wait for it (at most SECONDS)"
                             " instead of refusing with exit code 75")


def wait_seconds(value: float) -> float | None:
    """``--wait`` as ``ArchiveLock.acquire(wait=...)`` takes it."""
    return None if math.isinf(value) else max(0.0, value)


def waiting_announcer(prog: str):
    def announce(holder: Holder | None) -> None:
        who = holder.describe() if holder else "holder unknown"
        print(f"{prog}: waiting for the archive, written by another process ({who})", file=sys.stderr)
    return announce


@contextmanager
def writing_archive(root: str, prog: str, wait: float) -> Iterator[ArchiveLock]:
    """Hold the archive's writer lock for the body; exit 75 with the holder named when it is
    taken (after waiting ``wait`` seconds, if asked to)."""
    lock = ArchiveLock(root)
    try:
        lock.acquire(wait_seconds(wait), on_wait=waiting_announcer(prog))
    except ArchiveLocked as exc:
        print(f"{prog}: {exc}; try again later, or pass --wait", file=sys.stderr)
        raise SystemExit(EXIT_LOCKED) from None
    try:
        yield lock
    finally:
        lock.release()
