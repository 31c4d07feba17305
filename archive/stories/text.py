"""Sentences and their normal forms: the units that story tracking compares.

Normalisation folds what republishers change without changing the sentence: case, accents,
quotes and dashes, punctuation and spacing. ``"Gantz's two-day tour – the first"`` and
``"GANTZ'S TWO-DAY TOUR - THE FIRST"`` have the same key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets) before a space
# and an upper-case letter, digit or opening quote; abbreviations and initials do not end one.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "st",
    "jr", "sr", "inc", "ltd", "co", "corp", "vs", "no", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "etc", "approx",
    "sra", "sr", "dra", "mme", "mlle", "m", "av", "pres",
}
_BOUNDARY = re.compile(r"""([.!?…]+["'”’»)\]]*)\s+(?=["'“‘«(\[]?[A-ZÀ-ÖØ-Þ0-9¿¡])""")
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACE = re.compile(r"\s+")


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, paragraph by paragraph (a line break always ends a sentence)."""
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            end = match.end(1)
            before = paragraph[start:match.start(1)].rsplit(None, 1)
            word = before[-1].lower().rstrip(".") if before else ""
            if match.group(1) == "." and (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
                continue
            sentence = paragraph[start:end].strip()
            if sentence:
                sentences.append(sentence)
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return sentences


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation dropped, spaces collapsed."""
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(text))


def words(text: str) -> list[str]:
    return fold(text).split()


def sentence_key(sentence: str) -> int:
    """A stable 63-bit key of a sentence's folded form (SQLite INTEGER friendly)."""
    return folded_key(fold(sentence))


def folded_key(folded: str) -> int:
    digest = hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def shingles(tokens: list[str], n: int = 5) -> set[str]:
    if len(tokens) < n:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}
