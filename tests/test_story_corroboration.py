"""Stories are built from the links the articles around them corroborate: one text and its
copies are linked to each other, while one template told of two stories reads alike by meaning,
in one language or two, in one pair only."""

from __future__ import annotations

import itertools
import random

from archive.catalog import DocInfo
from archive.stories.align import AlignedPair
from archive.stories.stories import Link, build_stories, corroborated


def docs(*ids: str) -> dict[str, DocInfo]:
    return {d: DocInfo(d, f"https://{d}.example/", d, f"2025-03-1{k % 9}T10:00:00Z", None, None, False, 300)
            for k, d in enumerate(ids)}


def link(a: str, b: str, method: str, score: float = 0.9, relation: str | None = None) -> Link:
    evidence = [AlignedPair(k, k, 1.0 if method == "exact" else 0.7, method) for k in range(3)]
    return Link(a, b, relation or ("identical" if method == "exact" else "translation"), score, score, score, evidence)


def groups(all_docs: dict[str, DocInfo], links: list[Link]) -> set[frozenset[str]]:
    return {frozenset(m.doc.doc_id for m in s.members) for s in build_stories(all_docs, links)}


# two stories, each an origin and two copies linked to each other word for word
RIGA = [link("riga", "riga-copy", "exact"), link("riga", "riga-walled", "exact"), link("riga-copy", "riga-walled", "exact")]
GAO = [link("gao", "gao-copy", "exact"), link("gao", "gao-brief", "exact"), link("gao-copy", "gao-brief", "exact")]
ALL = docs("riga", "riga-copy", "riga-walled", "gao", "gao-copy", "gao-brief", "gao-ar", "riga-ru", "riga-ja",
           "riga-edited")


def test_a_link_by_meaning_that_no_copy_of_either_article_repeats_joins_no_stories():
    # an Arabic trim of the Gao story reads, by meaning, like the Riga story's origin alone
    linked = [*RIGA, *GAO, link("gao", "gao-ar", "semantic"), link("gao-copy", "gao-ar", "semantic"),
              link("riga", "gao-ar", "semantic", 0.95)]
    assert groups(ALL, linked) >= {frozenset({"riga", "riga-copy", "riga-walled"}),
                                   frozenset({"gao", "gao-copy", "gao-brief", "gao-ar"})}


def test_words_shared_word_for_word_still_join_what_they_join():
    linked = [*RIGA, *GAO, link("gao", "gao-ar", "semantic"), link("gao-copy", "gao-ar", "semantic"),
              link("riga", "gao-ar", "lexical")]
    assert frozenset({"riga", "riga-copy", "riga-walled", "gao", "gao-copy", "gao-brief", "gao-ar"}) in groups(ALL, linked)


def test_a_translation_its_origins_copies_repeat_and_its_own_translation_stay_in_the_story():
    linked = [*RIGA, link("riga", "riga-ru", "semantic"), link("riga-copy", "riga-ru", "semantic"),
              link("riga-ru", "riga-ja", "semantic")]  # a translation of the translation, linked to it alone
    assert frozenset({"riga", "riga-copy", "riga-walled", "riga-ru", "riga-ja"}) in groups(ALL, linked)


def test_a_copy_linked_only_to_translations_of_its_origin_stays_in_the_story():
    # an edited copy the tracker did not link to its origin, linked to two of its translations
    linked = [*RIGA, link("riga", "riga-ru", "semantic"), link("riga-copy", "riga-ru", "semantic"),
              link("riga", "riga-ja", "semantic"), link("riga-copy", "riga-ja", "semantic"),
              link("riga-edited", "riga-ru", "semantic"), link("riga-edited", "riga-ja", "semantic")]
    assert frozenset({"riga", "riga-copy", "riga-walled", "riga-ru", "riga-ja", "riga-edited"}) in groups(ALL, linked)


def test_a_text_linked_by_meaning_into_two_stories_joins_the_one_it_is_linked_to_best():
    # a Russian trim of the Riga story, read by meaning like two of the Gao story's articles too
    linked = [*RIGA, *GAO, link("riga", "riga-ru", "semantic", 0.9), link("riga-copy", "riga-ru", "semantic", 0.9),
              link("gao", "riga-ru", "semantic", 0.62), link("gao-copy", "riga-ru", "semantic", 0.62)]
    assert groups(ALL, linked) >= {frozenset({"riga", "riga-copy", "riga-walled", "riga-ru"}),
                                   frozenset({"gao", "gao-copy", "gao-brief"})}


def test_translations_linked_to_each_other_and_to_one_copy_alone_stay_in_the_story():
    # a Chinese and a Japanese brief, each other's translation, both found through a rewrite only
    linked = [*RIGA, link("riga", "riga-edited", "lexical", 1.0), link("riga-copy", "riga-edited", "lexical", 1.0),
              link("riga-edited", "riga-ru", "semantic", 0.8), link("riga-edited", "riga-ja", "semantic", 0.8),
              link("riga-ru", "riga-ja", "semantic", 0.8)]
    assert frozenset({"riga", "riga-copy", "riga-walled", "riga-edited", "riga-ru", "riga-ja"}) in groups(ALL, linked)


def test_the_same_links_make_the_same_stories_in_any_order():
    linked = [*RIGA, *GAO, link("gao", "gao-ar", "semantic"), link("gao-copy", "gao-ar", "semantic"),
              link("riga", "gao-ar", "semantic", 0.95), link("riga", "riga-ru", "semantic", 0.9),
              link("riga-copy", "riga-ru", "semantic", 0.9), link("gao", "riga-ru", "semantic", 0.62),
              link("gao-copy", "riga-ru", "semantic", 0.62)]
    expected = groups(ALL, linked)
    rng = random.Random(7)
    for _ in range(20):
        shuffled = linked[:]
        rng.shuffle(shuffled)
        assert groups(ALL, shuffled) == expected
    assert len(corroborated(linked)) == len(linked) - 3


def test_two_articles_alone_linked_by_meaning_are_one_story():
    for a, b in itertools.permutations(("riga", "riga-ru")):
        assert frozenset({"riga", "riga-ru"}) in groups(ALL, [link(a, b, "semantic", 0.4)])
