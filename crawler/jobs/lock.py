"""One run of a job at a time: an advisory ``flock`` on a file in the job's archive directory.

The kernel drops a flock when its holder exits, however it exits (``kill -9`` included), so a
lock is never left stale. The file itself stays and names the last holder, for messages.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class JobLocked(RuntimeError):
    def __init__(self, path: Path, holder: str):
        self.path, self.holder = path, holder
        super().__init__(f"already running ({holder or 'holder unknown'}; lock {path})")


def is_held(path: str | Path) -> bool:
    """Whether a process holds the lock at ``path`` now (the file is not written)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock taken here
    return False


class JobLock:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> "JobLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            os.close(fd)
            raise JobLocked(self.path, holder) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "JobLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
