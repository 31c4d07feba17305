"""SURT keys as the ``surt`` package makes them, several times faster for the usual URL.

``surt`` runs a URL through two canonicalizers in pure Python (40 µs a URL, the largest cost of
indexing once records are read). Most URLs an archive holds are plain: ``http(s)://host/path?query``
with no percent-escapes, dot segments, session ids or fragments. For those the key is the host's
part (from ``surt`` itself, cached per scheme and authority) followed by the path lower-cased
and the query lower-cased and sorted, which is exactly what ``surt`` makes of them. Anything
else goes through ``surt``. ``tests/test_surt_key.py`` holds the two to the same keys.
"""

from __future__ import annotations

import re
from functools import lru_cache

from surt import surt
from surt.IAURLCanonicalizer import alphaReorderQuery

__all__ = ["surt_key"]

# scheme, authority (host and port), path, query; characters that surt never escapes or rewrites
# (no "%", "#", whitespace or non-ASCII; no "(" that a session-id path could start with)
_PLAIN = re.compile(r"(https?)://([A-Za-z0-9.-]+(?::[0-9]+)?)(/[A-Za-z0-9/._~!$&'*+,;=:@-]*)?"
                    r"(?:\?([A-Za-z0-9/._~!$&'()*+,;=:@?-]+))?")
# what a path must not hold to need no normalising: empty or dot segments ("//", "/./", "/../")
_DOT_OR_EMPTY_SEGMENT = re.compile(r"//|/\.\.?(?:/|$)")


@lru_cache(maxsize=4096)
def _host_part(scheme: str, authority: str) -> str | None:
    """``com,example)`` (with ``:port`` when not the default), or None when surt does not key
    the authority on its own."""
    try:
        key = surt(f"{scheme}://{authority}/")
    except ValueError:
        return None
    head, sep, rest = key.partition(")")
    return head + sep if sep and rest == "/" else None


def surt_key(url: str) -> str:
    """The SURT key of ``url`` (``surt.surt``'s); ``url`` itself when surt cannot parse it."""
    match = _PLAIN.fullmatch(url)
    if match is not None:
        scheme, authority, path, query = match.groups()
        host = _host_part(scheme, authority)
        if host is not None and (path is None or not _DOT_OR_EMPTY_SEGMENT.search(path)):
            lowered = query.lower() if query is not None else None
            # surt strips session ids from queries (jsessionid=, phpsessid=, sid=, ASPSESSIONID...,
            # cfid=...&cftoken=)
            if lowered is None or not ("sid" in lowered or "sessionid" in lowered or "cfid" in lowered):
                path = path.lower().rstrip("/") if path else ""
                key = host + (path or "/")
                if lowered is not None:  # one argument is its own order
                    key += "?" + (alphaReorderQuery(lowered.encode("ascii")).decode("ascii")
                                  if "&" in lowered else lowered)
                return key
    try:
        return surt(url)
    except ValueError:
        return url
