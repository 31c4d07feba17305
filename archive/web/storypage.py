"""What the story pages show: stories from the tracker's tables, each copy set against the
origin passage by passage (``archive.stories.compare``), linked to the captures."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..stories import Member, Story, StoryTracker
from ..stories.compare import ComparedRow, compare_rows
from ..stories.service import open_tracker
from .captures import CaptureLookup


@dataclass
class MemberView:
    member: Member
    capture_id: int | None
    rows: list[ComparedRow] | None = None  # None: joined through another copy
    tally: dict[str, int] = field(default_factory=dict)

    @property
    def doc(self):
        return self.member.doc


@dataclass
class StoryView:
    story: Story
    origin: MemberView
    copies: list[MemberView]


@dataclass
class StorySummary:
    story_id: str
    title: str
    origin_url: str
    outlets: list[str]
    copies: int
    relations: dict[str, int]
    first_seen: str
    last_seen: str


# Changes whenever tracking adds a document, a comparison or background: the stories are
# computed again only then.
STATE = ("SELECT (SELECT coalesce(max(seq), 0) FROM story_ids), (SELECT count(*) FROM story_ids),"
         " (SELECT count(*) FROM story_pairs), (SELECT count(*) FROM story_background)")


class StoryPages:
    """Opens the story tables per call (SQLite connections stay in the request's thread) and
    keeps the stories computed from them until tracking changes them."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._cached: tuple[tuple, list[Story]] | None = None

    def _stories(self, tracker: StoryTracker | None = None) -> list[Story]:
        own = tracker is None
        tracker = tracker or open_tracker(self.root, with_encoder=False)
        try:
            state = tuple(tracker.store.db.execute(STATE).fetchone())
            with self._lock:
                if self._cached is not None and self._cached[0] == state:
                    return self._cached[1]
            stories = tracker.stories(min_size=1)
            with self._lock:
                self._cached = (state, stories)
            return stories
        finally:
            if own:
                tracker.close()

    def listing(self, lookup: CaptureLookup, limit: int | None = None) -> list[StorySummary]:
        """Stories with at least one copy, largest first."""
        out = []
        for story in self._stories():
            if story.size < 2:
                continue
            dates = sorted(m.doc.published for m in story.members if m.doc.published)
            out.append(StorySummary(
                story.story_id, story.origin.title or story.origin.url, story.origin.url,
                sorted({m.doc.outlet for m in story.members}), story.size - 1,
                dict(sorted(Counter(m.relation for m in story.members[1:]).items())),
                dates[0][:10] if dates else "", dates[-1][:10] if dates else "",
            ))
            if limit is not None and len(out) >= limit:
                break
        return out

    def story_of(self, url: str) -> Story | None:
        for story in self._stories():
            if story.size > 1 and any(m.doc.url == url for m in story.members):
                return story
        return None

    def view(self, story_id: str, lookup: CaptureLookup) -> StoryView | None:
        tracker = open_tracker(self.root, with_encoder=False)
        try:
            story = next((s for s in self._stories(tracker) if s.story_id == story_id), None)
            if story is None:
                return None
            background = tracker.store.background()
            origin = MemberView(story.members[0], lookup.latest_article_capture(story.origin.url))
            copies = []
            for member in story.members[1:]:
                rows = compare_rows(tracker, story.origin.doc_id, member.doc.doc_id, background)
                tally = dict(Counter(r.how for r in rows)) if rows is not None else {}
                copies.append(MemberView(member, lookup.latest_article_capture(member.doc.url), rows, tally))
            return StoryView(story, origin, copies)
        finally:
            tracker.close()
