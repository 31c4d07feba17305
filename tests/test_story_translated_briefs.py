"""Translated briefs that keep little of their original: one figure, a weekday, a name."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, TrackerConfig, load_encoder


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


COURT_EN = """TIMBUKTU (Reuters) — Ruling that the herders' association should have been consulted as required by law, a court in Timbuktu on Thursday suspended the government's decree on grazing rights.

Aïssata Touré led the group of lawyers who, together with 1,697 residents, brought the case.

"The law must apply to everyone, whatever their position," Touré told reporters outside the court.

The government will lodge an appeal within 30 days, the justice ministry said.

The herders' association estimates that the decree would have closed a third of the region's pastures."""
COURT_JA = """ティンブクトゥの裁判所は木曜日、法律で定められた牧畜民協会への意見聴取が行われなかったとして、放牧権に関する政府の政令の効力を停止した。

訴えを起こしたのは住民1697人と、アイサタ・トゥレ氏が率いる弁護士団だった。"""
# another ruling that week, in Japanese too: another city, another figure
OTHER_JA = """セグーの裁判所は火曜日、漁業組合への意見聴取が行われなかったとして、漁獲枠に関する政府の政令の効力を停止した。

訴えを起こしたのは住民2340人と、地元の弁護士団だった。"""


@pytest.mark.parametrize("brief_first", [False, True])
def test_a_translated_brief_keeping_one_rare_figure_is_compared_with_its_original(encoder, brief_first):
    """No document vectors (``ann_candidates=0``), no name long enough to be matched in
    another script (アイサタ・トゥレ: three consonants): the number of residents, given by
    no other article that week, leads from the Japanese brief to its original in either
    arrival order. Another ruling's brief, with other figures, is not compared."""
    tracker = StoryTracker(encoder=encoder, config=TrackerConfig(ann_candidates=0))
    origin = Document("origin", "https://wire.example/timbuktu", COURT_EN, published="2025-04-03T09:00:00+00:00",
                      language="en")
    briefs = [Document(name, f"https://ja.example/{name}", text, published="2025-04-04T02:00:00+00:00", language="ja")
              for name, text in (("brief", COURT_JA), ("other", OTHER_JA))]
    for doc in (*briefs, origin) if brief_first else (origin, *briefs):
        tracker.add(doc)
    compared = {frozenset((a, b)) for a, b, _ in tracker.store.pairs()}
    assert frozenset(("brief", "origin")) in compared
    assert frozenset(("other", "origin")) not in compared
    linked = {frozenset((l.a, l.b)): l.relation for l in tracker.links()}
    assert linked == {frozenset(("brief", "origin")): "translation"}
    tracker.close()


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


@pytest.mark.parametrize("brief, linked", [(VISIT_ZH, True), (UNNAMED_ZH, False)], ids=["named", "unnamed"])
def test_a_translated_lede_keeping_a_figure_a_weekday_and_a_name_stands_alone(encoder, brief, linked):
    """The brief's second sentence is stock (background): its lede alone ties it when it keeps a
    figure, the weekday and the visitor's name written in Chinese; a figure and the weekday
    alone do not."""
    tracker = StoryTracker(encoder=encoder)
    for doc_id, host, text, language in (("origin", "reuters.example", VISIT_EN, "en"),
                                         ("brief", "huanqiu.example", brief, "zh")):
        tracker.add(Document(doc_id, f"https://{host}/shymkent", text, published="2025-09-16T08:00:00+00:00",
                             outlet=host, language=language))
    [(a, b, data)] = [pair for pair in tracker.store.pairs("brief")]
    assert [tuple(p[:2]) for p in data["pairs"]][:1] == [(0, 0)]
    stock = {tracker.store.sentences("origin")[1].key}
    link = tracker.evaluate(a, b, data, background=stock)
    assert (link is not None and link.relation == "translation" and len(link.evidence) == 1) == linked
    tracker.close()


FLOOD_EN = """MARRAKECH (AFP) — At least 76 people were killed and 921 families lost their homes when floods swept through Marrakech on Tuesday, officials said.

In the district near the river, rescuers kept searching for survivors through the night.

The regional governor promised emergency shelters for the families who lost everything.

The weather service had warned of heavy rain in the Atlas mountains for most of the week."""
# Korean writes the lede in half the words English does: 12
FLOOD_KO = """당국에 따르면 화요일 마라케시를 휩쓴 홍수로 최소 76명이 숨지고 921가구가 집을 잃었다.
강 인근 지역에서 구조대는 밤새 생존자 수색을 계속했다."""


def test_a_translated_lede_standing_alone_is_not_held_to_a_count_of_words(encoder):
    """The brief's second sentence is stock: its Korean lede, two figures and the weekday of the
    original's, stands alone though it counts fewer words than evidence must in one language."""
    tracker = StoryTracker(encoder=encoder)
    for doc_id, host, text, language in (("origin", "afp.example", FLOOD_EN, "en"),
                                         ("brief", "hankook.example", FLOOD_KO, "ko")):
        tracker.add(Document(doc_id, f"https://{host}/marrakech", text, published="2025-10-07T09:00:00+00:00",
                             outlet=host, language=language))
    [(a, b, data)] = [pair for pair in tracker.store.pairs("brief")]
    assert [tuple(p[:2]) for p in data["pairs"]][:2] == [(0, 0), (1, 1)]
    assert tracker.store.sentences("brief")[0].words < TrackerConfig().min_words
    link = tracker.evaluate(a, b, data, background={tracker.store.sentences("origin")[1].key})
    assert link is not None and link.relation == "translation" and len(link.evidence) == 1
    tracker.close()
