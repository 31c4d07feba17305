"""Sentence alignment of two articles: which sentence of one is which sentence of the other.

Three tiers, cheapest first, each only on what the previous left unmatched:
exact (same folded sentence), lexical (rapidfuzz ratio: respellings, small edits) and
semantic (sentence embeddings: paraphrase, translation). Matches are one-to-one, but for a
translation, which may say several sentences of the other text in one (``merges``); the
alignment also reports which of them keep the original order. Two sentences align only when
their figures, weekdays, months and names agree (``anchors``); the sentences a translation says
under other names are reported apart (``exonyms``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .anchors import Anchors
from .crossnames import names_across
from .exonyms import exonym_pairs
from .fingerprint import SENTENCE_CACHE, Sentence, days_of, months_of, name_runs, names_of, numbers_of
from .merges import beads, mark_order, merged_pairs
from .namesets import by_script, shared_in
from .nameparts import named_by_part, parts_across
from .text import fold


@dataclass(frozen=True)
class AlignConfig:
    lexical_threshold: float = 0.80
    semantic_threshold: float = 0.88
    semantic: bool = True
    # the semantic tier first embeds this many unmatched sentences from the top of each text
    # and goes on only if one of them aligns: a retold or translated copy keeps the lede
    semantic_probe: int = 8
    # between two languages, a pair this much below the threshold still aligns when each
    # sentence is the other's best match, in the order of the pairs found, and they have this
    # many figures, weekdays, months and names in common (one, next to a pair found), a name or
    # two figures among them (an encoder scores some languages' translations low: Japanese, Thai)
    mutual_margin: float = 0.2
    mutual_anchors: int = 2


@dataclass(frozen=True)
class AlignedPair:
    a: int
    b: int
    score: float
    method: str  # exact | lexical | semantic
    in_order: bool = True

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Alignment:
    pairs: list[AlignedPair] = field(default_factory=list)
    # of a translation, sentences it says under other names (``exonyms``): not evidence
    apart: list[AlignedPair] = field(default_factory=list)

    def matched_a(self) -> set[int]:
        return {p.a for p in self.pairs}

    def matched_b(self) -> set[int]:
        return {p.b for p in self.pairs}


def _greedy(scores: np.ndarray, threshold: float, rows: Sequence[int], cols: Sequence[int]):
    """One-to-one matches above threshold, best first."""
    if scores.size == 0:
        return []
    flat = np.argwhere(scores >= threshold)
    if flat.size == 0:
        return []
    order = np.argsort(-scores[flat[:, 0], flat[:, 1]], kind="stable")
    used_r: set[int] = set()
    used_c: set[int] = set()
    out = []
    for i, j in flat[order]:
        if i in used_r or j in used_c:
            continue
        used_r.add(i)
        used_c.add(j)
        out.append((rows[i], cols[j], float(scores[i, j])))
    return out


def templated(a: Sequence[Sentence], b: Sequence[Sentence], rows_a: Sequence[int], rows_b: Sequence[int],
              threshold: float) -> bool:
    """Whether a sentence of ``rows_a`` and one of ``rows_b`` read alike, word for word, but
    name different people or places: one template filled in for two stories ("If you own shares
    in X, ..." / "If you own shares in Y, ..."). Figures alone do not tell: an update changes them."""
    anchors = Anchors(a, b)
    return any(fuzz.ratio(_folded(a[i].text), _folded(b[j].text), score_cutoff=100 * threshold)
               and anchors.names_conflict(i, j) for i in rows_a for j in rows_b)


def shared_anchors(a: Sequence[Sentence], b: Sequence[Sentence], pairs: Sequence[AlignedPair]) -> list[int]:
    """How many figures (of two digits or more), weekdays, months and names written in another
    script each aligned pair of sentences both name: what a translation keeps of its original,
    and two templated stories rarely share. Sentences read as one (pairs sharing a sentence)
    are counted together."""
    known = names_by_part(a, b)
    counted: dict[tuple[frozenset[int], frozenset[int]], int] = {}
    counts = []
    for rows, cols in beads(pairs):
        if (rows, cols) not in counted:
            ta, tb = " ".join(a[i].text for i in sorted(rows)), " ".join(b[j].text for j in sorted(cols))
            counted[(rows, cols)] = (len(figures_in_common(ta, tb))
                                   + len(days_of(ta) & days_of(tb)) + len(months_of(ta) & months_of(tb))
                                   + len(names_written_across(ta, tb, known)))
        counts.append(counted[(rows, cols)])
    return counts


_NONE_KNOWN: tuple[frozenset, frozenset] = (frozenset(), frozenset())


def names_by_part(a: Sequence[Sentence], b: Sequence[Sentence]) -> tuple[frozenset, frozenset]:
    """The names each of two texts writes whole and the other writes whole in another script,
    with how the other spells each part (``nameparts``): (of ``a``'s, of ``b``'s)."""
    ta, tb = tuple(s.text for s in a), tuple(s.text for s in b)
    return parts_across(ta, tb), parts_across(tb, ta)


def _names_alike(ta: str, tb: str, known: tuple[frozenset, frozenset] = _NONE_KNOWN) -> bool:
    """Whether two sentences name someone or somewhere alike, in one alphabet (respelled at
    most) or written in two scripts."""
    if shared_in(by_script(names_of(ta)), by_script(names_of(tb))):
        return True
    return bool(names_written_across(ta, tb, known))


def names_written_across(ta: str, tb: str, known: tuple[frozenset, frozenset] = _NONE_KNOWN) -> set[str]:
    """The Latin names of either text (with their particles) that the other writes in another
    script, the name a sentence starts with included ("Nusrat Jahan led the lawyers ..."): no
    other script writes a capitalised word that is not a name; and those of ``known``
    (``names_by_part``) one names by a part that the other spells as the texts do elsewhere."""
    found = (names_across(name_runs(ta, with_initials=True), tb, ta)
             | names_across(name_runs(tb, with_initials=True), ta, tb))
    by_part = named_by_part(known[0], ta, tb) | named_by_part(known[1], tb, ta)
    seen = {part for name in found for part in name.split()}
    return found | {name for name in by_part if seen.isdisjoint(name.split())}


def figures_in_common(ta: str, tb: str) -> set[str]:
    """The figures of two digits or more that both sentences give ("44 people and 1,235 families"
    / "٤٤ شخصا ... ١٢٣٥ عائلة"): a translation keeps them, where a script without capitals
    hides its names."""
    return {n for n in numbers_of(ta) if len(n) >= 2} & numbers_of(tb)


# a sentence's folded text, as the lexical tier compares it with every candidate's sentences
_folded = lru_cache(maxsize=SENTENCE_CACHE)(fold)


def align(
    a: Sequence[Sentence],
    b: Sequence[Sentence],
    config: AlignConfig = AlignConfig(),
    vectors: Callable[[list[int], list[int]], tuple[np.ndarray, np.ndarray]] | None = None,
    translated: bool = False,
    encode: Callable[[list[str]], np.ndarray] | None = None,
) -> Alignment:
    """Align sentences of ``a`` and ``b``; ``vectors(rows_a, rows_b)`` gives the embeddings
    of the sentences left unmatched, only when there are some on both sides. ``translated``:
    the texts are in two languages; ``encode(texts)`` embeds other texts (sentences read as
    one, for a translation)."""
    pairs: list[AlignedPair] = []
    keys_b: dict[int, list[int]] = {}
    for j, s in enumerate(b):
        keys_b.setdefault(s.key, []).append(j)
    used_b: set[int] = set()
    left_a = []
    for i, s in enumerate(a):
        for j in keys_b.get(s.key, ()):
            if j not in used_b:
                used_b.add(j)
                pairs.append(AlignedPair(i, j, 1.0, "exact"))
                break
        else:
            left_a.append(i)
    left_b = [j for j in range(len(b)) if j not in used_b]

    anchors = Anchors(a, b, translated)
    if left_a and left_b:
        scores = cdist([_folded(a[i].text) for i in left_a], [_folded(b[j].text) for j in left_b],
                       scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0
        anchors.drop(scores, config.lexical_threshold, left_a, left_b, stock_clause="edit")
        for i, j, score in _greedy(scores, config.lexical_threshold, left_a, left_b):
            pairs.append(AlignedPair(i, j, round(score, 4), "lexical"))
        done_a = {p.a for p in pairs}
        done_b = {p.b for p in pairs}
        left_a = [i for i in left_a if i not in done_a]
        left_b = [j for j in left_b if j not in done_b]

    if config.semantic and vectors is not None and left_a and left_b:
        found = _semantic(anchors, config, vectors, left_a, left_b, translated)
        if translated and found and encode is not None:
            found += merged_pairs(a, b, [(p.a, p.b, p.score) for p in pairs], found, left_a, left_b, vectors, encode,
                                  config.semantic_threshold, anchors.conflict)
        for i, j, score in found:
            pairs.append(AlignedPair(i, j, round(score, 4), "semantic"))
        if translated:
            pairs = mark_order(pairs)
            done_a, done_b = {p.a for p in pairs}, {p.b for p in pairs}
            apart = exonym_pairs(a, b, [(p.a, p.b) for p in pairs if p.in_order],
                                 [i for i in left_a if i not in done_a], [j for j in left_b if j not in done_b],
                                 vectors, config.semantic_threshold, anchors.figures_apart, anchors.text_names(0),
                                 anchors.text_names(1))
            return Alignment(pairs, [AlignedPair(i, j, round(score, 4), "semantic") for i, j, score in apart])
    return Alignment(mark_order(pairs))


def _semantic(anchors: Anchors, config: AlignConfig, vectors, left_a: list[int], left_b: list[int],
              translated: bool = False):
    probe = config.semantic_probe
    floor = config.semantic_threshold - config.mutual_margin
    if probe and (len(left_a) > probe or len(left_b) > probe):
        _, _, top = _scores(anchors, config, vectors, left_a[:probe], left_b[:probe])
        if not (top >= (floor if translated else config.semantic_threshold)).any():
            return []
    rows, cols, scores = _scores(anchors, config, vectors, left_a, left_b)
    found = _greedy(scores, config.semantic_threshold, rows, cols)
    if translated and not found:
        # nothing over the threshold (an encoder reads some languages worse): a pair naming
        # one more thing in common than the rule asks is where the alignment starts
        found = _mutual_best(anchors, scores, rows, cols, [], floor, config.mutual_anchors + 1)[:1]
    if translated and found:
        found += _mutual_best(anchors, scores, rows, cols, found, floor, config.mutual_anchors)
    return found


def _mutual_best(anchors: Anchors, scores: np.ndarray, rows: list[int], cols: list[int],
                 found: list[tuple[int, int, float]], floor: float, min_anchors: int) -> list[tuple[int, int, float]]:
    """Pairs under the threshold but at least ``floor``, each sentence the other's best match
    among those left, in the order of the pairs ``found``, with ``min_anchors`` figures,
    weekdays, months or names in common, a name or two figures among them (templated sentences of two
    stories share a weekday and "the first in 58 years"), and none in conflict. A pair that
    comes right after or before a pair taken, in both texts, needs one of them only: an
    alignment runs along the diagonal, and the next sentence of two that align is the
    likeliest match of the other's next."""
    left = scores.copy()
    known = names_by_part(anchors.a, anchors.b)
    taken = [(i, j) for i, j, _ in found]
    left[[rows.index(i) for i, _ in taken], :] = -1.0
    left[:, [cols.index(j) for _, j in taken]] = -1.0
    extra = []
    for x in range(len(rows)):
        if left[x].max(initial=-1.0) < floor:
            continue
        y = int(np.argmax(left[x]))
        i, j = rows[x], cols[y]
        needed = 1 if any(abs(i - k) == 1 and j - m == i - k for k, m in taken) else min_anchors
        if (int(np.argmax(left[:, y])) != x or any((i < k) != (j < m) for k, m in taken)
                or anchors.conflict(i, j)
                or not (_names_alike(anchors.a[i].text, anchors.b[j].text, known)
                        or len(figures_in_common(anchors.a[i].text, anchors.b[j].text)) >= 2)
                or shared_anchors(anchors.a, anchors.b, [AlignedPair(i, j, 0.0, "semantic")])[0] < needed):
            continue
        extra.append((i, j, float(scores[x, y])))
        taken.append((i, j))
        left[x, :] = -1.0
        left[:, y] = -1.0
    return extra


def _scores(anchors: Anchors, config: AlignConfig, vectors, rows: list[int], cols: list[int]):
    """Cosine scores of the sentences that could match (only those are embedded), the pairs
    whose numbers, weekdays or names conflict set to 0: (rows, cols, scores)."""
    rows, cols = anchors.matchable(rows, cols)
    if not (rows and cols):
        return rows, cols, np.zeros((len(rows), len(cols)), dtype=np.float32)
    va, vb = vectors(rows, cols)
    scores = va @ vb.T
    anchors.drop(scores, config.semantic_threshold, rows, cols, stock_clause="quote")
    return rows, cols, scores
