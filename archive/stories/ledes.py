"""Where a text's lede is, and what two texts' ledes say of them: a copy keeps its origin's
lede or one just below it; two stories that paste the same stock each have their own; a short
translation keeps what its original's lede names."""

from __future__ import annotations

from .align import AlignedPair, figures_in_common, names_by_part, names_written_across, shared_anchors
from .anchors import Anchors
from .docindex import LEDE_SENTENCES
from .fingerprint import Sentence
from .merges import beads


def lede_of(sentences: int) -> int:
    """How many sentences the lede may be among: the first, or one of the first three of a
    longer text (a standfirst or kicker may come first)."""
    return max(1, min(LEDE_SENTENCES, sentences // 3))


def shared_opening(sa: list[Sentence], exact: list[AlignedPair]) -> int:
    """Words of the run of verbatim sentences that opens one text and stands, in the same
    order, in the other from one of its first ``LEDE_SENTENCES``: the lede both texts have."""
    at = {p.a: p.b for p in exact}
    back = {p.b: p.a for p in exact}
    best = 0
    for first in (at, back):
        if 0 not in first or first[0] >= LEDE_SENTENCES:
            continue
        k = 0
        while k in first and first[k] == first[0] + k:
            k += 1
        rows = range(k) if first is at else (back[j] for j in range(k))
        best = max(best, sum(sa[i].words for i in rows))
    return best


def without_crossed_ledes(pairs: list[AlignedPair], sentences_a: int, sentences_b: int) -> list[AlignedPair]:
    """The pairs, but those by which each text's lede is reworded from a passing sentence of
    the other (one below its first third), when no lede matches a lede: two texts that lead
    with what the other only mentions report different news about the same people (a
    governor replaced by X / X appointed minister). A rewrite may reorder its body and pick
    another angle from the top of its source, not trade its lede for a detail."""
    lede_a, lede_b = lede_of(sentences_a), lede_of(sentences_b)
    if any(p.a < lede_a and p.b < lede_b for p in pairs):
        return pairs
    from_a = [p for p in pairs if p.a < lede_a and 3 * p.b >= sentences_b and p.method == "semantic"]
    from_b = [p for p in pairs if p.b < lede_b and 3 * p.a >= sentences_a and p.method == "semantic"]
    if not (from_a and from_b):
        return pairs
    crossed = {(p.a, p.b) for p in from_a + from_b}
    return [p for p in pairs if (p.a, p.b) not in crossed]


def translated_lede(sa: list[Sentence], sb: list[Sentence], evidence: list[AlignedPair], min_anchors: int) -> bool:
    """Whether the evidence is one lede translated into the other's lede, keeping
    ``min_anchors`` of its figures, weekdays, months and names, two figures among them, or a
    figure and a name written in the other script ("at least 81 people were killed and 2,164
    families lost their homes ... on Saturday" / "周六 ... 至少81人死亡，2164户家庭"; "for the
    first time in 91 years ... Gulnara Yusupova flew in on Tuesday" / "古尔纳拉·尤苏波瓦周二抵达
    ... 91年来首次"): a brief whose other sentence is stock, which many stories say."""
    if len(evidence) != 1 or evidence[0].method != "semantic":
        return False
    pair = evidence[0]
    if not (pair.a < lede_of(len(sa)) and pair.b < lede_of(len(sb))):
        return False
    ta, tb = sa[pair.a].text, sb[pair.b].text
    figures = len(figures_in_common(ta, tb))
    if not (figures >= 2 or (figures and names_written_across(ta, tb, names_by_part(sa, sb)))):
        return False
    return shared_anchors(sa, sb, evidence)[0] >= min_anchors


def anchored(evidence: list[AlignedPair], shared: list[int], sentences_a: int, sentences_b: int,
             translated: bool, min_anchors: int) -> bool:
    """Whether a short paraphrase keeps what its original names (``shared``: the counts of
    ``shared_anchors``): each sentence a figure, weekday, month or name of the one it
    translates, ``min_anchors`` in all; or, for a translation, its lede that many by itself and
    every sentence translated in the same order (a quote or a detail may name no one another
    script spells alike)."""
    # sentences read as one share their count: it is counted once
    if not shared or sum(dict(zip(beads(evidence), shared)).values()) < min_anchors:
        return False
    if min(shared) >= 1:
        return True
    lede_a, lede_b = lede_of(sentences_a), lede_of(sentences_b)
    return (translated and all(p.in_order and p.method == "semantic" for p in evidence)
            and any(p.a < lede_a and p.b < lede_b and n >= min_anchors for p, n in zip(evidence, shared)))


def brief_kept(sa: list[Sentence], sb: list[Sentence], evidence: list[AlignedPair], translated: bool,
               min_anchors: int) -> bool:
    """Whether a short paraphrase that is most of the shorter text is a brief of the other:
    it keeps what the other names (``anchored``), and does not leave out both texts' first
    sentences while they give different figures, weekdays or months. A brief is its lede and
    a fact or two, so one whose lede tells other figures than the other's, linked by its other
    sentences alone, is a brief of another story of their template ("searched 81 offices" and
    a stock quote, under "$437 million of contracts ... in Niamey on Wednesday" / "$393 million
    ... in Rangpur"). An update that changed its lede's figures is linked by its own copies."""
    if not anchored(evidence, shared_anchors(sa, sb, evidence), len(sa), len(sb), translated, min_anchors):
        return False
    return any(p.a == 0 or p.b == 0 for p in evidence) or not Anchors(sa, sb, translated).figures_apart(0, 0)
