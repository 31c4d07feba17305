"""Candidates of story tracking: the articles an added article is compared with.

Lexical postings (shared sentences, MinHash bands, rare edited passages), names and figures
(they survive paraphrase and translation) and, with an encoder, the nearest document vectors,
all within the date window of the article's publication day: postings are read for those days
only, so finding candidates costs the same at any archive size.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from datetime import datetime, timezone

import numpy as np

from ..catalog import DocInfo, StoryStore
from ..catalog.stories_schema import day_number
from .crossnames import cross_script_lookups, is_cross_script
from .docindex import DocIndex
from .fingerprint import Fingerprint
from .relations import language_of

Read = tuple[dict[int, str], dict[str, DocInfo]]  # ids by document number, documents by id


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def days_apart(a: str | None, b: str | None) -> float | None:
    da, db = parse_date(a), parse_date(b)
    if da is None or db is None:
        return None
    return abs((da - db).total_seconds()) / 86400


def _weight(count: int, total: int) -> float:
    """How much a name or figure in ``count`` of ``total`` articles says (smoothed idf)."""
    return float(np.log((total + 1) / (count + 1))) + 1.0


COMMON_CACHE_SIZE = 100_000  # (name, window) pairs known to be common there


class Candidates:
    def __init__(self, store: StoryStore, config, doc_index: DocIndex | None):
        self.store = store
        self.config = config
        self.doc_index = doc_index
        # names found in more than anchor_max_df articles of a window stay so as articles are
        # added: they are not counted again for the articles of that window
        self._common: OrderedDict[tuple[str, tuple[int, int]], None] = OrderedDict()

    def find(self, info: DocInfo, fp: Fingerprint) -> tuple[list[str], set[str]]:
        """Articles to compare with, and those of them that name the same people, places and
        figures (the only ones a paraphrase or translation can be)."""
        background = self.store.background()
        days = self._window(info)
        keys = [s.key for s in fp.sentences if s.key not in background]
        found = set(self.store.docs_sharing_keys(keys, days)) if keys else set()
        found |= self.store.docs_sharing_bands(fp.band_keys(), days)
        found |= self._seed_candidates(fp, background, days)
        # names and figures, read once for both rules below
        anchors = {a for a in fp.anchors if not is_cross_script(a)}
        counts = self.store.anchor_counts(anchors) if anchors else {}
        postings = self._rare_anchor_postings(counts, days) if counts else {}
        total = max(self.store.doc_count(), 1)
        named_alike = (self._anchor_candidates(info, anchors, counts, postings, total)
                       | self._cross_script_candidates(info, fp, days, counts, postings, total)
                       | self._figure_in_translation(info, postings))
        found |= named_alike
        found.discard(info.doc_id)
        return sorted(found), named_alike

    def _window(self, info: DocInfo) -> tuple[int, int] | None:
        """The days whose articles are candidates (None: every day, for an undated article).
        Postings are read for these days only, so an add costs the same at any archive size."""
        day = day_number(info.published)
        if not day:
            return None
        reach = math.ceil(self.config.candidate_days)
        return day - reach, day + reach

    def _in_window(self, info: DocInfo, other: DocInfo | None) -> bool:
        """Whether ``other`` was published within ``candidate_days`` of ``info`` (or either
        date is unknown)."""
        apart = days_apart(info.published, other.published if other else None)
        return apart is None or apart <= self.config.candidate_days

    def nearest(self, info: DocInfo, vector: np.ndarray, short: bool = False) -> tuple[set[str], set[str]]:
        """Articles whose ledes say the same thing in any language, within the date window: (the
        nearest ``ann_candidates`` above ``ann_min_cosine``, the nearest ``ann_nearest`` under
        it but above ``ann_nearest_min_cosine``). A translated brief's two sentences, against
        its original's lede of three, score under the floor, and still nearer it than other
        stories (``StoryTracker`` compares those of the second kind with short texts in another
        language only).

        A ``short`` text's own language's articles of other stories are nearer it than its
        story's copies in other languages: a short text is also compared with its nearest
        ``ann_nearest`` in another language, whichever of the two comes first."""
        c = self.config
        found, under = set(), set()
        near = self.doc_index.nearest(vector, c.ann_candidates, min(c.ann_min_cosine, c.ann_nearest_min_cosine),
                                      self._window(info))
        infos = self.store.docs_of(doc_id for doc_id, _ in near)
        rank = 0
        for doc_id, cosine in near:
            other = infos.get(doc_id)
            if doc_id != info.doc_id and self._in_window(info, other):
                if cosine >= c.ann_min_cosine:
                    found.add(doc_id)
                elif rank < c.ann_nearest:
                    under.add(doc_id)
                rank += 1
        if short:
            under |= {doc_id for doc_id, _ in self._nearest_elsewhere(info, vector, c.ann_nearest_min_cosine)}
        under |= self._short_texts_near(info, vector)
        return found, under - found

    def _nearest_elsewhere(self, info: DocInfo, vector: np.ndarray, min_cosine: float) -> list[tuple[str, float]]:
        """The nearest ``ann_nearest`` articles in another language than ``info``'s, within its
        date window and above ``min_cosine``, of its nearest ``ann_short_candidates``."""
        c = self.config
        near = self.doc_index.nearest(vector, c.ann_short_candidates, min_cosine, self._window(info))
        infos = self.store.docs_of(doc_id for doc_id, _ in near)
        language = language_of(info)
        elsewhere = []
        for doc_id, cosine in near:
            if len(elsewhere) >= c.ann_nearest:
                break
            other = infos.get(doc_id)
            if other is None or doc_id == info.doc_id or language_of(other) == language:
                continue
            if self._in_window(info, other):
                elsewhere.append((doc_id, cosine))
        return elsewhere

    def _short_texts_near(self, info: DocInfo, vector: np.ndarray) -> set[str]:
        """Short texts in another language that this article is among the nearest
        ``ann_nearest`` of (in another language than theirs): the pairs a short text's own
        lookup finds when it comes second."""
        c = self.config
        if c.ann_nearest <= 0:
            return set()
        briefs = self.doc_index.nearest(vector, c.ann_candidates, c.ann_nearest_min_cosine, self._window(info),
                                        short=True)
        infos = self.store.docs_of(doc_id for doc_id, _ in briefs)
        language = language_of(info)
        found = set()
        for doc_id, cosine in briefs:
            brief = infos.get(doc_id)
            if brief is None or doc_id == info.doc_id or language_of(brief) == language:
                continue
            theirs = self.doc_index.vector(doc_id) if self._in_window(info, brief) else None
            if theirs is None:
                continue
            # this article is not indexed yet: it is among the brief's nearest when fewer are nearer
            nearer = [d for d, other in self._nearest_elsewhere(brief, theirs, cosine) if other > cosine]
            if len(nearer) < c.ann_nearest:
                found.add(doc_id)
        return found

    def _seed_candidates(self, fp: Fingerprint, background: set[int], days: tuple[int, int] | None) -> set[str]:
        """Articles sharing a passage, edited or not: enough rare seeds that the passage could
        be a link's share of the shorter text."""
        seeds = [seed for seed, key in fp.seeds.items() if key not in background]
        if not seeds:
            return set()
        c = self.config
        return {doc_id for doc_id, (shared, total) in self.store.docs_sharing_seeds(seeds, c.seed_max_df, days).items()
                if shared >= max(c.seed_min_shared, c.seed_min_share * min(len(fp.seeds), total))}

    def _anchor_candidates(self, info: DocInfo, anchors: set[str], counts: dict[str, int],
                           postings: dict[str, list[int]], total: int) -> set[str]:
        if not anchors:
            return set()
        weights = {a: _weight(counts.get(a, 0), total) for a in anchors}
        norm = sum(weights.values())
        scores: dict[int, float] = {}
        for anchor, docs in postings.items():
            for number in docs:
                scores[number] = scores.get(number, 0.0) + weights[anchor] / norm
        rare = {a for a, docs in postings.items() if len(docs) <= self.config.figure_max_df}
        # two rare figures in common are enough whatever else either text holds: a score over
        # this article's figures would find a brief's original when the brief comes second, and
        # not the brief when its original, with ten figures of its own, does
        theirs, read = self._scores_over_theirs(info, weights, scores, total)
        return (self._best(info, scores, self.config.anchor_min_score)
                | self._best(info, self._figure_scores(weights, postings, rare), 0.0)
                | self._best(info, theirs, self.config.anchor_min_score, read))

    def _scores_over_theirs(self, info: DocInfo, weights: dict[str, float], scores: dict[int, float],
                            total: int) -> tuple[dict[int, float], Read]:
        """The articles in another language under ``anchor_min_score`` by this article's names
        and figures, scored by their own: a translation naming one thing (a trim keeping only
        "for the first time in 70 years", its names respelt) finds its original coming second,
        and its original, naming twenty, finds it coming second too. The
        ``anchor_max_candidates`` sharing the most are read, and weighed by the counts the
        other would have read coming now: with this article, without itself (what they share
        weighs what it weighs in ``weights``, this article's). (In one language, the texts' own
        words find a copy in either order.) Also returns the ids and documents it read."""
        c = self.config
        language = language_of(info)
        under = sorted((n for n, score in scores.items() if score < c.anchor_min_score),
                       key=lambda n: (-scores[n], n))[:c.anchor_max_candidates]
        if not language or not under:
            return {}, ({}, {})
        names = self.store.doc_ids(under)
        infos = self.store.docs_of(names.values())
        elsewhere = [d for d, other in infos.items() if language_of(other) not in ("", language)]
        theirs = {doc_id: {a for a in written if not is_cross_script(a)}
                  for doc_id, written in self.store.anchors_of(elsewhere).items()}
        counts = self.store.anchor_counts(set().union(*theirs.values()) - weights.keys())
        norm = sum(weights.values())
        found = {}
        for number in under:
            own = theirs.get(names.get(number, ""))
            if own:
                found[number] = scores[number] * norm / sum(
                    weights[a] if a in weights else _weight(max(counts.get(a, 1) - 1, 0), total) for a in own)
        return found, (names, infos)

    def _cross_script_candidates(self, info: DocInfo, fp: Fingerprint, days: tuple[int, int] | None,
                                 counts: dict[str, int], postings: dict[str, list[int]], total: int) -> set[str]:
        """Articles writing one of this one's whole names in another script and sharing one
        more name or figure with it: a translation into a script without capitals or Latin
        letters, which the names and figures above cannot find when it is a brief of two
        sentences and its original names ten people. Ranked by the rarity of what they share,
        as the names above are: a story's own copies make its names and figures common in
        their week."""
        names = cross_script_lookups(fp.anchors)
        name_counts = self.store.anchor_counts(names) if names else {}
        if not name_counts:  # no article writes these names in the other script (a crawl in one)
            return set()
        figures = {a for a in fp.anchors if a.isdigit()}
        counts = {**{a: n for a, n in counts.items() if a in figures}, **name_counts}
        found = {**{a: docs for a, docs in postings.items() if a in figures},
                 **self._rare_anchor_postings(name_counts, days)}
        scores: dict[int, float] = {}
        shared: dict[int, int] = {}
        named: set[int] = set()
        for anchor, docs in found.items():
            weight = _weight(counts.get(anchor, 0), total)
            for number in docs:
                scores[number] = scores.get(number, 0.0) + weight
                shared[number] = shared.get(number, 0) + 1
                if anchor in names:
                    named.add(number)
        return self._best(info, {n: score for n, score in scores.items() if n in named and shared[n] >= 2}, 0.0)

    def _figure_in_translation(self, info: DocInfo, postings: dict[str, list[int]]) -> set[str]:
        """Articles in another language giving a rare figure of three digits or more that this
        one gives: a translated brief of two sentences keeps one figure ("1,697 residents" /
        "住民1697人") and may name no one long enough to be found in another script."""
        language = language_of(info)
        if not language:
            return set()
        limit = self.config.figure_max_df
        rare = sorted((a for a, docs in postings.items() if a.isdigit() and len(a) >= 3 and len(docs) <= limit),
                      key=lambda a: (len(postings[a]), a))
        numbers = list(dict.fromkeys(n for a in rare for n in postings[a]))
        if not numbers:
            return set()
        names = self.store.doc_ids(numbers)
        infos = self.store.docs_of(names.values())
        found: set[str] = set()
        for number in numbers:
            other = infos.get(names.get(number, ""))
            if other is None or other.doc_id == info.doc_id or language_of(other) in ("", language):
                continue
            if self._in_window(info, other):
                found.add(other.doc_id)
                if len(found) >= self.config.anchor_max_candidates:
                    break
        return found

    def _rare_anchor_postings(self, counts: dict[str, int], days: tuple[int, int] | None) -> dict[str, list[int]]:
        """The postings of the names in at most anchor_max_df articles of the window; the others
        ("Israel") only add weight to the norm. Counted within the window, a name the archive
        has used for years still finds this week's articles; a name that rare in the whole
        archive is that rare in the window too, and is not counted again."""
        limit = self.config.anchor_max_df
        rare = [a for a, n in counts.items() if n <= limit]
        unsure = [a for a, n in counts.items() if n > limit and (a, days) not in self._common] if days else []
        if unsure:
            common = self.store.anchors_over(unsure, limit, days)
            rare += [a for a in unsure if a not in common]
            self._common.update(dict.fromkeys((a, days) for a in common))
            while len(self._common) > COMMON_CACHE_SIZE:
                self._common.popitem(last=False)
        return self.store.anchor_postings(rare, days)

    def _best(self, info: DocInfo, scores: dict[int, float], min_score: float, read: Read = ({}, {})) -> set[str]:
        """The best scored articles from ``min_score`` up within the date window,
        ``anchor_max_candidates`` at most, ties taken by document id (the same whatever order
        the articles came in). Only the documents looked at are named, a few score levels at a
        time, those in ``read`` (ids by number, documents by id) without reading them again."""
        known_names, known_infos = read
        levels: dict[float, list[int]] = {}
        for number, score in scores.items():
            if score >= min_score:
                levels.setdefault(score, []).append(number)
        ordered = sorted(levels, reverse=True)
        wanted = self.config.anchor_max_candidates
        chosen: set[str] = set()
        while ordered and len(chosen) < wanted:
            batch, size = [], 0
            while ordered and size < 2 * wanted:
                batch.append(ordered.pop(0))
                size += len(levels[batch[-1]])
            numbers = [n for s in batch for n in levels[s]]
            names = {n: known_names[n] for n in numbers if n in known_names}
            if len(names) < len(numbers):
                names.update(self.store.doc_ids(n for n in numbers if n not in known_names))
            infos = {d: known_infos[d] for d in names.values() if d in known_infos}
            if len(infos) < len(names):
                infos.update(self.store.docs_of(d for d in names.values() if d not in known_infos))
            for score in batch:
                for doc_id in sorted((names[n] for n in levels[score] if n in names), reverse=True):
                    other = infos.get(doc_id)
                    if not self._in_window(info, other):
                        continue
                    chosen.add(doc_id)
                    if len(chosen) >= wanted:
                        return chosen
        return chosen

    @staticmethod
    def _figure_scores(weights: dict[str, float], postings: dict[str, list[int]], rare: set[str]) -> dict[int, float]:
        """The same score over rare figures alone, for articles sharing two of them or more: a
        translation into a script without capitals names no one the way its original does
        (no names to weigh against), but keeps its figures."""
        figures = {a: w for a, w in weights.items() if a.isdigit() and a in rare}
        norm = sum(figures.values())
        scores: dict[int, float] = {}
        shared: dict[int, int] = {}
        for anchor, docs in postings.items():
            if anchor in figures:
                for number in docs:
                    scores[number] = scores.get(number, 0.0) + figures[anchor] / norm
                    shared[number] = shared.get(number, 0) + 1
        return {d: score for d, score in scores.items() if shared[d] >= 2}
