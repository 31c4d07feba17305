"""Network failures are expected in a crawl: log them as one line, not as a traceback."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

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


ERRORS_LOGGED_STAT = "log/errors"


class ErrorCounter(logging.Handler):
    """Counts the ERROR and CRITICAL records of the whole process, including those logged
    after Scrapy's own log counter is removed (while the spider and the archive close)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def counting_errors() -> Iterator[ErrorCounter]:
    counter = ErrorCounter()
    logging.root.addHandler(counter)
    try:
        yield counter
    finally:
        logging.root.removeHandler(counter)
