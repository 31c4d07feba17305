"""How a copy's relation is named to a reader, from the evidence of its comparison: the web UI
and the terminal say the same."""

from __future__ import annotations

TRANSLATION = "translation"


def is_translation(relation: str, language: str | None, origin_language: str | None) -> bool:
    """A translation: so linked, or a retelling in another language than the origin's."""
    if relation == TRANSLATION:
        return True
    return (relation == "rewrite" and bool(language and origin_language)
            and language.split("-")[0].lower() != origin_language.split("-")[0].lower())


def shown_relation(relation: str, tally: dict[str, int], language: str | None,
                   origin_language: str | None) -> str:
    """A copy missing or adding sentences is not called identical, whatever score its aligned
    sentences reached; a rewrite in another language is a translation."""
    if relation in ("identical", "near-identical") and (tally.get("removed") or tally.get("added")):
        return "excerpt"
    return TRANSLATION if is_translation(relation, language, origin_language) else relation
