"""wirecopy's Scrapy layer: settings, add-on, capture, pipelines and the command line."""

import os

__version__ = "0.1.0"

# Scrapy's cookie middleware asks tldextract for public suffixes, and tldextract would fetch
# the list from the web at start-up. Use the snapshot it bundles: a crawl contacts only the
# sites it crawls, and replay runs with no network at all.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
