"""What an import does with a classed page, as a crawl does (``crawler/article_store.py``): the
class of a page without a text (a listing, a wall, an article whose extraction failed) is
archived in a metadata record of its own; walls are counted and never tracked; an article goes
through its site's profile (``archive.siteprofile``: held until the profile can tell the site's
boilerplate, then cleaned) into wirecopy's WARC and story tracking."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any, Mapping

from ..extract import Article
from ..pageclass import Classification
from ..siteprofile import SiteProfiles

logger = logging.getLogger(__name__)


class ImportedPages:
    """``add`` each classed page; ``close`` stores the articles still held and saves the profiles."""

    def __init__(self, archive, root: Path, profile_settings: Mapping[str, Any] | None, stories: bool,
                 encoder: str | None, tracker_config: dict | None):
        self.archive = archive
        self.root = root
        self.profiles = (SiteProfiles(archive.root / "profiles", **profile_settings)
                         if profile_settings is not None else None)
        self.stories = stories
        self.encoder = encoder
        self.tracker_config = tracker_config
        self.tracker = None

    def add(self, ref, page: Classification | None, article: Article | None, report) -> None:
        """A page of ``report``'s file, its capture ``ref`` (``store.CaptureRef``) cataloged."""
        stats: Counter = report.stats
        if page is not None:
            stats[f"pageclass/{page.page_class}"] += 1
            if page.wall is not None:
                stats["extract/walls"] += 1
                stats[f"extract/walls/{page.wall}"] += 1
        if article is None:
            if page is not None:
                self.archive.write_page_class(ref, str(page.page_class), list(page.signals))
            return
        token = (ref, report)
        ready = self.profiles.apply(article, token) if self.profiles is not None else [(token, article, 0)]
        if not ready or ready[-1][0] is not token:
            stats["extract/profile/held"] += 1
        self._store(ready)

    def _store(self, ready) -> None:
        for (ref, report), article, removed in ready:
            self.archive.write_article(ref, article)
            report.articles += 1
            if removed:
                report.stats["extract/profile/cleaned"] += 1
                report.stats["extract/profile/blocks_removed"] += removed
            if self.stories:
                self._track(ref.url, article, report)

    def _track(self, url: str, article: Article, report) -> None:
        self.archive.catalog.commit()  # the story store writes to the same file
        from ..stories.service import document, open_tracker
        if self.tracker is None:  # the sentence encoder loads once there is an article
            self.tracker = open_tracker(self.root, self.encoder, self.tracker_config,
                                        options=self.archive.config.catalog)
        meta = {k: v for k, v in article.as_dict().items() if k != "text"}
        links, wall = self.tracker.add_or_set_aside(document(url, article.text, meta))
        if links:
            report.linked += 1
        elif wall is not None:  # its text is a wall: a capture, no story, counted as a crawl counts it
            report.stats["stories/walls"] += 1
            report.stats[f"stories/walls/{wall}"] += 1

    def release(self) -> None:
        """Store the articles still held (their sites had too few pages for a profile) and save
        the profiles: at the end of an import."""
        if self.profiles is None:
            return
        self._store(self.profiles.flush())
        try:
            self.profiles.save()
        except OSError as exc:
            logger.error("Could not save the site profiles: %s", exc)

    def close(self) -> None:
        if self.tracker is not None:
            self.tracker.close()
            self.tracker = None
