"""Names in Thai, which has no capitals and does not space its words: two sentences of one
template about different people or places ("ทีมกู้ภัยซึ่งนำโดย<name> ..." / "...ใกล้<place>") read
alike, character for character, and no capital tells their names apart.

A Thai writer spells a foreign name by its sounds, syllable by syllable; a dictionary cuts such a
spelling into syllables it does not know, or into short ones it knows by chance (มาราเคช:
มา รา เค ช). Two sentences that differ, in one place, by such a run each, and not by a respelling
of one name, name two people or places. A word changed for another (ผู้นำ / ผู้บริหาร) is in the
dictionary on both sides and is an edit, as it is in any language.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from rapidfuzz import fuzz

from .namesets import NAME_RESPELLING
from .text import fold
from ..thaiwords import read_only, thai_tokens

_THAI_WORD = re.compile(r"[\u0e01-\u0e4e]+")
_THAI = re.compile(r"[\u0e01-\u0e4e]")
# a dictionary's cut of a Thai word averages four letters and more; a name spelt by its sounds
# comes out in syllables of one or two
NAME_SYLLABLE_LETTERS = 2.5
NAME_MIN_LETTERS = 3
ALIKE = 60  # rapidfuzz ratio of two sentences of one template; others differ in more than names


@lru_cache(maxsize=1)
def _dictionary() -> frozenset[str]:
    read_only()
    from pythainlp.corpus import thai_words

    return thai_words()


def name_like(tokens: tuple[str, ...] | list[str]) -> bool:
    """Whether a run of a sentence's tokens reads as a name spelt by its sounds: a syllable the
    dictionary does not know, or syllables of two letters or fewer on average."""
    words = [t for t in tokens if _THAI_WORD.fullmatch(t)]
    letters = sum(len(t) for t in words)
    if letters < NAME_MIN_LETTERS:
        return False
    dictionary = _dictionary()
    return any(t not in dictionary for t in words) or (
        len(words) >= 2 and letters / len(words) <= NAME_SYLLABLE_LETTERS)


def _syllable(token: str) -> bool:
    """A token a name spelt by its sounds is cut into: unknown, or two letters or fewer."""
    return bool(_THAI_WORD.fullmatch(token)) and (len(token) <= 2 or token not in _dictionary())


def _differences(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[range, range]]:
    """The runs in which two token sequences differ, as ranges of tokens of each; runs parted
    only by spaces, punctuation or one short syllable are one (a name's parts, or two names that
    happen to share a syllable)."""
    runs: list[tuple[range, range]] = []
    gap = False  # the last run is followed by spaces, punctuation or a short syllable alone
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            letters = "".join(a[i1:i2])
            gap = bool(runs) and sum(ch.isalnum() for ch in letters) <= 2
        if gap:
            runs[-1] = (range(runs[-1][0].start, i2), range(runs[-1][1].start, j2))
        elif op != "equal":
            runs.append((range(i1, i2), range(j1, j2)))
        if op != "equal":
            gap = False
    return runs


def _whole(tokens: tuple[str, ...], run: range) -> str:
    """The run widened to the name it is part of: the syllables on either side of it, and
    those past a space."""
    start, stop = run.start, run.stop
    while start > 0 and (_syllable(tokens[start - 1]) or (
            tokens[start - 1].isspace() and start > 1 and _syllable(tokens[start - 2]))):
        start -= 1
    while stop < len(tokens) and (_syllable(tokens[stop]) or (
            tokens[stop].isspace() and stop + 1 < len(tokens) and _syllable(tokens[stop + 1]))):
        stop += 1
    return "".join(tokens[start:stop]).strip()


def names_apart(ta: str, tb: str) -> bool:
    """Whether two Thai sentences that read alike differ, somewhere, by a name each gives in the
    same place: not one name respelled, nor a word changed for another."""
    if not (_THAI.search(ta) and _THAI.search(tb)) or fuzz.ratio(ta, tb) < ALIKE:
        return False
    a, b = thai_tokens(ta), thai_tokens(tb)
    for run_a, run_b in _differences(a, b):
        if name_like(a[run_a.start:run_a.stop]) and name_like(b[run_b.start:run_b.stop]):
            name_a, name_b = _whole(a, run_a), _whole(b, run_b)
            if max(fuzz.ratio(name_a, name_b), fuzz.ratio(fold(name_a), fold(name_b))) < NAME_RESPELLING:
                return True
    return False
