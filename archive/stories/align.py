"""Sentence alignment of two articles: which sentence of one is which sentence of the other.

Three tiers, cheapest first, each only on what the previous left unmatched:
exact (same folded sentence), lexical (rapidfuzz ratio: respellings, small edits) and
semantic (sentence embeddings: paraphrase, translation). Matches are one-to-one; the
alignment also reports which of them keep the original order.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from .fingerprint import Sentence, names_of, numbers_of
from .text import fold


NAME_RESPELLING = 80  # rapidfuzz ratio of "benkirane" / "benkiran", "tangier" / "tanger"


@dataclass(frozen=True)
class AlignConfig:
    lexical_threshold: float = 0.80
    semantic_threshold: float = 0.88
    semantic: bool = True


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


def _drop_conflicts(scores: np.ndarray, threshold: float, a: Sequence[Sentence], b: Sequence[Sentence],
                    rows: Sequence[int], cols: Sequence[int],
                    numbers_a: dict[int, set[str]], numbers_b: dict[int, set[str]]) -> None:
    """Templated sentences of different stories ("X, the trade minister, said spending rose
    14.2 percent" / "Y, the mayor, said spending rose 11.8 percent") read alike, in words and
    in embedding space. A sentence and its copy, edited, reworded or translated, keep their
    numbers and their names (respelled at most): two sentences that both carry numbers
    must share one, and two that both name someone or somewhere must share a name."""
    names_a: dict[int, set[str]] = {}
    names_b: dict[int, set[str]] = {}
    for x, y in np.argwhere(scores >= threshold):
        i, j = rows[x], cols[y]
        na, nb = numbers_a[i], numbers_b[j]
        if na and nb and not (na & nb):
            scores[x, y] = 0.0
            continue
        ax = names_a.setdefault(i, names_of(a[i].text))
        by = names_b.setdefault(j, names_of(b[j].text))
        if ax and by and not _share_a_name(ax, by):
            scores[x, y] = 0.0


def _share_a_name(a: set[str], b: set[str]) -> bool:
    if a & b:
        return True
    return any(fuzz.ratio(x, y) >= NAME_RESPELLING for x in a for y in b)


def _mark_order(pairs: list[AlignedPair]) -> list[AlignedPair]:
    """Flag the pairs outside the longest in-order chain (moved paragraphs)."""
    if not pairs:
        return pairs
    by_a = sorted(pairs, key=lambda p: p.a)
    tails: list[int] = []
    tail_idx: list[int] = []
    parent = [-1] * len(by_a)
    for k, pair in enumerate(by_a):
        pos = bisect.bisect_left(tails, pair.b)
        if pos == len(tails):
            tails.append(pair.b)
            tail_idx.append(k)
        else:
            tails[pos] = pair.b
            tail_idx[pos] = k
        parent[k] = tail_idx[pos - 1] if pos else -1
    keep = set()
    k = tail_idx[-1]
    while k != -1:
        keep.add(k)
        k = parent[k]
    return [AlignedPair(p.a, p.b, p.score, p.method, k in keep) for k, p in enumerate(by_a)]


def align(
    a: Sequence[Sentence],
    b: Sequence[Sentence],
    config: AlignConfig = AlignConfig(),
    vectors: Callable[[list[int], list[int]], tuple[np.ndarray, np.ndarray]] | None = None,
) -> Alignment:
    """Align sentences of ``a`` and ``b``; ``vectors(rows_a, rows_b)`` gives the embeddings
    of the sentences left unmatched, only when there are some on both sides."""
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

    numbers_a = {i: numbers_of(a[i].text) for i in left_a}
    numbers_b = {j: numbers_of(b[j].text) for j in left_b}
    if left_a and left_b:
        scores = cdist([fold(a[i].text) for i in left_a], [fold(b[j].text) for j in left_b],
                       scorer=fuzz.ratio, dtype=np.float32, workers=1) / 100.0
        _drop_conflicts(scores, config.lexical_threshold, a, b, left_a, left_b, numbers_a, numbers_b)
        for i, j, score in _greedy(scores, config.lexical_threshold, left_a, left_b):
            pairs.append(AlignedPair(i, j, round(score, 4), "lexical"))
        done_a = {p.a for p in pairs}
        done_b = {p.b for p in pairs}
        left_a = [i for i in left_a if i not in done_a]
        left_b = [j for j in left_b if j not in done_b]

    if config.semantic and vectors is not None and left_a and left_b:
        va, vb = vectors(left_a, left_b)
        scores = va @ vb.T
        _drop_conflicts(scores, config.semantic_threshold, a, b, left_a, left_b, numbers_a, numbers_b)
        for i, j, score in _greedy(scores, config.semantic_threshold, left_a, left_b):
            pairs.append(AlignedPair(i, j, round(score, 4), "semantic"))
    return Alignment(_mark_order(pairs))
