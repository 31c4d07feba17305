"""Decompression bombs: a small gzip body that inflates to hundreds of megabytes is archived
as sent, but never inflated past DOWNLOAD_MAXSIZE by the crawl, by a replay or by the web UI.

Peak memory is measured on the real processes: a crawl's and a replay's with ``os.wait4``
(the peak resident set of the child and of the workers it waited for), the web server's
from ``/proc/PID/status`` (``VmHWM``) while it still runs.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.request
import zlib
from pathlib import Path

import pytest

import sites
from conftest import crawl_command, crawl_env

MB = 1024 * 1024
BOMB_SIZE = 600 * MB  # inflated; about 600 KB on the wire
MAXSIZE = 16 * MB  # DOWNLOAD_MAXSIZE of the crawl and the replay
# Peak RSS allowed: the crawler and its one extraction worker measured 150-220 MB here without a
# bomb; the bomb inflated in full would be more than BOMB_SIZE on its own.
RSS_LIMIT = 400 * MB
BOMB_PATH = "/bomb.html"
HEAD = b"<!DOCTYPE html><html><head><title>Bomb</title></head><body><p>"


def gzip_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [compressor.compress(HEAD)]
    block = b" " * MB
    parts += [compressor.compress(block) for _ in range(size // MB)]
    parts.append(compressor.flush())
    return b"".join(parts)


def bomb_routes(bomb: bytes):
    def build(base: str) -> dict[str, sites.Route]:
        home = (f'<!DOCTYPE html><html><head><title>Home</title></head><body>'
                f'<a href="{base}{BOMB_PATH}">read this</a></body></html>').encode()
        return {
            "/": sites.Route(home),
            BOMB_PATH: sites.Route(bomb, headers=[("Content-Encoding", "gzip")]),
        }
    return build


# The measured command runs under this small launcher: a child forked from the test process
# would carry the test process's own peak into its ru_maxrss (Linux keeps the peak of the
# memory it had before exec), so a large test process (pytest-xdist's workers) would fail it.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(f"{usage.ru_maxrss * 1024} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status) & 0xFF)
"""


def run_measured(cmd: list[str], cwd: Path, timeout: float = 180) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, peak RSS in bytes of the process and its waited children)."""
    return measured(cmd, cwd, timeout)[:4]


def measured(cmd: list[str], cwd: Path, timeout: float) -> tuple[int, str, str, int, float]:
    """(exit code, stdout, stderr, peak RSS in bytes, CPU seconds) of the process and its waited children."""
    out, err, usage = cwd / "stdout.txt", cwd / "stderr.txt", cwd / "usage.txt"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(usage), *cmd], stdout=stdout,
                                stderr=stderr, cwd=cwd, env=crawl_env(), start_new_session=True)
    timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    try:
        proc.wait()
    finally:
        timer.cancel()
    peak, cpu = usage.read_text().split() if usage.exists() else ("0", "0")  # killed: the exit code says so
    return proc.returncode, out.read_text(), err.read_text(), int(peak), float(cpu)


def summary_of(stdout: str) -> dict:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert lines, stdout
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(BOMB_SIZE)


@pytest.fixture(scope="module")
def bombed_archive(tmp_path_factory, bomb):
    """An archive crawled from a site whose one article page is a gzip bomb."""
    work = tmp_path_factory.mktemp("bomb")
    server = sites.serve(bomb_routes(bomb))
    try:
        cmd = crawl_command([server.url("/")], work / "archive", depth=1,
                            settings=(f"DOWNLOAD_MAXSIZE={MAXSIZE}", "STORIES_ENABLED=False"))
        rc, stdout, stderr, rss = run_measured(cmd, work)
    finally:
        server.stop()
    return work / "archive", rc, stdout, stderr, rss


def bomb_capture_id(archive: Path) -> int:
    with sqlite3.connect(archive / "catalog.sqlite") as db:
        return db.execute("SELECT id FROM captures WHERE url LIKE ?", (f"%{BOMB_PATH}",)).fetchone()[0]


@pytest.mark.slow
def test_crawl_archives_a_gzip_bomb_raw_and_never_inflates_it(bombed_archive, bomb):
    from archive.warc.reader import iter_records

    archive, rc, stdout, stderr, rss = bombed_archive
    assert rc == 0, stderr[-3000:]
    assert rss < RSS_LIMIT, f"crawl peaked at {rss // MB} MB"
    stats = summary_of(stdout)["stats"]
    assert stats["httpcompression/max_size_exceeded"] == 1
    assert re.search(r"exceeded DOWNLOAD_MAXSIZE \(%d B\) during decompression" % MAXSIZE, stderr)
    # the body is archived exactly as it came off the wire, whole (smaller than the limit)
    responses = [r for path in sorted((archive / "warc").glob("*.warc.gz"))
                 for r in iter_records(path, types=("response",)) if r.headers["WARC-Target-URI"].endswith(BOMB_PATH)]
    assert len(responses) == 1
    assert responses[0].payload == bomb and "WARC-Truncated" not in responses[0].headers


@pytest.mark.slow
def test_replay_of_a_gzip_bomb_is_bounded(bombed_archive, tmp_path):
    archive, *_ = bombed_archive
    cmd = [sys.executable, "-m", "crawler.cli", "replay", "--archive", str(archive), "--json",
           "-s", f"DOWNLOAD_MAXSIZE={MAXSIZE}", "-s", "STORIES_ENABLED=False", "-s", "EXTRACT_WORKERS=1"]
    rc, stdout, stderr, rss = run_measured(cmd, tmp_path)
    assert rss < RSS_LIMIT, f"replay peaked at {rss // MB} MB"
    stats = summary_of(stdout)["stats"]
    assert stats["replay/hit"] >= 2
    assert stats["httpcompression/max_size_exceeded"] == 1


def vm_hwm(pid: int) -> int:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1)) * 1024


@pytest.mark.slow
def test_serving_a_gzip_bomb_is_bounded(bombed_archive, tmp_path):
    archive, *_ = bombed_archive
    capture_id = bomb_capture_id(archive)
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--archive", str(archive),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=crawl_env(), text=True)
    try:
        line = proc.stdout.readline()
        base = re.search(r"(http://\S+/) ", line).group(1)
        for _ in range(3):
            with urllib.request.urlopen(f"{base}replay/{capture_id}/raw?as=archived", timeout=120) as answer:
                body = answer.read()
                note = answer.headers["X-Archive-Note"]
        peak = vm_hwm(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    assert note == f"decoded body cut at {32 * MB} bytes"
    assert len(body) == 32 * MB and body.startswith(HEAD)
    assert peak < RSS_LIMIT, f"serve peaked at {peak // MB} MB"


# --------------------------------------------------------------------------------------
# Import: WACZ and WARC bombs
# --------------------------------------------------------------------------------------

RECORD_HEAD = (b"WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>"
               b"\r\nWARC-Target-URI: http://bomb.test/notes.txt\r\nWARC-Date: 2025-01-01T00:00:00Z\r\n"
               b"Content-Type: text/plain\r\nContent-Length: 10\r\n\r\n0123456789\r\n\r\n")


def wacz_bomb(path: Path, size: int) -> Path:
    """A WACZ whose DEFLATEd WARC member is one record followed by ``size`` bytes of zeros."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("archive/data.warc", "w", force_zip64=True) as member:
            member.write(RECORD_HEAD)
            block = b"\0" * MB
            for _ in range(size // MB):
                member.write(block)
        zf.writestr("datapackage.json", "{}")
    return path


def import_measured(files: list[Path], work: Path, extract: bool = False) -> tuple[int, dict, str, int, float]:
    """``wirecopy import --json [--no-extract]``: (exit code, summary, stderr, peak RSS, CPU seconds)."""
    cmd = [sys.executable, "-m", "crawler.cli", "import", *map(str, files), "--archive", str(work / "archive"),
           "--json"] + ([] if extract else ["--no-extract"])
    rc, stdout, stderr, peak, cpu = measured(cmd, work, timeout=300)
    return rc, summary_of(stdout), stderr, peak, cpu


@pytest.mark.slow
def test_wacz_with_a_300_mb_member_imports_in_bounded_time_with_the_damage_reported(tmp_path):
    wacz = wacz_bomb(tmp_path / "bomb.wacz", 300 * MB)
    assert wacz.stat().st_size < 400 * 1024
    rc, summary, stderr, rss, cpu = import_measured([wacz], tmp_path)
    # before: 178 s of CPU, one backward seek (a re-inflation from the start) per MB searched
    assert cpu < 30, f"{cpu:.1f} s of CPU"
    assert rss < RSS_LIMIT, f"import peaked at {rss // MB} MB"
    assert rc == 1 and "Traceback" not in stderr
    [report] = summary["files"]
    assert report["file"] == f"{wacz}#archive/data.warc" and report["captures"] == 1
    assert [(p["offset"], p["skipped"]) for p in report["problems"]] == [(len(RECORD_HEAD), True)]
    assert report["problems"][0]["reason"].startswith("unreadable bytes after the record at offset 0 ")


def gzip_bomb_warc(path: Path, size: int) -> Path:
    """A WARC whose one response is an HTML page sent gzip-encoded: ``size`` bytes inflated."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = gzip_bomb(size)
    with open(path, "wb") as f:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                           ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warc_record("http://bomb.test/page.html", "response",
                                                      payload=io.BytesIO(body), http_headers=http))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("extract", [False, True], ids=["no-extract", "extract"])
def test_imported_gzip_bomb_response_is_decoded_up_to_the_limit_only(tmp_path, extract):
    warc = gzip_bomb_warc(tmp_path / "bomb.warc.gz", BOMB_SIZE)
    rc, summary, stderr, rss, _cpu = import_measured([warc], tmp_path, extract)
    assert rss < RSS_LIMIT, f"import peaked at {rss // MB} MB"
    [report] = summary["files"]
    assert report["captures"] == 1 and report["new_captures"] == 1
    if not extract:  # only the head of the body is decoded, to tell what the page is
        assert report["problems"] == [] and rc == 0
        return
    [problem] = report["problems"]
    assert problem["severity"] == "warning" and problem["offset"] == 0
    assert problem["reason"] == f"Content-Encoding inflates past {32 * MB} bytes: only those were read"
    assert rc == 0  # a warning: the capture itself is whole and cataloged


def bit_flipped(source: Path, target: Path, how: str) -> Path:
    """A copy of a WACZ with its WARC member damaged as bit flips damage ZIP files."""
    import struct

    data = bytearray(source.read_bytes())
    central = data.find(b"PK\x01\x02")
    while data[central + 46: central + 46 + struct.unpack_from("<H", data, central + 28)[0]] != b"archive/data.warc":
        central = data.find(b"PK\x01\x02", central + 4)
    if how == "version":  # "zip file version 23.5"
        struct.pack_into("<H", data, central + 6, 235)
    elif how == "crc":
        data[central + 16] ^= 0x01
    elif how == "name":  # the local header's name no longer matches the directory's
        local = struct.unpack_from("<L", data, central + 42)[0]
        data[local + 30] ^= 0x02
    target.write_bytes(bytes(data))
    return target


@pytest.mark.slow
def test_bit_flipped_wacz_files_give_a_json_summary_and_a_reported_error(tmp_path):
    import zipfile

    good = tmp_path / "good.wacz"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("archive/data.warc", RECORD_HEAD)
        zf.writestr("datapackage.json", "{}")
    files = [bit_flipped(good, tmp_path / f"{how}.wacz", how) for how in ("version", "crc", "name")]
    rc, summary, stderr, _rss, _cpu = import_measured(files, tmp_path)
    assert rc == 1 and "Traceback" not in stderr
    reports = {Path(r["file"].split("#")[0]).stem: r for r in summary["files"]}
    assert set(reports) == {"version", "crc", "name"}
    version = reports["version"]["problems"]
    assert [(p["offset"], p["skipped"], p["reason"]) for p in version] == [
        (0, True, "cannot read (NotImplementedError: zip file version 23.5)")]
    # the member is read whole at the first read, and its checksum fails there
    assert [(p["offset"], p["reason"]) for p in reports["crc"]["problems"]] == [
        (0, "cannot read (BadZipFile: Bad CRC-32 for file 'archive/data.warc')")]
    [name] = reports["name"]["problems"]
    assert name["offset"] == 0 and "BadZipFile: File name in directory" in name["reason"]
    assert summary["errors"] == 3 and summary["skipped"] == 3
