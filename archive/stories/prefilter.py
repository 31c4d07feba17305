"""A pattern searched for in most sentences of every text, where few hold a match (page
furniture, editor's notes): the strings every match of it needs, read from the pattern itself,
so that a sentence holding none of them is not searched at all."""

from __future__ import annotations

import re

try:  # the parser of the ``re`` module: where the literals a pattern needs are read from
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python < 3.11
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


def _needed(items) -> frozenset[str] | None:
    """Strings of which a match of the parsed sequence ``items`` holds at least one (the set
    whose shortest member is longest, of those its parts need), or None when nothing is
    certain."""
    best: frozenset[str] | None = None
    run = ""

    def better(found: frozenset[str] | None) -> None:
        nonlocal best
        # one ASCII letter is in most sentences; one rarer character ("©") still sifts them
        usable = found and all(len(x) >= 2 or not x.isascii() for x in found)
        if usable and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    for op, value in items:
        if op is sre_constants.LITERAL:
            run += chr(value)
            continue
        better(frozenset([run]) if run else None)
        run = ""
        if op is sre_constants.SUBPATTERN:
            better(_needed(value[-1]))
        elif op is sre_constants.BRANCH:
            found = [_needed(branch) for branch in value[1]]
            better(None if any(f is None for f in found) else frozenset().union(*found))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and value[0] >= 1:
            better(_needed(value[2]))
    better(frozenset([run]) if run else None)
    return best


def needed_strings(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Case-folded strings of which any text the pattern matches holds one (None: no such
    strings): a text with none of them is not searched with the pattern at all."""
    needed = _needed(sre_parse.parse(pattern.pattern, pattern.flags))
    return None if needed is None else tuple(sorted(s.casefold() for s in needed))


def may_match(needed: tuple[str, ...] | None, sentence: str, folded: str) -> bool:
    """Whether ``sentence`` (``folded``: its ``casefold()``) may hold a match of a pattern
    that needs one of ``needed`` (``needed_strings``)."""
    # a letter folding to several ("ß", "İ") is matched one for one by the patterns: no prefilter
    return needed is None or len(folded) != len(sentence) or any(s in folded for s in needed)
