"""Story tracking: candidates -> sentence alignment -> typed, evidenced links -> stories.

Background (stock agency paragraphs, site boilerplate; ``background``) is learned from the
archive, only on evidence that a passage belongs to no single story: two articles that share
verbatim sentences, where the shared block is not most of either text and what remains of them
neither aligns nor names the same people, places and figures, are different stories, and the
sentences such pairs share are background once several stories or one site's stories share
them. A pair that disagrees only about its lede is not "different": an updated wire story
replaces its lede. Background never counts as evidence, a pair judged different is never
linked, and a sentence aligned to a background sentence (its translation, say) is background
in that pair too. Every rule depends on the pair alone, so the same articles give the same
stories in any arrival order.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import numpy as np

from ..catalog import DocInfo, StoryStore, open_story_store
from .align import AlignConfig, AlignedPair, align
from .background import BackgroundLearning, background_in_pair
from .candidates import Candidates, days_apart
from .docindex import LEDE_SENTENCES, DocIndex, document_vector
from .encoder import Encoder
from .fingerprint import Sentence, embedding_text, fingerprint
from .junk import wall_kind
from .ledes import brief_kept, translated_lede, without_crossed_ledes
from .notes import is_editors_note
from .relations import languages_differ, outlet_of, relation_of
from .stories import Link, build_stories
from .text import fold, folded_key
from .verdicts import residual_verdict, same_names

logger = logging.getLogger(__name__)

VECTOR_CACHE_SIZE = 20_000  # sentence vectors kept in memory (float16, 1 KiB each for use)
DEFAULT_WIRE_NAMES = (
    "Associated Press", "AP", "Reuters", "AFP", "Agence France-Presse", "dpa", "EFE", "ANSA",
    "UPI", "Xinhua", "Press Association", "Bloomberg",
)


@dataclass(frozen=True)
class TrackerConfig:
    min_coverage: float = 0.30
    min_sentences: int = 2
    min_words: int = 20  # aligned words of evidence: a two-sentence brief has some 40
    lede_min_words: int = 10  # ... or of a text that is, word for word, the other's lede alone
    # paraphrase (semantic) evidence: templated sentences of different stories read alike, so
    # it takes this many sentences, unless it covers most of both texts (a translated brief)
    paraphrase_min_sentences: int = 3
    paraphrase_short_coverage: float = 0.6
    # ... or unless it is most of the shorter text (a translated brief) and each of its
    # sentences names a figure, weekday or month of the one it translates, this many in all
    paraphrase_short_anchors: int = 2
    # ... or, with one sentence of evidence (the rest of a brief stock), its lede translated
    # keeping this many, two figures among them or a figure and a name
    translated_lede_anchors: int = 3
    lexical_threshold: float = 0.80
    semantic_threshold: float | None = None  # None: the encoder's own measured threshold
    copy_share: float = 0.35
    semantic_min_names: float = 0.3
    semantic_probe: int = 8
    residual_min_words: int = 20
    residual_min_coverage: float = 0.20
    background_min_pairs: int = 2
    background_days: float = 10.0
    candidate_days: float = 14.0
    seed_min_shared: int = 5
    seed_max_df: int = 10
    seed_min_share: float = 0.10
    anchor_min_score: float = 0.35
    anchor_max_candidates: int = 20
    anchor_max_df: int = 200
    figure_max_df: int = 10  # figures in more articles ("2020", "19") find no translations
    # document vectors (semantic tier only): nearest articles by their ledes' mean embedding
    ann_candidates: int = 20
    ann_min_cosine: float = 0.6
    # ... and, in another language, with a text too short for its vector to average a whole
    # lede (a translated brief), the nearest few whatever their cosine, above this one
    ann_nearest: int = 5
    ann_nearest_min_cosine: float = 0.4
    # ... of which, for a text that short, the nearest few in another language are taken this deep
    ann_short_candidates: int = 100
    wire_names: tuple[str, ...] = DEFAULT_WIRE_NAMES


@dataclass
class Document:
    doc_id: str
    url: str
    text: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)
    text_hash: str | None = None


class StoryTracker:
    def __init__(self, store: StoryStore | None = None, encoder: Encoder | None = None,
                 config: TrackerConfig | None = None):
        self.store = store or open_story_store(None)
        self.encoder = encoder
        self.config = config or TrackerConfig()
        semantic = self.config.semantic_threshold
        if semantic is None:
            semantic = encoder.threshold if encoder is not None else 1.0
        self.align_config = AlignConfig(self.config.lexical_threshold, semantic, semantic=encoder is not None,
                                        semantic_probe=self.config.semantic_probe)
        self.doc_index = DocIndex(self.store, encoder.name) if encoder is not None else None
        self.candidates = Candidates(self.store, self.config, self.doc_index)
        self.background = BackgroundLearning(self.store, self.config, translations=encoder is not None,
                                             linked=self._linked)
        # sentence vectors of the articles lately compared: an article's are asked for once
        # per candidate, and a story's copies arrive close together
        self._vector_cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self.walls: Counter[str] = Counter()  # pages set aside as walls, by kind: what callers report
        names = "|".join(re.escape(n) for n in self.config.wire_names)
        self._wire = re.compile(rf"(?<!\w)(?:{names})(?!\w)|\b(?:Press|News) Agency\b")

    # -- adding ---------------------------------------------------------------------------
    def is_wire(self, doc: Document) -> bool:
        byline = " ".join(doc.authors) + " " + doc.text[:300] + " " + doc.text[-300:]
        return bool(self._wire.search(byline))

    def add(self, doc: Document) -> list[Link]:
        """Track one article; returns its links. A new text at a known URL is a new version."""
        return self.add_or_set_aside(doc)[0]

    def add_or_set_aside(self, doc: Document) -> tuple[list[Link], str | None]:
        """``add``, and the kind of wall the text is when it was set aside as one: a page that
        is only a wall (consent, bot check, paywall) is a capture, not an article, and is not
        tracked (``wall_kind`` tells them apart); ``walls`` counts them by kind."""
        wall = wall_kind(doc.text, doc.language)
        if wall is not None:
            self.walls[wall.value] += 1
            logger.debug("Not tracking %s: a %s wall, not an article", doc.url, wall.value)
            return [], wall.value
        return self._add(doc), None

    def _add(self, doc: Document) -> list[Link]:
        known = self.store.doc(doc.doc_id)
        if known is not None:
            if known.text_hash and known.text_hash == doc.text_hash:
                return self.links(doc.doc_id)
            if self.doc_index is not None:
                self.doc_index.remove(doc.doc_id)
            self.store.remove_doc(doc.doc_id)
        fp = fingerprint(doc.text, doc.title, doc.language)
        info = DocInfo(doc.doc_id, doc.url, doc.outlet or "", doc.published, doc.language, doc.title,
                       self.is_wire(doc), fp.words, doc.text_hash, (known.version + 1) if known else 1)
        candidates, named_alike = self.candidates.find(info, fp)
        vector = None
        if self.doc_index is not None and fp.sentences and self.config.ann_candidates > 0:
            vector = document_vector(self._vectors(fp.sentences[:LEDE_SENTENCES])[0])
        under: set[str] = set()
        short = len(fp.sentences) < LEDE_SENTENCES
        if vector is not None:
            near, under = self.candidates.nearest(info, vector, short)
            named_alike |= near
            candidates = sorted(set(candidates) | near)
        self.store.put_doc(info, fp)
        if vector is not None:
            self.doc_index.add(doc.doc_id, vector, short)
        different: list[tuple[str, set[int]]] = []
        reused: set[int] = set()
        texts, infos = self.store.sentences_of(set(candidates) | under), self.store.docs_of(set(candidates) | under)
        # the nearest under the floor are compared when they are in another language and one
        # text has fewer sentences than a document vector averages (a translated brief)
        under = {d for d in under if min(len(fp.sentences), len(texts.get(d, []))) < LEDE_SENTENCES
                 and languages_differ(fp.sentences, texts.get(d, []), info, infos.get(d))}
        named_alike |= under
        candidates = sorted(set(candidates) | under)
        compared = []
        for other in candidates:
            data, shared, apart = self._compare(info, fp.sentences, texts.get(other, []), infos.get(other), other,
                                                other in named_alike)
            self.store.put_pair(info.doc_id, other, data)
            compared.append((other, texts.get(other, []), data))
            if shared and data["verdict"] == "different":
                different.append((other, shared))
            if shared and apart is not None and apart > self.config.background_days:
                reused |= shared
        # links are evaluated against the background when read, so earlier links that
        # leaned on these sentences drop out by themselves
        self.background.learn(info, fp.sentences, compared, infos, different, reused)
        self.store.commit()
        return self._links_compared(info, fp.sentences, compared, infos)

    # -- comparing ------------------------------------------------------------------------
    def _vectors(self, *groups: list[Sentence]) -> tuple[np.ndarray, ...]:
        """Embeddings by sentence key, one array per group: a sentence shared by many
        articles is encoded once, and the sentences of all groups that no store or cache
        holds go to the encoder in one batch (a call costs ~1 ms beside its sentences)."""
        assert self.encoder is not None
        wanted = {s.key: embedding_text(s.text) for group in groups for s in group}
        known = {k: self._vector_cache[k] for k in wanted if k in self._vector_cache}
        asked = [k for k in wanted if k not in known]
        if asked:
            known.update(self.store.vectors(asked, self.encoder.name))
        missing = [k for k in wanted if k not in known]
        if missing:
            # kept as float16; used at that precision everywhere so that results never
            # depend on whether a vector came from the store or the cache
            fresh = self.encoder.encode([wanted[k] for k in missing]).astype(np.float16)
            self.store.put_vectors(dict(zip(missing, fresh)), self.encoder.name)
            known.update(zip(missing, fresh))
        for key in wanted:
            self._vector_cache[key] = known[key]
            self._vector_cache.move_to_end(key)
        while len(self._vector_cache) > VECTOR_CACHE_SIZE:
            self._vector_cache.popitem(last=False)
        return tuple(np.stack([known[s.key] for s in group]).astype(np.float32)
                     if group else np.zeros((0, 0), dtype=np.float32) for group in groups)

    def _encode_texts(self, texts: list[str]) -> np.ndarray:
        """Embeddings of texts that are no sentence of an article (sentences read as one), kept
        in the cache only, at the precision of the stored ones."""
        assert self.encoder is not None
        keys = [folded_key(fold(text)) for text in texts]
        missing = {k: embedding_text(t) for k, t in zip(keys, texts) if k not in self._vector_cache}
        if missing:
            fresh = self.encoder.encode(list(missing.values())).astype(np.float16)
            self._vector_cache.update(zip(missing, fresh))
        for key in keys:
            self._vector_cache.move_to_end(key)
        return np.stack([self._vector_cache[k] for k in keys]).astype(np.float32)

    def _compare(self, info: DocInfo, sa: list[Sentence], sb: list[Sentence], other_info: DocInfo | None,
                 other: str, named_alike: bool) -> tuple[dict, set[int], float | None]:
        """Align two articles and judge them: (stored pair data, keys of the verbatim
        sentences they share, days apart)."""
        alignment = align(sa, sb, self.align_config)
        exact = [p for p in alignment.pairs if p.method == "exact"]
        apart_sites = other_info is not None and outlet_of(info) != outlet_of(other_info)
        verdict = residual_verdict(sa, sb, exact, alignment, self.config, apart_sites) if exact else "unknown"
        if (verdict in ("unknown", "different") and self.encoder is not None and named_alike
                and same_names(sa, sb, alignment, self.config.semantic_min_names)):
            # Copies are told lexically. The (costly) semantic tier is for the rest, when what
            # is left of both texts names the same people, places and figures.
            alignment = align(sa, sb, self.align_config, vectors=lambda rows_a, rows_b: self._vectors(
                [sa[i] for i in rows_a], [sb[j] for j in rows_b]), translated=languages_differ(sa, sb, info, other_info),
                encode=self._encode_texts)
            if exact:
                verdict = residual_verdict(sa, sb, exact, alignment, self.config, apart_sites)
        apart = days_apart(info.published, other_info.published if other_info else None)
        a, b = info.doc_id, other
        pairs, named_apart = alignment.pairs, alignment.apart
        if a > b:  # stored with a < b
            a, b = b, a
            pairs, named_apart = ([AlignedPair(p.b, p.a, p.score, p.method, p.in_order) for p in group]
                                  for group in (pairs, named_apart))
        data = {"pairs": [[p.a, p.b, p.score, p.method, p.in_order] for p in pairs], "verdict": verdict}
        if named_apart:
            data["apart"] = [[p.a, p.b, p.score] for p in named_apart]
        return data, {sa[p.a].key for p in exact}, apart

    def evaluate(self, a: str, b: str, data: dict, background: set[int] | None = None,
                 sentences: dict[str, list[Sentence]] | None = None,
                 infos: dict[str, DocInfo] | None = None) -> Link | None:
        """The link two compared articles have under the current background, if any."""
        if data.get("verdict") == "different":
            return None
        background = self.store.background() if background is None else background
        sa = sentences[a] if sentences and a in sentences else self.store.sentences(a)
        sb = sentences[b] if sentences and b in sentences else self.store.sentences(b)
        pairs = [AlignedPair(*p) for p in data["pairs"]]
        bg_a = {i for i, s in enumerate(sa) if s.key in background}
        bg_b = {j for j, s in enumerate(sb) if s.key in background}
        rows = [(p.a, p.b) for p in pairs]
        bg_a, bg_b = background_in_pair(rows, bg_a, bg_b)
        # an editor's note on a text's own revision is no evidence either, however few texts
        # share it (nor is its translation); it is still what an update added
        notes_a = {i for i, s in enumerate(sa) if is_editors_note(s.text)}
        notes_b = {j for j, s in enumerate(sb) if is_editors_note(s.text)}
        unsaid_a, unsaid_b = (background_in_pair(rows, bg_a | notes_a, bg_b | notes_b)
                              if notes_a or notes_b else (bg_a, bg_b))
        evidence = without_crossed_ledes([p for p in pairs if p.a not in unsaid_a and p.b not in unsaid_b],
                                         len(sa), len(sb))
        words_a = sum(s.words for i, s in enumerate(sa) if i not in unsaid_a)
        words_b = sum(s.words for i, s in enumerate(sb) if i not in unsaid_b)
        if not evidence or not words_a or not words_b:
            return None
        # a sentence said in several of the other's (a translation's merges) counts once
        rows_a, rows_b = {p.a for p in evidence}, {p.b for p in evidence}
        covered_a = sum(sa[i].words for i in rows_a) / words_a
        covered_b = sum(sb[j].words for j in rows_b) / words_b
        # the shorter text's share: measured in each text's own units (Chinese, Japanese and Thai
        # count characters), the one the same sentences cover more of is the shorter
        coverage = max(covered_a, covered_b)
        evidence_words = min(sum(sa[i].words for i in rows_a), sum(sb[j].words for j in rows_b))
        evidence_sentences = min(len(rows_a), len(rows_b))
        # a text that is one sentence long (a trim down to the lede) is a copy of it verbatim
        whole_sentence = (all(p.method == "exact" for p in evidence)
                          and coverage >= self.config.paraphrase_short_coverage)
        # under two sentences: only a lede translated whole may stand alone (``translated_lede``),
        # on its anchors: its words, counted in two languages' units, may be few in one (Korean)
        alone = evidence_sentences < self.config.min_sentences and not whole_sentence
        # a lede trimmed to itself (a teaser) is the story, however short
        teaser = whole_sentence and len(evidence) == 1 and min(evidence[0].a, evidence[0].b) == 0 and max(
            evidence[0].a, evidence[0].b) < LEDE_SENTENCES
        min_words = self.config.lede_min_words if teaser else self.config.min_words
        if ((alone and coverage < self.config.paraphrase_short_coverage)
                or (evidence_words < min_words and not alone) or coverage < self.config.min_coverage):
            return None
        infos = (infos or {})
        info_a, info_b = infos.get(a) or self.store.doc(a), infos.get(b) or self.store.doc(b)
        translated = languages_differ(sa, sb, info_a, info_b)
        if alone and not (translated and translated_lede(sa, sb, evidence, self.config.translated_lede_anchors)):
            return None
        if (not translated and all(p.method == "semantic" for p in evidence)
                and min(covered_a, covered_b) < self.config.residual_min_coverage):
            # said again in one language, a story runs through both texts, as a rest that
            # aligns must: a few sentences of a long article said otherwise are its topic
            # (a translation may be cut to a brief)
            return None
        if (any(p.method == "semantic" for p in evidence) and evidence_sentences < self.config.paraphrase_min_sentences
                and min(covered_a, covered_b) < self.config.paraphrase_short_coverage
                and not (coverage >= self.config.paraphrase_short_coverage
                         and brief_kept(sa, sb, evidence, translated, self.config.paraphrase_short_anchors))):
            return None
        relation = relation_of(sa, sb, pairs, (bg_a, bg_b), info_a, info_b)
        return Link(a, b, relation, round(coverage, 3), round(covered_a, 3), round(covered_b, 3), evidence)

    def _linked(self, a: str, b: str, data: dict, sentences: dict[str, list[Sentence]],
                infos: dict[str, DocInfo | None], background: set[int]) -> bool:
        return self.evaluate(a, b, data, background, sentences, {k: v for k, v in infos.items() if v}) is not None

    # -- reading --------------------------------------------------------------------------
    def links(self, doc_id: str | None = None) -> list[Link]:
        pairs = [(a, b, data) for a, b, data in self.store.pairs(doc_id) if data.get("verdict") != "different"]
        named = {d for a, b, _ in pairs for d in (a, b)}
        return self._evaluated(pairs, {d: [] for d in named} | self.store.sentences_of(named),
                               self.store.docs_of(named))

    def _links_compared(self, info: DocInfo, own: list[Sentence], compared: list, infos: dict[str, DocInfo]) -> list[Link]:
        """``links(info.doc_id)`` of an article just added, from what the add read and stored:
        its pairs are those it compared (an earlier version's went with it), not read again."""
        pairs = [(*sorted((info.doc_id, other)), data) for other, _, data in compared]  # in id order, as read
        sentences = {info.doc_id: own} | {other: texts for other, texts, _ in compared}
        return self._evaluated(pairs, sentences, {**infos, info.doc_id: info})

    def _evaluated(self, pairs: list[tuple[str, str, dict]], sentences: dict[str, list[Sentence]],
                   infos: dict[str, DocInfo]) -> list[Link]:
        background = self.store.background()
        return [link for a, b, data in pairs
                if (link := self.evaluate(a, b, data, background, sentences, infos)) is not None]

    def stories(self, min_size: int = 1):
        docs = {d.doc_id: d for d in self.store.docs()}
        return build_stories(docs, self.links(), min_size=min_size)

    def close(self) -> None:
        self.store.close()
