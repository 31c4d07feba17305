"""One ``archive.store.Archive`` per crawler, shared by the capture extension and the pipelines."""

from __future__ import annotations

import logging
import platform
import socket
import uuid
import weakref
from dataclasses import dataclass
from importlib.metadata import version
from typing import Self

from scrapy.crawler import Crawler

from archive.store import Archive, ArchiveConfig

from . import __version__
from .config import with_defaults

logger = logging.getLogger(__name__)

_archives: weakref.WeakKeyDictionary[Crawler, Archive] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class SessionConfig:
    """The archive a run writes to and what the warcinfo record of each of its WARC files says:
    the crawl's and ``wirecopy import``'s."""

    archive_dir: str  # ARCHIVE_DIR
    job: str | None  # WIRECOPY_JOB; None: the run names its own
    robots_obey: bool  # ROBOTSTXT_OBEY
    user_agent: str  # USER_AGENT
    operator: str  # WARC_OPERATOR
    description: str  # WARC_DESCRIPTION

    @classmethod
    def from_settings(cls, settings) -> Self:
        s = with_defaults(settings)
        return cls(str(s.get("ARCHIVE_DIR")), s.get("WIRECOPY_JOB") or None, s.getbool("ROBOTSTXT_OBEY"),
                   s.get("USER_AGENT") or "", s.get("WARC_OPERATOR") or "", s.get("WARC_DESCRIPTION") or "")

    def crawl_warcinfo(self, job: str, seeds) -> dict[str, str]:
        return {
            "software": f"wirecopy/{__version__} (Scrapy/{version('scrapy')}; warcio/{version('warcio')};"
                        f" trafilatura/{version('trafilatura')}; Python/{platform.python_version()})",
            "hostname": socket.gethostname(),
            "http-header-user-agent": self.user_agent,
            "robots": "obey" if self.robots_obey else "ignore",
            "operator": self.operator,
            "isPartOf": job,
            "wirecopy-job": job,
            "description": self.description,
            # what `wirecopy replay` starts from when given no URLs
            "wirecopy-seeds": " ".join(seeds or ()),
        }

    def import_warcinfo(self) -> dict[str, str]:
        """The warcinfo of the WARC files holding texts extracted from imported files: nothing
        was fetched, so no User-Agent or robots policy; empty fields left out."""
        info = {
            "software": f"wirecopy/{__version__} (warcio/{version('warcio')}; trafilatura/"
                        f"{version('trafilatura')}; Python/{platform.python_version()})",
            "description": self.description or "article texts extracted from imported WARC files",
            "format": "WARC File Format 1.1",
            "operator": self.operator,
        }
        return {name: value for name, value in info.items() if value}


def archive_for(crawler: Crawler) -> Archive:
    """The crawler's archive, opened on first use (recovering files a crash left open)."""
    archive = _archives.get(crawler)
    if archive is None:
        session = SessionConfig.from_settings(crawler.settings)
        job = session.job or f"crawl-{uuid.uuid4().hex[:12]}"
        seeds = getattr(getattr(crawler, "spider", None), "seed_urls", None)
        config = ArchiveConfig.from_settings(crawler.settings, session.crawl_warcinfo(job, seeds), job)
        archive = Archive(session.archive_dir, config)
        if archive.recovery.files:
            crawler.stats.inc_value("warc/recovered_files", len(archive.recovery.files))
            crawler.stats.inc_value("warc/recovered_bytes_dropped", archive.recovery.bytes_dropped)
            crawler.stats.inc_value("warc/recovered_captures_forgotten", archive.recovery.captures_forgotten)
        _archives[crawler] = archive
        logger.info("Archiving to %s (job %s)", archive.root, job)
    return archive


def close_archive(crawler: Crawler) -> None:
    archive = _archives.pop(crawler, None)
    if archive is None:
        return
    writer = archive.writer
    try:
        archive.close()
    except (OSError, *archive.catalog.errors) as exc:
        crawler.stats.inc_value("warc/close_errors")
        logger.error("Could not close the archive cleanly: %s", exc)
    finally:
        # the files this run wrote, closed or not (a file left open is sealed by the next writer)
        names = list(writer.files_written) + ([writer.current_name] if writer.current_name else [])
        crawler.stats.set_value("warc/files", len(names))
        crawler.stats.set_value("warc/file_names", names)
        for name, count in archive.catalog.stats.items():
            crawler.stats.set_value(f"catalog/{name}", count)
        if archive.catalog_error:
            crawler.stats.set_value("catalog/error", archive.catalog_error)
