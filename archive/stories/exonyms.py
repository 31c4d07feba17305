"""Sentences a translation says under other names: the stock its original pastes.

Languages name places and bodies their own way: Mainz is "Mayence" in French, the Red
Crescent "le Croissant-Rouge", South Asia "l'Asie du Sud". Two sentences naming different
people or places are never aligned (``anchors.Anchors``), and no spelling rule tells an exonym
from another place (the names of countries and of the cities CLDR names excepted, which are
known: ``places``). So a sentence a
translation writes with an exonym stays unmatched: no evidence is lost by that, but stock the
original pastes ("Full diplomatic relations were restored at a summit in Mainz in 2017") is
then not known as stock in the translation, and two translations of different stories that
paste it link through it.

Such pairs are kept apart from the alignment, as what the encoder says the translation says,
names aside: never evidence of a link, only what makes the translation of stock stock
(``background.translations_of``). A pair is kept when each of its sentences is the other's best
match among those left, scores the encoder's threshold, lies in the order of the pairs aligned,
gives no figure, weekday or month the other does not, and every name either gives is named by
the other sentence or never written in the other text: a name the other text writes elsewhere,
and this sentence of it does not, is someone else.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .namesets import TextNames, names_in, share_a_name


def exonym_pairs(a: Sequence, b: Sequence, chain: Sequence[tuple[int, int]], rows: list[int], cols: list[int],
                 vectors: Callable[[list[int], list[int]], tuple[np.ndarray, np.ndarray]], threshold: float,
                 figures_apart: Callable[[int, int], bool], names_a: TextNames,
                 names_b: TextNames) -> list[tuple[int, int, float]]:
    """(i, j, score) for the sentences ``rows`` of ``a`` and ``cols`` of ``b`` (in two
    languages, left unmatched) that say one another under other names; ``chain`` holds the
    pairs aligned in order, ``vectors(rows, cols)`` embeds sentences and ``figures_apart(i, j)``
    tells two sentences whose figures, weekdays or months differ."""
    if not (rows and cols and chain):
        return []
    va, vb = vectors(rows, cols)
    scores = va @ vb.T
    out = []
    for x, i in enumerate(rows):
        y = int(np.argmax(scores[x]))
        j = cols[y]
        if (scores[x, y] < threshold or int(np.argmax(scores[:, y])) != x
                or any((i < k) != (j < m) for k, m in chain) or figures_apart(i, j)
                or not _named_alike(names_in(a[i].text), names_in(b[j].text), names_a, names_b)):
            continue
        out.append((i, j, float(scores[x, y])))
    return out


def _named_alike(names_i: frozenset[str], names_j: frozenset[str], text_a: TextNames, text_b: TextNames) -> bool:
    """Whether every name of either sentence is named by the other, or never written in the
    other's text (which may write it another way)."""
    return (all(share_a_name({n}, names_j) or n in text_b.unknown({n}) for n in names_i)
            and all(share_a_name({n}, names_i) or n in text_a.unknown({n}) for n in names_j))
