"""Network failures are expected in a crawl: log them as one line, not as a traceback."""

from __future__ import annotations

import logging

from scrapy.exceptions import (
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    CannotResolveHostError,
)

NETWORK_ERRORS = (
    DownloadConnectionRefusedError, DownloadFailedError, DownloadTimeoutError,
    CannotResolveHostError, ConnectionError, TimeoutError,
)
NOISY_LOGGERS = ("scrapy.downloadermiddlewares.robotstxt", "scrapy.core.scraper")


class NetworkErrorsAsOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], NETWORK_ERRORS):
            record.exc_info = None
            record.exc_text = None
        return True


def install() -> None:
    for name in NOISY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, NetworkErrorsAsOneLine) for f in logger.filters):
            logger.addFilter(NetworkErrorsAsOneLine())
