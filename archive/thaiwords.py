"""Thai words: Thai spaces its phrases, not its words, so they come from PyThaiNLP's dictionary
segmenter (newmm), whose dictionary is in its wheel. Shared by extraction (how long a text is)
and story tracking (names spelt by their sounds)."""

from __future__ import annotations

import os
from functools import lru_cache


def read_only() -> None:
    """Before importing PyThaiNLP: it would make ~/pythainlp-data on import; nothing is
    written and nothing downloaded."""
    os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")


@lru_cache(maxsize=1 << 15)
def thai_tokens(text: str) -> tuple[str, ...]:
    """The dictionary's cut of ``text`` into words, the spaces between them kept as tokens."""
    read_only()
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=True))
