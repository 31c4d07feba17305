"""Helpers for writing article text as readable blocks in Python modules."""

from __future__ import annotations


def paras(block: str) -> tuple[str, ...]:
    """Split a text block on blank lines; the lines of one paragraph are joined by spaces."""
    out = []
    for chunk in block.strip().split("\n\n"):
        text = " ".join(line.strip() for line in chunk.splitlines() if line.strip())
        if text:
            out.append(text)
    return tuple(out)
