"""Text versions: each new text of a URL is chained to the previous one with what changed.

The chain follows the conversion records in the order they were written, so the live crawl and
a rebuild from the WARC files make the same versions. Rows go through the catalog.
"""

from __future__ import annotations

import logging
from typing import Callable

from .catalog import CatalogStore, Version
from .textdiff import diff_texts

logger = logging.getLogger(__name__)

# (file, offset, length) of a conversion record -> its text
ReadText = Callable[[str, int, int], str]


def add_version(catalog: CatalogStore, capture_id: int, url: str, warc_date: str, text: str, text_hash: str,
                read_text: ReadText) -> None:
    """Inside a catalog unit: the version row of a capture's text, unless it has one (a text
    extracted again in replay leaves its version standing; ``extractions`` lists it)."""
    if catalog.has_version(capture_id):
        return
    previous = catalog.latest_version(url)
    diff = None
    if previous is not None:
        try:
            old = read_text(previous.conversion_file, previous.conversion_offset, previous.conversion_length)
        except (OSError, ValueError) as exc:
            logger.warning("Previous text of %s unreadable, no diff kept: %s", url, exc)
        else:
            diff = diff_texts(old, text, previous.warc_date, warc_date)
    catalog.add_version(capture_id, url, previous.version + 1 if previous else 1,
                        previous.capture_id if previous else None, text_hash,
                        diff.unified if diff else None, diff.added_words if diff else None,
                        diff.removed_words if diff else None)


__all__ = ["ReadText", "Version", "add_version"]
