"""Differences between two versions of an article text: unified (by line) and word by word."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class TextDiff:
    unified: str
    added_words: int
    removed_words: int

    @property
    def changed(self) -> bool:
        return bool(self.unified)


def unified_diff(old: str, new: str, old_label: str = "previous", new_label: str = "current",
                 context: int = 1) -> str:
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label,
                                 n=context, lineterm="")
    return "\n".join(lines)


def _word_opcodes(old: str, new: str):
    a, b = old.split(), new.split()
    return a, b, difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def word_counts(old: str, new: str) -> tuple[int, int]:
    """(words added, words removed) going from ``old`` to ``new``."""
    _, _, ops = _word_opcodes(old, new)
    added = sum(j2 - j1 for tag, _, _, j1, j2 in ops if tag in ("insert", "replace"))
    removed = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag in ("delete", "replace"))
    return added, removed


def word_diff(old: str, new: str, context: int = 6) -> str:
    """``git diff --word-diff=plain`` style: ``[-removed-]{+added+}`` with a few words around.

    Unchanged stretches longer than twice ``context`` are shortened to `` ... ``.
    """
    a, b, ops = _word_opcodes(old, new)
    parts: list[str] = []
    last = len(ops) - 1
    for index, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = a[i1:i2]
            head = words[:context] if index > 0 else []
            tail = words[-context:] if index < last else []
            if len(words) > len(head) + len(tail):
                parts.extend(head + ["..."] + tail)
            else:
                parts.extend(words)
            continue
        if tag in ("delete", "replace"):
            parts.append("[-" + " ".join(a[i1:i2]) + "-]")
        if tag in ("insert", "replace"):
            parts.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(p for p in parts if p)


def diff_texts(old: str, new: str, old_label: str = "previous", new_label: str = "current") -> TextDiff:
    added, removed = word_counts(old, new)
    return TextDiff(unified_diff(old, new, old_label, new_label), added, removed)
