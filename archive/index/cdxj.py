"""CDXJ index lines, as pywb and cdxj-indexer read them.

``<SURT key> <14-digit timestamp> {"url", "mime", "status", "digest", "length", "offset", "filename"}``
One index file per WARC (``indexes/<warc name>.cdxj``), sorted, written when the WARC is closed.
"""

from __future__ import annotations

import json
import os
import re
from json.encoder import encode_basestring_ascii as _quoted
from pathlib import Path
from typing import Iterable, Iterator

from ..warc.reader import StoredRecord, iter_records
from .surtkey import surt_key

INDEXED_TYPES = ("response", "revisit", "resource")


_NOT_DIGITS = re.compile(r"\D")
_USUAL_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)", re.ASCII)


def timestamp14(warc_date: str) -> str:
    """``2025-03-04T10:20:30.123456Z`` -> ``20250304102030``."""
    usual = _USUAL_DATE.match(warc_date)
    if usual is not None:
        return "".join(usual.groups())
    digits = _NOT_DIGITS.sub("", warc_date[:32])
    return digits[:14].ljust(14, "0")


def mime_of(content_type: str | None) -> str:
    if not content_type:
        return "unk"
    return content_type.split(";", 1)[0].strip().lower() or "unk"


def digest_field(digest: str | None) -> str:
    return digest or "-"


def cdxj_line(
    url: str,
    warc_date: str,
    *,
    mime: str,
    status: int | None,
    digest: str | None,
    length: int,
    offset: int,
    filename: str,
    extra: dict[str, str] | None = None,
    key: str | None = None,
    timestamp: str | None = None,
) -> str:
    """``key`` and ``timestamp``: the URL's SURT key and the date's 14 digits when the caller has
    them already."""
    # json.dumps of the fields, byte for byte, without the encoder's set-up per call (a tenth
    # of indexing a record): the names need no escaping, the numbers no quoting either
    status_field = f', "status": "{status}"' if status is not None else ""
    text = (f'{{"url": {_quoted(url)}, "mime": {_quoted(mime)}{status_field}, "digest": {_quoted(digest_field(digest))},'
            f' "length": "{int(length)}", "offset": "{int(offset)}", "filename": {_quoted(filename)}')
    for name, value in (extra or {}).items():
        text += f", {_quoted(name)}: {_quoted(value)}"
    return f"{key or surt_key(url)} {timestamp or timestamp14(warc_date)} {text}}}"


def record_line(record: StoredRecord) -> str | None:
    """The index line of a record read back, or None for types not indexed."""
    if record.rec_type not in INDEXED_TYPES:
        return None
    url = record.header("WARC-Target-URI")
    if not url:
        return None
    if record.rec_type == "revisit":
        mime = "warc/revisit"
    elif record.rec_type == "resource":
        mime = mime_of(record.header("Content-Type"))
    else:
        mime = mime_of(dict((k.lower(), v) for k, v in record.http_headers).get("content-type"))
    extra = None
    if record.rec_type == "revisit" and record.header("WARC-Refers-To-Target-URI"):
        extra = {"orig_url": record.header("WARC-Refers-To-Target-URI")}
    return cdxj_line(
        url,
        record.header("WARC-Date", ""),
        mime=mime,
        status=record.http_status,
        digest=record.header("WARC-Payload-Digest"),
        length=record.length,
        offset=record.offset,
        filename=record.filename,
        extra=extra,
    )


def index_warc(path: str | os.PathLike) -> list[str]:
    lines = (record_line(r) for r in iter_records(path, types=INDEXED_TYPES))
    return [line for line in lines if line]


def write_index(lines: Iterable[str], dest: str | os.PathLike) -> Path:
    """Write sorted lines atomically (temp file + rename)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines([line + "\n" for line in sorted(lines)])
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, dest)
    return dest


def read_index(path: str | os.PathLike) -> Iterator[tuple[str, str, dict]]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, stamp, data = line.rstrip("\n").split(" ", 2)
            yield key, stamp, json.loads(data)
