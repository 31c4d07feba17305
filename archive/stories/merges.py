"""Many-to-one sentence alignment of a translation and its original.

A translation may say two sentences of its original in one, or one in two, and a segmenter may
cut a sentence at an apposition or a name (Thai spaces its phrases, and "the report, which X,
the trade minister, presented in Rabat, counts 2,068 projects" comes out in three pieces). As
bitext aligners do (Gale and Church's two-to-one beads, Vecalign's merged windows), a run of up
to ``MERGE_MAX`` consecutive sentences of one text left unmatched, read as one, is aligned to
one sentence of the other. Only within the gaps that the one-to-one pairs leave in order: a
merge never crosses a pair, so it cannot join what the pairs already place apart.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

MERGE_MAX = 3  # sentences read as one
# A window is as long as the sentence it says, by the lengths of the texts' other pairs (a
# translation's length follows its original's, Gale and Church's premise): between real
# articles and their translations (SemEval-2022 Task 8), a pair's length against that of the
# others is within this factor for 95 % of pairs.
MERGE_LENGTH_RATIO = 1.6


def _length(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def _lengths_fit(window: int, partner: int, ratio: float) -> bool:
    """Whether a window of ``window`` characters may say a sentence of ``partner`` characters,
    when the other pairs' characters run ``ratio`` to one (the window's side to the other's)."""
    expected = partner * ratio
    return expected / MERGE_LENGTH_RATIO <= window <= expected * MERGE_LENGTH_RATIO


@dataclass(frozen=True)
class _Pair:
    a: int
    b: int
    in_order: bool = True


def mark_order(pairs: list) -> list:
    """Flag the pairs outside the longest in-order chain (moved paragraphs): the pairs
    (dataclasses with ``a``, ``b`` and ``in_order``, as ``AlignedPair``) sorted by sentence of
    the first text. Sentences read as one share a partner and stay in the chain."""
    if not pairs:
        return pairs
    by_a = sorted(pairs, key=lambda p: (p.a, p.b))
    tails: list[int] = []
    tail_idx: list[int] = []
    parent = [-1] * len(by_a)
    for k, pair in enumerate(by_a):
        pos = bisect.bisect_right(tails, pair.b)
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
    return [replace(p, in_order=k in keep) for k, p in enumerate(by_a)]


def _in_order_chain(pairs: Sequence[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The longest chain of one-to-one ``pairs`` in the same order in both texts."""
    marked = mark_order([_Pair(i, j) for i, j, _ in pairs])
    return [(p.a, p.b) for p in marked if p.in_order]


def _gaps(chain: list[tuple[int, int]], left_a: Sequence[int], left_b: Sequence[int]):
    """(unmatched of a, unmatched of b) between consecutive pairs of the chain, and before and
    after it."""
    bounds = [(-1, -1)] + chain + [(1 << 30, 1 << 30)]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        gap_a = [i for i in left_a if i0 < i < i1]
        gap_b = [j for j in left_b if j0 < j < j1]
        if gap_a and gap_b and max(len(gap_a), len(gap_b)) >= 2:
            yield gap_a, gap_b


def _windows(indices: list[int]) -> list[tuple[int, ...]]:
    """Runs of 2 to ``MERGE_MAX`` consecutive sentence numbers among ``indices``."""
    have = set(indices)
    out = []
    for start in indices:
        for size in range(2, MERGE_MAX + 1):
            run = tuple(range(start, start + size))
            if not have.issuperset(run):
                break
            out.append(run)
    return out


def _extending(chain: list[tuple[int, int]], left_a: set[int], left_b: set[int]):
    """(side, window, partner) for each pair of the chain and the runs of unmatched sentences
    next to its sentence that may say with it what its partner says."""
    for i, j in chain:
        for side, own, left in ((0, i, left_a), (1, j, left_b)):
            for start in range(own - MERGE_MAX + 1, own + 1):
                for size in range(2, MERGE_MAX + 1):
                    window = tuple(range(start, start + size))
                    if own in window and all(k == own or k in left for k in window):
                        yield side, window, (j if side == 0 else i)


def merged_pairs(a: Sequence, b: Sequence, pairs: Sequence[tuple[int, int, float]],
                 found: Sequence[tuple[int, int, float]], left_a: Sequence[int], left_b: Sequence[int],
                 vectors: Callable[[list[int], list[int]], tuple[np.ndarray, np.ndarray]],
                 encode: Callable[[list[str]], np.ndarray], threshold: float,
                 conflict: Callable[[int, int], bool]) -> list[tuple[int, int, float]]:
    """Pairs (i, j, score) that read a window of consecutive sentences of one text as one
    sentence of the other. ``pairs`` are the lexical tiers' pairs and ``found`` the
    encoder's, one to one; ``left_a`` and ``left_b`` the sentences the lexical tiers left,
    which ``vectors(rows_a, rows_b)`` embeds, and ``encode(texts)`` embeds windows.

    A window's sentences are unmatched but for at most one, already paired with that
    sentence (whose pair the window extends), and lie in one in-order gap between the other
    pairs. A window is as long as that sentence by the other pairs' lengths
    (``MERGE_LENGTH_RATIO``), scores at least ``threshold``, above each of its sentences alone
    with that sentence, and no sentence of it conflicts with it."""
    done_a = {i for i, _, _ in found}
    done_b = {j for _, j, _ in found}
    rest_a = [i for i in left_a if i not in done_a]
    rest_b = [j for j in left_b if j not in done_b]
    if not (rest_a or rest_b):
        return []
    va, vb = vectors(list(left_a), list(left_b))
    row_of = {i: x for x, i in enumerate(left_a)}
    col_of = {j: y for y, j in enumerate(left_b)}
    singles = va @ vb.T
    return _windows_said(a, b, list(pairs) + list(found), rest_a, rest_b,
                         lambda i, j: float(singles[row_of[i], col_of[j]]),
                         encode, lambda i: va[row_of[i]], lambda j: vb[col_of[j]], threshold,
                         conflict, {(i, j) for i, j, _ in found})


def _windows_said(a: Sequence, b: Sequence, pairs: Sequence[tuple[int, int, float]], left_a: Sequence[int],
                  left_b: Sequence[int], single: Callable[[int, int], float],
                  encode: Callable[[list[str]], np.ndarray], vector_a: Callable[[int], np.ndarray],
                  vector_b: Callable[[int], np.ndarray], threshold: float,
                  conflict: Callable[[int, int], bool], soft: set[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """``merged_pairs``' windows, the best first; the pairs ``soft`` (the encoder's) may take
    in their unmatched neighbours."""
    chain = _in_order_chain(pairs)
    score_of = {(i, j): score for i, j, score in pairs}
    candidates = []  # (score, side, window, partner)
    units = [(side, window, other) for gap_a, gap_b in _gaps(chain, left_a, left_b)
             for side, windows, others in ((0, _windows(gap_a), gap_b), (1, _windows(gap_b), gap_a))
             for window in windows for other in others]
    units += list(_extending([p for p in chain if p in soft], set(left_a), set(left_b)))
    if not units:
        return []
    ratio = (sum(_length(a[i].text) for i, _ in chain) or 1) / (sum(_length(b[j].text) for _, j in chain) or 1)
    units = [(side, window, other) for side, window, other in units
             if _lengths_fit(sum(_length((a, b)[side][k].text) for k in window), _length((b, a)[side][other].text),
                             ratio if side == 0 else 1 / ratio)]
    if not units:
        return []
    texts = sorted({(side, window) for side, window, _ in units})
    merged = dict(zip(texts, encode([" ".join((a, b)[side][k].text for k in window) for side, window in texts])))
    for side, window, other in units:
        score = float(merged[(side, window)] @ (vector_b(other) if side == 0 else vector_a(other)))
        members = [(k, other) if side == 0 else (other, k) for k in window]
        alone = [score_of[m] if m in score_of else single(*m) for m in members]
        if score >= threshold and score > max(alone) and not any(conflict(i, j) for i, j in members):
            candidates.append((score, side, window, other))
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for score, side, window, other in sorted(candidates, key=lambda c: -c[0]):
        members = [(k, other) if side == 0 else (other, k) for k in window]
        fresh = [m for m in members if m not in score_of]
        if any(i in taken_a or j in taken_b for i, j in members):
            continue
        if any(((i < k) != (j < m) or (i > k) != (j > m)) for i, j in fresh for k, m in chain
               if (k, m) not in members):
            continue
        taken_a.update(i for i, _ in members)
        taken_b.update(j for _, j in members)
        chain = sorted(chain + fresh)
        out += [(i, j, score) for i, j in fresh]
    return out


def beads(pairs: Sequence) -> list[tuple[frozenset[int], frozenset[int]]]:
    """For each pair, the sentences of each side that the pairs sharing a sentence with it
    (and so on) join: one sentence said in several of the other's."""
    rows_of_b: dict[int, set[int]] = {}
    cols_of_a: dict[int, set[int]] = {}
    for p in pairs:
        rows_of_b.setdefault(p.b, set()).add(p.a)
        cols_of_a.setdefault(p.a, set()).add(p.b)
    out = []
    for p in pairs:
        rows, cols = {p.a}, {p.b}
        while True:
            more_rows = set().union(*(rows_of_b[j] for j in cols))
            more_cols = set().union(*(cols_of_a[i] for i in rows))
            if more_rows <= rows and more_cols <= cols:
                break
            rows |= more_rows
            cols |= more_cols
        out.append((frozenset(rows), frozenset(cols)))
    return out
