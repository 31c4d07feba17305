"""The HTTP download handler the worker tests give their crawls: every request carries the
moment its downloader slot let it go (``X-Sent-At``, wall-clock seconds), after the slot's
DOWNLOAD_DELAY, so a site can tell how a crawl spaced its requests from how they arrived."""

from __future__ import annotations

import time

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

SENT_HEADER = "X-Sent-At"
HANDLERS = '{"http": "send_stamp.StampingDownloadHandler"}'


class StampingDownloadHandler(HTTP11DownloadHandler):
    async def download_request(self, request, *args, **kwargs):
        request.headers[SENT_HEADER] = f"{time.time():.6f}"
        return await super().download_request(request, *args, **kwargs)
