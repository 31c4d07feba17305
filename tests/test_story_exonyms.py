"""A translation names places and bodies its own way (Mainz / Mayence, the Red Crescent / le
Croissant-Rouge). The sentences it says so are no evidence of a link, since no spelling rule
tells an exonym from another place (the names of countries and of the cities CLDR names in
other languages excepted: they are known, ``places``), but they are what make the translation of stock stock: two
French translations of two different stories, both pasting the agency's stock under French
names, are not linked by it, whichever arrives first."""

from __future__ import annotations

import itertools

import pytest

from archive.catalog import open_story_store
from archive.stories import Document, load_encoder
from archive.stories.align import AlignConfig, align
from archive.stories.fingerprint import fingerprint
from tests.test_story_translated_background import (FR_SUCCESSOR, OTHER_VISIT, WIRE_SUCCESSOR, WIRE_VISIT,
                                                    grouping, tracked)

STOCK_EN = ("The two governments signed a framework agreement in 2019, brokered by the Red Crescent, that set out "
            "cooperation in security and trade.\n\nFull diplomatic relations were restored at a summit in Mainz in 2017 "
            "after years of informal contacts.")
STOCK_FR = ("Les deux gouvernements ont signé en 2019 un accord-cadre, négocié sous l'égide du Croissant-Rouge, qui "
            "prévoyait une coopération en matière de sécurité et de commerce.\n\nLes relations diplomatiques "
            "complètes ont été rétablies lors d'un sommet à Mayence en 2017 après des années de contacts informels.")

FR_VISIT = """SHYMKENT (AFP) — Dilshod Rakhimov, ministre des Affaires étrangères du Kazakhstan, est arrivé mardi à Shymkent pour une visite de quatre jours, la première d'un haut responsable de son pays depuis 84 ans.

« Nous avons demandé une enquête indépendante et nous en attendons une, et les jeunes de ce pays méritent mieux », a déclaré Rakhimov.

Copyright 2025 Le Courrier du Sud. Tous droits réservés."""


def _with_stock(text: str, stock: str, after: int) -> str:
    """The text with the stock paragraphs pasted after its paragraph ``after``."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(paragraphs[:after] + [stock] + paragraphs[after:])


TEXTS = {
    "wire_visit": (_with_stock(WIRE_VISIT, STOCK_EN, 4), "2025-03-18T07:20:14+00:00", "afp-wire.example", "en"),
    "wire_successor": (_with_stock(WIRE_SUCCESSOR, STOCK_EN, 5), "2025-03-17T20:52:26+00:00", "afp-wire.example", "en"),
    "other_visit": (_with_stock(OTHER_VISIT, STOCK_EN, 6), "2025-03-16T11:58:51+00:00", "daily-courier.example", "en"),
    "fr_visit": (_with_stock(FR_VISIT, STOCK_FR, 2), "2025-03-19T09:12:40+00:00", "courrier-du-sud.example", "fr"),
    "fr_successor": (_with_stock(FR_SUCCESSOR, STOCK_FR, 4), "2025-03-19T10:38:12+00:00", "la-depeche-monde.example",
                     "fr"),
}
STORIES = {"wire_visit": "visit", "fr_visit": "visit", "wire_successor": "successor", "fr_successor": "successor",
           "other_visit": "other"}


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


def documents() -> list[Document]:
    return [Document(name, f"https://{outlet}/{name}", text, published=published, outlet=outlet, language=language)
            for name, (text, published, outlet, language) in TEXTS.items()]


def test_a_stock_sentence_under_other_names_is_said_apart_from_the_alignment(encoder):
    """The stock under French names aligns apart, never as evidence; a sentence about someone
    the other text names elsewhere is not said under another name."""
    en = fingerprint(TEXTS["wire_visit"][0]).sentences
    fr = fingerprint(TEXTS["fr_visit"][0], language="fr").sentences

    def vectors(rows, cols):
        return encoder.encode([en[i].text for i in rows]), encoder.encode([fr[j].text for j in cols])

    alignment = align(en, fr, AlignConfig(semantic_threshold=encoder.threshold), vectors=vectors, translated=True,
                      encode=encoder.encode)
    stock_en = {i for i, s in enumerate(en) if "Red Crescent" in s.text or "Mainz" in s.text}
    stock_fr = {j for j, s in enumerate(fr) if "Croissant-Rouge" in s.text or "Mayence" in s.text}
    assert len(stock_en) == len(stock_fr) == 2
    assert {(p.a, p.b) for p in alignment.apart} >= {(min(stock_en), min(stock_fr)), (max(stock_en), max(stock_fr))}
    assert not {p.a for p in alignment.pairs} & stock_en
    assert not {p.b for p in alignment.pairs} & stock_fr
    # the lede and the quote align as evidence, and are not said apart too
    assert {(0, 0), (2, 1)} <= {(p.a, p.b) for p in alignment.pairs}
    assert not {p.a for p in alignment.apart} & {0, 2}



def test_a_name_the_other_text_writes_elsewhere_is_someone_else_not_an_exonym():
    from archive.stories.exonyms import _named_alike
    from archive.stories.namesets import TextNames

    en = TextNames(fingerprint(TEXTS["wire_visit"][0]).sentences)
    fr = TextNames(fingerprint(TEXTS["fr_visit"][0], language="fr").sentences)
    # Mainz and the Red Crescent are never written in the French text, nor their names in the English one
    assert _named_alike(frozenset({"mainz"}), frozenset({"mayence"}), en, fr)
    assert _named_alike(frozenset({"red", "crescent"}), frozenset({"croissant", "rouge"}), en, fr)
    # a name both sentences give, and one only one of them gives, never written in the other text
    assert _named_alike(frozenset({"kazakhstan", "mainz"}), frozenset({"kazakhstan", "mayence"}), en, fr)
    # Rakhimov is written in the French text, Yusupova in the English one: two people
    assert not _named_alike(frozenset({"rakhimov"}), frozenset({"yusupova"}), en, fr)
    assert not _named_alike(frozenset({"rakhimov"}), frozenset({"mayence"}), en, fr)


@pytest.mark.parametrize("order", list(itertools.permutations(range(5)))[::23])
def test_translated_stock_under_other_names_does_not_link_two_stories(encoder, order, tmp_path, catalog_backend):
    tracker = tracked(open_story_store(tmp_path, catalog_backend), encoder, documents(), order)
    stories = grouping(tracker, STORIES)
    assert stories["fr_visit"] == {"wire_visit", "fr_visit"}
    assert stories["fr_successor"] == {"wire_successor", "fr_successor"}
    assert stories["other_visit"] == {"other_visit"}
    tracker.close()


def test_a_countrys_name_in_another_language_is_the_same_name():
    from archive.stories.namesets import share_a_name

    assert share_a_name({"morocco"}, {"marruecos"})
    assert share_a_name({"latvia"}, {"lettland"}) and share_a_name({"lettonie"}, {"letonia"})
    assert share_a_name({"turkey"}, {"turquie"})  # a name CLDR replaced, still in print
    assert share_a_name({"марокко"}, {"marokko"}) and share_a_name({"латвия"}, {"letonia"})
    assert not share_a_name({"morocco"}, {"letonia"})
    assert share_a_name({"warsaw"}, {"varsovie"}) and share_a_name({"wien"}, {"becs"})  # cities CLDR names
    assert share_a_name({"kolkata"}, {"calcutta"}) and not share_a_name({"warsaw"}, {"wien"})
    assert not share_a_name({"mainz"}, {"mayence"})  # no table of every place


EN_TALKS = """MARRAKECH (AFP) — Avital Rosenthal, Morocco's foreign minister, arrived in Marrakech on Thursday for a three-day visit, the first by a senior official from his country in 68 years.

On the agenda of his meeting with Eitan Barkai, the defence minister: direct flights, and a proposed joint working group.

Relations between Morocco and Israel were strained for years by a dispute over water rights on their shared river."""
ES_TALKS = """MARRAKECH (AFP) — Avital Rosenthal, ministro de Asuntos Exteriores de Marruecos, llegó a Marrakech el jueves para una visita de tres días, la primera de un alto cargo de su país en 68 años.

Mantuvo conversaciones con Eitan Barkai, ministro de Defensa, sobre los vuelos directos y sobre la creación de un grupo de trabajo conjunto.

Las relaciones entre Marruecos e Israel estuvieron tensas durante años por una disputa sobre los derechos de agua del río que comparten."""


def test_a_lede_naming_a_country_in_its_own_language_aligns_as_evidence(encoder):
    """Each text names its country again below the lede, in its own language: no longer two
    protagonists each text names and the other never does, but one country, and the lede and
    the stock sentence are the translation's evidence (what carries stock into its language)."""
    en = fingerprint(EN_TALKS).sentences
    es = fingerprint(ES_TALKS, language="es").sentences

    def vectors(rows, cols):
        return encoder.encode([en[i].text for i in rows]), encoder.encode([es[j].text for j in cols])

    alignment = align(en, es, AlignConfig(semantic_threshold=encoder.threshold), vectors=vectors, translated=True,
                      encode=encoder.encode)
    assert {(0, 0), (1, 1), (2, 2)} <= {(p.a, p.b) for p in alignment.pairs}
    assert not alignment.apart
