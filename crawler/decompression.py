"""Scrapy's HttpCompressionMiddleware, with a stat for the bodies it refuses to inflate.

The capture extension lets the download handler fetch a body of any size (it truncates at
``DOWNLOAD_MAXSIZE`` itself and archives the raw, still encoded bytes), and puts the limit back
in ``request.meta["download_maxsize"]`` before this middleware runs: a small compressed body
that inflates past ``DOWNLOAD_MAXSIZE`` (a decompression bomb) is dropped after at most that
many decoded bytes, counted as ``httpcompression/max_size_exceeded`` and logged by Scrapy.
"""

from __future__ import annotations

from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response


class BoundedHttpCompressionMiddleware(HttpCompressionMiddleware):
    def process_response(self, request: Request, response: Response) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            if exc.__cause__ is not None and type(exc.__cause__).__name__ == "_DecompressionMaxSizeExceeded":
                if self.stats is not None:
                    self.stats.inc_value("httpcompression/max_size_exceeded")
            raise
