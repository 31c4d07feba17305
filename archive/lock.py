"""One writer per archive: an advisory ``flock`` on ``ARCHIVE/writer.lock``.

Every process that writes an archive (a crawl, an import, a replay that stores texts, a story
rebuild, a scheduled job) holds this lock for as long as it writes; readers (the web UI, story
and history listings, export) never take it. The kernel drops a flock when its holder exits,
however it exits (``kill -9`` included), so the lock is never left stale, and whoever holds it
owns every ``*.warc.gz.open`` file of the archive: only the holder may seal one a crash left.

Who holds the lock (pid, command, since when, host) is written beside it, in
``ARCHIVE/writer.lock.json``, replaced atomically, for the message a second writer prints.

Within one process the lock is re-entrant: a command takes it before it opens the archive,
and ``archive.store.Archive`` takes it again for itself (a library user gets it from there).

Several writers (``wirecopy worker`` processes sharing an archive directory and a PostgreSQL
catalog) each take the lock under a name: ``writer.lock`` shared, so no single writer runs
beside them, and ``ARCHIVE/writers/NAME.lock`` exclusive. A named writer's WARC files end in
``-NAME.warc.gz``, so a ``.open`` file belongs to the writer its name ends with, and only the
process that holds that writer's lock (the writer itself, or whoever claims the lock of a
writer that died) may seal it.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shlex
import socket
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

LOCK_NAME = "writer.lock"
HOLDER_NAME = "writer.lock.json"
WRITERS_DIR = "writers"
# the writer who left a .open file nobody names: the single writer (no "-": no writer name)
SINGLE_WRITER = "single-writer"
WRITER_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class Holder:
    pid: int
    command: str
    since: str  # ISO 8601, UTC
    host: str

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}, running since {self.since}: {self.command}"


class ArchiveLocked(RuntimeError):
    """Another process writes the archive."""

    def __init__(self, root: Path, holder: Holder | None):
        self.root, self.holder = root, holder
        who = holder.describe() if holder else "holder unknown"
        super().__init__(f"the archive {root}/ is being written by another process ({who})")


def read_holder(root: str | os.PathLike) -> Holder | None:
    """Who holds (or last held) the lock of the archive at ``root``; None when unknown."""
    try:
        data = json.loads((Path(root) / HOLDER_NAME).read_text("utf-8"))
        return Holder(int(data["pid"]), str(data["command"]), str(data["since"]), str(data["host"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _this_command() -> str:
    command = shlex.join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv and sys.argv[0] else "python"
    return command if len(command) <= 300 else command[:297] + "..."


# path -> [fds, holds]: the locks this process holds, so taking one twice does not deadlock
_held: dict[Path, list] = {}
_held_guard = threading.Lock()


class ArchiveLock:
    """The writer lock of the archive at ``root``; ``acquire`` raises ``ArchiveLocked``."""

    def __init__(self, root: str | os.PathLike, command: str | None = None, writer: str | None = None):
        if writer is not None and not WRITER_NAME.fullmatch(writer):
            raise ValueError(f"a writer name is 1-64 letters, digits or _, not {writer!r}")
        self.root = Path(root)
        self.command = command
        self.writer = writer
        self._key = (self.root.resolve() / LOCK_NAME if writer is None
                     else self.root.resolve() / WRITERS_DIR / f"{writer}.lock")
        self._holding = False

    @property
    def held(self) -> bool:
        return self._holding

    def acquire(self, wait: float | None = 0.0, on_wait=None) -> ArchiveLock:
        """Take the lock. ``wait``: 0 refuses at once when another process holds it, None waits
        as long as it takes, a number of seconds waits that long. ``on_wait(holder)`` is called
        once when the lock is busy and this call is going to wait."""
        if self._holding:
            return self
        with _held_guard:
            entry = _held.get(self._key)
            if entry is not None:
                entry[1] += 1
                self._holding = True
                return self
        self.root.mkdir(parents=True, exist_ok=True)
        deadline = None if wait is None else time.monotonic() + wait
        wanted = [(self.root / LOCK_NAME, fcntl.LOCK_EX if self.writer is None else fcntl.LOCK_SH)]
        if self.writer is not None:
            (self.root / WRITERS_DIR).mkdir(exist_ok=True)
            wanted.append((self._key, fcntl.LOCK_EX))
        fds: list[int] = []
        try:
            for path, mode in wanted:
                fds.append(self._take(path, mode, deadline, on_wait))
        except BaseException:
            for fd in fds:
                os.close(fd)
            raise
        self._write_holder()
        with _held_guard:
            _held[self._key] = [fds, 1]
        self._holding = True
        return self

    def _take(self, path: Path, mode: int, deadline: float | None, on_wait) -> int:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        announced = False
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                holder = read_holder(self.root)
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    raise ArchiveLocked(self.root, holder) from None
                if not announced and on_wait is not None:
                    on_wait(holder)
                announced = True
                # flock cannot time out by itself; a short poll keeps ``wait`` honoured
                time.sleep(_POLL_SECONDS if deadline is None else
                           max(0.0, min(_POLL_SECONDS, deadline - time.monotonic())))

    def _write_holder(self) -> None:
        holder = Holder(os.getpid(), self.command or _this_command(),
                        datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        socket.gethostname())
        tmp = self.root / f".{HOLDER_NAME}.{os.getpid()}"
        tmp.write_text(json.dumps(asdict(holder)) + "\n", "utf-8")
        os.replace(tmp, self.root / HOLDER_NAME)

    def release(self) -> None:
        if not self._holding:
            return
        self._holding = False
        with _held_guard:
            entry = _held.get(self._key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:
                return
            del _held[self._key]
        # the holder file stays: it names the last writer, which helps after a crash
        for fd in reversed(entry[0]):
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def holds_lock(root: str | os.PathLike, writer: str | None = None) -> bool:
    """Whether this process holds the writer lock of the archive at ``root`` (as ``writer``)."""
    key = Path(root).resolve() / (LOCK_NAME if writer is None else f"{WRITERS_DIR}/{writer}.lock")
    with _held_guard:
        return key in _held


def file_writer(root: str | os.PathLike, name: str) -> str:
    """Who wrote the WARC file ``name`` of the archive at ``root``: the named writer its name
    ends with (``-NAME.warc.gz``), or ``SINGLE_WRITER`` when no named writer is called that."""
    stem = name.removesuffix(".open").removesuffix(".gz").removesuffix(".warc")
    last = stem.rsplit("-", 1)[-1]
    named = WRITER_NAME.fullmatch(last) and (Path(root) / WRITERS_DIR / f"{last}.lock").exists()
    return last if named else SINGLE_WRITER


@contextmanager
def claimed_writer(root: str | os.PathLike, name: str) -> Iterator[bool]:
    """Hold the lock of the named writer ``name`` of the archive at ``root`` for the body, to
    seal what it left open; yields False (and holds nothing) while that writer is alive.
    ``SINGLE_WRITER`` stands for the archive's single writer: the caller, a named writer,
    holds ``writer.lock`` shared, so that one is gone; its lock keeps two named writers from
    sealing its files at once."""
    directory = Path(root) / WRITERS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / f"{name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing drops the lock
