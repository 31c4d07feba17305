"""Log records as a person at the terminal needs them: expected events are not warnings, and
network failures, which are expected in a crawl, are one line, not a traceback."""

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
# Scrapy warns "Disabled X: reason" for every component that raised NotConfigured with a
# reason; each of ours does so because a setting turns it off, which is no cause for alarm.
COMPONENT_LOGGER = "scrapy.middleware"
DISABLED_MESSAGE = "Disabled %(clspath)s: %(eargs)s"


class NetworkErrorsAsOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], NETWORK_ERRORS):
            record.exc_info = None
            record.exc_text = None
        return True


class DisabledComponentsAsInfo(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == DISABLED_MESSAGE and record.levelno == logging.WARNING:
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def _add_once(logger: logging.Logger, kind: type[logging.Filter]) -> None:
    if not any(isinstance(f, kind) for f in logger.filters):
        logger.addFilter(kind())


def install() -> None:
    for name in NOISY_LOGGERS:
        _add_once(logging.getLogger(name), NetworkErrorsAsOneLine)
    _add_once(logging.getLogger(COMPONENT_LOGGER), DisabledComponentsAsInfo)


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
