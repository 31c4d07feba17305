"""What story tracking keeps of each article: sentences, their keys, a MinHash, anchors.

- sentence keys find verbatim reuse (republications, trimmed and extended copies);
- MinHash LSH bands find near-copies whose sentences all changed a little;
- seeds (word 5-grams chosen by winnowing) find passages reused with edits, as in passim;
- anchors (names and numbers, which survive paraphrase and translation) find rewrites.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np
from datasketch import MinHash

from .text import fold, folded_key, shingles, split_sentences

NUM_PERM = 128
LSH_BANDS = 32  # 32 bands x 4 rows: pairs above ~0.45 Jaccard collide with high probability
LSH_ROWS = NUM_PERM // LSH_BANDS
MIN_SENTENCE_WORDS = 4
SEED_WINDOW = 4  # winnowing window, in word 5-grams

_CAPITALISED = re.compile(r"(?<![\w'’])([A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]+)*)")
_NUMBER = re.compile(r"\b\d[\d,.]*\d\b|\b\d\b")
_COMMON_CAPITALS = {
    "the", "a", "an", "in", "on", "at", "for", "and", "but", "he", "she", "it", "they", "we", "i",
    "his", "her", "their", "this", "that", "these", "those", "there", "after", "before", "while",
    "el", "la", "los", "las", "un", "una", "en", "y", "le", "les", "des", "du", "de", "et", "il",
    "elle", "der", "die", "das", "und", "ein", "eine", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday",
}


@dataclass
class Sentence:
    text: str
    key: int
    words: int


@dataclass
class Fingerprint:
    sentences: list[Sentence]
    minhash: np.ndarray  # uint64 hash values, NUM_PERM of them
    anchors: set[str] = field(default_factory=set)
    seeds: dict[int, int] = field(default_factory=dict)  # seed -> key of the sentence it is in

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)

    def band_keys(self) -> list[int]:
        return band_keys(self.minhash)


def band_keys(minhash: np.ndarray) -> list[int]:
    """The LSH bucket of each band of a MinHash."""
    keys = []
    for band in range(LSH_BANDS):
        chunk = minhash[band * LSH_ROWS:(band + 1) * LSH_ROWS]
        digest = hashlib.blake2b(band.to_bytes(2, "big") + chunk.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys


def anchors_of(text: str) -> set[str]:
    """Names and numbers, folded: "Abdellatif Loudiyi" -> {"abdellatif", "loudiyi"}."""
    found: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        for token in fold(match.group(1)).split():
            if len(token) > 2 and token not in _COMMON_CAPITALS:
                found.add(token)
    found |= {n for n in numbers_of(text) if len(n) >= 2}
    return found


# News agencies are named in the credit lines of every story ("Associated Press writer X
# contributed to this report"): they say nothing about what a sentence is about.
_AGENCIES = {"associated press", "agence france-presse", "agence france presse", "afp", "reuters",
             "dpa", "efe", "ansa", "upi", "xinhua", "bloomberg", "press association"}


def names_of(text: str) -> set[str]:
    """Capitalised words past the sentence's first, folded, news agencies left out: who and
    where a sentence is about ("Only 6 days earlier, Leila Bensouda warned" -> {"leila", "bensouda"})."""
    found: set[str] = set()
    for match in _CAPITALISED.finditer(text):
        if fold(match.group(1)) in _AGENCIES:
            continue
        tokens = fold(match.group(1)).split()
        if match.start() == 0:
            tokens = tokens[1:]
        found.update(t for t in tokens if len(t) > 2 and t not in _COMMON_CAPITALS)
    return found


def numbers_of(text: str) -> set[str]:
    """Numbers as digit strings, separators dropped, so "14.2" and "14,2" (Spanish, French)
    and "1,109" and "1.109" are the same number."""
    return {re.sub(r"[,.]", "", m.group(0)) for m in _NUMBER.finditer(text)}


_WEEKDAYS = {
    word: day
    for day, spellings in enumerate((
        "monday lunes lundi montag lunedi", "tuesday martes mardi dienstag martedi",
        "wednesday miercoles mercredi mittwoch mercoledi", "thursday jueves jeudi donnerstag giovedi",
        "friday viernes vendredi freitag venerdi", "saturday sabado samedi samstag sabato",
        "sunday domingo dimanche sonntag domenica"))
    for word in spellings.split()
}


def days_of(text: str) -> set[int]:
    """Weekdays a sentence names (0 = Monday), in English, Spanish, French, German or Italian:
    like a number, the day an event happened survives paraphrase and translation."""
    return {_WEEKDAYS[w] for w in fold(text).split() if w in _WEEKDAYS}


def minhash_of(tokens: list[str]) -> np.ndarray:
    mh = MinHash(num_perm=NUM_PERM)
    mh.update_batch([s.encode("utf-8") for s in shingles(tokens, 5)])
    return mh.hashvalues.astype(np.uint64)


# Credit lines say who reported, not what happened: every story of an agency ends with one
# ("Associated Press writer X contributed to this report", "Reporting by X; Editing by Y").
_CREDIT = re.compile(
    r"contributed to this (?:report|story|article)|^(?:additional )?reporting by\b|"
    r"\b(?:editing|writing|compiled|reporting) by\b|^(?:con )?(?:informaci[oó]n|reportaje|reporte) de\b|"
    r"\bedici[oó]n en español\b|\bversion française\b|\bédité par\b|\bont contribué\b|"
    r"\bcontribuy[oó] (?:a|con) (?:este|esta) (?:informe|información|nota)\b", re.IGNORECASE)
MAX_CREDIT_WORDS = 30


def is_credit(sentence: str) -> bool:
    return len(sentence.split()) <= MAX_CREDIT_WORDS and bool(_CREDIT.search(sentence))


def fingerprint(text: str, title: str | None = None) -> Fingerprint:
    """Fingerprint an article text; sentences shorter than 4 words (datelines) and credit
    lines are left out."""
    sentences = []
    token_lists: list[list[str]] = []
    for raw in split_sentences(text):
        folded = fold(raw)
        these = folded.split()
        if len(these) >= MIN_SENTENCE_WORDS and not is_credit(raw):
            sentences.append(Sentence(raw, folded_key(folded), len(these)))
            token_lists.append(these)
    tokens = [w for these in token_lists for w in these]
    anchor_text = " ".join(s.text for s in sentences) + (" " + title if title else "")
    return Fingerprint(sentences, minhash_of(tokens), anchors_of(anchor_text),
                       _seeds(token_lists, [x.key for x in sentences]))


def seeds_of(sentences: list[Sentence]) -> dict[int, int]:
    """Seeds of an article's sentences, by the key of the sentence each comes from."""
    return _seeds([fold(x.text).split() for x in sentences], [x.key for x in sentences])


_WORD_HASHES: dict[str, int] = {}
_GRAM_POWERS = np.array([0x100000001B3 ** k % 2**64 for k in range(4, -1, -1)], dtype=np.uint64)


def _word_hash(word: str) -> int:
    found = _WORD_HASHES.get(word)
    if found is None:
        if len(_WORD_HASHES) > 500_000:
            _WORD_HASHES.clear()
        found = _WORD_HASHES[word] = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "big")
    return found


def _seeds(token_lists: list[list[str]], keys: list[int]) -> dict[int, int]:
    """Winnowing of the word 5-grams within sentences: the smallest hash of every
    ``SEED_WINDOW`` consecutive ones. Two texts sharing a run of that many 5-grams share a
    seed, so a passage reused with a word changed here and there is found by what is left."""
    words = [w for tokens in token_lists for w in tokens]
    if len(words) < 5:
        return {}
    owner = np.repeat(np.arange(len(token_lists)), [len(t) for t in token_lists])
    hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    windows = np.lib.stride_tricks.sliding_window_view(hashes, 5)
    with np.errstate(over="ignore"):
        grams = (windows * _GRAM_POWERS).sum(axis=1, dtype=np.uint64) >> np.uint64(1)
    inside = owner[:-4] == owner[4:]  # a 5-gram does not span two sentences
    grams, gram_owner = grams[inside], owner[:-4][inside]
    if len(grams) == 0:
        return {}
    if len(grams) >= SEED_WINDOW:
        picks = np.lib.stride_tricks.sliding_window_view(grams, SEED_WINDOW).argmin(axis=1)
        chosen = np.unique(np.arange(len(picks)) + picks)
    else:
        chosen = np.array([int(grams.argmin())])
    seeds: dict[int, int] = {}
    for seed, sentence in zip(grams[chosen].tolist(), gram_owner[chosen].tolist()):
        seeds.setdefault(seed, keys[sentence])
    return seeds


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)
