"""Helpers of the jobs tests: jobs files, `wirecopy jobs` subprocesses, the job history,
WARC checks, and test sites whose answers change as they are asked."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator

import sites
from conftest import crawl_env

DEADLINE = 120
FAST = """
[defaults]
delay = 0
autothrottle = false

[defaults.settings]
EXTRACT_WORKERS = 1
"""


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def write_jobs(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wirecopy-jobs.toml"
    path.write_text(FAST + text, encoding="utf-8")
    return path


def jobs_cmd(jobs_file: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "jobs", "--file", str(jobs_file), *args]


def run_jobs(jobs_file: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(jobs_cmd(jobs_file, *args), capture_output=True, text=True,
                          cwd=jobs_file.parent, env=crawl_env(), timeout=DEADLINE)


def last_json(proc: subprocess.CompletedProcess) -> dict:
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON on stdout:\n{proc.stdout}\n--- stderr ---\n{proc.stderr[-4000:]}"
    return json.loads(lines[-1])


def history_rows(archive: Path, job: str) -> list[dict]:
    path = archive / "jobs.sqlite"
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM runs WHERE job = ? ORDER BY id", (job,))]
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def wait_for(condition, what: str, proc: subprocess.Popen | None = None, timeout: float = DEADLINE):
    """Poll ``condition`` (observing files a subprocess writes) until true or the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the process ended (exit {proc.returncode}) before {what}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def warc_records(archive: Path) -> list[tuple[str, str, str | None]]:
    """(type, target URI, refers-to) of every record of every WARC file, digests checked by
    warcio and FastWARC."""
    out = []
    files = sorted((archive / "warc").glob("*.warc.gz"))
    assert files and not list((archive / "warc").glob("*.open"))
    for path in files:
        data = path.read_bytes()
        members, rest = sites.gzip_members(data)
        assert rest == 0, path
        count = 0
        for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
            record.raw_stream.read()
            h = record.rec_headers
            out.append((record.rec_type, h.get_header("WARC-Target-URI"), h.get_header("WARC-Refers-To")))
            count += 1
        fast = 0
        for record in FastArchiveIterator(io.BytesIO(data), parse_http=False):
            assert record.verify_block_digest(), record.record_id
            fast += 1
        assert count == fast == len(members), path
    return out


class ScriptedRoutes(dict):
    """A route table whose answer for some paths depends on how often they were asked."""

    def __init__(self, routes: dict, scripted: dict[str, list[sites.Route]] | None = None,
                 always: sites.Route | None = None):
        super().__init__(routes)
        self.scripted = scripted or {}
        self.always = always
        self.times: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def get(self, path, default=None):
        with self._lock:
            hits = self.times.setdefault(path, [])
            hits.append(time.monotonic())
            n = len(hits) - 1
        if self.always is not None:
            return self.always
        if path in self.scripted:
            answers = self.scripted[path]
            return answers[min(n, len(answers) - 1)]
        return super().get(path, default)


def scripted_server(routes_for, **kwargs) -> sites.SiteServer:
    server = sites.SiteServer()
    server.routes = ScriptedRoutes(routes_for(server.base_url), **kwargs)
    return server.start()


def first_file_uris(archive: Path) -> set[str]:
    """Target URIs of the responses in the first (recovered) WARC file."""
    first = sorted((archive / "warc").glob("*.warc.gz"))[0]
    with open(first, "rb") as f:
        return {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f)
                if r.rec_type == "response"}


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the crawl and its extraction/tracking workers
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


def start_daemon(jobs_file: Path, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(jobs_cmd(jobs_file, "daemon"), cwd=jobs_file.parent, env=crawl_env(),
                                stdout=out, stderr=subprocess.STDOUT)


def stop_daemon(proc: subprocess.Popen, log: Path) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        assert proc.wait(timeout=DEADLINE) == 0, log.read_text()[-4000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return log.read_text()
