"""Links between articles, and stories: the connected groups of linked articles."""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .align import AlignedPair
from ..catalog.stories_protocol import DocInfo

RELATION_RANK = {"identical": 0, "near-identical": 1, "update": 2, "excerpt": 3, "translation": 4, "rewrite": 5}


@dataclass
class Link:
    a: str
    b: str
    relation: str  # identical | near-identical | update | excerpt | translation | rewrite
    score: float  # aligned share of the shorter text, background excluded
    coverage_a: float
    coverage_b: float
    evidence: list[AlignedPair]

    def other(self, doc_id: str) -> str:
        return self.b if doc_id == self.a else self.a


@dataclass
class Member:
    doc: DocInfo
    relation: str  # origin, or the relation of the link that joins it to the story
    score: float
    via: str | None = None


@dataclass
class Story:
    story_id: str
    origin: DocInfo
    members: list[Member] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


def _when(doc: DocInfo) -> datetime:
    if doc.published:
        try:
            moment = datetime.fromisoformat(doc.published.replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
        except ValueError:
            pass
    return datetime.max.replace(tzinfo=timezone.utc)


def _has_time(doc: DocInfo) -> bool:
    return bool(doc.published) and "T" in doc.published


def origin_of(docs: list[DocInfo]) -> DocInfo:
    """The earliest published; a wire source when dates tie. A date without a time
    ("2025-03-10") ties with every time of that day."""
    def wire_first(pool: list[DocInfo]) -> DocInfo:
        return min(pool, key=lambda d: (not d.is_wire, d.doc_id))

    timed = [d for d in docs if _has_time(d) and _when(d).year < 9999]
    dated = [d for d in docs if d.published and not _has_time(d) and _when(d).year < 9999]
    first = min(timed, key=lambda d: (_when(d), not d.is_wire, d.doc_id)) if timed else None
    if dated:
        day = min(_when(d).date() for d in dated)
        if first is None or day < _when(first).date():
            return wire_first([d for d in dated if _when(d).date() == day])
        if day == _when(first).date() and not first.is_wire:
            wires = [d for d in dated if _when(d).date() == day and d.is_wire]
            if wires:
                return wire_first(wires)
    return first if first is not None else wire_first(docs)


def story_id(origin: DocInfo) -> str:
    return "s" + hashlib.sha1(origin.doc_id.encode("utf-8")).hexdigest()[:10]


def build_stories(docs: dict[str, DocInfo], links: list[Link], min_size: int = 1) -> list[Story]:
    parent = {d: d for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    adjacency: dict[str, list[Link]] = {}
    for link in links:
        if link.a in docs and link.b in docs:
            parent[find(link.a)] = find(link.b)
            adjacency.setdefault(link.a, []).append(link)
            adjacency.setdefault(link.b, []).append(link)
    groups: dict[str, list[DocInfo]] = {}
    for doc_id, info in docs.items():
        groups.setdefault(find(doc_id), []).append(info)

    stories = []
    for members in groups.values():
        if len(members) < min_size:
            continue
        origin = origin_of(members)
        story = Story(story_id(origin), origin, [Member(origin, "origin", 1.0)])
        # widest path from the origin: each copy joins through its strongest link
        seen = {origin.doc_id}
        heap = [(-l.score, RELATION_RANK[l.relation], l.other(origin.doc_id), origin.doc_id, l)
                for l in adjacency.get(origin.doc_id, [])]
        heapq.heapify(heap)
        while heap:
            neg, _, doc_id, via, link = heapq.heappop(heap)
            if doc_id in seen:
                continue
            seen.add(doc_id)
            # reported against the origin itself when the two were compared and linked
            direct = next((l for l in adjacency.get(doc_id, []) if l.other(doc_id) == origin.doc_id), link)
            story.members.append(Member(docs[doc_id], direct.relation, direct.score, via))
            for nxt in adjacency.get(doc_id, []):
                other = nxt.other(doc_id)
                if other not in seen:
                    heapq.heappush(heap, (-min(-neg, nxt.score), RELATION_RANK[nxt.relation], other, doc_id, nxt))
        stories.append(story)
    stories.sort(key=lambda s: (-s.size, _when(s.origin), s.story_id))
    return stories
