"""What the story pages show: stories from the tracker's tables, each copy set against the
origin passage by passage (``archive.stories.compare``), linked to the captures."""

from __future__ import annotations

import csv
import io
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

from ..catalog import CatalogOptions
from ..catalog.location import located

from ..stories import Member, Story, StoryTracker
from ..stories.compare import ComparedRow, compare_rows
from ..stories.service import open_tracker
from ..storylabels import TRANSLATION, is_translation, shown_relation
from ..timefmt import has_time, parse_time, show_lag, show_time
from .captures import CaptureLookup

CHANGED_SHOWN = 4  # differing passages shown before the rest of a comparison is folded
ROWS_SHOWN = 10  # at most this many passages before the fold
SORTS = {"copies": "most copies", "newest": "newest first", "oldest": "oldest first", "spread": "longest spread"}


@dataclass
class MemberView:
    member: Member
    capture_id: int | None
    rows: list[ComparedRow] | None = None  # None: joined through another copy
    tally: dict[str, int] = field(default_factory=dict)
    lag: float | None = None  # seconds after the origin was published
    origin_language: str | None = None

    @property
    def doc(self):
        return self.member.doc

    @property
    def translated(self) -> bool:
        return is_translation(self.member.relation, self.doc.language, self.origin_language)

    @property
    def label(self) -> str:
        return shown_relation(self.member.relation, self.tally, self.doc.language, self.origin_language)

    @property
    def coverage(self) -> float | None:
        """The share of the origin's passages found in this copy."""
        if self.rows is None:
            return None
        origin_rows = [r for r in self.rows if r.how != "added" and not r.background]
        if not origin_rows:
            return None
        return sum(r.how != "removed" for r in origin_rows) / len(origin_rows)

    @property
    def folded_at(self) -> int:
        """How many rows are shown before the rest is folded away."""
        rows = self.rows or []
        changed = 0
        for index, row in enumerate(rows):
            if row.how != "same" and not row.background:
                changed += 1
            if changed > CHANGED_SHOWN or index >= ROWS_SHOWN:
                return index
        return len(rows)


@dataclass
class StoryView:
    story: Story
    origin: MemberView
    copies: list[MemberView]

    @property
    def outlets(self) -> list[str]:
        return sorted({m.doc.outlet for m in self.story.members})

    @property
    def languages(self) -> list[str]:
        return sorted({m.doc.language or "?" for m in self.story.members})

    @property
    def relations(self) -> dict[str, int]:
        return dict(sorted(Counter(c.label for c in self.copies).items()))

    @property
    def copy_outlets(self) -> list[str]:
        return sorted({c.doc.outlet for c in self.copies})

    @property
    def copy_times(self) -> list[str]:
        """The copies' publication times as published, earliest first."""
        timed = [(parse_time(c.doc.published), c.doc.published) for c in self.copies]
        return [raw for moment, raw in sorted((t for t in timed if t[0]), key=lambda t: t[0])]

    @property
    def spread(self) -> float | None:
        times = self.copy_times
        return (parse_time(times[-1]) - parse_time(times[0])).total_seconds() if times else None


@dataclass
class StorySummary:
    story_id: str
    title: str
    origin_url: str
    origin_outlet: str
    outlets: list[str]
    languages: list[str]
    copies: int
    relations: dict[str, int]
    first_published: datetime | None
    last_published: datetime | None

    @property
    def spread(self) -> str:
        if self.first_published is None or self.last_published is None:
            return ""
        return show_lag((self.last_published - self.first_published).total_seconds())


@dataclass(frozen=True)
class StoryFilter:
    """What the stories list is narrowed to and ordered by (the list page's query string)."""

    outlet: str = ""
    language: str = ""
    relation: str = ""
    since: str = ""  # YYYY-MM-DD, on the first publication
    until: str = ""
    sort: str = "copies"

    @classmethod
    def from_args(cls, args) -> StoryFilter:
        sort = args.get("sort", "copies")
        return cls(*(args.get(name, "").strip()[:100] for name in ("outlet", "language", "relation", "since", "until")),
                   sort=sort if sort in SORTS else "copies")

    def keeps(self, s: StorySummary) -> bool:
        day = show_time(s.first_published, date_only=True) if s.first_published else ""
        return ((not self.outlet or self.outlet in s.outlets)
                and (not self.language or self.language in s.languages)
                and (not self.relation or self.relation in s.relations)
                and (not self.since or (day and day >= self.since))
                and (not self.until or (day and day <= self.until)))

    def ordered(self, stories: list[StorySummary]) -> list[StorySummary]:
        oldest = datetime.min.replace(tzinfo=None)

        def when(s: StorySummary) -> datetime:
            return s.first_published.replace(tzinfo=None) if s.first_published else oldest

        if self.sort == "newest":
            return sorted(stories, key=when, reverse=True)
        if self.sort == "oldest":
            return sorted(stories, key=when)
        if self.sort == "spread":
            return sorted(stories, key=lambda s: (s.last_published - s.first_published)
                          if s.first_published and s.last_published else datetime.min - datetime.min,
                          reverse=True)
        return stories  # the tracker lists the largest first


# Changes whenever tracking adds a document, a comparison or background: the stories are
# computed again only then.
def summarise(story: Story) -> StorySummary:
    times = sorted(filter(None, (parse_time(m.doc.published) for m in story.members)))
    return StorySummary(
        story.story_id, story.origin.title or story.origin.url, story.origin.url, story.origin.outlet,
        sorted({m.doc.outlet for m in story.members}),
        sorted({m.doc.language or "?" for m in story.members}), story.size - 1,
        dict(sorted(Counter(TRANSLATION if is_translation(m.relation, m.doc.language, story.origin.language)
                            else m.relation for m in story.members[1:]).items())),
        times[0] if times else None, times[-1] if times else None,
    )


class StoryPages:
    """The story pages' reading of the story store, and the stories computed from it, kept until
    tracking changes them. On SQLite each call opens the store (a connection stays in its
    thread); on PostgreSQL one store, with its connection pool, serves every request in turn."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._cached: tuple[tuple, list[Story]] | None = None
        self._shared_lock = threading.RLock()
        self._shared: StoryTracker | None = None
        self._on_postgres: bool | None = None

    @contextmanager
    def _tracker(self) -> Iterator[StoryTracker]:
        if self._on_postgres is None:
            self._on_postgres = bool(located(self.root, CatalogOptions()).catalog_url)
        if not self._on_postgres:
            tracker = open_tracker(self.root, with_encoder=False)
            try:
                yield tracker
            finally:
                tracker.close()
            return
        with self._shared_lock:
            if self._shared is None:
                self._shared = open_tracker(self.root, with_encoder=False)
            yield self._shared

    def close(self) -> None:
        with self._shared_lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None

    def _stories(self, tracker: StoryTracker | None = None) -> list[Story]:
        if tracker is None:
            with self._tracker() as opened:
                return self._stories(opened)
        state = tracker.store.state()
        with self._lock:
            if self._cached is not None and self._cached[0] == state:
                return self._cached[1]
        stories = tracker.stories(min_size=1)
        with self._lock:
            self._cached = (state, stories)
        return stories

    def listing(self, lookup: CaptureLookup, limit: int | None = None,
                narrowed: StoryFilter | None = None) -> list[StorySummary]:
        """Stories with at least one copy, largest first unless ``narrowed`` orders them."""
        narrowed = narrowed or StoryFilter()
        out = []
        for story in self._stories():
            if story.size < 2:
                continue
            summary = summarise(story)
            if narrowed.keeps(summary):
                out.append(summary)
        out = narrowed.ordered(out)
        return out[:limit] if limit is not None else out

    def choices(self) -> dict[str, list[str]]:
        """Every outlet, language and relation of the listed stories, for the list's filters."""
        summaries = [summarise(s) for s in self._stories() if s.size > 1]
        return {
            "outlet": sorted({o for s in summaries for o in s.outlets}),
            "language": sorted({lang for s in summaries for lang in s.languages}),
            "relation": sorted({r for s in summaries for r in s.relations}),
        }

    def story_of(self, url: str) -> Story | None:
        for story in self._stories():
            if story.size > 1 and any(m.doc.url == url for m in story.members):
                return story
        return None

    def view(self, story_id: str, lookup: CaptureLookup) -> StoryView | None:
        with self._tracker() as tracker:
            story = next((s for s in self._stories(tracker) if s.story_id == story_id), None)
            if story is None:
                return None
            background = tracker.store.background()
            origin = MemberView(story.members[0], lookup.latest_article_capture(story.origin.url))
            published = parse_time(story.origin.published)
            copies = []
            for member in story.members[1:]:
                rows = compare_rows(tracker, story.origin.doc_id, member.doc.doc_id, background)
                tally = dict(Counter(r.how for r in rows)) if rows is not None else {}
                when = parse_time(member.doc.published)
                # a date without a time of day gives no lag worth stating
                timed = has_time(member.doc.published) and has_time(story.origin.published)
                lag = (when - published).total_seconds() if when and published and timed else None
                copies.append(MemberView(member, lookup.latest_article_capture(member.doc.url), rows, tally, lag,
                                         story.origin.language))
            return StoryView(story, origin, copies)


EXPORT_FIELDS = ("story", "role", "outlet", "title", "language", "published", "lag_seconds", "url",
                 "relation", "score", "coverage", "same", "reworded", "paraphrased", "removed", "added")


def export_rows(view: StoryView) -> list[dict]:
    """One row per capture of the story: the origin first, then each copy and how it differs."""
    rows = []
    for role, m in [("origin", view.origin)] + [("copy", c) for c in view.copies]:
        coverage = m.coverage if role == "copy" else None
        rows.append({
            "story": view.story.story_id, "role": role, "outlet": m.doc.outlet, "title": m.doc.title or "",
            "language": m.doc.language or "", "published": m.doc.published or "",
            "lag_seconds": round(m.lag) if m.lag is not None else None, "url": m.doc.url,
            "relation": m.label if role == "copy" else "origin",
            "score": round(m.member.score, 4) if role == "copy" else None,
            "coverage": round(coverage, 4) if coverage is not None else None,
            "same": m.tally.get("same", 0), "reworded": m.tally.get("lexical", 0),
            "paraphrased": m.tally.get("semantic", 0), "removed": m.tally.get("removed", 0),
            "added": m.tally.get("added", 0),
        })
    return rows


def export_csv(view: StoryView) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in export_rows(view):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()
