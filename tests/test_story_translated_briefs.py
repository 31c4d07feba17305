"""Translated briefs whose lede is all that is left of them once stock is set aside."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, load_encoder


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


VISIT_EN = """SHYMKENT (Reuters) — For the first time in 91 years, a senior official from Kazakhstan is on a visit to Shymkent: the mayor of the capital, Gulnara Yusupova, flew in on Tuesday for a four-day stay.

On the agenda of her meeting with the energy minister: rail freight, and a proposed joint working group.

"We have asked for an independent inquiry and we expect one," Yusupova said.

Before flying home, Yusupova will lay a wreath at a memorial and hold a meeting with business leaders."""
# the lede keeps the figure, the weekday and the visitor's name; the second sentence is stock
VISIT_ZH = """哈萨克斯坦首都市长古尔纳拉·尤苏波瓦周二抵达希姆肯特，开始为期四天的访问，这是该国高级官员91年来首次到访。
她与能源部长就铁路货运以及成立联合工作组的计划举行了会谈。"""
# the same lede naming no one
UNNAMED_ZH = """哈萨克斯坦首都市长周二抵达希姆肯特，开始为期四天的访问，这是该国高级官员91年来首次到访。
她与能源部长就铁路货运以及成立联合工作组的计划举行了会谈。"""


FLOOD_EN = """MARRAKECH (AFP) — At least 76 people were killed and 921 families lost their homes when floods swept through Marrakech on Tuesday, officials said.

In the district near the river, rescuers kept searching for survivors through the night.

The regional governor promised emergency shelters for the families who lost everything.

The weather service had warned of heavy rain in the Atlas mountains for most of the week."""
# Korean writes the lede in half the words English does: 12
FLOOD_KO = """당국에 따르면 화요일 마라케시를 휩쓴 홍수로 최소 76명이 숨지고 921가구가 집을 잃었다.
강 인근 지역에서 구조대는 밤새 생존자 수색을 계속했다."""


@pytest.mark.parametrize("origin, brief, language, linked", [
    (VISIT_EN, VISIT_ZH, "zh", True), (VISIT_EN, UNNAMED_ZH, "zh", False), (FLOOD_EN, FLOOD_KO, "ko", True)],
    ids=["figure-and-name", "figure-alone", "korean-words"])
def test_a_translated_lede_stands_alone_on_what_it_keeps(encoder, origin, brief, language, linked):
    """The brief's second sentence is stock (background): its lede alone ties it when it keeps
    three figures, weekdays and names, two figures among them or a figure and a name written in
    the other script (Gulnara Yusupova, 古尔纳拉·尤苏波瓦); a figure and the weekday do not. Its
    words are not counted against a floor: the Korean lede says in 12 what English says in 24."""
    tracker = StoryTracker(encoder=encoder)
    for doc_id, host, text, lang in (("origin", "wire.example", origin, "en"), ("brief", f"{language}.example", brief,
                                                                                 language)):
        tracker.add(Document(doc_id, f"https://{host}/story", text, published="2025-09-16T08:00:00+00:00",
                             outlet=host, language=lang))
    [(a, b, data)] = [pair for pair in tracker.store.pairs("brief")]
    assert [tuple(p[:2]) for p in data["pairs"]][:1] == [(0, 0)]
    link = tracker.evaluate(a, b, data, background={tracker.store.sentences("origin")[1].key})
    assert (link is not None and link.relation == "translation" and len(link.evidence) == 1) == linked
    tracker.close()


PROBE_NIAMEY = """NIAMEY (Reuters) — Contracts for food prices worth $437 million, awarded by the African Development Bank, are the subject of an investigation that prosecutors in Niamey opened on Wednesday.

Investigators searched 81 offices and seized documents linked to Fatoumata Keïta, a former health minister.

"There is still a lot of work to do and we know it, and that is the message I will take to parliament on Tuesday," Maïga said.

Pending the inquiry, 2,244 officials were suspended, and agriculture minister Abdoulaye Maïga pledged the government's full cooperation.

Relations between Niger and Mali were strained for years by a dispute over water rights on their shared river."""
# another story of the template: its own figures, weekday and people, and 81 offices searched
# too; its quote ends in the same stock clause
PROBE_RANGPUR = """RANGPUR (Reuters) — An investigation into $393 million of contracts awarded by the Red Crescent for drought relief was opened on Saturday by prosecutors in Rangpur.

Investigators searched 81 offices and seized documents linked to Sheikh Nazmul Hasan, a former water minister.

Rezaul Karim, the agriculture minister, said the government would cooperate fully and suspended 1,473 officials pending the inquiry.

Human rights groups have accused authorities in Bangladesh of restricting protests and detaining journalists.

"The figures show that the strategy is working, even if it is slower than we hoped, and that is the message I will take to parliament on Tuesday," according to Hasan.

Bangladesh joined the regional trade bloc in 1995, but disputes over tariffs with India have slowed the removal of border checks."""
# the Niamey story's lede, search and quote, translated
PROBE_NIAMEY_ZH = """尼阿梅伊检方周三对非洲开发银行为食品价格授予的价值4.37亿美元的合同展开调查。
调查人员搜查了81间办公室，并查获了与前卫生部长法图马塔·克伊塔有关的文件。
马伊加说：“仍有大量工作要做，我们心里清楚，这就是我将在周二带到议会的信息。”"""


@pytest.mark.parametrize("origin, linked", [(PROBE_NIAMEY, True), (PROBE_RANGPUR, False)],
                         ids=["its-own-story", "another-story-of-its-template"])
def test_a_translated_brief_whose_lede_gives_other_figures_is_another_story(encoder, origin, linked):
    """A translated brief is its lede and a fact or two: linked to another story of its
    template by its other sentences alone (a search of as many offices, a quote's stock end),
    while its lede gives other figures and another weekday than that story's, it is not a copy
    of it; its own story's lede it translates."""
    tracker = StoryTracker(encoder=encoder)
    for doc_id, host, text, lang in (("origin", "wire.example", origin, "en"), ("brief", "zh.example", PROBE_NIAMEY_ZH,
                                                                                 "zh")):
        tracker.add(Document(doc_id, f"https://{host}/story", text, published="2025-03-06T08:00:00+00:00",
                             outlet=host, language=lang))
    [(a, b, data)] = [pair for pair in tracker.store.pairs("brief")]
    evidence = {tuple(p[:2]) for p in data["pairs"] if p[3] == "semantic"}
    if not linked:  # what once linked them: the search and the quote, the ledes apart
        assert (1, 1) in evidence and not any(0 in pair for pair in evidence)
    link = tracker.evaluate(a, b, data)
    assert (link is not None and link.relation == "translation") == linked
    tracker.close()
