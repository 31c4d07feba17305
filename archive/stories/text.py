"""Sentences and their normal forms: the units that story tracking compares.

Normalisation folds what republishers change without changing the sentence: case, accents,
quotes and dashes, punctuation and spacing. ``"Gantz's two-day tour – the first"`` and
``"GANTZ'S TWO-DAY TOUR - THE FIRST"`` have the same key.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from sentencex import segment

from ..thaiwords import read_only

# Sentence boundaries come from sentencex (Wikimedia's segmenter: ~300 languages, full stops
# of Chinese and Japanese, Devanagari danda, Arabic and Greek question marks, abbreviations per
# language). Two things it leaves to the caller: Thai, which ends a sentence with a space and no
# mark (cut by PyThaiNLP's CRF segmenter, trained on Thai text), and ordinal dates ("am 3.
# Januar"), which Germanic and Slavic languages write with a full stop.
_THAI_BREAK = re.compile(r"(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])")
# Thai also puts a space between the clauses of one sentence and between a person's names: of
# the segmenter's pieces, one that opens with a connective ("and", "to", "by", "which", "from",
# "after", "according to", "making it") goes on the sentence before it, and so does a piece too
# short to be one or one inside an open quotation.
_THAI_CONNECTIVES = ("และ", "หรือ", "แต่", "เพื่อ", "โดย", "ซึ่ง", "จาก", "หลัง", "ก่อน", "ตาม", "นับเป็น",
                     "ขณะที่", "เนื่องจาก", "เพราะ", "ทำให้", "รวมถึง", "แม้", "ส่วน", "กรณี", "เกี่ยวกับ", "เมื่อ",
                     "ด้วย", "ว่า")
THAI_MIN_SENTENCE = 20  # characters; a name or a short phrase is not a sentence
_ORDINAL_END = re.compile(r"(?:^|\s)\d{1,2}\.\s*$")
_LOWER_START = re.compile(r"\s*[^\W\d_]")
_ORDINAL_LANGUAGES = {"de", "pl", "cs", "sk", "da", "no", "nb", "fi", "hu", "hr", "sl", "sr", "tr", "et",
                      "lv", "lt", "is"}
DEFAULT_LANGUAGE = "en"
# Han and kana are written without spaces: each character is a token, so that word counts,
# shingles and thresholds mean something in Chinese and Japanese too; Thai likewise.
UNSPACED_LETTERS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # a regex class
_WORD = re.compile(rf"[{UNSPACED_LETTERS}]|[^\W{UNSPACED_LETTERS}]+", re.UNICODE)
_SPACE = re.compile(r"\s+")


# markup left in a text (escaped in a feed, pasted by a tool that joined a page's parts): a tag
# that breaks a block, or a segmenter's sentence marker ("<s>"), ends a paragraph, as the line
# break it stood for would
_LEFT_TAG = re.compile(r"\s*</?(?:s|p|br|div|li|h[1-6]|tr|hr|blockquote)\s*/?>\s*", re.IGNORECASE)


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n|\n", _LEFT_TAG.sub("\n", text)) if p.strip()]


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """Sentences of a text, paragraph by paragraph (a line break always ends a sentence)."""
    code = (language or DEFAULT_LANGUAGE).split("-")[0].lower() or DEFAULT_LANGUAGE
    sentences: list[str] = []
    for paragraph in split_paragraphs(text):
        pieces: list[str] = []
        for piece in segment(code, paragraph):
            if pieces and code in _ORDINAL_LANGUAGES and _ORDINAL_END.search(pieces[-1]) and _LOWER_START.match(piece):
                pieces[-1] += piece
            else:
                pieces.append(piece)
        for piece in pieces:
            sentences.extend(_thai_sentences(piece))
    return sentences


def _thai_pieces(text: str) -> list[str]:
    if not _THAI_BREAK.search(text):
        return [text]
    # loaded on the first Thai text (its CRF model is in the wheel: nothing is downloaded)
    read_only()
    from pythainlp.tokenize.crfcut import segment as thai_segment

    return thai_segment(text)


def _thai_sentences(text: str) -> list[str]:
    out: list[str] = []
    for piece in (p.strip() for p in _thai_pieces(text)):
        if not piece:
            continue
        if out and (len(out[-1]) < THAI_MIN_SENTENCE or len(piece) < THAI_MIN_SENTENCE
                    or piece.startswith(_THAI_CONNECTIVES) or out[-1].count('"') % 2
                    or out[-1].count("“") > out[-1].count("”")):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


CASED_ALPHABETS = frozenset({"latin", "cyrillic", "greek", "armenian"})  # those that capitalise names


@lru_cache(maxsize=8192)
def alphabet(letter: str) -> str:
    """The alphabet a letter is written in, from its Unicode name: "latin", "cyrillic", "cjk"
    (Chinese characters), "katakana", "arabic" ..."""
    return unicodedata.name(letter, "?").split(" ")[0].lower()


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


# A wire story's dateline: "RABAT, Morocco (AP) — ", "NIAMEY (AFP) — "; group ``credit`` is the
# agency it credits.
DATELINE = re.compile(r"^\s*[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,30})?\s*"
                      r"(?:\((?P<credit>[^()]{1,40})\)\s*[—–-]{1,2}|[—–]{1,2})\s+(?=\S)")
