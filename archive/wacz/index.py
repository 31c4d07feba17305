"""The WACZ index: the archive's CDXJ lines merged into ZipNum blocks (``index.cdx.gz`` and
``index.idx``, as py-wacz and ArchiveWeb.page write them)."""

from __future__ import annotations

import hashlib
import heapq
import json
import tempfile
import zlib
from itertools import islice
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..index.cdxj import INDEXED_TYPES, record_line
from ..warc.reader import iter_records
from .sources import ExportReport, WarcSource

# lines per gzip block of index.cdx.gz: py-wacz's and ArchiveWeb.page's default
CDX_BLOCK_LINES = 1024
CDX_PATH = "indexes/index.cdx.gz"
IDX_PATH = "indexes/index.idx"
# index lines sorted in memory at once when a WARC file has to be indexed during the export
SORT_RUN_LINES = 200_000


def _source_lines(source: WarcSource, work: Path, report: ExportReport) -> Iterator[str]:
    if source.index is not None:
        lines: Iterable[str] = read_lines(source.index)
    else:
        report.indexed_here.append(source.name)
        lines = index_sorted(source.opened, work)
    for line in lines:
        key, stamp, data = line.split(" ", 2)
        fields = json.loads(data)
        fields["filename"] = source.name
        yield f"{key} {stamp} {json.dumps(fields)}"


def index_sorted(path: str | Path, work: Path, run_lines: int = SORT_RUN_LINES) -> Iterator[str]:
    """Index a WARC file (or location) the archive has no CDXJ of: sorted runs on disk, merged."""
    lines = (record_line(r) for r in iter_records(path, types=INDEXED_TYPES, max_payload=0))
    return sort_lines((line for line in lines if line), work, run_lines)


def sort_lines(lines: Iterable[str], work: Path, run_lines: int = SORT_RUN_LINES) -> Iterator[str]:
    """``lines`` sorted in runs of ``run_lines`` written to ``work``, merged."""
    runs: list[Path] = []
    lines = iter(lines)
    while batch := sorted(islice(lines, run_lines)):
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=work, suffix=".cdxj", delete=False) as run:
            run.writelines(line + "\n" for line in batch)
        runs.append(Path(run.name))
    files = [open(run, encoding="utf-8") for run in runs]
    try:
        for line in heapq.merge(*files):
            yield line.rstrip("\n")
    finally:
        for f in files:
            f.close()
        for run in runs:
            run.unlink()


def read_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("!"):
                yield line


class ZipNumWriter:
    """Sorted CDXJ lines as a series of gzip members, plus the ``.idx`` lines that locate them:
    ``<key> <timestamp> {"offset", "length", "digest"}`` of each block's first line."""

    def __init__(self, data_out: IO[bytes], data_name: str, block_lines: int = CDX_BLOCK_LINES):
        self.data_out = data_out
        self.block_lines = block_lines
        self.block: list[str] = []
        self.offset = 0
        self.lines = 0
        self.idx = [f"!meta 0 {json.dumps({'format': 'cdxj-gzip-1.0', 'filename': data_name})}\n"]

    def write(self, line: str) -> None:
        self.block.append(line + "\n")
        self.lines += 1
        if len(self.block) >= self.block_lines:
            self.flush()

    def flush(self) -> None:
        if not self.block:
            return
        compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        member = compressor.compress("".join(self.block).encode("utf-8")) + compressor.flush()
        prefix = self.block[0].split(" {", 1)[0]
        entry = {"offset": self.offset, "length": len(member),
                 "digest": "sha256:" + hashlib.sha256(member).hexdigest()}
        self.idx.append(f"{prefix} {json.dumps(entry)}\n")
        self.data_out.write(member)
        self.offset += len(member)
        self.block = []


def write_index(sources: list[WarcSource], data_out: IO[bytes], work: Path, report: ExportReport,
                block_lines: int = CDX_BLOCK_LINES) -> list[str]:
    """Merge the per-file CDXJ (each sorted) into ``data_out``; returns the idx lines."""
    writer = ZipNumWriter(data_out, Path(CDX_PATH).name, block_lines)
    for line in heapq.merge(*(_source_lines(s, work, report) for s in sources)):
        writer.write(line)
    writer.flush()
    report.captures = writer.lines
    return writer.idx
