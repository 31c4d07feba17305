"""Records other tools stored with their chunk framing (and Content-Encoding) are served by the
web UI as the page, de-chunked and decoded, as ``ArchiveReplay`` answers with them."""

from __future__ import annotations

import gzip
import sqlite3
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.importer.service import ImportOptions, Importer
from archive.web import create_app

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "warc-samples" / "good" / "warcio__example-iana.org-chunked.warc"
PAGE = b"<!DOCTYPE html><html><head><title>Chunked</title></head><body><p>Sent in chunks.</p></body></html>"
URL = "http://chunked.example/page.html"


def chunked(data: bytes, size: int = 17) -> bytes:
    parts = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def write_chunked_gzip_warc(path: Path) -> None:
    """As a recording proxy that keeps the wire bytes writes it: chunked, gzip-encoded."""
    payload = chunked(gzip.compress(PAGE))
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                       ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                            protocol="HTTP/1.1")
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        writer.write_record(writer.create_warc_record(URL, "response", payload=BytesIO(payload),
                                                      length=len(payload), http_headers=http))


def capture_id(root: Path, url: str) -> int:
    db = sqlite3.connect(root / "catalog.sqlite")
    try:
        (found,) = db.execute("SELECT id FROM captures WHERE url = ?", (url,)).fetchone()
        return found
    finally:
        db.close()


def test_web_ui_serves_imported_chunked_records_de_chunked(tmp_path):
    root = tmp_path / "archive"
    made = tmp_path / "proxy.warc.gz"
    write_chunked_gzip_warc(made)
    with Importer(root, ImportOptions(extract=False, stories=False, workers=1)) as importer:
        summary = importer.import_paths([SAMPLE, made])
    assert summary.total("errors") == 0 and summary.total("captures") >= 2
    client = create_app(root, trusted_hosts=["localhost"], search_interval=0).test_client()

    for as_archived in ("", "?as=archived"):
        response = client.get(f"/replay/{capture_id(root, URL)}/raw{as_archived}")
        assert response.status_code == 200
        assert response.get_data() == PAGE, "de-chunked, then gzip undone"

    response = client.get(f"/replay/{capture_id(root, 'http://www.iana.org/')}/raw?as=archived")
    body = response.get_data()
    assert response.status_code == 200
    assert body.lstrip().lower().startswith(b"<!doctype html") and body.rstrip().endswith(b"</html>")
    assert not body.endswith(b"0\r\n\r\n")
