"""Background: the passages that belong to no single story (stock agency paragraphs, a site's
chrome), learned from the pairs the tracker compares, and never counted as evidence of a link.

A sentence becomes background once pairs judged different stories share it in number
``background_min_pairs`` (or two different agency stories of one site do: the agency's stock;
when every such pair is on one site, it is that site's chrome, until a pair across sites
shares it: then it is stock), or once it is reused across more than ``background_days``.
The translation of stock is stock: a sentence that a pair of texts in two languages aligns,
by meaning, to stock sentences alone is background too,
were it written under other names (``exonyms``: "Mainz" / "Mayence"). A site's chrome is
that site's own text, and is not carried over into other languages.
"""

from __future__ import annotations

from typing import Callable

from ..catalog import DocInfo, StoryStore
from .fingerprint import Sentence
from .relations import languages_differ, outlet_of

STOCK = "shared by different stories"
CHROME = "chrome of one site"
REUSED = "reused across distant dates"
TRANSLATED = "translation of background"


class BackgroundLearning:
    def __init__(self, store: StoryStore, config, translations: bool,
                 linked: Callable[[str, str, dict, dict[str, list[Sentence]], dict, set[int]], bool]):
        """``translations``: whether pairs are aligned by meaning (an encoder is at work), so
        that translations of stock can be found; ``linked(a, b, data, sentences, infos,
        background)``: whether a compared pair is linked under that background. Stock is carried
        into another language only through a pair linked under the background its own texts
        prove (all but translations of stock): two stories of one template translated align a
        sentence or two by meaning, and one that is stock in one of them would take the other's
        own lede with it, and that lede's every translation. Translations of stock are left out
        of that test because carrying them is what the pair is asked to do: counted, the stock
        carried first would unlink the pair before the rest went through it, and what is
        learned would hang on the order in which the stock arrived."""
        self.store = store
        self.config = config
        self.translations = translations
        self.linked = linked

    def learn(self, info: DocInfo, sentences: list[Sentence], compared: list[tuple[str, list[Sentence], dict]],
              infos: dict[str, DocInfo], different: list[tuple[str, set[int]]], reused: set[int]) -> None:
        """What an added article's comparisons prove: ``compared`` holds (other article, its
        sentences, the pair's data); ``different`` (other article, keys) the verbatim sentences
        shared by pairs judged different; ``reused`` those shared across distant dates."""
        learned: set[int] = set()
        if reused:
            learned |= self.store.add_background(reused, REUSED)
        votes = self._votes(info, different, infos)
        if votes:
            self.store.vote_background(votes)
            stock, chrome = self._proven({k for k, _, _ in votes})
            new = self.store.add_background(stock, STOCK)
            reasons = self.store.background_reasons(stock - new)
            restated = {key for key, reason in reasons.items() if reason == CHROME}
            self.store.restate_background(restated, STOCK)
            learned |= new | restated
            self.store.add_background(chrome - stock, CHROME)
        if self.translations:
            self._translate(info, sentences, compared, infos, learned)

    def _votes(self, info: DocInfo, different: list[tuple[str, set[int]]],
               infos: dict[str, DocInfo]) -> list[tuple[int, str, str]]:
        """The votes (key, a, b) of the pairs judged different for the verbatim sentences they
        share. A sentence already background needs no more (a site's chrome would gather one
        per article, and reading them grew with the archive), but chrome that a pair of two
        sites shares does: it is stock, whichever of its pairs came first."""
        background = self.store.background()
        across = [other for other, _ in different
                  if infos.get(other) is not None and outlet_of(info) != outlet_of(infos[other])]
        known = {key for other, shared in different if other in across for key in shared & background}
        chrome = {key for key, reason in self.store.background_reasons(known).items() if reason == CHROME}
        votes = []
        for other, shared in different:
            fresh = shared - background
            if other in across:
                fresh |= chrome & shared
            votes += [(key, info.doc_id, other) for key in sorted(fresh)]
        return votes

    def _proven(self, keys: set[int]) -> tuple[set[int], set[int]]:
        """Of these sentences, those that different stories share: (stock passages, which
        pairs judged different share in number ``background_min_pairs``, or two different
        agency stories of one site; a site's chrome, which pairs of different stories share in
        that number, every pair on that one site). A sentence two stories of one site share
        once may be one they both quote: chrome is what many pages of a site repeat."""
        proven, chrome = set(), set()
        votes = self.store.background_votes(keys)
        infos = self.store.docs_of(d for pairs in votes.values() for pair in pairs for d in pair)
        for key, pairs in votes.items():
            docs = [infos.get(d) for pair in pairs for d in pair]
            sites = {outlet_of(info) if info else "" for info in docs}
            one_site = len(sites) == 1 and "" not in sites
            agency = one_site and all(info.is_wire for info in docs)
            if len(pairs) >= self.config.background_min_pairs:
                (chrome if one_site and not agency else proven).add(key)
            elif agency:
                proven.add(key)
        return proven, chrome

    def _translate(self, info: DocInfo, sentences: list[Sentence], compared: list[tuple[str, list[Sentence], dict]],
                   infos: dict[str, DocInfo], learned: set[int]) -> None:
        """Translations of stock, in the pairs just compared and, for the sentences that just
        became background, in the kept pairs of every article having them (compared before
        they were), until no more are found: the same background in any arrival order."""
        background = self.store.background()
        crossing = []
        for other, other_sentences, data in compared:
            a, b = sorted((info.doc_id, other))
            texts = {info.doc_id: sentences, other: other_sentences}
            infos_of = {info.doc_id: info, other: infos.get(other)}
            if languages_differ(texts[a], texts[b], infos_of[a], infos_of[b]):
                crossing.append((a, b, data, texts, infos_of))
        proven = self._proven_in([t for *_, texts, _ in crossing for t in texts.values()], background)
        found: list[tuple[int, int]] = []
        for a, b, data, texts, infos_of in crossing:
            if self.linked(a, b, data, texts, infos_of, proven):
                found += translations_of(texts[a], texts[b], data, background)
        learned = learned | self._inherit(found)
        while learned:
            holders = self.store.docs_sharing_keys(learned)
            pairs = {(a, b): data for doc in holders for a, b, data in self.store.pairs(doc)}
            named = {d for pair in pairs for d in pair}
            texts, docs = self.store.sentences_of(named), self.store.docs_of(named)
            proven = self._proven_in(texts.values(), self.store.background())
            found = []
            for (a, b), data in pairs.items():
                if (a in texts and b in texts and languages_differ(texts[a], texts[b], docs.get(a), docs.get(b))
                        and self.linked(a, b, data, texts, docs, proven)):
                    found += translations_of(texts[a], texts[b], data, learned)
            learned = self._inherit(found)

    def _proven_in(self, texts, background: set[int]) -> set[int]:
        """The background sentences of these texts that are not translations of stock, read
        at once: what a pair is judged under before stock is carried through it."""
        held = {s.key for sentences in texts for s in sentences if s.key in background}
        if not held:
            return set()
        return {key for key, reason in self.store.background_reasons(held).items() if reason != TRANSLATED}

    def _inherit(self, translations: list[tuple[int, int]]) -> set[int]:
        """Mark as background the translations of background sentences that are not chrome."""
        reasons = self.store.background_reasons({source for source, _ in translations})
        return self.store.add_background({target for source, target in translations
                                          if reasons.get(source, CHROME) != CHROME}, TRANSLATED)


def background_in_pair(pairs: list[tuple[int, int]], bg_a: set[int], bg_b: set[int]) -> tuple[set[int], set[int]]:
    """The sentences of two texts that are background in their pair (``pairs`` aligned by
    sentence numbers): those that are (``bg_a``, ``bg_b``), and those aligned to background
    alone. A sentence that says a stock sentence and one of the story's own in one (a
    translation's merge) is not stock."""
    partners_a: dict[int, set[int]] = {}
    partners_b: dict[int, set[int]] = {}
    for i, j in pairs:
        partners_a.setdefault(i, set()).add(j)
        partners_b.setdefault(j, set()).add(i)
    return (bg_a | {i for i, js in partners_a.items() if js <= bg_b},
            bg_b | {j for j, rows in partners_b.items() if rows <= bg_a})


def translations_of(sa: list[Sentence], sb: list[Sentence], data: dict,
                    background: set[int]) -> list[tuple[int, int]]:
    """(background key, key of its translation): the sentences that a pair of texts in
    different languages (the caller's to tell) aligns, by meaning, to background sentences
    alone, those it says under other names (``data["apart"]``) included."""
    if data.get("verdict") == "different":
        return []
    pairs = [(i, j) for i, j, _score, method, *_ in data["pairs"] if method == "semantic"]
    pairs = [(i, j) for i, j in pairs + [(i, j) for i, j, _score in data.get("apart", ())]
             if i < len(sa) and j < len(sb)]
    bg_a = {i for i, _ in pairs if sa[i].key in background}
    bg_b = {j for _, j in pairs if sb[j].key in background}
    now_a, now_b = background_in_pair(pairs, bg_a, bg_b)
    return ([(sb[j].key, sa[i].key) for i, j in pairs if j in bg_b and i in now_a - bg_a]
            + [(sa[i].key, sb[j].key) for i, j in pairs if i in bg_a and j in now_b - bg_b])
