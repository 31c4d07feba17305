"""What happens to an extracted article: its site's profile, the recrawl check, the archive.

A new site's first articles are held until its profile (``archive.siteprofile``) can tell its
boilerplate; then they are written, cleaned, and handed to the item pipelines after extraction
(story tracking) with the text that was written. Page classes of pages without a text are
catalogued here too.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any, Mapping

from archive.siteprofile import SiteProfiles

from .items import ArticleItem, PageItem

logger = logging.getLogger(__name__)


class ArticleStore:
    def __init__(self, crawler, archive, owner, keep_unchanged_once: bool,
                 site_profiles: Mapping[str, Any] | None):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = archive
        self.owner = owner  # the extraction pipeline: released articles go to the ones after it
        self.keep_unchanged_once = keep_unchanged_once
        # ``SiteProfiles`` keywords (ExtractionConfig.site_profiles); None: no profiles
        self.profiles = (SiteProfiles(archive.root / "profiles" if archive is not None else None, **site_profiles)
                         if site_profiles is not None else None)

    def record_page_class(self, item: ArticleItem | PageItem) -> None:
        """Archive and catalog the class of a page that gets no text (an article's goes with its
        text): a metadata record of its own, read back when the catalog is rebuilt."""
        if self.archive is None or item.capture is None or isinstance(item.capture, dict):
            return
        try:
            self.archive.write_page_class(item.capture, item.page_class, item.page_signals)
        except OSError as exc:
            self.stats.inc_value("warc/write_errors")
            logger.error("Could not archive the page class of %s: %s", item.url, exc)
            return
        self.stats.inc_value("warc/records")
        self.stats.set_value("warc/bytes", self.archive.bytes_written)

    def accept(self, item: ArticleItem, article) -> None:
        """Store ``article`` (extracted from ``item``) now, or hold it for its site's profile
        (``item.held``); fill the item with the text that is stored."""
        capture = item.capture
        article.page_class, article.page_signals = item.page_class, item.page_signals
        token = (capture, item)
        ready = self.profiles.apply(article, token) if self.profiles is not None else [(token, article, 0)]
        held = not ready or ready[-1][0] is not token
        removed = 0
        if held:
            self.stats.inc_value("extract/profile/held")
        else:
            _token, article, removed = ready.pop()
        self.stats.inc_value("extract/words", len(article.text.split()))
        if self.archive is not None and capture is not None and self.keep_unchanged_once:
            try:
                latest = self.archive.latest_version(capture.url)
            except self.archive.catalog.errors as exc:  # stored as a new text: a copy too many, none lost
                self.stats.inc_value("recrawl/text_lookup_failed")
                logger.warning("Catalog lookup for %s failed (%s): its text stored as new", capture.url, exc)
                latest = None
            if latest is not None and latest.text_hash == article.text_hash:
                # a new page around the same text: no second copy of the text, no new story entry
                self.stats.inc_value("recrawl/text_unchanged")
                if self.profiles is not None:
                    self.profiles.forget(token)
                held = False
                item.capture = capture = None
            elif latest is not None:
                self.stats.inc_value("recrawl/changed_articles")
        self._release(ready)
        if held:
            item.held = True  # stored and tracked once its site's profile is ready (or at close)
            return
        self._store(capture, article, removed)
        _fill(item, article)

    def close(self) -> None:
        """Store the articles still held (sites with too few pages) and save the profiles."""
        if self.profiles is None:
            return
        self._release(self.profiles.flush())
        try:
            self.profiles.save()
        except OSError as exc:
            self.stats.inc_value("extract/profile/save_failed")
            logger.error("Could not save the site profiles (index rebuild learns them again): %s", exc)

    def _store(self, capture, article, removed: int) -> None:
        if self.archive is None or capture is None:
            return
        try:
            self.archive.write_article(capture, article)
        except OSError as exc:
            self.stats.inc_value("warc/write_errors")
            logger.error("Could not archive the text of %s: %s", article.url, exc)
            return
        self.stats.inc_value("warc/records", 2)
        self.stats.inc_value("warc/articles")
        self.stats.set_value("warc/bytes", self.archive.bytes_written)
        if removed:
            self.stats.inc_value("extract/profile/cleaned")
            self.stats.inc_value("extract/profile/blocks_removed", removed)

    def _release(self, ready) -> None:
        later = self._later_pipelines()
        for (capture, item), article, removed in ready:
            self._store(capture, article, removed)
            _fill(item, article)
            item.held = False
            for pipeline in later:
                pipeline.process_item(item)

    def _later_pipelines(self) -> list:
        manager = getattr(getattr(self.crawler.engine, "scraper", None), "itemproc", None)
        pipelines = list(getattr(manager, "middlewares", ()))
        if self.owner not in pipelines:
            return []
        return [p for p in pipelines[pipelines.index(self.owner) + 1:]
                if hasattr(p, "process_item") and not inspect.iscoroutinefunction(p.process_item)]


def _fill(item: ArticleItem, article) -> None:
    item.title = article.title
    item.text = article.text
    item.published = article.published
    item.authors = article.authors
    item.language = article.language
    item.sitename = article.sitename
