"""Two sentences of one language built on one stock clause: they share a clause word for word
and each goes on to say something else ("We lost everything in one night, and nobody came to
help" / "We lost everything in one night, and I will go back there myself"). However alike
their characters or embeddings, they are not one sentence edited: a stock phrase or a quote
repeated in another story. Nor are two sentences of one template, each filled in with its own
story's subject ("... raised the alarm over fuel subsidies ..." / "... over rail freight ...",
``subjects_apart``), nor two that quote someone saying different things, however alike their
frames ("Saad told reporters: "We will not wait ..."" / "Saad told reporters: "We have asked
for an inquiry ..."", ``quotes_apart``): a copy, edited or reworded, rewords no one's quotes."""

from __future__ import annotations

import difflib
from functools import lru_cache

from rapidfuzz import fuzz

from .fingerprint import SENTENCE_CACHE, name_runs
from .text import fold

SHARED_WORDS = 5  # a clause two sentences share word for word ...
OTHER_WORDS = 4  # ... and, beside it, this many words each of its own (names aside)
TOPIC_SENTENCES = 3  # a story's own subject: a word this many of its sentences use ...
TOPIC_SENTENCES_OTHER = 2  # ... in one text, and the subject put in its place in the other
QUOTE_WORDS = 4  # words of over three letters a quote needs for its words to be compared
# quotation marks: those that open, those that close, and those that do either (told by what
# stands before them: a space, the text's start or an opening sign, or a word's end)
_OPENING, _CLOSING, _EITHER = frozenset("„«「"), frozenset("»」"), frozenset('"“”')
QUOTATION_MARKS = _OPENING | _CLOSING | _EITHER
_BEFORE_OPENING = frozenset("([{—–-:")


@lru_cache(maxsize=SENTENCE_CACHE)
def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


def words_of(text: str) -> frozenset[str]:
    """A sentence's folded words."""
    return frozenset(_words(text))


@lru_cache(maxsize=SENTENCE_CACHE)
def _runs(text: str) -> frozenset[tuple[str, ...]]:
    words = _words(text)
    return frozenset(words[k:k + SHARED_WORDS] for k in range(len(words) - SHARED_WORDS + 1))


@lru_cache(maxsize=SENTENCE_CACHE)
def _named_words(text: str) -> frozenset[str]:
    """The folded words of a sentence's names and figures ("Abdul-Qadir" -> "abdul", "qadir")."""
    named = {w for run in name_runs(text, with_initials=True) for token in run for w in token.split()}
    return frozenset(named | {w for w in _words(text) if any(ch.isdigit() for ch in w)})


def _said_apart(ta: str, tb: str) -> tuple[set[str], set[str]]:
    """The words each sentence says where the other says something else, names and figures
    aside."""
    words_a, words_b = _words(ta), _words(tb)
    own_a, own_b = set(range(len(words_a))), set(range(len(words_b)))
    for block in difflib.SequenceMatcher(None, words_a, words_b, autojunk=False).get_matching_blocks():
        own_a -= set(range(block.a, block.a + block.size))
        own_b -= set(range(block.b, block.b + block.size))
    return {words_a[k] for k in own_a} - _named_words(ta), {words_b[k] for k in own_b} - _named_words(tb)


def spliced(ta: str, tb: str) -> bool:
    """Whether the two sentences share a clause word for word and each says, beside it,
    something in words of its own that the other's own words mostly do not repeat (an edit
    changes a word or two, or moves an attribution, whose words stay). Names and figures are
    not counted as such words: a respelled name is the name rules' to judge."""
    if _runs(ta).isdisjoint(_runs(tb)):
        return False
    said_a, said_b = _said_apart(ta, tb)
    if len(said_a) < OTHER_WORDS or len(said_b) < OTHER_WORDS:
        return False
    return len(said_a & said_b) < 0.5 * min(len(said_a), len(said_b))


def sentences_using(texts: list[str]) -> dict[str, int]:
    """Each folded word of a text -> how many of its sentences use it."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(_words(text)):
            counts[word] = counts.get(word, 0) + 1
    return counts


def subjects_apart(ta: str, tb: str, uses_a: dict[str, int], uses_b: dict[str, int],
                   least: int = TOPIC_SENTENCES_OTHER) -> tuple[frozenset[str], frozenset[str]]:
    """The words each of two sentences says, where the other says something else, that its own
    text repeats and the other text never uses (``uses_a`` and ``uses_b``: ``sentences_using``
    of each text), when both say such words, in ``least`` sentences or more each and one of them
    in ``TOPIC_SENTENCES`` or more: one template filled in with each story's own subject, which
    one story may name only where the template does. Empty otherwise: an edit changes a word
    for a word, respells one ("organised" / "organized"), or changes a word or two that the
    rest of the text keeps."""
    said_a, said_b = _said_apart(ta, tb)
    if len(said_a) + len(said_b) < 3:  # a word for a word: "said" / "stated"
        return frozenset(), frozenset()
    respelled = {w for w in said_a | said_b if any(fuzz.ratio(w, v) >= 80 for v in (said_b if w in said_a else said_a))}
    own_a = _subject(said_a - respelled, uses_a, uses_b, least)
    own_b = _subject(said_b - respelled, uses_b, uses_a, least)
    if own_a and own_b and max(max(uses_a[w] for w in own_a), max(uses_b[w] for w in own_b)) >= TOPIC_SENTENCES:
        return own_a, own_b
    return frozenset(), frozenset()


def _subject(said: set[str], uses: dict[str, int], other_uses: dict[str, int], least: int) -> frozenset[str]:
    """Those of ``said``'s words that ``least`` sentences of their own text use and the other
    text never does."""
    return frozenset(w for w in said if len(w) > 3 and uses.get(w, 0) >= least and w not in other_uses)


@lru_cache(maxsize=SENTENCE_CACHE)
def quoted_words(text: str) -> frozenset[str]:
    """The folded words of over three letters a sentence quotes: between quotation marks, or
    from an opening mark to the sentence's end (a quote a segmenter cut after a sentence).
    None when a mark closes a quote the sentence never opened: it starts inside a quote, and
    where that quote started is not known ("... provare il caso", ha detto Giuliani ...")."""
    spans: list[str] = []
    start = None
    for k, ch in enumerate(text):
        if ch not in QUOTATION_MARKS:
            continue
        opening = ch in _OPENING or (ch in _EITHER and (k == 0 or text[k - 1].isspace()
                                                        or text[k - 1] in _BEFORE_OPENING))
        if start is None and opening:
            start = k + 1
        elif start is not None and not opening:
            spans.append(text[start:k])
            start = None
        elif start is None:
            return frozenset()
    if start is not None:
        spans.append(text[start:])
    return frozenset(w for span in spans for w in fold(span).split() if len(w) > 3)


def quotes_someone(text: str) -> bool:
    """Whether a sentence holds a quotation mark."""
    return not QUOTATION_MARKS.isdisjoint(text)

def quotes_apart(ta: str, tb: str) -> bool:
    """Whether both sentences quote someone, in ``QUOTE_WORDS`` words or more each, and the
    quotes share under half the words of the shorter: two quotes, whatever frames them. Within
    one language only: a translation says a quote in other words."""
    qa, qb = quoted_words(ta), quoted_words(tb)
    if len(qa) < QUOTE_WORDS or len(qb) < QUOTE_WORDS:
        return False
    return len(qa & qb) < 0.5 * min(len(qa), len(qb))
