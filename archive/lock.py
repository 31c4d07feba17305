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
"""

from __future__ import annotations

import fcntl
import json
import os
import shlex
import socket
import sys
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

LOCK_NAME = "writer.lock"
HOLDER_NAME = "writer.lock.json"
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


# path -> [fd, holds]: the locks this process holds, so taking one twice does not deadlock
_held: dict[Path, list[int]] = {}
_held_guard = threading.Lock()


class ArchiveLock:
    """The writer lock of the archive at ``root``; ``acquire`` raises ``ArchiveLocked``."""

    def __init__(self, root: str | os.PathLike, command: str | None = None):
        self.root = Path(root)
        self.command = command
        self._key = self.root.resolve() / LOCK_NAME
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
        fd = os.open(self._key, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = None if wait is None else time.monotonic() + wait
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
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
        self._write_holder()
        with _held_guard:
            _held[self._key] = [fd, 1]
        self._holding = True
        return self

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
        fcntl.flock(entry[0], fcntl.LOCK_UN)
        os.close(entry[0])

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def holds_lock(root: str | os.PathLike) -> bool:
    """Whether this process holds the writer lock of the archive at ``root``."""
    with _held_guard:
        return (Path(root).resolve() / LOCK_NAME) in _held
