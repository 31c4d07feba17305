"""What story tracking keeps of each article: sentences, their keys, a MinHash, anchors.

- sentence keys find verbatim reuse (republications, trimmed and extended copies);
- MinHash LSH bands find near-copies whose sentences all changed a little;
- seeds (word 5-grams chosen by winnowing) find passages reused with edits, as in passim;
- anchors (names and numbers, which survive paraphrase and translation) find rewrites.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from .crossnames import cross_script_anchors
from .docindex import LEDE_SENTENCES
from .junk import junk_flags, strip_widgets
from .text import DATELINE, fold, folded_key, shingles, split_sentences

NUM_PERM = 128
LSH_BANDS = 32  # 32 bands x 4 rows: pairs above ~0.45 Jaccard collide with high probability
LSH_ROWS = NUM_PERM // LSH_BANDS
MIN_SENTENCE_WORDS = 4
SEED_WINDOW = 4  # winnowing window, in word 5-grams

_TOKEN = re.compile(r"(?<![\w'’])[^\W\d_][\w'’-]*")
# a name after a lower-case article or patronymic joined by a hyphen, as Arabic names are
# transliterated: "Bashar al-Assad", "Abdel Fattah el-Sisi", "Khaled al-Otaibi"
_NAME_PARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|bin|ibn|abu)-(?=[^\W\d_]{2})")
# a number: digits of any script, in groups of three (1,109 / 14.000 / 1 000 000), a fraction
# (Arabic script has separators of its own: "١٤٫٢", "٢٬٤٠٠")
_NUMBER = re.compile(r"(?<!\d)(?<!\d[.,\u066b\u066c])\d+(?:[.,\u066c\u00a0\u202f ]\d{3}(?!\d))*(?:[.,\u066b]\d+)?")
# sentences whose names, numbers, weekdays and months are kept: alignment asks for those of a
# sentence once for every candidate it is compared with
SENTENCE_CACHE = 1 << 15
_HAS_MYRIAD = re.compile(r"\d\s?[兆조億亿억萬万만]")
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


def capitalised_runs(text: str) -> list[tuple[int, str]]:
    """Runs of capitalised words (any cased alphabet: Latin, Greek, Cyrillic, Armenian ...)
    with where each starts: "said Benny Gantz in Rabat" -> [(5, "Benny Gantz"), (20, "Rabat")]."""
    runs: list[tuple[int, str]] = []
    start = end = -1
    for match in _TOKEN.finditer(text):
        word = match.group()
        if not (word[0].isupper() and len(word) > 1):
            particle = _NAME_PARTICLE.match(word) if "-" in word else None
            if particle is None or not word[particle.end()].isupper():
                continue
        if start >= 0 and text[end:match.start()].isspace():
            end = match.end()
            continue
        if start >= 0:
            runs.append((start, text[start:end]))
        start, end = match.start(), match.end()
    if start >= 0:
        runs.append((start, text[start:end]))
    return runs


def anchors_of(text: str) -> set[str]:
    """Names and numbers, folded: "Abdellatif Loudiyi" -> {"abdellatif", "loudiyi"}."""
    return _anchors_and_runs(text)[0]


def _anchors_and_runs(text: str) -> tuple[set[str], list[tuple[str, ...]]]:
    """``anchors_of`` and, from the same reading, the runs of two names or more of
    ``name_runs(text, with_initials=True)`` (whole names)."""
    found: set[str] = set()
    runs = []
    for _, run in capitalised_runs(text):
        folded = fold(run)
        tokens = [t for t in folded.split() if len(t) > 2 and t not in _COMMON_CAPITALS]
        found.update(tokens)
        if len(tokens) > 1 and folded not in _AGENCIES:  # one part is no whole name
            runs.append(tuple(tokens))
    found |= {n for n in numbers_of(text) if len(n) >= 2}
    return found, runs


# Chinese and Japanese write a foreign name's parts joined by a middle dot ("阿姆尔·索利马恩",
# "ウスマン・クリバリ"), the one mark of a name in scripts without capitals or spaces: the two
# characters on each side of the dot stand for the name (where it starts is not written).
_DOTTED_NAME = re.compile(r"(?=([\u3400-\u9fff\u30a1-\u30fa\u30fc]{2}[·・‧•][\u3400-\u9fff\u30a1-\u30fa\u30fc]{2}))")


@lru_cache(maxsize=SENTENCE_CACHE)
def dotted_names(text: str) -> frozenset[str]:
    """Foreign names in Chinese or Japanese text, by the characters around their middle dot,
    the dot made one: "阿姆尔·索利马恩" -> {"姆尔·索利"}."""
    if not any(dot in text for dot in "·・‧•"):
        return frozenset()
    return frozenset(re.sub("[·・‧•]", "·", m) for m in _DOTTED_NAME.findall(text))


# News agencies are named in the credit lines of every story ("Associated Press writer X
# contributed to this report"): they say nothing about what a sentence is about.
_AGENCIES = {"associated press", "agence france-presse", "agence france presse", "afp", "reuters",
             "dpa", "efe", "ansa", "upi", "xinhua", "bloomberg", "press association"}


# where a word is capitalised because a sentence or a quotation starts there
_OPENS = re.compile(r"(?:^|[:«“„\"‘'—–]|(?<!\w)-)\s*$")


@lru_cache(maxsize=SENTENCE_CACHE)
def name_runs(text: str, with_initials: bool = False) -> tuple[tuple[str, ...], ...]:
    """The names of ``names_of``, each run of them in the order written: a person's whole
    name ("said Tomás Ibáñez in Potosí" -> (("tomas", "ibanez"), ("potosi",)))."""
    runs = []
    for start, run in capitalised_runs(text):
        if fold(run) in _AGENCIES:
            continue
        tokens = fold(run).split()
        if not with_initials and _OPENS.search(text[:start]):
            tokens = tokens[1:]
        tokens = [t for t in tokens if len(t) > 2 and t not in _COMMON_CAPITALS]
        if tokens:
            runs.append(tuple(tokens))
    return tuple(runs)


@lru_cache(maxsize=SENTENCE_CACHE)
def names_of(text: str, with_initials: bool = False) -> frozenset[str]:
    """Capitalised words that do not start the sentence or a quotation in it, folded, news
    agencies left out: who and where a sentence is about ("Only 6 days earlier, Leila Bensouda
    warned" -> {"leila", "bensouda"}). ``with_initials`` adds those first words too: the name
    a sentence may start with ("Rakhimov told reporters: "Every delay ..."" -> {"rakhimov", "every"})."""
    return frozenset(t for run in name_runs(text, with_initials) for t in run)


# Chinese, Japanese and Korean count in myriads: "3億5000万ドル" and "3억5000만 달러" are
# $350 million, "3.5亿" the same; a compound is read as the one number it writes.
_MYRIAD_UNITS = {"兆": 10**12, "조": 10**12, "億": 10**8, "亿": 10**8, "억": 10**8, "萬": 10**4, "万": 10**4,
                 "만": 10**4}
_MYRIAD = re.compile(r"(?<!\d)(?<!\d[.,])(?:\d+(?:[.,]\d+)?\s?[兆조億亿억萬万만]\s?)+\d*")
_MYRIAD_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s?([兆조億亿억萬万만])|(\d+)$")


def _myriads(match: re.Match) -> str:
    total = Decimal(0)
    for number, unit, rest in _MYRIAD_PART.findall(match.group(0).replace(" ", "")):
        total += Decimal(number.replace(",", ".")) * _MYRIAD_UNITS[unit] if unit else Decimal(rest)
    return f" {int(total)} "


# words that scale the number before them, in the languages the encoders cover: "$60 million"
# is "60 млн долларов", "6000万美元" or "60.000.000 de dólares"
_SCALE = re.compile(
    r"\s?(?:(?:hundred|thousand|million|billion|trillion|bn|mn|m|k|mil|mille|millón|millon|millones|billón|"
    r"billones|millions?|milliards?|milliers?|tausend|mio|mrd|millionen?|milliarden?|milion[eiy]?|milionów|"
    r"miliard[oiy]?|miliardów|mila|milhão|milhões|bilhão|bilhões|miljoen|miljard|duizend|tys|mln|mld|"
    r"tysi[aą]c\w*|тыс\w*|млн|млрд|миллион\w*|миллиард\w*|milyon|milyar|bin|مليون|ملايين|مليار|مليارات|ألف|"
    r"آلاف)(?!\w)|ล้าน|พัน|หมื่น|แสน|लाख|करोड़|हज़ार)", re.IGNORECASE)


@lru_cache(maxsize=SENTENCE_CACHE)
def numbers_of(text: str) -> frozenset[str]:
    """Numbers by value, as every language writes them: "14.2" and "14,2"; "1,109" and
    "1.109"; "14 billion", "14.000 millones", "140亿" and "140億" are all "14". A number with
    separators, of four digits or more, or scaled by a word, reads by its significant digits
    (separators and trailing zeros dropped); one of up to three digits standing alone reads as
    written, so that "60" (years of age) is not "6" (years in office)."""
    found = set()
    if _HAS_MYRIAD.search(text):
        text = _MYRIAD.sub(_myriads, unicodedata.normalize("NFKC", text))
    for match in _NUMBER.finditer(text):
        written = match.group(0)
        digits = "".join(str(unicodedata.digit(ch)) for ch in written if ch.isdigit())
        if len(digits) == len(written) <= 3 and not _SCALE.match(text, match.end()):
            found.add(digits.lstrip("0") or "0")
        else:
            found.add(digits.rstrip("0") or "0")
    return frozenset(found)


# Weekdays and months as news writes them in the languages the encoders cover (Polish, Russian
# and Greek in the cases dates take: "w środę", "в среду", "3 stycznia", "3 января").
_DAY_NAMES = (
    "monday lunes lundi montag lunedi maandag poniedziałek poniedzialek понедельник pazartesi الاثنين "
    "الإثنين δευτέρα सोमवार",
    "tuesday martes mardi dienstag martedi dinsdag wtorek вторник salı الثلاثاء τρίτη मंगलवार",
    "wednesday miercoles mercredi mittwoch mercoledi woensdag środa środę среда среду çarşamba الأربعاء "
    "τετάρτη बुधवार",
    "thursday jueves jeudi donnerstag giovedi donderdag czwartek четверг perşembe الخميس πέμπτη गुरुवार",
    "friday viernes vendredi freitag venerdi vrijdag piątek пятница пятницу cuma الجمعة παρασκευή शुक्रवार",
    "saturday sabado samedi samstag sabato zaterdag sobota sobotę суббота субботу cumartesi السبت σάββατο "
    "शनिवार",
    "sunday domingo dimanche sonntag domenica zondag niedziela niedzielę воскресенье pazar الأحد κυριακή "
    "रविवार",
)
_MONTH_NAMES = (
    "january enero janvier januar gennaio januari styczeń stycznia январь января ocak يناير ιανουάριος "
    "ιανουαρίου जनवरी",
    "february febrero fevrier février februar febbraio februari luty lutego февраль февраля şubat فبراير "
    "φεβρουάριος φεβρουαρίου फरवरी",
    "march marzo mars märz maart marzec marca март марта mart مارس μάρτιος μαρτίου मार्च",
    "april abril avril aprile kwiecień kwietnia апрель апреля nisan أبريل ابريل απρίλιος απριλίου अप्रैल",
    "may mayo mai maggio mei maj maja май мая mayıs مايو μάιος μαΐου मई",
    "june junio juin juni giugno czerwiec czerwca июнь июня haziran يونيو ιούνιος ιουνίου जून",
    "july julio juillet juli luglio lipiec lipca июль июля temmuz يوليو ιούλιος ιουλίου जुलाई",
    "august agosto août augustus sierpień sierpnia август августа ağustos أغسطس αύγουστος αυγούστου अगस्त",
    "september septiembre septembre settembre wrzesień września сентябрь сентября eylül سبتمبر "
    "σεπτέμβριος σεπτεμβρίου सितंबर",
    "october octubre octobre oktober ottobre październik października октябрь октября ekim أكتوبر "
    "οκτώβριος οκτωβρίου अक्टूबर",
    "november noviembre novembre listopad listopada ноябрь ноября kasım نوفمبر νοέμβριος νοεμβρίου नवंबर",
    "december diciembre décembre dezember dicembre grudzień grudnia декабрь декабря aralık ديسمبر "
    "δεκέμβριος δεκεμβρίου दिसंबर",
)


def _lookup(groups: tuple[str, ...]) -> dict[str, int]:
    return {fold(word): number for number, spellings in enumerate(groups) for word in spellings.split()}


_WEEKDAYS = _lookup(_DAY_NAMES)
_MONTHS = _lookup(_MONTH_NAMES)
# English months that are also common words count only when capitalised
_AMBIGUOUS_MONTHS = {"may": re.compile(r"\bMay\b"), "march": re.compile(r"\bMarch\b")}
_CJK_DAY = re.compile(r"(?:星期|礼拜|禮拜|周|週)([一二三四五六日天])|([月火水木金土日])曜日?")
_CJK_DAY_NUMBER = {c: i for i, c in enumerate("一二三四五六")} | {"日": 6, "天": 6}
_JA_DAY_NUMBER = {c: i for i, c in enumerate("月火水木金土日")}
_CJK_MONTH = re.compile(r"(?<![\d])(1[0-2]|0?[1-9])\s?[月월]")
# Korean and Thai weekdays and Thai months, matched in the text as written (folding drops
# Thai vowel and tone marks)
_KO_DAY = re.compile(r"([월화수목금토일])요일")
_KO_DAY_NUMBER = {c: i for i, c in enumerate("월화수목금토일")}
_TH_DAYS = ("จันทร์", "อังคาร", "พุธ", "พฤหัส", "ศุกร์", "เสาร์", "อาทิตย์")
_TH_DAY = re.compile("วัน(" + "|".join(_TH_DAYS) + ")")
_TH_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
              "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
_TH_MONTH = re.compile("|".join(_TH_MONTHS))


@lru_cache(maxsize=SENTENCE_CACHE)
def days_of(text: str) -> frozenset[int]:
    """Weekdays a sentence names (0 = Monday), in the main European languages, Russian,
    Turkish, Arabic, Greek, Hindi, Chinese, Japanese, Korean and Thai: like a number, the day an event
    happened survives paraphrase and translation."""
    found = {_WEEKDAYS[w] for w in fold(text).split() if w in _WEEKDAYS}
    for match in _CJK_DAY.finditer(text):
        found.add(_CJK_DAY_NUMBER[match.group(1)] if match.group(1) else _JA_DAY_NUMBER[match.group(2)])
    found |= {_KO_DAY_NUMBER[m.group(1)] for m in _KO_DAY.finditer(text)}
    found |= {_TH_DAYS.index(m.group(1)) for m in _TH_DAY.finditer(text)}
    return frozenset(found)


@lru_cache(maxsize=SENTENCE_CACHE)
def months_of(text: str) -> frozenset[int]:
    """Months a sentence names (0 = January), in the same languages as ``days_of``."""
    found = set()
    for word in fold(text).split():
        if word in _MONTHS and (word not in _AMBIGUOUS_MONTHS or _AMBIGUOUS_MONTHS[word].search(text)):
            found.add(_MONTHS[word])
    found |= {int(m.group(1)) - 1 for m in _CJK_MONTH.finditer(text)}
    found |= {_TH_MONTHS.index(m.group(0)) for m in _TH_MONTH.finditer(text)}
    return frozenset(found)


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


def embedding_text(sentence: str) -> str:
    """The sentence as the encoder reads it: without a dateline (it says where a story was
    filed, not what happened, and a translation drops it or writes it otherwise)."""
    return DATELINE.sub("", sentence, count=1) or sentence


def is_credit(sentence: str) -> bool:
    return len(sentence.split()) <= MAX_CREDIT_WORDS and bool(_CREDIT.search(sentence))


def fingerprint(text: str, title: str | None = None, language: str | None = None) -> Fingerprint:
    """Fingerprint an article text; sentences shorter than 4 words (datelines), credit lines
    and page furniture (consent walls, newsletter prompts ...) are left out."""
    sentences = []
    token_lists: list[list[str]] = []
    raws = split_sentences(strip_widgets(text), language)
    for raw, junk in zip(raws, junk_flags(raws)):
        folded = fold(raw)
        these = folded.split()
        if len(these) >= MIN_SENTENCE_WORDS and not junk and not is_credit(raw):
            sentences.append(Sentence(raw, folded_key(folded), len(these)))
            token_lists.append(these)
    tokens = [w for these in token_lists for w in these]
    anchor_text = " ".join(s.text for s in sentences) + (" " + title if title else "")
    lede = " ".join(s.text for s in sentences[:LEDE_SENTENCES])
    anchors, runs = _anchors_and_runs(anchor_text)
    anchors |= cross_script_anchors(runs, anchor_text, lede)
    return Fingerprint(sentences, minhash_of(tokens), anchors,
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
