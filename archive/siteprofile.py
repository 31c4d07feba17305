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
A profile is plain data (``as_dict``/``from_dict``); ``SiteProfiles`` keeps one per site in a
directory (``ARCHIVE/profiles/<site>.json``) and applies them to extracted articles: the first
pages of a new site are held until the site's profile is mature and then handed back cleaned
(or as they are, by ``flush``, when the site has too few pages).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .htmlmeta import word_count

logger = logging.getLogger(__name__)

__all__ = ["SiteProfile", "SiteProfiles", "block_key", "block_keys", "site_of"]

_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


_FOLD_DIGITS_UP_TO = 8  # words: counters and stamps (``3 comments``), never sentences


def block_key(line: str) -> str | None:
    """A block's identity: its words in lower case, with the digits of short blocks folded
    (``3 comments`` and ``12 comments`` are one block; two sentences that differ in a figure
    are not, in any script: a Japanese sentence, without spaces, is as long as its words);
    None for a line without words."""
    words = _NON_WORD.sub(" ", line.lower()).split()
    if not words:
        return None
    if len(words) <= _FOLD_DIGITS_UP_TO and word_count(line) <= _FOLD_DIGITS_UP_TO:
        words = [_DIGITS.sub("0", w) for w in words]
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).hexdigest()


def block_keys(text: str) -> frozenset[str]:
    """The keys of a text's blocks (its lines)."""
    return frozenset(k for k in map(block_key, text.split("\n")) if k)


@dataclass
class SiteProfile:
    site: str
    window: int = 50
    min_pages: int = 4
    min_share: float = 0.2
    pages: deque = field(default_factory=deque)  # (page key, block keys) of recent pages, oldest first
    counts: Counter = field(default_factory=Counter)
    seen: int = 0  # pages observed in all

    @property
    def mature(self) -> bool:
        """Whether the profile has seen enough pages to tell boilerplate from story text."""
        return len(self.pages) >= self.min_pages * 2

    def observe(self, text: str, page: str | None = None) -> None:
        """Count the blocks of one more page of the site (each block once per page). A page
        (``page``: its URL) already in the window is not counted again: a recrawled story
        must not become its own boilerplate."""
        self.observe_blocks(block_keys(text), page)

    def observe_blocks(self, keys: frozenset[str], page: str | None = None) -> None:
        """``observe`` a page by the keys of its blocks (a rebuild reads them from the archive)."""
        if page is not None and any(key == page for key, _blocks in self.pages):
            return
        self.pages.append((page, keys))
        self.counts.update(keys)
        self.seen += 1
        while len(self.pages) > self.window:
            self.counts.subtract(self.pages.popleft()[1])
            self.counts += Counter()  # drop the keys that fell to zero

    def threshold(self) -> int:
        return max(self.min_pages, int(self.min_share * len(self.pages) + 0.999))

    def is_boilerplate(self, line: str) -> bool:
        key = block_key(line)
        return key is not None and self.counts[key] >= self.threshold()

    def clean(self, text: str) -> tuple[str, int]:
        """(the text without the site's boilerplate blocks, how many blocks were removed)."""
        text, removed = self.clean_blocks(text)
        return text, len(removed)

    def clean_blocks(self, text: str) -> tuple[str, list[str]]:
        """(the text without the site's boilerplate blocks, the keys of the blocks removed)."""
        if not self.mature:
            return text, []
        threshold = self.threshold()
        kept, removed = [], []
        for line in text.split("\n"):
            key = block_key(line)
            if key is not None and self.counts[key] >= threshold:
                removed.append(key)
            else:
                kept.append(line)
        return "\n".join(kept).strip(), removed

    def boilerplate(self) -> set[str]:
        threshold = self.threshold()
        return {k for k, n in self.counts.items() if n >= threshold}

    def as_dict(self) -> dict:
        return {"site": self.site, "window": self.window, "min_pages": self.min_pages,
                "min_share": self.min_share, "seen": self.seen,
                "pages": [[page, sorted(keys)] for page, keys in self.pages]}

    @classmethod
    def from_dict(cls, data: dict) -> "SiteProfile":
        profile = cls(data["site"], data["window"], data["min_pages"], data["min_share"])
        for page, keys in data["pages"]:
            profile.pages.append((page, frozenset(keys)))
            profile.counts.update(keys)
        profile.seen = data["seen"]
        return profile


def site_of(url: str) -> str:
    """The site a page belongs to: its host without ``www.`` (and its port, if any)."""
    host = (urlsplit(url).netloc or "").lower()
    return host.removeprefix("www.") or "unknown"


_SAFE_NAME = re.compile(r"[^a-z0-9.-]+")


class SiteProfiles:
    """One profile per site, in ``directory`` (None: kept in memory only)."""

    def __init__(self, directory: str | Path | None, window: int = 50, min_pages: int = 4,
                 min_share: float = 0.2):
        self.directory = Path(directory) if directory is not None else None
        self.settings = {"window": window, "min_pages": min_pages, "min_share": min_share}
        self.profiles: dict[str, SiteProfile] = {}
        self.waiting: dict[str, list[tuple[Any, Any]]] = {}  # site -> held (token, article)
        self.changed: set[str] = set()

    def _path(self, site: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / (_SAFE_NAME.sub("_", site) + ".json")

    def profile(self, site: str) -> SiteProfile:
        profile = self.profiles.get(site)
        if profile is None:
            path = self._path(site)
            if path is not None and path.exists():
                try:
                    profile = SiteProfile.from_dict(json.loads(path.read_text(encoding="utf-8")))
                    profile.window, profile.min_pages, profile.min_share = (
                        self.settings["window"], self.settings["min_pages"], self.settings["min_share"])
                except (OSError, ValueError, KeyError, TypeError) as exc:
                    logger.warning("Site profile %s unreadable, learning it afresh: %s", path, exc)
                    profile = None
            if profile is None:
                profile = SiteProfile(site, **self.settings)
            self.profiles[site] = profile
        return profile

    def apply(self, article, token: Any = None) -> list[tuple[Any, Any, int]]:
        """What to store now, as (token, article, blocks removed): nothing while the site's
        profile is too young to tell (the article is held), then every held article of the site
        and this one, each without the site's boilerplate. ``article`` has ``url`` and ``text``
        (``archive.extract.Article``); ``token`` is the caller's (the capture to store it for)."""
        site = site_of(article.url)
        profile = self.profile(site)
        profile.observe(article.text, article.url)
        self.changed.add(site)
        if not profile.mature:
            self.waiting.setdefault(site, []).append((token, article))
            return []
        ready = []
        for held_token, held in self.waiting.pop(site, []) + [(token, article)]:
            text, removed = profile.clean_blocks(held.text)
            if not text:
                removed = []  # all of it recurs: kept whole rather than lost
            held = dataclasses.replace(held, text=text if removed else held.text, site_profile=site,
                                       boilerplate_blocks=removed)
            ready.append((held_token, held, len(removed)))
        return ready

    def observe_archived(self, fields: dict, text: str) -> bool:
        """Count an archived text again (``wirecopy index rebuild``): ``fields`` of its metadata
        record name the profile that saw it (``site_profile``) and the blocks removed from it
        (``boilerplate_blocks``), so the page is counted as it was seen. False for a text no
        profile saw (profiles off, or archived before they were recorded)."""
        site = fields.get("site_profile")
        if not isinstance(site, str) or not site:
            return False
        removed = fields.get("boilerplate_blocks") or []
        removed = [removed] if isinstance(removed, str) else removed
        self.profile(site).observe_blocks(block_keys(text) | frozenset(removed), fields.get("url"))
        self.changed.add(site)
        return True

    def forget(self, token: Any) -> None:
        """Drop a held article (its text turned out to be archived already)."""
        for site, pages in self.waiting.items():
            self.waiting[site] = [(t, a) for t, a in pages if t is not token]

    def flush(self) -> list[tuple[Any, Any, int]]:
        """The articles still held (their sites had too few pages for a profile), as they are."""
        held = [(token, dataclasses.replace(article, site_profile=site, boilerplate_blocks=[]), 0)
                for site, pages in self.waiting.items() for token, article in pages]
        self.waiting.clear()
        return held

    def replace_saved(self, directory: str | Path) -> int:
        """Make ``directory`` hold exactly these profiles (a rebuild, learned without reading
        it): the others there are removed. Returns how many profiles were written."""
        self.directory = Path(directory)
        kept = {self._path(site) for site in self.profiles}
        for path in self.directory.glob("*.json") if self.directory.is_dir() else ():
            if path not in kept:
                path.unlink()
        self.changed = set(self.profiles)
        self.save()
        return len(kept)

    def save(self) -> None:
        """Write the profiles that changed (atomically, one file per site)."""
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for site in sorted(self.changed):
            path = self._path(site)
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(self.profiles[site].as_dict()), encoding="utf-8")
            tmp.replace(path)
        self.changed.clear()
