"""Crash safety: a crawl killed with SIGKILL leaves a readable ``.warc.gz.open`` file, and the
next run seals it (dropping only a torn last record) and writes a new file.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import sites
from archive.warc.reader import recover_open_file
from conftest import crawl_command, crawl_env, run_crawl

OPEN = ".open"
KILL_AFTER_BYTES = 20_000  # a warcinfo and several captures


def records_of(data: bytes) -> list[tuple[str, str, bytes]]:
    """(type, record id, payload) of every record in ``data``, digests checked by warcio."""
    out = []
    for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
        payload = record.raw_stream.read()
        out.append((record.rec_type, record.rec_headers.get_header("WARC-Record-ID"), payload))
    return out


def fastwarc_digests_ok(data: bytes) -> int:
    count = 0
    for record in FastArchiveIterator(io.BytesIO(data), parse_http=False):
        assert record.verify_block_digest(), record.record_id
        count += 1
    return count


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)  # the crawl's own helpers (extraction workers)
    except ProcessLookupError:
        pass


@pytest.fixture
def bulk_site():
    server = sites.serve(sites.bulk_site_routes)
    try:
        yield server
    finally:
        server.stop()


def test_kill_9_mid_crawl_then_next_run_seals_and_starts_a_new_file(bulk_site, tmp_path):
    archive = tmp_path / "crash-archive"
    warc_dir = archive / "warc"
    with open(tmp_path / "first-run.log", "wb") as log:
        proc = subprocess.Popen(
            crawl_command([bulk_site.url("/")], archive, depth=2), cwd=tmp_path, env=crawl_env(),
            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 90
            open_file = None
            while time.monotonic() < deadline:
                found = list(warc_dir.glob("*.warc.gz" + OPEN)) if warc_dir.exists() else []
                if found and found[0].stat().st_size >= KILL_AFTER_BYTES:
                    open_file = found[0]
                    break
                if proc.poll() is not None:
                    pytest.fail(f"the crawl ended (exit {proc.returncode}) before it could be killed")
                time.sleep(0.005)  # observing the subprocess, not synchronising with it
            assert open_file is not None, "the open WARC file never grew"
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=30) == -signal.SIGKILL
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
            _kill_group(proc.pid)

    # What the killed crawl left: one open file, every complete gzip member readable.
    assert [p.name for p in warc_dir.iterdir()] == [open_file.name]
    before = open_file.read_bytes()
    members, torn = sites.gzip_members(before)
    sound = members[-1][0] + members[-1][1]
    assert sound + torn == len(before)
    assert len(members) >= 5
    records = records_of(before[:sound])
    assert len(records) == len(members)
    assert records[0][0] == "warcinfo"
    assert {t for t, _, _ in records[1:]} <= {"request", "response", "conversion", "metadata"}
    assert "response" in {t for t, _, _ in records}
    assert fastwarc_digests_ok(before[:sound]) == len(members)
    responses_before = [rid for t, rid, _ in records if t == "response"]

    # The next run into the same archive.
    seed = sites.bulk_article(0).path
    result = run_crawl([bulk_site.url(seed)], archive, depth=0)
    assert result.returncode == 0, result.stderr[-4000:]
    stats = result.stats
    assert stats["warc/recovered_files"] == 1
    assert stats["warc/recovered_bytes_dropped"] == torn

    sealed = warc_dir / open_file.name[: -len(OPEN)]
    assert not list(archive.rglob("*" + OPEN))
    assert sealed.exists()
    after = sealed.read_bytes()
    assert len(after) <= len(before)
    assert after == before[:sound]  # only the torn tail dropped, nothing appended
    assert [rid for _, rid, _ in records_of(after)] == [rid for _, rid, _ in records]

    index = archive / "indexes" / f"{sealed.name}.cdxj"
    assert index.exists()
    lines = index.read_text("utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(responses_before)
    for line in lines:
        fields = json.loads(line.split(" ", 2)[2])
        assert fields["filename"] == sealed.name
        with open(sealed, "rb") as f:
            f.seek(int(fields["offset"]))
            record = next(iter(ArchiveIterator(f, check_digests="raise")))
            assert record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == fields["url"]

    new_files = sorted(p for p in warc_dir.glob("*.warc.gz") if p != sealed)
    assert len(new_files) == 1 and new_files[0].name != sealed.name
    new_records = records_of(new_files[0].read_bytes())
    assert new_records[0][0] == "warcinfo"
    # robots.txt and the seed, unchanged since the recovered captures: revisits referring to them
    assert [t for t, _, _ in new_records].count("revisit") == 2
    assert (archive / "indexes" / f"{new_files[0].name}.cdxj").exists()

    db = sqlite3.connect(f"file:{archive / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        state = dict(db.execute("SELECT name, state FROM warc_files").fetchall())
        note = db.execute("SELECT note FROM warc_files WHERE name = ?", (sealed.name,)).fetchone()[0]
    finally:
        db.close()
    assert state == {sealed.name: "closed", new_files[0].name: "closed"}
    assert "recovered" in note


# --------------------------------------------------------------------------------------
# recover_open_file on a file cut by hand
# --------------------------------------------------------------------------------------


def _good_warc(path: Path, count: int = 5) -> list[tuple[str, str, bytes]]:
    """A WARC written by warcio itself: a warcinfo and ``count`` responses, one gzip member each."""
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for n in range(count):
            body = (f"<html><body><p>Harbour note {n}: " + "tide table " * (200 + 37 * n) + "</p></body></html>").encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
                                    protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"http://127.0.0.1/notes/{n}", "response", payload=io.BytesIO(body), length=len(body),
                http_headers=http))
    return records_of(path.read_bytes())


@pytest.mark.parametrize("cut", ["gzip-header", "middle", "last-byte", "trailing-zeros", "intact"])
def test_recover_open_file_keeps_every_complete_record(tmp_path, cut):
    good = tmp_path / "notes.warc.gz"
    expected = _good_warc(good)
    data = good.read_bytes()
    members, rest = sites.gzip_members(data)
    assert rest == 0 and len(members) == len(expected) == 6
    last_offset, last_length = members[-1]
    torn = {
        "gzip-header": data[: last_offset + 5],
        "middle": data[: last_offset + last_length // 2],
        "last-byte": data[:-1],
        "trailing-zeros": data + b"\0" * 512,  # what a crash can leave after a file grew
        "intact": data,
    }[cut]
    path = tmp_path / ("copy.warc.gz" + OPEN)
    path.write_bytes(torn)

    sealed, dropped = recover_open_file(path)

    assert sealed == tmp_path / "copy.warc.gz"
    assert not path.exists() and sealed.exists()
    after = sealed.read_bytes()
    keep = len(data) if cut in ("intact", "trailing-zeros") else last_offset
    assert after == data[:keep]
    assert dropped == len(torn) - keep
    records = records_of(after)
    n = len(expected) if cut in ("intact", "trailing-zeros") else len(expected) - 1
    assert records == expected[:n]
    assert fastwarc_digests_ok(after) == n


def test_recover_open_file_refuses_a_closed_file(tmp_path):
    good = tmp_path / "notes.warc.gz"
    _good_warc(good, count=1)
    with pytest.raises(ValueError):
        recover_open_file(good)
    assert good.exists()
