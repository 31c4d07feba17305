"""Site profiles: the text blocks a site repeats on many of its pages are its boilerplate.

Extraction sees one page at a time and keeps what looks like prose: a newsletter prompt, a
"follow us" line, a caption credit or a footer that sits inside the article's container reads
like prose. Across a site's pages they recur word for word while story text does not, so a
profile counts, for each normalised text block (a line of the extracted text), how many of the
site's recent pages carry it. A block on at least ``min_share`` of the last ``window`` (50) pages
(and on ``min_pages`` of them) is boilerplate and is removed from the text; the WARC keeps the
page as it was.

The counts are over a sliding window of pages, so a block that the site's new template no
longer shows drops out of the profile, and the new template's blocks come in after a few pages.
A profile is plain data (``as_dict``/``from_dict``), stored per site by the caller.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, deque
from dataclasses import dataclass, field

__all__ = ["SiteProfile", "block_key"]

_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def block_key(line: str) -> str | None:
    """A block's identity: its words in lower case, digits folded (``3 comments`` and
    ``12 comments`` are one block); None for a line without words."""
    words = _DIGITS.sub("0", _NON_WORD.sub(" ", line.lower())).split()
    if not words:
        return None
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).hexdigest()


@dataclass
class SiteProfile:
    site: str
    window: int = 50
    min_pages: int = 4
    min_share: float = 0.2
    pages: deque = field(default_factory=deque)  # block keys of each recent page, oldest first
    counts: Counter = field(default_factory=Counter)
    seen: int = 0  # pages observed in all

    @property
    def mature(self) -> bool:
        """Whether the profile has seen enough pages to tell boilerplate from story text."""
        return len(self.pages) >= self.min_pages * 2

    def observe(self, text: str) -> None:
        """Count the blocks of one more page of the site (each block once per page)."""
        keys = frozenset(k for k in map(block_key, text.split("\n")) if k)
        self.pages.append(keys)
        self.counts.update(keys)
        self.seen += 1
        while len(self.pages) > self.window:
            self.counts.subtract(self.pages.popleft())
            self.counts += Counter()  # drop the keys that fell to zero

    def threshold(self) -> int:
        return max(self.min_pages, int(self.min_share * len(self.pages) + 0.999))

    def is_boilerplate(self, line: str) -> bool:
        key = block_key(line)
        return key is not None and self.counts[key] >= self.threshold()

    def clean(self, text: str) -> tuple[str, int]:
        """(the text without the site's boilerplate blocks, how many blocks were removed)."""
        if not self.mature:
            return text, 0
        threshold = self.threshold()
        kept, removed = [], 0
        for line in text.split("\n"):
            key = block_key(line)
            if key is not None and self.counts[key] >= threshold:
                removed += 1
            else:
                kept.append(line)
        return "\n".join(kept).strip(), removed

    def boilerplate(self) -> set[str]:
        threshold = self.threshold()
        return {k for k, n in self.counts.items() if n >= threshold}

    def as_dict(self) -> dict:
        return {"site": self.site, "window": self.window, "min_pages": self.min_pages,
                "min_share": self.min_share, "seen": self.seen,
                "pages": [sorted(keys) for keys in self.pages]}

    @classmethod
    def from_dict(cls, data: dict) -> "SiteProfile":
        profile = cls(data["site"], data["window"], data["min_pages"], data["min_share"])
        for keys in data["pages"]:
            profile.pages.append(frozenset(keys))
            profile.counts.update(keys)
        profile.seen = data["seen"]
        return profile
