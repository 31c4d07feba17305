"""Names compared as a reader compares them: within one alphabet (a translation writes Gantz
"Ганц", and no name of one alphabet can refute another's), respelled at most ("benkirane" /
"benkiran", Fiji / Fiyi) or in another language's name for a country or a city (Morocco /
Marruecos, Warsaw / Varsovie), and,
for a whole text, which of its people and places it names again."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from rapidfuzz import fuzz

from .crossnames import bare_forms
from .fingerprint import SENTENCE_CACHE, Sentence, capitalised_runs, name_runs, names_of
from .places import same_place
from .text import DATELINE, alphabet, fold

NAME_RESPELLING = 80  # rapidfuzz ratio of "benkirane" / "benkiran", "tangier" / "tanger"
_UNSPELLED = re.compile(r"[\W_]+")


def script_of_name(name: str) -> str:
    """The alphabet a folded name is written in: "latin", "greek", "cyrillic" ..."""
    return alphabet(name[0])


def by_script(names: set[str] | frozenset[str]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name in names:
        found.setdefault(script_of_name(name), set()).add(name)
    return found


def names_overlap(a: set[str], b: set[str]) -> float | None:
    """The share of the fewer names that both texts name, within the alphabet they both use
    most alike; None when they name nothing in a common alphabet (a translation into Cyrillic
    or Chinese names Gantz "Ганц" or "甘茨")."""
    scripts_a, scripts_b = by_script(a), by_script(b)
    common = scripts_a.keys() & scripts_b.keys()
    if not common:
        return None
    return max(len(scripts_a[s] & scripts_b[s]) / min(len(scripts_a[s]), len(scripts_b[s])) for s in common)


def share_none(a: set[str], b: set[str]) -> bool:
    scripts_a, scripts_b = by_script(a), by_script(b)
    return bool(scripts_a.keys() & scripts_b.keys()) and not shared_in(scripts_a, scripts_b)


def shared_in(scripts_a: dict[str, set[str]], scripts_b: dict[str, set[str]]) -> bool:
    """Whether names grouped by alphabet (``by_script``) share one in an alphabet both use."""
    return any(share_a_name(scripts_a[s], scripts_b[s]) for s in scripts_a.keys() & scripts_b.keys())


def share_a_name(a: set[str], b: set[str]) -> bool:
    if a & b:
        return True
    return any(_one_name(x, y) for x in a for y in b)


@lru_cache(maxsize=SENTENCE_CACHE)  # the names of two texts are compared again for each pair of their sentences
def _one_name(x: str, y: str) -> bool:
    """Whether two folded names are one name respelled, or one place's names in two languages."""
    return (fuzz.ratio(x, y) >= NAME_RESPELLING or fuzz.ratio(respelled(x), respelled(y)) >= NAME_RESPELLING
            or same_place(x, y))


@lru_cache(maxsize=SENTENCE_CACHE)
def joined_parts(text: str, with_initials: bool = False) -> frozenset[str]:
    """Each two parts of a sentence's names written as one word ("Naser Ben Kiran" -> "naserben",
    "benkiran"): one spelling splits a name that another writes whole ("Benkirane")."""
    return frozenset("".join(run[k:k + 2]) for run in name_runs(text, with_initials) for k in range(len(run) - 1))


_RESPELLED_LETTERS = str.maketrans("jykqwz", "iiccvs")
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=SENTENCE_CACHE)
def respelled(name: str) -> str:
    """A folded Latin name as languages respell it: the letters one language writes for
    another's sound (Fiji / Fiyi, Qatar / Catar, Kenya / Kenia, Jakarta / Yakarta, Zurique /
    Zurih, Mallorca / Majorque), a silent "h" (Tomás / Thomas), "ph" for "f" and doubled
    letters made one (Philippines / Filipinas)."""
    name = name.replace("ph", "f").replace("ck", "k").replace("qu", "k").replace("ll", "y")
    name = name.translate(_RESPELLED_LETTERS).replace("h", "")
    return _DOUBLED.sub(r"\1", name)


# alphabets that space their words but have no capitals: a name is written as any other word
UNCASED_SPACED = frozenset({"arabic", "hebrew", "devanagari", "bengali", "tamil", "georgian", "hangul"})
_WORD = re.compile(r"\w{3,}")
# Thai spaces phrases, not words, and sets a name apart by spaces: a short phrase may be one,
# found inside the longer phrases of other sentences
_PHRASE = re.compile(r"[\u0e00-\u0e7f]{3,12}")
_THAI = re.compile(r"[\u0e00-\u0e7f]")


@lru_cache(maxsize=SENTENCE_CACHE)
def names_in(text: str) -> frozenset[str]:
    """What may name someone or somewhere in a sentence: its capitalised words, the first
    included (``names_of``), its words of three letters or more in an alphabet without
    capitals (in Hangul bare, too, of the particles written onto them), and its short Thai
    phrases, where only how a text repeats them, and the other never writes them, tells a
    name."""
    words = {fold(form) for w in _WORD.findall(text) if alphabet(w[0]) in UNCASED_SPACED
             for form in bare_forms(w) if len(form) >= 3}
    phrases = {p for p in text.split() if _PHRASE.fullmatch(p)}
    return names_of(text, with_initials=True) | frozenset(w for w in words if w) | frozenset(phrases)


@lru_cache(maxsize=SENTENCE_CACHE)
def _whole_names(text: str) -> frozenset[str]:
    """A sentence's capitalised runs, each as one word ("Ezz El-Din" -> "ezzeldin")."""
    return frozenset(_UNSPELLED.sub("", fold(run)) for _, run in capitalised_runs(text))


class TextNames:
    """The names of one text: those two of its sentences or more name (its own people and
    places, where a name met once may be an outlet's own), every name it names, each name
    written as one word ("Ezz El-Din" -> "ezzeldin"), and the agency its dateline credits
    ("TAZRIT, Qaradan (Aurora Press) —"), which the text may name again as its source ("told
    Aurora Press") and a copy may leave out."""

    def __init__(self, sentences: Sequence[Sentence]):
        counts: dict[str, int] = {}
        whole: set[str] = set()
        credited: set[str] = set()
        self._sentences = [names_in(sentence.text) for sentence in sentences]
        self._texts = [sentence.text for sentence in sentences]
        self._text = " ".join(self._texts)
        for names, sentence in zip(self._sentences, sentences):
            for name in names:
                if script_of_name(name) == "thai":  # counted where it stands inside a phrase
                    counts.setdefault(name, sum(name in s.text for s in sentences))
                else:
                    counts[name] = counts.get(name, 0) + 1
            whole |= _whole_names(sentence.text)
            dateline = DATELINE.match(sentence.text)
            if dateline and dateline["credit"]:
                credited |= names_of(dateline["credit"], with_initials=True)
        self.credited = frozenset(credited)
        self.recurring = frozenset(n for n, c in counts.items() if c >= 2)
        self._named = by_script(frozenset(counts))
        self._thai = _THAI.search(self._text) is not None
        self._thai_names = [n for n in self.recurring if script_of_name(n) == "thai"]
        self._whole = frozenset(whole)

    def protagonists(self, index: int) -> frozenset[str]:
        """The names sentence ``index`` gives that the text names again (a Thai name wherever
        it stands in the sentence: it may run on into the next word)."""
        return (self._sentences[index] & self.recurring) | {n for n in self._thai_names if n in self._texts[index]}

    def unknown(self, names: set[str] | frozenset[str]) -> set[str]:
        """Those of ``names`` this text never names, in an alphabet it names in: not respelled
        ("hesham" / "hisham") nor written as one word with its particles ("din" of "Ezz El-Din"
        / "Ezzeldin")."""
        return {n for n in names if self._never_writes(n)}

    def _never_writes(self, name: str) -> bool:
        script = script_of_name(name)
        if script == "thai":  # anywhere in its phrases
            return self._thai and name not in self._text
        return (script in self._named and not share_a_name({name}, self._named[script])
                and not any(name in w or (len(w) > 4 and w in name) or fuzz.ratio(name, w) >= NAME_RESPELLING
                            for w in self._whole))
