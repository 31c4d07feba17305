"""Names a translation writes in another script: "Avital Rosenthal" in "阿维塔尔·罗塞恩塔尔",
"イルゼ・ベルジナ", "توماس ابانيز" or "Юсеф Эль Идрисси".

A name is compared by its consonant skeleton: both spellings romanized (``anyascii``), vowels
and the letters scripts use for them dropped, and the consonants folded into classes that
transliteration keeps apart (lips, tongue tip, back, hiss, liquids, nasals): "Rosenthal" and
"Luosaientaer" are both L S N T L. Only spans a translation marks out as a name are looked at:
a word where words are spaced, a katakana run, a Chinese name's parts on either side of its
middle dot; never arbitrary runs of Chinese or Thai characters, which would match by chance.

The skeletons of whole names (first and last) are also what an article posts for the
translations of it to be found by (``cross_script_anchors``), and what it looks them up by.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from .text import CASED_ALPHABETS, alphabet

MIN_CLASSES = 4  # a skeleton of fewer consonants matches too much by chance
_HAN_NAME_CHARS = 6  # characters of a Chinese name part
# consonant classes; vowels (and y, h, and apostrophes) have none
_LATIN_CLASSES = {**dict.fromkeys("bpfv", "B"), **dict.fromkeys("td", "T"), **dict.fromkeys("kgqc", "K"),
                  **dict.fromkeys("szxj", "S"), **dict.fromkeys("lr", "L"), **dict.fromkeys("mn", "N")}
# pinyin (Chinese romanized) writes a foreign v as w, and its c, q, x, j, z are all hisses
_PINYIN_CLASSES = {**_LATIN_CLASSES, "w": "B", "c": "S", "q": "S"}
_SOFT_C = re.compile(r"c(?=[eiy])")
# kh (Cyrillic х, Arabic خ) is an h where kana, hangul and Chinese write it: "Bakhyt", "バヒト"
_KH = re.compile("kh")
# Arabic and Hebrew write long vowels with w/y (and Hebrew o/u with vav, romanized v)
_ARABIC_PREFIXES = ("وال", "بال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_HEBREW_PREFIXES = ("ו", "ה", "ב", "ל", "מ", "ש", "כ")
# Korean particles written onto a name: 은/는/이/가/을/를/의/에/와/과/도/로/에서/에게/으로
_HANGUL_PARTICLES = ("에서", "에게", "으로", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로")
_CYRILLIC_ENDINGS = re.compile(r"(?:ом|ем|ой|ей|ым|им|ах|ях|ов|ев|а|я|у|ю|е|ы|и)$")
_MIDDLE_DOTS = "·・‧•"
# フ before another syllable (not a small vowel: ファ, フィ write f)
_KANA_CODA_H = re.compile(r"フ(?=[\u30a1-\u30fa])(?![ァィゥェォャュョ])")
_GREEK_STOPS = re.compile("μπ|ντ|γκ", re.IGNORECASE)
_GREEK_STOPS_AS = {"μπ": "b", "ντ": "d", "γκ": "g"}


def _script(ch: str) -> str:
    script = alphabet(ch)
    return "katakana" if script.startswith("katakana") else script  # "ー" is katakana-hiragana


@lru_cache(maxsize=65536)
def skeleton(text: str, pinyin: bool = False, vowel_letters: str = "") -> str:
    """``text``'s consonant classes in order, repeats collapsed: "Bērziņa" -> "BLSN"."""
    plain = anyascii(text).lower()
    if not pinyin:
        plain = _KH.sub("h", _SOFT_C.sub("s", plain))
    classes = _PINYIN_CLASSES if pinyin else _LATIN_CLASSES
    out = []
    for letter in plain:
        if letter in vowel_letters:
            continue
        cls = classes.get(letter)
        if cls is not None and (not out or out[-1] != cls):
            out.append(cls)
    return "".join(out)


def latin_skeletons(runs) -> dict[str, str]:
    """Skeleton -> name, of the Latin names long enough to be matched: every name of the runs
    of ``name_runs`` on its own and every part of a run joined ("tomas", "ibanez", "tomas
    ibanez"): a name of a few consonants is matched whole. (Read-only: it is shared.)"""
    return _latin_skeletons(tuple(tuple(run) for run in runs))


@lru_cache(maxsize=32768)
def _latin_skeletons(runs: tuple[tuple[str, ...], ...]) -> dict[str, str]:
    found = {}
    for run in runs:
        for i in range(len(run)):
            for j in range(i + 1, len(run) + 1):
                name = " ".join(run[i:j])
                if _script(name[0]) == "latin":
                    key = skeleton(name)
                    if len(key) >= MIN_CLASSES:
                        found[key] = name
    return found


def _spans(text: str) -> list[tuple[str, int, int]]:
    """(script, start, end) of the runs of letters in ``text`` that are one script each (a run
    goes on through its combining marks, as Devanagari writes its vowels, and its apostrophes)."""
    spans = []
    start, script = None, None
    for i, ch in enumerate(text):
        if start is not None and (ch in "'’" or unicodedata.category(ch)[0] == "M"):
            continue
        this = _script(ch) if ch.isalpha() else None
        if start is not None and this == script:
            continue
        if start is not None:
            spans.append((script, start, i))
        start, script = (i, this) if this is not None else (None, None)
    if start is not None:
        spans.append((script, start, len(text)))
    return spans


def han_cuts(text: str) -> list[str]:
    """The runs of Chinese characters that open ``text``, of 2 to ``_HAN_NAME_CHARS``: a
    Chinese name's part after its middle dot (one before it: ``text`` read backwards)."""
    return [text[:n] for n in range(2, _HAN_NAME_CHARS + 1)
            if len(text) >= n and all(_script(c) == "cjk" for c in text[:n])]


def han_around(text: str, at: int) -> tuple[list[str], list[str]]:
    """The parts a Chinese name may have before and after the middle dot at ``at``, each cut
    at every length ("由外交部长阿维塔尔·罗塞恩塔尔带领" -> "…阿维塔尔", "罗塞恩塔尔…")."""
    return [cut[::-1] for cut in han_cuts(text[:at][::-1])], han_cuts(text[at + 1:])


def _han_parts(text: str) -> list[str]:
    """The parts of Chinese names written with a middle dot (``han_around``)."""
    return [part for at, ch in enumerate(text) if ch in _MIDDLE_DOTS for side in han_around(text, at) for part in side]


def _forms(script: str, span: str) -> tuple[set[str], str]:
    """The forms a name written as ``span`` may take bare (a language's prefixes, particles
    or case endings taken off), and the letters its script writes vowels with."""
    if script == "arabic":
        return _unprefixed(span, _ARABIC_PREFIXES), "wy"
    if script == "hebrew":
        return _unprefixed(span, _HEBREW_PREFIXES), "wyv'"
    forms = {span}
    if script == "hangul":
        forms |= {span[:-len(p)] for p in _HANGUL_PARTICLES if span.endswith(p) and len(span) > len(p) + 1}
    elif script == "cyrillic":
        forms.add(_CYRILLIC_ENDINGS.sub("", span))
    elif script == "katakana":  # an h closing a syllable is written フ: Mahmoud マフムード, Rahman ラフマン
        forms.add(_KANA_CODA_H.sub("", span))
    elif script == "greek":  # μπ, ντ, γκ write b, d, g in foreign names, or m-b, n-t, n-g
        forms.add(_GREEK_STOPS.sub(lambda m: _GREEK_STOPS_AS[m.group().lower()], span))
    return {form for form in forms if form}, ""


# scripts whose words are spaced (or whose names are set apart: katakana), so that one span is
# one word; Thai spaces phrases, so only its whole names (two spans) are looked at
_WORD_SCRIPTS = {"katakana", "arabic", "hebrew", "hangul", "cyrillic", "greek", "devanagari", "bengali",
                 "tamil", "georgian", "armenian"}
_NAME_SCRIPTS = _WORD_SCRIPTS | {"thai"}
_NAME_PARTS = 3  # a whole name is looked at up to this many parts
_BETWEEN_PARTS = {" ", "-", "=", "゠", *_MIDDLE_DOTS}


@lru_cache(maxsize=32768)
def foreign_skeletons(text: str) -> frozenset[str]:
    """The skeletons of every span of ``text`` that may be a name written in a script other
    than Latin, and of every run of two or three such spans written as one name ("توماس
    ابانيز", "トマス・イバネズ"), each part in each of its bare forms."""
    found: set[str] = set()
    spans = [span for span in _spans(text) if span[0] in _NAME_SCRIPTS]
    for n, (script, start, end) in enumerate(spans):
        forms, vowels = _forms(script, text[start:end])
        if script in _WORD_SCRIPTS:
            found.update(skeleton(form, vowel_letters=vowels) for form in forms)
        joined, last = list(forms), end
        for other, next_start, next_end in spans[n + 1:n + _NAME_PARTS]:
            if other != script or text[last:next_start] not in _BETWEEN_PARTS:
                break
            joined = [f"{head} {part}" for head in joined for part in _forms(script, text[next_start:next_end])[0]]
            found.update(skeleton(name, vowel_letters=vowels) for name in joined)
            last = next_end
    found.update(skeleton(part, pinyin=True) for part in _han_parts(text))
    return frozenset(key for key in found if len(key) >= MIN_CLASSES)


def bare_forms(word: str) -> set[str]:
    """A word and, in Hangul, the forms it takes bare of its particles: a Korean name written
    with one ("벤키라네는") is the name the text writes bare or with another elsewhere. (Arabic
    and Hebrew prefixes are left on: taken off, they make common words recur as names.)"""
    return _forms("hangul", word)[0] if _script(word[0]) == "hangul" else {word}


def _unprefixed(word: str, prefixes: tuple[str, ...]) -> set[str]:
    forms = {word}
    for prefix in prefixes:
        if word.startswith(prefix) and len(word) > len(prefix) + 2:
            forms.add(word[len(prefix):])
    return forms


def names_across(runs, other_text: str, text: str = "") -> set[str]:
    """The Latin names of ``runs`` (``name_runs``), and those with particles of ``text``, that
    ``other_text`` (in another script) writes too; a name matched whole is one name, not one
    more for each of its parts."""
    wanted = latin_skeletons(runs)
    if text and _PARTICLE_BEFORE_CAPITAL.search(text):
        wanted = {**wanted, **_particle_skeletons(text)}
    if not wanted:
        return set()
    found = {wanted[key] for key in foreign_skeletons(other_text) if key in wanted}
    parts = {name: set(re.split(r"[\s-]+", name)) for name in found}
    return {name for name in found if not any(name != whole and parts[name] <= parts[whole] for whole in found)}


# Whole names as candidate keys: a translation is found by the people its original names, as
# the store posts each article's names. A whole name (first and last) has skeletons rare enough
# to be looked up; one part of it ("LBN", Rebane) is not.
KEY_MIN_CLASSES = 5
LATIN_KEY, FOREIGN_KEY = "@l:", "@f:"  # anchors never hold a ":"


# a name's particles, which break a run of capitalised words: "Khaled al-Otaibi", "Faisal bin
# Saad", "Ursula von der Leyen"; another script writes them as parts (ハレド・アル・オタイビ)
_PARTICLES = r"(?:al|el|ul|bin|ibn|ben|bint|abu|de|da|di|do|dos|das|del|della|der|den|van|von|le|la|du)"
_PARTICLE_NAME = re.compile(
    rf"(?<![\w'’-])([^\W\d_][\w'’]*)\s+((?:{_PARTICLES}[\s-]){{1,2}})([^\W\d_][\w'’]*)")
_PARTICLE_BEFORE_CAPITAL = re.compile(rf"\s{_PARTICLES}[\s-]+(?:{_PARTICLES}[\s-]+)?[A-ZÀ-ÞĀ-ɏ]")
# a character of a script other than Latin (punctuation and symbols aside)
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u2bff]")


def particle_names(text: str) -> list[str]:
    """The Latin names of ``text`` with particles, folded, with them and without: "Khaled
    al-Otaibi" -> ["khaled al-otaibi", "khaled otaibi"]."""
    names: list[str] = []
    if not _PARTICLE_BEFORE_CAPITAL.search(text):
        return names
    for first, particles, last in _PARTICLE_NAME.findall(text):
        if first[0].isupper() and last[0].isupper() and _script(first[0]) == "latin":
            names += [f"{first} {particles}{last}".lower(), f"{first} {last}".lower()]
    return names


@lru_cache(maxsize=32768)
def _particle_skeletons(text: str) -> dict[str, str]:
    """Skeleton -> name, of the names with particles of one sentence (or a few) that are long
    enough to be matched. (Read-only: it is shared.)"""
    found = {}
    for name in particle_names(text):
        key = skeleton(name)
        if len(key) >= MIN_CLASSES:
            found[key] = name
    return found


def latin_name_keys(runs, text: str = "") -> set[str]:
    """The skeletons of the Latin names of ``runs`` written whole: every two or more
    consecutive parts of a run ("mohammad rafiqul islam", "rafiqul islam"), and the names of
    ``text`` with particles, with them and without."""
    names = [" ".join(run[i:j]) for run in runs for i in range(len(run)) for j in range(i + 2, len(run) + 1)]
    keys = {skeleton(name) for name in names + particle_names(text) if _script(name[0]) == "latin"}
    return {key for key in keys if len(key) >= KEY_MIN_CLASSES}


def foreign_name_keys(text: str) -> set[str]:
    """The skeletons of what ``text`` may write as a whole name in another script: two spans
    of one script joined as a name's parts are ("トニス・レバネ", "안쟈리 바루아", "Нурхан
    Мансур", capitalised where the script has capitals), each in its bare forms; three where
    middle dots mark them ("ファイサル・ビン・サアド"); and a Chinese name's parts around its
    middle dot."""
    keys: set[str] = set()
    if not _NOT_LATIN.search(text):
        return keys
    spans = [span for span in _spans(text) if span[0] in _NAME_SCRIPTS]
    for (script, start, end), (other, next_start, next_end) in zip(spans, spans[1:]):
        if other != script or text[end:next_start] not in _BETWEEN_PARTS:
            continue
        if script in CASED_ALPHABETS and not (text[start].isupper() and text[next_start].isupper()):
            continue
        heads, vowels = _forms(script, text[start:end])
        tails = _forms(script, text[next_start:next_end])[0]
        keys.update(skeleton(f"{head} {tail}", vowel_letters=vowels) for head in heads for tail in tails)
    for (script, start, end), middle, (other, last_start, last_end) in zip(spans, spans[1:], spans[2:]):
        # three parts where middle dots mark them (ファイサル・ビン・サアド)
        if (other == script == middle[0] and text[end:middle[1]] in _MIDDLE_DOTS
                and text[middle[2]:last_start] in _MIDDLE_DOTS):
            keys.add(skeleton(text[start:last_end]))
    for at, ch in enumerate(text):
        if ch in _MIDDLE_DOTS:
            befores, afters = han_around(text, at)
            keys.update(skeleton(f"{b} {a}", pinyin=True) for b in befores for a in afters)
    return {key for key in keys if len(key) >= KEY_MIN_CLASSES}


def cross_script_anchors(runs, text: str, lede: str) -> set[str]:
    """The anchors an article posts for its whole names: those written in Latin script
    (``runs`` of ``name_runs`` of ``text``), and those its lede writes in another (a
    translation names its people there)."""
    return ({LATIN_KEY + key for key in latin_name_keys(runs, text)}
            | {FOREIGN_KEY + key for key in foreign_name_keys(lede)})


def is_cross_script(anchor: str) -> bool:
    return anchor.startswith((LATIN_KEY, FOREIGN_KEY))


def cross_script_lookups(anchors) -> set[str]:
    """What finds an article's names written in the other script: a Latin name's key as a
    foreign text posts it, and the other way round."""
    flip = {LATIN_KEY: FOREIGN_KEY, FOREIGN_KEY: LATIN_KEY}
    return {flip[a[:3]] + a[3:] for a in anchors if is_cross_script(a)}
