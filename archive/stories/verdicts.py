"""Two articles that share a verbatim block, judged before any background is applied: "copy",
"same", "unknown" or "different" (``residual_verdict``); and whether what two texts leave
unaligned names the same people, places and figures, which is when the (costly) semantic tier
is asked to align it (``same_names``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .align import AlignedPair, templated
from .fingerprint import Sentence, anchors_of, names_of, numbers_of
from .ledes import lede_of, shared_opening
from .namesets import names_overlap
from .relations import script_of
from .text import alphabet

if TYPE_CHECKING:
    from .tracker import TrackerConfig


def numbers_alike(sentences: list[Sentence], rows) -> set[str]:
    """Numbers of two digits or more in these sentences: like names, they survive translation."""
    return {n for i in rows for n in numbers_of(sentences[i].text) if len(n) >= 2}


def residual_verdict(sa: list[Sentence], sb: list[Sentence], exact: list[AlignedPair], alignment,
                     config: TrackerConfig, apart_sites: bool = False) -> str:
    """Two texts sharing a verbatim block (with the sentences it edits), judged by it and by
    what remains of them: "copy" when little remains of one (it is inside the other, wherever its
    lede went) or the block is a large part of one and its lede, "same" when the rest aligns,
    "unknown" when it names the same people, places and figures (an updated lede, a rewritten
    one) or, on two sites, one text opens with sentences at the top of the other (their lede,
    which an update that cut what follows it still carries), and only then "different": two
    stories that paste the same stock paragraphs, or one site's chrome. Ledes that are one
    template naming different people or places are "different" whatever the rest shares, unless
    both texts open with one sentence word for word (a copy that respells a name below its
    lede)."""
    lede_a, lede_b = lede_of(len(sa)), lede_of(len(sb))
    exact_a = {p.a for p in exact}
    exact_b = {p.b for p in exact}
    if not any(p.a == p.b == 0 for p in exact) and templated(
            sa, sb, [i for i in range(lede_a) if i not in exact_a], [j for j in range(lede_b) if j not in exact_b],
            config.lexical_threshold):
        # ledes written from one template about someone else: robot-written pages (a
        # company's share price, a match result) share all but their names
        return "different"
    # a sentence edited (a name respelled, a word changed, its names and figures kept:
    # the lexical tier's pairs) is the story as much as a verbatim one: a near-identical
    # copy that respells the names of its lede holds a brief of the story whole. Where
    # the block starts is still told by a verbatim sentence: an edited one near the top
    # may be a series' or a desk's note, each text naming itself in it
    block = exact + [p for p in alignment.pairs if p.method == "lexical"]
    shared_a = sum(sa[p.a].words for p in block) / (sum(s.words for s in sa) or 1)
    shared_b = sum(sb[p.b].words for p in block) / (sum(s.words for s in sb) or 1)
    keeps_lede = any(p.a < lede_a or p.b < lede_b for p in exact)
    if keeps_lede and max(shared_a, shared_b) >= config.copy_share:
        # a large verbatim block that starts one of the texts: the story, trimmed or
        # extended (two stories that paste the same stock paragraphs each have a lede)
        return "copy"
    block_a, block_b = {p.a for p in block}, {p.b for p in block}
    left_a = sum(s.words for i, s in enumerate(sa) if i not in block_a)
    left_b = sum(s.words for j, s in enumerate(sb) if j not in block_b)
    if min(left_a, left_b) < config.residual_min_words:
        return "copy"
    rest_a = [i for i in range(len(sa)) if i not in exact_a]
    rest_b = [j for j in range(len(sb)) if j not in exact_b]
    words_a = sum(sa[i].words for i in rest_a)
    words_b = sum(sb[j].words for j in rest_b)
    others = [p for p in alignment.pairs if p.method != "exact"]
    covered = min(sum(sa[p.a].words for p in others) / words_a, sum(sb[p.b].words for p in others) / words_b)
    if covered >= config.residual_min_coverage:
        return "same"
    names_a = anchors_of(" ".join(sa[i].text for i in rest_a))
    names_b = anchors_of(" ".join(sb[j].text for j in rest_b))
    if names_a and names_b and len(names_a & names_b) / min(len(names_a), len(names_b)) >= 0.5:
        return "unknown"
    if apart_sites and shared_opening(sa, exact) >= config.residual_min_words:
        # one text opens with sentences that stand at the top of the other, word for word:
        # stock is pasted below a story's own lede, never as it (an update that cut the
        # paragraphs a trimmed copy kept leads with, or just above, the lede they share);
        # a site's chrome, which may open its pages, is one site's
        return "unknown"
    return "different"

def same_names(sa: list[Sentence], sb: list[Sentence], alignment, min_overlap: float) -> bool:
    """Whether the sentences two texts leave unaligned name the same people, places and
    figures (at least ``min_overlap`` of them), or, naming none, both leave some."""
    left_a = {i for i in range(len(sa))} - alignment.matched_a()
    left_b = {j for j in range(len(sb))} - alignment.matched_b()
    # names past each sentence's first word: a translation starts its sentences otherwise;
    # only in either text's own alphabet (a Chinese and a Russian text each quote some
    # Latin words, a brand or a handle, which say nothing of whom they are about)
    own = {script_of(sa).lower(), script_of(sb).lower()}
    names_a = {n for i in left_a for n in names_of(sa[i].text) if alphabet(n[0]) in own} | numbers_alike(sa, left_a)
    names_b = {n for j in left_b for n in names_of(sb[j].text) if alphabet(n[0]) in own} | numbers_alike(sb, left_b)
    overlap = names_overlap(names_a, names_b) if names_a and names_b else None
    if overlap is None:
        return bool(left_a and left_b)
    return overlap >= min_overlap
