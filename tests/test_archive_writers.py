"""Named writers sharing one archive (crawl workers): each its own files and lock; only a dead
writer's open file is sealed, by whoever claims its lock; the single writer excludes them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from archive.lock import ArchiveLock, ArchiveLocked, file_writer, SINGLE_WRITER
from archive.store import Archive, ArchiveConfig
from conftest import crawl_env

WRITER_SCRIPT = """
import sys
from archive.store import Archive, ArchiveConfig
writer = sys.argv[2] or None
archive = Archive(sys.argv[1], ArchiveConfig(writer=writer))
archive.writer.write(archive.factory.warcinfo("test", {"note": "a record"}))
print(archive.writer.current_name, flush=True)
sys.stdin.readline()
"""


@pytest.fixture
def writers(tmp_path):
    """Start processes that open the archive (as a named writer, or the single writer with
    ``""``), write a record and wait with their WARC file open."""
    procs: list[subprocess.Popen] = []

    def start(name: str) -> tuple[subprocess.Popen, str]:
        proc = subprocess.Popen([sys.executable, "-c", WRITER_SCRIPT, str(tmp_path / "archive"), name],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=crawl_env())
        procs.append(proc)
        return proc, proc.stdout.readline().strip()
    yield start
    for proc in procs:
        proc.kill()
        proc.wait()


def test_named_writers_write_side_by_side_and_a_live_ones_file_stays_open(tmp_path, writers):
    root = tmp_path / "archive"
    _, w1_file = writers("w1")
    assert w1_file.endswith("-w1.warc.gz")
    archive = Archive(root, ArchiveConfig(writer="w2"))
    try:
        assert archive.recovery.files == []
        assert (root / "warc" / (w1_file + ".open")).exists()
        archive.writer.write(archive.factory.warcinfo("test", {}))
        assert archive.writer.current_name.endswith("-w2.warc.gz")
        with pytest.raises(ArchiveLocked):
            ArchiveLock(root).acquire()  # the single writer waits for every named one
        with pytest.raises(ArchiveLocked):
            ArchiveLock(root, writer="w1").acquire()  # a name is one process at a time
    finally:
        archive.close()


def test_a_dead_writers_open_file_is_sealed_by_the_next_named_writer(tmp_path, writers):
    root = tmp_path / "archive"
    proc, w1_file = writers("w1")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    archive = Archive(root, ArchiveConfig(writer="w2"))
    try:
        assert archive.recovery.files == [w1_file]
        assert (root / "warc" / w1_file).exists()
        assert not (root / "warc" / (w1_file + ".open")).exists()
    finally:
        archive.close()


def test_a_named_writer_waits_for_the_single_writer(tmp_path, writers):
    writers("")
    with pytest.raises(ArchiveLocked):
        ArchiveLock(tmp_path / "archive", writer="w1").acquire()


def test_the_writer_of_a_file_is_told_by_its_name(tmp_path):
    (tmp_path / "writers").mkdir()
    (tmp_path / "writers" / "w_7").touch()
    (tmp_path / "writers" / "w_7.lock").touch()
    assert file_writer(tmp_path, "wirecopy-20260101000000000-00000-my-host-w_7.warc.gz.open") == "w_7"
    assert file_writer(tmp_path, "wirecopy-20260101000000000-00000-my-host.warc.gz.open") == SINGLE_WRITER
    with pytest.raises(ValueError):
        ArchiveLock(tmp_path, writer="no-dashes")
