"""Import WARC, ARC and WACZ files written by other tools (Heritrix, Browsertrix, wget,
warcprox, Common Crawl, pywb, ...) into an archive, reading the originals in place."""

from .scan import Problem, scan
from .service import FileReport, ImportOptions, Importer, ImportSummary, expand, index_name

__all__ = ["FileReport", "ImportOptions", "ImportSummary", "Importer", "Problem", "expand",
           "index_name", "scan"]
