"""Countries by their names in many languages (CLDR's, through Babel): a translation writes
Morocco "Marruecos", "Maroc" or "Marokko", Latvia "Letonia", "Lettonie" or "Lettland", which no
respelling reads back, and names the same place. Only names written as one word are kept: a
sentence's names are compared word by word (``namesets``), and the words of longer names
("Estados Unidos", "Reino Unido") say no country alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale

from .text import fold

# the languages of the sentence encoders and of the news that most wire copy is translated into
LOCALES = (
    "ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hi", "hr", "hu", "id", "it",
    "ja", "ko", "lt", "lv", "ms", "nb", "nl", "pl", "pt", "pt_PT", "ro", "ru", "sk", "sl", "sr", "sv", "th", "tr",
    "uk", "vi", "zh", "zh_Hant",
)
# names CLDR has replaced that the press still prints
FORMER_NAMES = {"TR": ("Turkey",), "SZ": ("Swaziland",), "MK": ("Macedonia",), "CV": ("Cape Verde",)}
# "Myanmar (Burma)", "Congo - Kinshasa": a name and the short one it is known by
_ALTERNATIVES = re.compile(r"\s*\(|\)\s*|\s+-\s+")


@lru_cache(maxsize=1)
def country_words() -> dict[str, frozenset[str]]:
    """Folded one-word country names -> the ISO codes of the countries they name."""
    found: dict[str, set[str]] = {}

    def add(code: str, name: str) -> None:
        for part in _ALTERNATIVES.split(name):
            folded = fold(part)
            if folded and " " not in folded and len(folded) >= 2:
                found.setdefault(folded, set()).add(code)

    for locale in LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha():
                add(code, name)
    for code, names in FORMER_NAMES.items():
        for name in names:
            add(code, name)
    return {word: frozenset(codes) for word, codes in found.items()}


def countries_of(name: str) -> frozenset[str]:
    """The countries a folded name is the one-word name of, in any of ``LOCALES``."""
    return country_words().get(name, frozenset())


def same_country(x: str, y: str) -> bool:
    """Whether two folded names are one country's names in two languages."""
    words = country_words()
    codes_x = words.get(x)
    return bool(codes_x and codes_x & words.get(y, frozenset()))
