"""A name written whole once, and by one of its parts after: "Losana Qarikau ... Qarikau, who is
64" / "لوسانا كاريكاو ... وكان كاريكاو، البالغ من العمر ٦٤". A part alone ("Qarikau": three
consonants) is too short to be matched across scripts by its skeleton (``crossnames``), but a
text pair that writes the whole name in both scripts, part for part, tells how the other
script spells each part; a sentence naming the part and one writing that spelling name the
same person.
"""

from __future__ import annotations

from functools import lru_cache

from .crossnames import _BETWEEN_PARTS, _MIDDLE_DOTS, _NAME_SCRIPTS, MIN_CLASSES, _forms, _script, _spans, han_around
from .crossnames import particle_names, skeleton
from .fingerprint import name_runs
from .text import fold

_LONGEST = 3  # parts of a Latin name matched part for part
_EXTRA = 1  # parts the other script may write between them ("al", "bin": ハレド・アル・オタイビ)


@lru_cache(maxsize=32768)
def _foreign_names(text: str) -> list[list[list[tuple[str, str]]]]:
    """The runs of parts ``text`` may write a name with, each part as its (spelling, skeleton)s:
    spans of one script parted by a space, a hyphen or a middle dot, and a Chinese name's parts
    on either side of its middle dots (each cut at every length)."""
    names = []
    spans = [span for span in _spans(text) if span[0] in _NAME_SCRIPTS]
    for n, (script, start, end) in enumerate(spans):
        run, last = [], start
        for other, part_start, part_end in spans[n:n + _LONGEST + _EXTRA]:
            if other != script or (run and text[last:part_start] not in _BETWEEN_PARTS):
                break
            span = text[part_start:part_end]
            forms, vowels = _forms(script, span)
            # a reading that is no part of what is written (katakana read without its フ) is
            # looked for as written; a bare form (a Korean particle off) as itself
            run.append([(form if form in span else span, skeleton(form, vowel_letters=vowels)) for form in forms])
            last = part_end
        if len(run) >= 2:
            names.append(run)
    dots = [at for at, ch in enumerate(text) if ch in _MIDDLE_DOTS]
    for k, at in enumerate(dots):
        before, after = han_around(text, at)
        # a part between two dots is the whole run between them (阿迪·利蒂阿·卡科巴乌)
        between = text[at + 1:dots[k + 1]] if k + 1 < len(dots) else ""
        parts = [before, [between], han_around(text, dots[k + 1])[1]] if _han(between) else [before, after]
        if all(parts):
            names.append([[(cut, skeleton(cut, pinyin=True)) for cut in cuts] for cuts in parts])
    return names


def _han(text: str) -> bool:
    return bool(text) and all(_script(c) == "cjk" for c in text)


def _matches(parts: tuple[str, ...], run: list[list[tuple[str, str]]]) -> list[str] | None:
    """The spelling of each Latin part in ``run``, in order, one extra part at most between
    them; None when some part has no spelling of its skeleton there."""
    wanted = [skeleton(part) for part in parts]
    for first in range(len(run) - len(parts) + 1):
        spelt, at = [], first
        for key in wanted:
            found = None
            for k in range(at, min(at + 1 + _EXTRA, len(run)) if spelt else at + 1):
                found = min((form for form, sk in run[k] if sk == key and sk), key=len, default=None)
                if found:
                    at = k + 1
                    break
            if not found:
                break
            spelt.append(found)
        if len(spelt) == len(parts):
            return spelt
    return None


@lru_cache(maxsize=4096)
def parts_across(latin: tuple[str, ...], foreign: tuple[str, ...]) -> frozenset[tuple[str, str, str]]:
    """(whole name, part, the part's spelling) of the Latin names of the sentences ``latin``
    that the sentences ``foreign`` write whole, part for part, in another script. (Read-only:
    it is shared, as are ``_foreign_names``'.)"""
    runs = [run for text in foreign for run in _foreign_names(text)]
    if not runs:  # the other text writes no name in another script (a pair in one)
        return frozenset()
    names = {run[i:j] for text in latin for run in name_runs(text, with_initials=True)
             for i in range(len(run)) for j in range(i + 2, min(i + _LONGEST, len(run)) + 1)}
    names |= {tuple(fold(name).split()) for text in latin for name in particle_names(text)}
    # matched part for part, a name's consonants count in every part ("Hamidou Diallo": NT, TL)
    names = {name for name in names if sum(len(skeleton(part)) for part in name) >= MIN_CLASSES}
    found = set()
    for name in names:
        for run in runs:
            spelt = _matches(name, run)
            if spelt:
                found.update((" ".join(name), part, spelling) for part, spelling in zip(name, spelt))
    return frozenset(found)


def named_by_part(known: frozenset[tuple[str, str, str]], latin_sentence: str, foreign_sentence: str) -> set[str]:
    """The whole names of ``known`` (``parts_across``) that one sentence names by a part and the
    other writes that part's spelling of."""
    if not known:
        return set()
    parts = {token for run in name_runs(latin_sentence, with_initials=True) for token in run}
    return {whole for whole, part, spelling in known if part in parts and spelling in foreign_sentence}
