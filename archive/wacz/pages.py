"""``pages/pages.jsonl``: one page per archived article, from the catalog or from the WARCs."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..catalog import CatalogStore, Row
from ..decoding import MAX_DECODED
from ..warc.locations import split_location
from ..warc.reader import iter_records, read_record
from ..warc.records import described_url, metadata_fields
from .sources import ExportReport, WarcSource

logger = logging.getLogger(__name__)

PAGES_PATH = "pages/pages.jsonl"


def _record_uuid(record_id: str | None) -> str | None:
    if not record_id:
        return None
    return record_id.strip("<>").removeprefix("urn:uuid:")


def _page(url: str, warc_date: str, title: str | None, text: str | None, page_id: str | None,
          extra: dict) -> dict:
    page = {"id": page_id, "url": url, "ts": warc_date, "title": title or url}
    page.update({k: v for k, v in extra.items() if v})
    if text is not None:
        page["text"] = text
    return {k: v for k, v in page.items() if v is not None}


def catalog_pages(root: Path, catalog: CatalogStore, sources: list[WarcSource],
                  with_text: bool, report: ExportReport) -> Iterator[dict]:
    by_catalog_name = {source.catalog_name: source for source in sources}
    for row in catalog.article_pages():
        if row["warc_file"] not in by_catalog_name:
            continue  # in a file still being written, or missing
        text = None
        if with_text:
            text = _conversion_text(Path(root, "warc", row["conversion_file"]), row)
            if text is None:
                report.texts_missing += 1
        yield _page(row["url"], row["warc_date"], row["title"], text, _record_uuid(row["record_id"]), {
            "published": row["published"], "language": row["language"], "site": row["sitename"],
            "canonical": row["canonical_url"], "authors": json.loads(row["authors"] or "[]"),
        })


def _conversion_text(path: Path, row: Row) -> str | None:
    where = f"{row['conversion_file']}:{row['conversion_offset']}"
    if not os.path.isfile(split_location(path).path):
        logger.warning("Article %s: its text is in %s, which is not closed yet; listed without text",
                       row["url"], row["conversion_file"])
        return None
    try:
        record = read_record(path, row["conversion_offset"], row["conversion_length"], max_payload=MAX_DECODED)
    except Exception as exc:  # warcio raises several types for a damaged record
        logger.warning("Article %s: unreadable conversion record at %s (%s); listed without text",
                       row["url"], where, exc)
        return None
    if record.rec_type != "conversion":
        logger.warning("Article %s: no conversion record at %s; listed without text", row["url"], where)
        return None
    return record.payload.decode("utf-8", "replace")


def warc_pages(sources: list[WarcSource], with_text: bool) -> Iterator[dict]:
    """Pages from the conversion and metadata records themselves (no catalog)."""
    for source in sources:
        texts: dict[str, str] = {}
        for record in iter_records(source.opened, types=("conversion", "metadata"), max_payload=MAX_DECODED):
            refers_to = record.header("WARC-Refers-To")
            if record.rec_type == "conversion":
                texts[refers_to] = record.payload.decode("utf-8", "replace")
                continue
            if refers_to not in texts:
                continue
            text = texts.pop(refers_to)
            try:
                meta = metadata_fields(record)
            except ValueError:
                logger.warning("Unreadable metadata record at %s:%d", source.name, record.offset)
                meta = {}
            yield _page(described_url(record), record.header("WARC-Date"), meta.get("title"),
                        text if with_text else None, _record_uuid(refers_to), {
                            "published": meta.get("published"), "language": meta.get("language"),
                            "site": meta.get("sitename"), "canonical": meta.get("canonical_url"),
                            "authors": meta.get("authors") or [],
                        })


def write_pages(pages: Iterable[dict], out: IO[bytes], title: str, with_text: bool) -> int:
    header = {"format": "json-pages-1.0", "id": "pages", "title": title}
    if with_text:
        header["hasText"] = True
    out.write((json.dumps(header) + "\n").encode("utf-8"))
    count = 0
    for page in pages:
        out.write((json.dumps(page, ensure_ascii=False) + "\n").encode("utf-8"))
        count += 1
    return count
