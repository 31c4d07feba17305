"""The relation a link between two articles is typed with: what the copy did to the text."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from .align import AlignedPair
from .fingerprint import SENTENCE_CACHE, Sentence
from .text import alphabet
from ..catalog.stories_protocol import DocInfo

# Headlines of a wire story reissued with changes ("UPDATE 2-", "Writethru", "Corrects",
# "CORRECTED-", "REFILE-", "ACTUALIZACIÓN", "MISE À JOUR", "AKTUALISIERT").
_UPDATE_MARK = re.compile(
    r"\bupdate\s*\d|\bupdated\b|\bwrite\s?thru\b|\bwritethrough\b|\bcorrect(?:s|ed|ion)\b|\brefile\b|"
    r"\brecasts?\b|\bactualizaci[oó]n\b|\bactualiza\b|\bmise à jour\b|\baktualisiert\b|\baggiornamento\b|"
    r"\bkorekta\b|\bобновлено\b", re.IGNORECASE)


def language_of(info: DocInfo) -> str:
    return (info.language or "").split("-")[0].lower()


def script_of(sentences: list[Sentence]) -> str:
    """The alphabet most letters of a text are in ("LATIN", "CJK", "CYRILLIC", "ARABIC" ...)."""
    return _script_of(tuple(sentence.text[:200] for sentence in sentences[:5]))


@lru_cache(maxsize=SENTENCE_CACHE)  # asked again of each text for every pair it is in
def _script_of(starts: tuple[str, ...]) -> str:
    counts: dict[str, int] = {}
    for start in starts:
        for ch in start:
            if ch.isalpha():
                script = alphabet(ch)
                counts[script] = counts.get(script, 0) + 1
    return max(counts, key=lambda k: counts[k]).upper() if counts else ""


def languages_differ(sa: list[Sentence], sb: list[Sentence], info_a: DocInfo | None, info_b: DocInfo | None) -> bool:
    """Whether two texts are in different languages: by the languages they state ("en" and
    "en-GB" are one), or, where either states none, by the alphabet most of their letters are in."""
    lang_a = language_of(info_a) if info_a else ""
    lang_b = language_of(info_b) if info_b else ""
    if lang_a and lang_b:
        return lang_a != lang_b
    return script_of(sa) != script_of(sb)


def outlet_of(info: DocInfo) -> str:
    return info.outlet or urlsplit(info.url).hostname or ""


def relation_of(sa: list[Sentence], sb: list[Sentence], pairs: list[AlignedPair],
                background: tuple[set[int], set[int]] | None = None,
                info_a: DocInfo | None = None, info_b: DocInfo | None = None) -> str:
    """translation: the two are in different languages; identical: the same sentences but
    for a headline or standfirst; update: a version of the same text reissued with changes
    (a headline marked "UPDATE 1", "Writethru", "Corrects", or two texts of one outlet);
    excerpt: one is a verbatim part of the other (trimmed, or extended with local
    paragraphs); near-identical: small edits throughout; rewrite: the aligned text is
    mostly paraphrased."""
    words_a = sum(s.words for s in sa) or 1
    words_b = sum(s.words for s in sb) or 1

    def coverage(methods: tuple[str, ...]) -> tuple[float, float]:
        chosen = [p for p in pairs if p.method in methods]
        return (sum(sa[p.a].words for p in chosen) / words_a, sum(sb[p.b].words for p in chosen) / words_b)

    if languages_differ(sa, sb, info_a, info_b):
        return "translation"
    exact = coverage(("exact",))
    lexical = coverage(("exact", "lexical"))
    aligned = coverage(("exact", "lexical", "semantic"))
    shorter, longer = (0, 1) if words_a <= words_b else (1, 0)
    # A republisher's own headline and standfirst (before the first shared sentence) do
    # not make a different text; a paragraph added inside the body does (an update), a
    # site's footer that extraction left in (background) does not.
    side = (sa, sb)[longer]
    matched = sorted((p.a, p.b)[longer] for p in pairs if p.method == "exact")
    skip = set(matched) | (background[longer] if background else set())
    added = sum(side[i].words for i in range(matched[0] + 1 if matched else 0, len(side))
                if i not in skip) / ((words_a, words_b)[longer])
    if exact[shorter] >= 0.95 and exact[longer] >= 0.85 and added <= 0.02:
        return "identical"
    if min(lexical) >= 0.4 and info_a and info_b and (
            outlet_of(info_a) == outlet_of(info_b)
            or any(_UPDATE_MARK.search(i.title or "") for i in (info_a, info_b))):
        return "update"
    if exact[shorter] >= 0.95 and exact[longer] < 0.85:
        # the whole of one, verbatim, inside a text with much more (an update adds less)
        return "excerpt"
    if min(lexical) >= 0.8:
        return "near-identical"
    if lexical[0] >= 0.8 * aligned[0] and lexical[1] >= 0.8 * aligned[1]:
        return "excerpt"
    return "rewrite"
