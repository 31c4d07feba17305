"""Links between articles, and stories: the connected groups of linked articles, once the
links the articles around them contradict are set aside (``corroborated``)."""

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


def _by_meaning(link: Link) -> bool:
    return all(p.method == "semantic" for p in link.evidence)


def corroborated(links: list[Link]) -> list[Link]:
    """The links stories are built from. A link by meaning alone (a paraphrase, a
    translation) is set aside where the articles around it contradict it: one text and its
    copies are linked to each other, and one template told of two stories reads alike in two
    languages, so

    - a text tells one story: of an article whose linked articles fall into groups unlinked
      to each other, two of them a text and its copy (linked word for word), only the links by
      meaning into the one of those it is linked to best (its strongest link, then its most)
      are kept;
    - a link by meaning between two articles that are each linked to others, none of them
      to both, and none of the one's to one of the other's but by a link set aside or itself
      such, is one that no copy of either repeats: it joins two stories.

    Both read the whole set of links, so the same links give the same stories whatever order
    the articles came in."""
    neighbours: dict[str, set[str]] = {}
    by_pair: dict[frozenset[str], Link] = {}
    for link in links:
        neighbours.setdefault(link.a, set()).add(link.b)
        neighbours.setdefault(link.b, set()).add(link.a)
        by_pair[frozenset((link.a, link.b))] = link
    apart: set[frozenset[str]] = set()
    for doc_id in sorted(neighbours):
        if not any(_by_meaning(by_pair[frozenset((doc_id, other))]) for other in neighbours[doc_id]):
            continue
        groups = [g for g in _groups_around(doc_id, neighbours) if _a_story(g, neighbours, by_pair)]
        if len(groups) < 2:
            continue
        links_into = [[by_pair[frozenset((doc_id, other))] for other in g] for g in groups]
        best = max(range(len(groups)), key=lambda k: (max(l.score for l in links_into[k]), len(groups[k]),
                                                      min(groups[k])))
        apart |= {frozenset((l.a, l.b)) for k, ls in enumerate(links_into) if k != best for l in ls if _by_meaning(l)}
    lone = {frozenset((l.a, l.b)): l for l in links
            if _by_meaning(l) and len(neighbours[l.a]) > 1 and len(neighbours[l.b]) > 1
            and not neighbours[l.a] & neighbours[l.b]}
    # ... and that no other link backs: one kept, not itself such, from an article linked to
    # one to an article linked to the other (a copy linked to two translations of its origin,
    # and not to the origin itself)
    unbacked = lone.keys() | apart
    apart |= {pair for pair, l in lone.items()
              if not any(frozenset((x, y)) in by_pair and frozenset((x, y)) not in unbacked
                         for x in neighbours[l.a] - {l.b} for y in neighbours[l.b] - {l.a})}
    return [l for l in links if frozenset((l.a, l.b)) not in apart]


def _a_story(group: set[str], neighbours: dict[str, set[str]], by_pair: dict[frozenset[str], Link]) -> bool:
    """Whether a group of linked articles holds a text and its copy (a link word for word):
    translations of one text, linked only to each other and through one article, are no story
    of their own."""
    return any(not _by_meaning(by_pair[frozenset((a, b))]) for a in group for b in neighbours[a] & group)


def _groups_around(doc_id: str, neighbours: dict[str, set[str]]) -> list[set[str]]:
    """The articles linked to ``doc_id``, in groups linked to each other (without it)."""
    left = set(neighbours[doc_id])
    groups = []
    while left:
        start = min(left)
        left.discard(start)
        group, stack = {start}, [start]
        while stack:
            for other in neighbours[stack.pop()] & left:
                left.discard(other)
                group.add(other)
                stack.append(other)
        groups.append(group)
    return groups


def build_stories(docs: dict[str, DocInfo], links: list[Link], min_size: int = 1) -> list[Story]:
    links = corroborated([link for link in links if link.a in docs and link.b in docs])
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
