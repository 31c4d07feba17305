"""wirecopy's archive library: WARC writing and reading, CDXJ index, catalog, extraction.

A plain library: it never imports Scrapy, so it can be used, tested and benchmarked alone.
"""

import logging

logging.getLogger(__name__).addHandler(logging.NullHandler())
