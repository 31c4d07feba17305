"""The WACZ file itself: the ZIP, ``datapackage.json`` and its digest."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
import zipfile
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO

from ..catalog import CatalogStore
from ..warc.locations import location_size, open_location
from .index import CDX_BLOCK_LINES, CDX_PATH, IDX_PATH, write_index
from .pages import PAGES_PATH, catalog_pages, warc_pages, write_pages
from .reframe import reframe
from .sources import ExportReport, WaczError, WarcSource, collect_warcs, open_catalog

WACZ_VERSION = "1.1.1"
COPY_CHUNK = 1 << 20


def software_name() -> str:
    try:
        return f"wirecopy {version('wirecopy')}"
    except PackageNotFoundError:
        return "wirecopy"


def _resource_name(path: str) -> str:
    """Frictionless resource names: lower case letters, digits, ``.``, ``_``, ``-``, ``/``."""
    return re.sub(r"[^-a-z0-9._/]", "-", Path(path).name.lower())


class WaczZip:
    """A ZIP being written, with the sha256 and size of each member for datapackage.json."""

    def __init__(self, fileobj: IO[bytes]):
        self.zip = zipfile.ZipFile(fileobj, "w", allowZip64=True)
        self.resources: list[dict] = []

    def add_file(self, src: Path, arcname: str, compress: bool = False) -> None:
        info = zipfile.ZipInfo.from_file(src, arcname)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        with open(src, "rb") as f:
            self._add_stream(f, info)

    def add_location(self, location: str, mtime_of: Path, arcname: str) -> None:
        """A WARC member of another ZIP (an imported WACZ), its bytes as they are, STORED."""
        info = zipfile.ZipInfo(arcname, time.localtime(mtime_of.stat().st_mtime)[:6])
        info.compress_type = zipfile.ZIP_STORED
        info.file_size = location_size(location) or 0  # known up front: ZIP64 is decided on it
        with open_location(location) as f:
            self._add_stream(f, info)

    def _add_stream(self, src: IO[bytes], info: zipfile.ZipInfo) -> None:
        digest, size = hashlib.sha256(), 0
        arcname = info.filename
        with self.zip.open(info, "w") as out:
            while chunk := src.read(COPY_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.resources.append({"name": _resource_name(arcname), "path": arcname,
                               "hash": "sha256:" + digest.hexdigest(), "bytes": size})

    def add_bytes(self, arcname: str, data: bytes, listed: bool = True) -> None:
        info = zipfile.ZipInfo(arcname, datetime.now(timezone.utc).timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        if listed:
            self.resources.append({"name": _resource_name(arcname), "path": arcname,
                                   "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)})

    def close(self) -> None:
        self.zip.close()


def export_wacz(root: str | os.PathLike, dest: str | os.PathLike, *, title: str | None = None,
                description: str | None = None, with_text: bool = True,
                block_lines: int = CDX_BLOCK_LINES) -> ExportReport:
    """Write ``dest`` (written as ``dest.tmp`` and renamed once complete)."""
    root, dest = Path(root), Path(dest)
    if dest.suffix != ".wacz":
        raise WaczError(f"{dest}: a WACZ file's name must end in .wacz")
    if not (root / "warc").is_dir():
        raise WaczError(f"{root} is not an archive directory (no warc/ in it)")
    report = ExportReport(dest)
    catalog = open_catalog(root)
    try:
        sources = collect_warcs(root, catalog, report)
        if not sources:
            raise WaczError(f"no closed WARC file to export in {root / 'warc'}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        try:
            with tempfile.TemporaryDirectory(prefix=".wacz-", dir=dest.parent) as work, open(tmp, "wb") as out:
                _write(root, sources, catalog, Path(work), out, report,
                       title=title or f"wirecopy archive {root.resolve().name}",
                       description=description, with_text=with_text, block_lines=block_lines)
            os.replace(tmp, dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    finally:
        if catalog is not None:
            catalog.close()
    report.bytes = dest.stat().st_size
    return report


def _write(root: Path, sources: list[WarcSource], catalog: CatalogStore | None, work: Path,
           out: IO[bytes], report: ExportReport, *, title: str, description: str | None,
           with_text: bool, block_lines: int) -> None:
    wacz = WaczZip(out)
    for n, source in enumerate(sources):
        if source.member:
            wacz.add_location(source.opened, source.path, f"archive/{source.name}")
        elif source.reframe:
            sources[n], reframed = reframe(source, work)
            report.reframed.append(reframed)
            wacz.add_file(sources[n].path, f"archive/{source.name}")
            if sources[n].index is not None:  # else it is indexed from the copy further down
                sources[n].path.unlink()
        else:
            wacz.add_file(source.path, f"archive/{source.name}")
        report.warc_files.append(source.name)

    cdx = work / "index.cdx.gz"
    with open(cdx, "wb") as data_out:
        idx = write_index(sources, data_out, work, report, block_lines)
    wacz.add_file(cdx, CDX_PATH)
    wacz.add_bytes(IDX_PATH, "".join(idx).encode("utf-8"))

    pages_file = work / "pages.jsonl"
    if catalog is not None:
        pages = catalog_pages(root, catalog, sources, with_text, report)
    else:
        pages = warc_pages(sources, with_text)
    with open(pages_file, "wb") as pages_out:
        report.pages = write_pages(pages, pages_out, "Articles", with_text)
    wacz.add_file(pages_file, PAGES_PATH, compress=True)

    created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    package = {
        "profile": "data-package",
        "resources": wacz.resources,
        "title": title,
        "description": description or (
            f"Articles: {report.pages}; captures: {report.captures}; WARC files: {len(sources)}."
            " Archived by wirecopy."),
        "created": created,
        "modified": created,
        "software": software_name(),
        "wacz_version": WACZ_VERSION,
    }
    package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
    wacz.add_bytes("datapackage.json", package_bytes, listed=False)
    digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
    wacz.add_bytes("datapackage-digest.json", json.dumps(digest, indent=2).encode("utf-8"), listed=False)
    wacz.close()
