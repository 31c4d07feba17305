"""index rebuild and check rewrite rows and seal .open files: they take the archive's lock."""

from __future__ import annotations

import subprocess
import sys

from archive.lock import ArchiveLock
from conftest import crawl_env


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                          env=crawl_env(), timeout=120)


def test_rebuild_and_check_refuse_while_another_process_writes(tmp_path):
    (tmp_path / "warc").mkdir()
    lock = ArchiveLock(tmp_path).acquire()
    try:
        for command in (["index", "rebuild"], ["check", "--repair"]):
            refused = run(*command, "--archive", str(tmp_path))
            assert refused.returncode == 75, refused.stderr
            assert "being written by another process" in refused.stderr and "Traceback" not in refused.stderr
    finally:
        lock.release()
    assert run("check", "--archive", str(tmp_path)).returncode == 0
