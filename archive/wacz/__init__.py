"""Package an archive as a WACZ 1.1.1 file (Web Archive Collection Zipped).

    archive/<name>.warc.gz      every closed WARC file, byte for byte, ZIP_STORED
    indexes/index.cdx.gz        the archive's CDXJ lines merged and sorted, in gzip blocks
    indexes/index.idx           one line per block (ZipNum, as py-wacz and ArchiveWeb.page write)
    pages/pages.jsonl           one page per archived article: url, ts, title, text, ...
    datapackage.json            every file above with its sha256 and size
    datapackage-digest.json     the sha256 of datapackage.json

A WARC file still being written (``*.warc.gz.open``) is skipped with a warning and never
opened: its captures are not indexed yet and it changes while we read. Index lines come from
``indexes/<warc>.cdxj`` (the importer's ``indexes/imported-*.cdxj`` for imported locations); a
file without one is indexed here. An imported WACZ's WARC member goes in as the member's bytes;
a WARC gzipped as one whole file goes in re-framed, one gzip member per record (``reframe``).
Everything streams through temporary files, so the memory used does not grow with the archive.
"""

from .package import WACZ_VERSION, export_wacz, software_name
from .sources import ExportReport, Reframed, WaczError, WarcSource, collect_warcs

__all__ = ["WACZ_VERSION", "ExportReport", "Reframed", "WaczError", "WarcSource", "collect_warcs",
           "export_wacz", "software_name"]
