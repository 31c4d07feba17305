"""The translation of a stock passage is background: copies of two different stories, translated
into two languages, both carrying the agency's stock paragraphs in translation, are not linked
by them, whichever of them arrives first; each stays in its own story."""

from __future__ import annotations

import itertools

import pytest

from archive.catalog import open_story_store
from archive.stories import Document, StoryTracker, load_encoder

WIRE_VISIT = """SHYMKENT (AFP) — Dilshod Rakhimov, Kazakhstan's foreign minister, arrived in Shymkent on Tuesday for a four-day visit, the first by a senior official from his country in 84 years.

He held talks with Gulnara Yusupova, the mayor of the capital, on the gas pipeline and on plans for a joint working group.

"We have asked for an independent inquiry and we expect one, and the young people of this country deserve better," Rakhimov said.

The programme for the final day includes a wreath-laying at a memorial in Samarkand and a meeting between Rakhimov and business leaders. The first year alone will cost $240 million, by the estimate of the national electricity company.

The teachers' federation has warned that Central Asia is among the regions most exposed to climate change. Average temperatures there have risen faster than the global average over the past three decades.

2 days ago, in an interview with state television, Gulnara Yusupova said the country had run out of time on the gas pipeline. "We will not accept decisions taken behind closed doors, and the numbers we published this week make that plain," according to Yusupova.

Energy demand in Central Asia is expected to double by 2040, according to the chamber of commerce. Governments in the region have announced plans for new solar and wind capacity, but financing remains scarce.

Diplomats expect experts to reconvene in Samarkand before 2 weeks are out, with the gas pipeline at the top of their list.

Agence France-Presse writer Elliot Walsh contributed to this report."""

WIRE_SUCCESSOR = """SHYMKENT (AFP) — Yerlan Nurgaliyev was appointed energy minister on Monday, replacing Dilshod Rakhimov, who resigned last month over the gas pipeline.

Aged 43, Nurgaliyev spent 3 years at the head of the national electricity company in Shymkent.

"Nobody should be surprised by these numbers, the warnings were there for years, and the young people of this country deserve better," said Yerlan Nurgaliyev, the energy minister.

Parliament, where the coalition has 126 seats, still has to confirm the appointment. Nobody has yet said who will pay the $220 million bill that the national electricity company puts on the first year.

Kazakhstan is one of the largest recipients of foreign aid in Central Asia, receiving about 4,800,000 dollars a year from donors. Much of it goes to health care and food security.

"We have asked for an independent inquiry and we expect one, and I will go back there myself next month to check," Rakhimov added.

Energy demand in Central Asia is expected to double by 2040, according to the chamber of commerce. Governments in the region have announced plans for new solar and wind capacity, but financing remains scarce.

Delegations will reconvene in Almaty in roughly 3 weeks, a spokesman said, to keep working on the gas pipeline.

The teachers' federation has warned that Central Asia is among the regions most exposed to climate change. Average temperatures there have risen faster than the global average over the past three decades.

Agence France-Presse writer Hanna Karimov contributed to this report."""

OTHER_VISIT = """ASTANA (AP) — Yerlan Nurgaliyev, Kazakhstan's energy minister, arrived in Astana on Sunday for a three-day visit, the first by a senior official from his country in 76 years.

He held talks with Bakhyt Omarov, the interior minister, on gas storage and on plans for a joint working group.

"I came here to listen, not to make promises I cannot keep, and I said as much to my counterpart this morning," said Yerlan Nurgaliyev, the energy minister.

Nurgaliyev is also due to lay a wreath at a memorial in Bukhara and to meet business leaders on the last day of the trip. Treasury officials declined to confirm a figure of $479 million for the first twelve months, which the World Bank published on its website.

Energy demand in Central Asia is expected to double by 2040, according to the chamber of commerce. Governments in the region have announced plans for new solar and wind capacity, but financing remains scarce.

Pressure had been building since Omarov raised the alarm over gas storage in a speech 9 days ago. Omarov put it this way: "Every delay costs us money and costs our partners patience, and the numbers we published this week make that plain."

The teachers' federation has warned that Central Asia is among the regions most exposed to climate change. Average temperatures there have risen faster than the global average over the past three decades.

The opposition in Bukhara was critical: 4 promises of the kind have been made since 2014, its lawmakers said, and none was kept.

Kazakhstan is one of the largest recipients of foreign aid in Central Asia, receiving about 4,800,000 dollars a year from donors. Much of it goes to health care and food security.

Follow The Daily Courier on social media for the latest updates.

Copyright 2025 The Daily Courier. All rights reserved."""

ES_VISIT = """SHYMKENT (AFP) — Dilshod Rakhimov, ministro de Asuntos Exteriores de Kazajistán, llegó a Shymkent el martes para una visita de cuatro días, la primera de un alto cargo de su país en 84 años.

Mantuvo conversaciones con Gulnara Yusupova, alcalde de la capital, sobre el gasoducto y sobre la creación de un grupo de trabajo conjunto.

"Hemos pedido una investigación independiente y esperamos que la haya, y los jóvenes de este país merecen algo mejor", dijo Rakhimov.

La federación de docentes ha advertido de que Asia central figura entre las regiones más expuestas al cambio climático. Las temperaturas medias allí han subido más rápido que la media mundial en las últimas tres décadas.

Se prevé que la demanda de energía en Asia central se duplique de aquí a 2040, según la cámara de comercio. Los gobiernos de la región han anunciado planes de nueva capacidad solar y eólica, pero la financiación sigue siendo escasa.

Prohibida la reproducción total o parcial de este contenido sin autorización.

Copyright 2025 Diario del Sur. Todos los derechos reservados."""

FR_SUCCESSOR = """SHYMKENT (AFP) — Yerlan Nurgaliyev a été nommé ministre de l'Énergie lundi, en remplacement de Dilshod Rakhimov, qui avait démissionné le mois dernier à cause de le gazoduc.

Nurgaliyev, 43 ans, a dirigé auparavant la compagnie nationale d'électricité à Shymkent pendant 3 ans.

« Personne ne devrait être surpris par ces chiffres, les avertissements étaient là depuis des années, et les jeunes de ce pays méritent mieux », a déclaré Nurgaliyev.

Le pays est l'un des principaux bénéficiaires de l'aide étrangère dans l'Asie centrale, avec environ 4 800 000 dollars par an versés par les donateurs. Une grande partie est consacrée à la santé et à la sécurité alimentaire.

La demande d'énergie dans l'Asie centrale devrait doubler d'ici 2040, selon la chambre de commerce. Les gouvernements de la région ont annoncé de nouvelles capacités solaires et éoliennes, mais les financements restent rares.

La fédération des enseignants a averti que l'Asie centrale fait partie des régions les plus exposées au changement climatique. Les températures moyennes y ont augmenté plus vite que la moyenne mondiale au cours des trois dernières décennies.

Copyright 2025 La Dépêche Monde. Tous droits réservés.

Inscrivez-vous à notre lettre d'information pour recevoir l'essentiel de l'actualité."""

META = {
    "wire_visit": ('2025-03-18T07:20:14+00:00', 'afp-wire.example', 'en'),
    "wire_successor": ('2025-03-17T20:52:26+00:00', 'afp-wire.example', 'en'),
    "other_visit": ('2025-03-16T11:58:51+00:00', 'daily-courier.example', 'en'),
    "es_visit": ('2025-03-19T10:50:32+00:00', 'diario-del-sur.example', 'es'),
    "fr_successor": ('2025-03-19T10:38:12+00:00', 'la-depeche-monde.example', 'fr'),
}

STORIES = {"wire_visit": "visit", "es_visit": "visit", "wire_successor": "successor", "fr_successor": "successor",
           "other_visit": "other"}
CITIES = ["Lagos", "Quito", "Perth", "Oslo", "Hanoi", "Lima", "Dakar", "Riga", "Cusco", "Tromso", "Fez", "Accra"]


def unrelated(n: int) -> Document:
    """An article about something else: an archive is mostly other news."""
    city = CITIES[n % len(CITIES)]
    text = (f"{city.upper()} (AP) — The city council of {city} approved a budget of {n + 3} million dollars for "
            f"{n + 12} new buses on Thursday.\n\nThe buses will serve the northern districts from next spring, "
            f"the transport office of {city} said.\n\nResidents had asked for more routes for years, and the "
            f"council member for district {n + 1} called the vote overdue.")
    return Document(f"other-{n}", f"https://news{n}.example/{city.lower()}", text,
                    published="2025-03-12T09:00:00+00:00", outlet=f"news{n}.example", language="en")


def documents() -> list[Document]:
    texts = {"wire_visit": WIRE_VISIT, "wire_successor": WIRE_SUCCESSOR, "other_visit": OTHER_VISIT,
             "es_visit": ES_VISIT, "fr_successor": FR_SUCCESSOR}
    return [Document(name, f"https://{META[name][1]}/{name}", texts[name], published=META[name][0],
                     outlet=META[name][1], language=META[name][2]) for name in texts]


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


def grouping(tracker: StoryTracker, names=STORIES) -> dict[str, set[str]]:
    """Each tracked article of ``names`` -> those of them in its story."""
    found = {}
    for story in tracker.stories():
        members = {m.doc.doc_id for m in story.members} & set(names)
        for member in members:
            found[member] = members
    return found


def tracked(store, encoder, docs: list[Document], order) -> StoryTracker:
    """A tracker that has read 30 unrelated articles, then ``docs`` in ``order``."""
    tracker = StoryTracker(store=store, encoder=encoder)
    for n in range(30):
        tracker.add(unrelated(n))
    for i in order:
        tracker.add(docs[i])
    return tracker


@pytest.mark.parametrize("order", list(itertools.permutations(range(5)))[::29])
def test_translated_stock_paragraphs_do_not_link_two_stories(encoder, order, tmp_path, catalog_backend):
    tracker = tracked(open_story_store(tmp_path, catalog_backend), encoder, documents(), order)
    stories = grouping(tracker)
    assert stories["es_visit"] == {"wire_visit", "es_visit"}
    assert stories["fr_successor"] == {"wire_successor", "fr_successor"}
    assert stories["other_visit"] == {"other_visit"}
    tracker.close()


def test_a_sentence_saying_stock_and_its_own_news_in_one_is_not_stock():
    """A translation may say two sentences of its original in one (the pairs of a merge share
    that sentence): it translates stock only when every sentence it says is stock; a piece of
    a stock sentence, split by the translation or the segmenter, is stock."""
    from archive.stories.background import translations_of
    from archive.stories.fingerprint import fingerprint

    original = fingerprint("Floods killed 40 people in Suva on Saturday, officials said.\n"
                           "The ruling coalition in Fiji has governed since the 2003 elections, when it won a narrow majority.\n"
                           "The next general election is due within two years.").sentences
    translated = fingerprint("Las inundaciones mataron a 40 personas en Suva el sábado, dijeron las autoridades.\n"
                             "La coalición gobernante de Fiyi gobierna desde las elecciones de 2003.\n"
                             "Ganó entonces una estrecha mayoría.\n"
                             "Las próximas elecciones generales se celebrarán dentro de dos años.",
                             language="es").sentences
    stock = {original[1].key, original[2].key}
    # the lede and a stock sentence said in one, then a stock sentence split in two
    merged = {"verdict": "unknown", "pairs": [[0, 0, 0.8, "semantic", True], [1, 0, 0.8, "semantic", True],
                                              [1, 1, 0.7, "semantic", True], [1, 2, 0.7, "semantic", True],
                                              [2, 3, 0.9, "semantic", True]]}
    found = translations_of(original, translated, merged, stock)
    assert sorted({target for _, target in found}) == sorted(s.key for s in translated[1:])
    # once the lede is stock too, the sentence that says it with the stock one is stock
    found = translations_of(original, translated, merged, stock | {original[0].key})
    assert translated[0].key in {target for _, target in found}


@pytest.mark.slow
def test_stock_is_carried_into_another_language_only_through_a_translation(encoder):
    """Two stories of one template about one minister ("It followed a warning by Yerlan
    Nurgaliyev, the energy minister ..." / "Yerlan Nurgaliyev a été nommé ministre de
    l'Énergie ..."): compared, the first story's stock aligns by meaning with the second's
    French lede, but the two are not linked, so the lede is not stock; were it carried, every
    translation of that lede would be, and the story's English brief, its lede and one more
    sentence, would be lost. One topic of the benchmark corpus (seed 79), where it happened."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import _storycorpus

    corpus = _storycorpus.quality_corpus(79, 40, 150, 50)
    docs = [d for d in corpus.docs if d.topic == "central-asia-gas"]
    tracker = StoryTracker(encoder=encoder)
    for d in docs:
        tracker.add(Document(d.doc_id, d.url, d.text, title=d.title, published=d.published, outlet=d.outlet,
                             language=d.language, authors=list(d.authors)))
    story_of = {m.doc.doc_id: s.story_id for s in tracker.stories() for m in s.members}
    origin = corpus.origin["central-asia-gas/s004"]
    copies = [d.doc_id for d in docs if d.story == "central-asia-gas/s004"]
    assert len(copies) >= 6 and {story_of[d] for d in copies} == {story_of[origin]}
    assert tracker.store.sentences(origin)[0].key not in tracker.store.background()
    tracker.close()
