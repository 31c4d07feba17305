"""A story's copies set against its origin, sentence by sentence: what the terminal and the web
UI show. Aligned, removed and added sentences, with the words each side changed."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .align import AlignedPair
from .fingerprint import anchors_of
from .merges import beads
from .stories import Story
from .tracker import StoryTracker

_WORD = re.compile(r"\S+")
_STRIP = ".,;:!?“”\"()[]‘’'"


@dataclass
class Segment:
    """A run of a sentence's text; ``changed`` runs differ from the other side."""

    text: str
    changed: bool = False


@dataclass
class ComparedRow:
    """One line of the side-by-side view: an aligned pair, a removed or an added sentence."""

    how: str  # same | lexical | semantic | removed | added
    origin: list[Segment] = field(default_factory=list)
    copy: list[Segment] = field(default_factory=list)
    score: float | None = None
    background: bool = False
    in_order: bool = True

    @property
    def origin_text(self) -> str:
        return "".join(s.text for s in self.origin)

    @property
    def copy_text(self) -> str:
        return "".join(s.text for s in self.copy)


def find_story(tracker: StoryTracker, key: str) -> Story | None:
    """The story with this id, or the story holding a capture with this URL or document id."""
    for story in tracker.stories():
        if story.story_id == key or any(m.doc.url == key or m.doc.doc_id == key for m in story.members):
            return story
    return None


def comparison(tracker: StoryTracker, origin: str, copy: str) -> tuple[list[AlignedPair], list, list]:
    """(aligned pairs origin->copy, origin sentences, copy sentences) from the stored comparison."""
    so, sc = tracker.store.sentences(origin), tracker.store.sentences(copy)
    for a, b, data in tracker.store.pairs(origin):
        if copy in (a, b):
            pairs = [AlignedPair(*p) for p in data["pairs"]]
            if a != origin:
                pairs = [AlignedPair(p.b, p.a, p.score, p.method, p.in_order) for p in pairs]
            return pairs, so, sc
    return [], so, sc


def mark_words(text: str, changed: set[str]) -> list[Segment]:
    """``text`` cut into runs, the words carrying one of the ``changed`` tokens marked."""
    segments: list[Segment] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group()
        folded = word.lower().replace("’", " ").replace("'", " ")
        if any(token in folded for token in changed):
            core = word.strip(_STRIP)
            start = match.start() + word.index(core) if core else match.start()
            end = start + len(core)
            if core:
                segments.append(Segment(text[position:start]))
                segments.append(Segment(text[start:end], True))
                position = end
    segments.append(Segment(text[position:]))
    return [s for s in segments if s.text]


def diff_words(a: str, b: str) -> tuple[list[Segment], list[Segment]]:
    """Word-level difference of a reworded sentence: deleted words in ``a``, inserted in ``b``."""
    wa, wb = a.split(), b.split()
    out_a: list[Segment] = []
    out_b: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        changed = op != "equal"
        if i2 > i1:
            out_a.append(Segment(" ".join(wa[i1:i2]) + " ", changed))
        if j2 > j1:
            out_b.append(Segment(" ".join(wb[j1:j2]) + " ", changed))
    return _merge(out_a), _merge(out_b)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].changed == segment.changed:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.changed)
        else:
            merged.append(segment)
    if merged:
        merged[-1] = Segment(merged[-1].text.rstrip(), merged[-1].changed)
    return merged


def compare_rows(tracker: StoryTracker, origin: str, copy: str,
                 background: set[int] | None = None) -> list[ComparedRow] | None:
    """The copy against the origin in the origin's order, each sentence the copy added
    next to the copy's preceding sentence; None when the two were never compared directly (the copy joined through another)."""
    pairs, so, sc = comparison(tracker, origin, copy)
    if not pairs:
        return None
    background = tracker.store.background() if background is None else background
    # sentences read as one (a translation's merges) make one row
    bead_of = {p.a: bead for p, bead in zip(pairs, beads(pairs))}
    best = {p.a: p for p in sorted(pairs, key=lambda p: p.score)}
    matched_copy = {p.b for p in pairs}
    rows: list[ComparedRow] = []
    copy_index: list[int | None] = []  # the last copy sentence of each row
    for i, sentence in enumerate(so):
        if i not in bead_of:
            rows.append(ComparedRow("removed", origin=[Segment(sentence.text, True)]))
            copy_index.append(None)
            continue
        those, theirs = sorted(bead_of[i][0]), sorted(bead_of[i][1])
        if i != those[0]:
            continue
        pair = best[i]
        text = " ".join(so[k].text for k in those)
        other = " ".join(sc[j].text for j in theirs)
        row = ComparedRow(pair.method if pair.method != "exact" else "same", score=pair.score,
                          background=any(so[k].key in background for k in those), in_order=pair.in_order)
        if pair.method == "exact":
            row.origin, row.copy = [Segment(text)], [Segment(other)]
        elif pair.method == "lexical":
            row.origin, row.copy = diff_words(text, other)
        else:
            ao, ac = anchors_of(text), anchors_of(other)
            row.origin, row.copy = mark_words(text, ao - ac), mark_words(other, ac - ao)
        rows.append(row)
        copy_index.append(theirs[-1])
    # each added sentence goes after the row holding the copy's previous sentence
    for j in sorted((j for j in range(len(sc)) if j not in matched_copy), reverse=True):
        before = [k for k, b in enumerate(copy_index) if b is not None and b < j]
        at = max(before) + 1 if before else 0
        rows.insert(at, ComparedRow("added", copy=[Segment(sc[j].text, True)]))
        copy_index.insert(at, j)
    return rows
