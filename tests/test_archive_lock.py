"""One writer per archive: the writer lock across real processes, and what a second writer
(another process opening the archive) may and may not do."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from archive.catalog import Catalog
from archive.lock import ArchiveLock, ArchiveLocked, holds_lock, read_holder
from archive.store import Archive
from conftest import crawl_env

HOLD_SCRIPT = """
import sys
from archive.catalog import Catalog
from archive.lock import ArchiveLock
lock = ArchiveLock(sys.argv[1], command="holder-test --archive x").acquire()
print("held", flush=True)
sys.stdin.readline()
lock.release()
print("released", flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def holder(tmp_path):
    """Another process holding the writer lock of ``tmp_path/archive``; it releases the lock
    when a line is written to its stdin."""
    root = tmp_path / "archive"
    proc = subprocess.Popen([sys.executable, "-c", HOLD_SCRIPT, str(root)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=crawl_env())
    assert proc.stdout.readline().strip() == "held"
    try:
        yield root, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def test_a_second_process_is_refused_and_told_who_holds_the_lock(holder):
    root, proc = holder
    with pytest.raises(ArchiveLocked) as refused:
        ArchiveLock(root).acquire()
    assert refused.value.holder is not None
    assert refused.value.holder.pid == proc.pid
    assert refused.value.holder.command == "holder-test --archive x"
    message = str(refused.value)
    assert f"pid {proc.pid}" in message and "holder-test" in message and "since" in message
    assert not holds_lock(root)


def test_the_lock_is_free_once_its_holder_is_killed(holder):
    root, proc = holder
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    with ArchiveLock(root) as lock:
        assert lock.held and holds_lock(root)
        assert read_holder(root).pid == os.getpid()
    assert not holds_lock(root)


def test_waiting_writer_gets_the_lock_when_the_holder_releases_it(holder):
    root, proc = holder
    waiting = threading.Event()
    seen = []

    def on_wait(who):
        seen.append(who)
        waiting.set()

    got = []
    thread = threading.Thread(target=lambda: got.append(ArchiveLock(root).acquire(None, on_wait)))
    thread.start()
    assert waiting.wait(timeout=30)
    assert seen[0].pid == proc.pid
    proc.stdin.write("release\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "released"
    thread.join(timeout=30)
    assert got and got[0].held
    got[0].release()


def test_waiting_with_a_limit_gives_up_with_the_holder_named(holder):
    root, proc = holder
    with pytest.raises(ArchiveLocked) as refused:
        ArchiveLock(root).acquire(wait=0.3)
    assert refused.value.holder.pid == proc.pid


def test_the_lock_is_reentrant_within_one_process(tmp_path):
    root = tmp_path / "archive"
    outer = ArchiveLock(root).acquire()
    inner = ArchiveLock(root).acquire()
    inner.release()
    assert holds_lock(root)
    outer.release()
    assert not holds_lock(root)


def test_an_archive_held_by_another_process_is_not_opened_and_its_open_file_not_sealed(holder):
    root, _ = holder
    warc_dir = root / "warc"
    warc_dir.mkdir(parents=True)
    live = warc_dir / "wirecopy-20260101000000000-00000-live.warc.gz.open"
    live.write_bytes(b"\x1f\x8b partial record of a live writer")
    with pytest.raises(ArchiveLocked):
        Archive(root)
    assert live.read_bytes() == b"\x1f\x8b partial record of a live writer"
    assert not (warc_dir / live.name[: -len(".open")]).exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", [
    ["stories", "rebuild"],
    ["replay", "http://example.com/"],
    ["import", "{source}"],
])
def test_every_writing_command_refuses_while_another_process_writes(holder, tmp_path, command):
    root, proc = holder
    Catalog(root / "catalog.sqlite").close()  # an archive to write to
    source = tmp_path / "other.warc.gz"
    source.write_bytes(b"")
    argv = [a.format(source=source) for a in command]
    result = subprocess.run([sys.executable, "-m", "crawler.cli", *argv, "--archive", str(root)],
                            capture_output=True, text=True, env=crawl_env(), timeout=120, cwd=tmp_path)
    assert result.returncode == 75, result.stderr[-2000:]
    assert f"pid {proc.pid}" in result.stderr and "--wait" in result.stderr
