"""One ``archive.store.Archive`` per crawler, shared by the capture extension and the pipelines."""

from __future__ import annotations

import logging
import platform
import socket
import uuid
import weakref

from importlib.metadata import version

from scrapy.crawler import Crawler

from archive.store import Archive, ArchiveConfig

from . import __version__

logger = logging.getLogger(__name__)

_archives: weakref.WeakKeyDictionary[Crawler, Archive] = weakref.WeakKeyDictionary()


def warcinfo_fields(crawler: Crawler, job: str) -> dict[str, str]:
    s = crawler.settings
    robots = "obey" if s.getbool("ROBOTSTXT_OBEY") else "ignore"
    return {
        "software": f"wirecopy/{__version__} (Scrapy/{version('scrapy')}; warcio/{version('warcio')};"
                    f" trafilatura/{version('trafilatura')}; Python/{platform.python_version()})",
        "hostname": socket.gethostname(),
        "http-header-user-agent": s.get("USER_AGENT") or "",
        "robots": robots,
        "operator": s.get("WARC_OPERATOR") or "",
        "isPartOf": job,
        "wirecopy-job": job,
        "description": s.get("WARC_DESCRIPTION") or "",
        # what `wirecopy replay` starts from when given no URLs
        "wirecopy-seeds": " ".join(getattr(getattr(crawler, "spider", None), "seed_urls", None) or ()),
    }


def archive_for(crawler: Crawler) -> Archive:
    """The crawler's archive, opened on first use (recovering files a crash left open)."""
    archive = _archives.get(crawler)
    if archive is None:
        s = crawler.settings
        job = s.get("WIRECOPY_JOB") or f"crawl-{uuid.uuid4().hex[:12]}"
        config = ArchiveConfig.from_settings(s, warcinfo_fields(crawler, job), job)
        archive = Archive(s.get("ARCHIVE_DIR"), config)
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
