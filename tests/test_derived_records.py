"""Text and metadata records, in the form written now and the one older archives hold, are read
alike by what rebuilds stories and exports pages from the WARC files alone."""

from __future__ import annotations

import json
from io import BytesIO

from warcio.warcwriter import WARCWriter

from archive.stories.service import archived_documents
from archive.wacz.pages import warc_pages
from archive.wacz.sources import WarcSource
from archive.warc import RecordFactory, WarcWriter

NEW_URL = "http://example.com/new"
OLD_URL = "http://example.com/old"
DATE = "2025-03-10T09:20:01Z"


def write_both_forms(path) -> None:
    factory = RecordFactory()
    with open(path, "wb") as f:
        writer = WarcWriter(f)
        writer.write(factory.conversion(NEW_URL, DATE, "<urn:uuid:new>", "New text."))
        writer.write(factory.metadata(NEW_URL, DATE, "<urn:uuid:new>", {
            "title": "New", "authors": ["A. Writer"], "language": "en", "sitename": "Example"}))
        # as archives written before held them: the page's URL, JSON metadata
        old = WARCWriter(f, gzip=True, warc_version="WARC/1.1")
        for rec_type, block, content_type in (
                ("conversion", b"Old text.", "text/plain; charset=utf-8"),
                ("metadata", json.dumps({"title": "Old", "authors": ["B. Reporter"], "language": "fr",
                                         "canonical_url": None}).encode(), "application/json")):
            old.write_record(old.create_warc_record(
                OLD_URL, rec_type, payload=BytesIO(block), length=len(block), warc_content_type=content_type,
                warc_headers_dict={"WARC-Date": DATE, "WARC-Refers-To": "<urn:uuid:old>"}))


def test_story_rebuild_reads_both_forms(tmp_path):
    (tmp_path / "warc").mkdir()
    write_both_forms(tmp_path / "warc" / "a.warc.gz")
    docs = {d.url: d for d in archived_documents(tmp_path)}
    assert set(docs) == {NEW_URL, OLD_URL}
    assert (docs[NEW_URL].text, docs[NEW_URL].title, docs[NEW_URL].authors) == ("New text.", "New", ["A. Writer"])
    assert docs[NEW_URL].outlet == "Example" and docs[NEW_URL].language == "en"
    assert (docs[OLD_URL].text, docs[OLD_URL].title, docs[OLD_URL].authors) == ("Old text.", "Old", ["B. Reporter"])
    assert docs[OLD_URL].language == "fr"


def test_export_pages_read_both_forms(tmp_path):
    path = tmp_path / "a.warc.gz"
    write_both_forms(path)
    pages = {p["url"]: p for p in warc_pages([WarcSource(path, path.name, None)], with_text=True)}
    assert set(pages) == {NEW_URL, OLD_URL}
    assert (pages[NEW_URL]["title"], pages[NEW_URL]["text"], pages[NEW_URL]["authors"]) == (
        "New", "New text.", ["A. Writer"])
    assert (pages[OLD_URL]["title"], pages[OLD_URL]["text"], pages[OLD_URL]["authors"]) == (
        "Old", "Old text.", ["B. Reporter"])
