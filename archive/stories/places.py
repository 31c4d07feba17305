"""Countries by their names in many languages (CLDR's, through Babel): a translation writes
Morocco "Marruecos", "Maroc", "Марокко" or "摩洛哥", which no respelling or transliteration
reads back, and names the same place.

Two uses: a sentence's names are compared word by word (``namesets``), where a country's
or a city's one-word names in two languages are one name (``same_place``: Warsaw, "Varsovie",
"Warschau"; the cities CLDR names time zones by); and the countries a sentence
names, read in any script (``countries_in``), which a translation keeps as it keeps figures,
weekdays and months (``anchors``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from babel.core import get_global

from .crossnames import bare_forms
from .fingerprint import SENTENCE_CACHE
from .text import UNSPACED_LETTERS, alphabet, fold

# the languages of the sentence encoders and of the news that most wire copy is translated into
LOCALES = (
    "ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hi", "hr", "hu", "id", "it",
    "ja", "ko", "lt", "lv", "ms", "nb", "nl", "pl", "pt", "pt_PT", "ro", "ru", "sk", "sl", "sr", "sv", "th", "tr",
    "uk", "vi", "zh", "zh_Hant",
)
# names the press prints that CLDR gives otherwise (a former name, a short form)
PRESS_NAMES = {
    "US": ("U.S.", "USA", "США", "アメリカ", "米国", "สหรัฐ"), "GB": ("Britain", "UK", "U.K."), "AE": ("UAE",),
    "TR": ("Turkey",), "MM": ("Burma",), "SZ": ("Swaziland",), "MK": ("Macedonia",), "CV": ("Cape Verde",),
}
# CLDR's territories that are no country: the UN, the EU, the eurozone, placeholders
NOT_COUNTRIES = frozenset({"UN", "EU", "EZ", "QO", "XA", "XB", "ZZ"})
MAX_NAME_WORDS = 4
# a name in an alphabet with capitals, shorter than this, is read only as CLDR capitalises it
# whole ("USA"): "Fas" (Turkish for Morocco) or "Mỹ" (Vietnamese for the United States) are
# words of other languages
MIN_CASED_LETTERS = 4
# inflected (Латвии, Łotwy, Marokkos, Israeli): a name of this many letters or more, or its stem
# (its final vowel dropped), is read with up to ``MAX_ENDING`` more letters; a shorter name only
# as written, and a stem of four letters with two more at most ("Perugia" is not Peru)
MIN_STEM_LETTERS = 5
MAX_ENDING = 3
_VOWELS = "aeiouyаеиоуыэюяьйαεηιουω"
_VOWEL_END = re.compile(f"[{_VOWELS}]$")
# a stem (a name less its final vowel) takes a case ending where the vowel was ("Łotwa" ->
# "Łotwy", "Латвия" -> "Латвии"; Turkish "ı" too) or English "-ish" ("Danish"): a word going
# on from it with another consonant is another word ("Francisco", "Service", "Samos", "Child")
_STEM_ENDING = re.compile(f"[{_VOWELS}ı]|sh")
_CASED = frozenset({"latin", "cyrillic", "greek"})
# Chinese, Japanese and Thai write no spaces: a name is found inside the text
_UNSPACED = frozenset({"cjk", "hiragana", "katakana", "thai"})
# Arabic and Hebrew write "and", "in", "for", "the" onto the word they precede
_CLITICS = {"arabic": "وفبلك", "hebrew": "ובלמשהכ"}
_TOKEN = re.compile(r"\w+")
_UNSPACED_LETTER = re.compile(f"[{UNSPACED_LETTERS}]")
_KATAKANA = re.compile(r"[\u30a0-\u30ff]")
_CITY_AREAS = ("Africa/", "America/", "Arctic/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")


class _Tables:
    def __init__(self) -> None:
        self.words: dict[str, set[str]] = {}  # folded name (one word or several) -> codes
        self.stems: dict[str, set[str]] = {}  # folded stem of a long one-word name -> codes
        self.unspaced: dict[str, set[str]] = {}  # name as written, in a script without spaces -> codes
        for locale in LOCALES:
            for code, name in Locale.parse(locale).territories.items():
                if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES:
                    self.add(code, name)
        for code, names in PRESS_NAMES.items():
            for name in names:
                self.add(code, name)
        pattern = "|".join(re.escape(n) for n in sorted(self.unspaced, key=len, reverse=True))
        self.unspaced_names = re.compile(pattern) if pattern else None

    def add(self, code: str, name: str) -> None:
        # "Myanmar (Burma)", "Congo - Kinshasa", "Hong Kong SAR China": the name before its qualifier
        name = re.split(r"\s*\(|\s+-\s+|\s+SAR\b", name)[0].strip()
        if not name:
            return
        script = alphabet(name[0])
        if script in _UNSPACED:
            if len(name) >= 2:
                self.unspaced.setdefault(name, set()).add(code)
            return
        folded = fold(name)
        if not folded or len(folded.split()) > MAX_NAME_WORDS:
            return
        if script in _CASED and len(folded.replace(" ", "")) < MIN_CASED_LETTERS and not name.replace(".", "").isupper():
            return
        self.words.setdefault(folded, set()).add(code)
        if " " not in folded and len(folded) >= MIN_STEM_LETTERS:
            self.stems.setdefault(_VOWEL_END.sub("", folded), set()).add(code)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    return _Tables()


@lru_cache(maxsize=1)
def country_words() -> dict[str, frozenset[str]]:
    """Folded one-word country names -> the ISO codes of the countries they name."""
    return {word: frozenset(codes) for word, codes in _tables().words.items() if " " not in word}


def same_country(x: str, y: str) -> bool:
    """Whether two folded names are one country's names in two languages."""
    return _named_alike(country_words(), x, y)


@lru_cache(maxsize=1)
def city_words() -> dict[str, frozenset[str]]:
    """Folded one-word names of the cities CLDR names time zones by (Warsaw, "Varsovie",
    "Warschau", "Warszawa", "Варшава"), in ``LOCALES`` and by the zone's own id, former ids
    included (Calcutta, Rangoon) -> the zones they name. Only zones named by a continent or
    an ocean and a city: "US/Pacific" or "Cuba" name no city, and Antarctica's research
    stations are no place news is from."""
    aliases = get_global("zone_aliases")
    cities: dict[str, set[str]] = {}

    def add(zone: str, name: str) -> None:
        folded = fold(name)
        if folded and " " not in folded and zone.startswith(_CITY_AREAS):
            cities.setdefault(folded, set()).add(aliases.get(zone, zone))

    for zone in {*get_global("zone_territories"), *aliases, *aliases.values()}:
        add(zone, zone.rsplit("/", 1)[-1].replace("_", " "))
    for locale in LOCALES:
        for zone, names in Locale.parse(locale).time_zones.items():
            if "city" in names:
                add(zone, names["city"])
    return {name: frozenset(zones) for name, zones in cities.items()}


def same_place(x: str, y: str) -> bool:
    """Whether two folded names are one country's or one city's names in two languages."""
    return same_country(x, y) or _named_alike(city_words(), x, y)


def _named_alike(table: dict[str, frozenset[str]], x: str, y: str) -> bool:
    """Whether ``x`` and ``y`` name one of the same places in ``table`` (name -> places)."""
    places = table.get(x)
    return bool(places and places & table.get(y, frozenset()))


@lru_cache(maxsize=SENTENCE_CACHE)
def countries_in(text: str) -> frozenset[str]:
    """The ISO codes of the countries a sentence names, in any of ``LOCALES``: by their names,
    capitalised where the alphabet has capitals, inflected ("в Латвии"), with the particles
    Arabic, Hebrew and Korean write onto them, or inside the unspaced text of Chinese, Japanese
    and Thai."""
    tables = _tables()
    found: set[str] = set()
    if tables.unspaced_names is not None and _UNSPACED_LETTER.search(text):
        for match in tables.unspaced_names.finditer(text):
            start, end = match.span()
            if _KATAKANA.match(match.group(0)) and ((start and _KATAKANA.match(text, start - 1))
                                                     or _KATAKANA.match(text, end)):
                continue  # "マリ" (Mali) inside "マリア" (Maria): katakana spell a name out whole
            found |= tables.unspaced[match.group(0)]
    tokens = [(word, fold(word), alphabet(word[0])) for word in _TOKEN.findall(text)]
    k = 0
    while k < len(tokens):
        word, _, script = tokens[k]
        upper = word[0].isupper()
        if script in _UNSPACED or (script in _CASED and not upper):
            k += 1
            continue
        size, codes = _name_at(tables, tokens, k)
        found |= codes
        k += size or 1
    return frozenset(found)


def _name_at(tables: _Tables, tokens: list[tuple[str, str, str]], k: int) -> tuple[int, set[str]]:
    """(words taken, codes) of the longest country name starting at token ``k`` (each token
    as written, folded, and its alphabet)."""
    for size in range(min(MAX_NAME_WORDS, len(tokens) - k), 0, -1):
        folded = " ".join(word for _, word, _ in tokens[k:k + size])
        written = tokens[k][0] if size == 1 else None
        for form, inflected in _forms(folded, tokens[k][2], written):
            if not inflected:
                codes = tables.words.get(form)
            else:
                codes = _inflected(tables, folded, form)
            if codes:
                return size, codes
    return 0, set()


def _inflected(tables: _Tables, word: str, form: str) -> set[str] | None:
    """The codes ``word`` names as ``form`` and an ending: a name less its ending
    ("Marokkos"), or a stem with a case ending ("Łotwy", "Латвии"); a name of few letters is a
    stem only."""
    stem_ends = form in tables.words or _STEM_ENDING.match(word, len(form))
    return ((tables.stems.get(form) if stem_ends else None)
            or (tables.words.get(form) if len(form) >= MIN_STEM_LETTERS else None))


def _forms(folded: str, script: str, written: str | None):
    """(form, inflected): the folded words as written, without the particles written onto them,
    and, for one word (``written``, as in the text), without an inflection's ending."""
    yield folded, False
    clitics = _CLITICS.get(script, "")
    stripped = folded
    for _ in range(2):
        if stripped[:1] and stripped[0] in clitics and len(stripped) > 3:
            stripped = stripped[1:]
            yield stripped, False
            if script == "arabic" and stripped.startswith("ل") and not stripped.startswith("ال"):
                yield "ا" + stripped, False  # "للمغرب": li- + al-Maghrib
    if written is not None and script == "hangul":  # "모로코는", "이집트에서"
        for form in bare_forms(written):
            yield fold(form), False
    elif written is not None and " " not in folded:
        for cut in range(1, MAX_ENDING + 1):
            left = len(folded) - cut
            if left < MIN_STEM_LETTERS - 1 or (left < MIN_STEM_LETTERS and cut > MAX_ENDING - 1):
                break  # a stem of four letters takes two more at most: Łotwie, not Perugia
            yield folded[:-cut], True
