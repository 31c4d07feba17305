"""Candidates by names and figures, in either arrival order: a text naming one thing is found by
its original coming second, whose twenty names and figures make that one a small share of its
own."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, load_encoder


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


# a Japanese trim of three sentences of an AP story: its one figure is "70" (years); its names,
# in katakana, are not spelt as their originals ("Lucía" with a soft c, ルキア with a k) ...
TRIM = """チリの地方知事、ルキア・コンドリ氏は月曜日、同国高官として70年ぶりにサンティアゴを訪れ、3日間の日程で訪問を開始した。

同氏は水資源相のジョセファ・フアンカ氏と、先住民の土地の権利や合同作業部会の設置計画について会談した。

コンドリ氏は「この数字に驚く人はいないはずだ、警告は何年も前から出ていた、公職について三十年になるが、こんなことはめったに見たことがない」と語った。"""
# ... and the AP original, naming twenty people, places and figures
ORIGIN = """SANTIAGO (AP) — For the first time in 70 years, a senior official from Chile is on a visit to Santiago: regional governor Lucía Condori flew in on Monday for a three-day stay.

On the agenda of his meeting with Josefa Huanca, the water minister: indigenous land rights, and a proposed joint working group.

Condori told reporters in Santiago: "Nobody should be surprised by these numbers, the warnings were there for years, and I have spent thirty years in public life and I have rarely seen anything like it."

The programme for the final day includes a wreath-laying at a memorial in Potosí and a meeting between Condori and business leaders. How the package will be financed is unclear; the national electricity company has pencilled in $231 million for year one.

About 1,700,000 people in Chile depend on farming for a living, and the sector has been hit by repeated droughts since 2014. The government has promised to modernise irrigation across South America.

Pressure had been building since Huanca raised the alarm over indigenous land rights in a speech 2 days ago.

The two governments signed a framework agreement in 2000, brokered by the teachers' federation, that set out cooperation in security, energy and tourism. Critics say few of its projects have been carried out.

In Potosí, opposition lawmakers attacked the announcement, recalling that 4 similar promises made since 1995 were never kept. Diplomats expect experts to reconvene in Potosí before 2 weeks are out, with indigenous land rights at the top of their list.

Associated Press writer Marta Yilmaz contributed to this report."""


def _trim() -> Document:
    return Document("trim-ja", "https://chouyou-shinpo.example/condori", TRIM,
                    title="ルキア・コンドリ氏、70年ぶりにサンティアゴ訪問", published="2025-03-11T15:48:17+00:00",
                    outlet="chouyou-shinpo.example", language="ja")


def _origin() -> Document:
    return Document("origin", "https://apnews.example/condori", ORIGIN,
                    title="Lucía Condori makes first visit to Santiago in 70 years",
                    published="2025-03-10T01:11:54+00:00", outlet="apnews.example", language="en")


@pytest.mark.parametrize("trim_first", [True, False])
def test_a_trim_naming_one_figure_joins_its_original_in_either_order(encoder, trim_first):
    tracker = StoryTracker(encoder=encoder)
    for doc in ((_trim(), _origin()) if trim_first else (_origin(), _trim())):
        tracker.add(doc)
    links = tracker.links("origin")
    assert [(l.a, l.b, l.relation) for l in links] == [("origin", "trim-ja", "translation")]
    tracker.close()
