"""Candidates of a short text in another language: the articles of its own language are nearer
it by meaning than its story's copies in other languages, and it is compared with those copies
whichever of the two comes first."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, load_encoder


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


# a Japanese brief of two sentences (an AP story's translated lede) ...
BRIEF = """ニジェールの財務相、ハミドゥ・ディアロ氏は日曜日、同国高官として82年ぶりにバマコを訪れ、4日間の日程で訪問を開始した。

同氏は水資源相のムサ・ウルド・チェイフ氏と、難民住宅や合同作業部会の設置計画について会談した。"""
# ... an English copy of that story (the AP original, trimmed) ...
ORIGIN = """BAMAKO (AP) — Niger's finance minister Hamidou Diallo landed in Bamako on Sunday, starting a four-day trip that makes him the most senior official from his country to go there in 82 years.

He held talks with Moussa Ould Cheikh, the water minister, on refugee housing and on plans for a joint working group.

The programme for the final day includes a wreath-laying at a memorial in Agadez and a meeting between Diallo and business leaders.

The first year alone will cost $472 million, by the estimate of the farmers' union."""
# ... the same fortnight's Japanese articles of other stories, one template among them, all
# nearer the brief by meaning than its story's English copy ...
OTHERS = [
    """チリのエネルギー相、カミラ・レイス・オルトゥザル氏は月曜日、同国高官として69年ぶりにアントファガスタを訪れ、4日間の日程で訪問を開始した。

同氏は水資源相のジョセファ・フアンカ氏と、リチウム採掘や合同作業部会の設置計画について会談した。""",
    """フィジーの貿易相、メレ・トゥプ氏は土曜日、同国高官として89年ぶりにスヴァを訪れ、2日間の日程で訪問を開始した。

同氏は農相のシティヴェニ・ナウリヴ氏と、海上保険や合同作業部会の設置計画について会談した。""",
    """フィジーの財務相、フェレティ・カウフシ氏は土曜日、同国高官として70年ぶりにラウトカを訪れ、3日間の日程で訪問を開始した。

同氏は国防相のラトゥ・ジョサイア・ヴォサニボラ氏と、海上保険や合同作業部会の設置計画について会談した。

カウフシ氏は「私たちの最優先事項はそこに暮らす家族の安全だ、年末までに何を成し遂げたかで私たちは評価される」と語った。""",
    """フィジーの国防相、ラトゥ・ジョサイア・ヴォサニボラ氏は火曜日、同国高官として31年ぶりにナディを訪れ、4日間の日程で訪問を開始した。

同氏は市民保護庁長官のロサナ・カリカウ氏と、洪水対策や合同作業部会の設置計画について会談した。

ヴォサニボラ氏は「次の危機を待ってから行動するつもりはない、年末までに何を成し遂げたかで私たちは評価される」と語った。

ヴォサニボラ氏は滞在最終日にヌクアロファの記念碑に献花し、経済界の代表と会談する予定だ。""",
    """月曜日、国境検問所をめぐって先月辞任したハミドゥ・ディアロ氏の後任として、ムサ・ウルド・チェイフ氏が水資源相に任命された。

チェイフ氏は40歳で、これまでモプティで国連開発計画を5年間率いてきた。

チェイフ氏は「法は地位にかかわらず全員に適用されなければならない、資金はある、今必要なのは政治的な意思だ」と語った。

任命には議会の承認が必要で、与党連合は議会で214議席を持つ。""",
    """木曜日、食料価格をめぐって先月辞任したアイサタ・トゥレ氏の後任として、ハミドゥ・ディアロ氏が財務相に任命された。

ディアロ氏は53歳で、これまでニアメイで農民組合を9年間率いてきた。

ディアロ氏は「私たちは独立した調査を求めており、それが行われることを期待している、資金はある、今必要なのは政治的な意思だ」と語った。

任命には議会の承認が必要で、与党連合は議会で225議席を持つ。""",
    """バングラデシュとインドは月曜日、チタゴンで43年間で総額6億3600万ドルとなる干ばつ救済に関する協定に署名した。

協定には、数カ月に及ぶ交渉を経て水資源相のシェイフ・ナズムル・ハサン氏と農相のレザウル・カリム氏が署名した。

ハサン氏は「遅れるたびに私たちは金を失い、パートナーは忍耐を失う、来月、自分で現地に戻って確認する」と語った。

協定に基づき、専門家1146人が育成され、来年にはスナムガンジュに共同事務所が開設される。""",
]

# ... and the ledes of English articles of that template, nearer the copy than the brief is
OTHERS_EN = [
    """YANBU (AP) — Egypt's finance minister Nourhan Mansour landed in Yanbu on Sunday, starting a two-day trip that makes him the most senior official from his country to go there in 74 years.

Talks with defence minister Hisham Ezzeldin focused on tourism, as well as on setting up a joint working group.

"We lost everything in one night and nobody came to help us, and I will go back there myself next month to check," said Nourhan Mansour, the finance minister.""",
    """TASHKENT (AFP) — Kazakhstan's trade minister Shavkat Tursunov landed in Tashkent on Sunday, starting a four-day trip that makes him the most senior official from his country to go there in 78 years.

He held talks with Aigerim Seitkali, the finance minister, on gas storage and on plans for a joint working group.

Tursunov told reporters in Tashkent: "The people who suffer most are the ones who were never consulted, and that is the message I will take to parliament on Tuesday.\"""",
    """LABASA (AFP) — Sitiveni Naulivou, Fiji's agriculture minister, arrived in Labasa on Friday for a two-day visit, the first by a senior official from his country in 89 years.

He held talks with Feleti Kaufusi, the finance minister, on fishing quotas and on plans for a joint working group.

Naulivou told reporters in Labasa: "The people who suffer most are the ones who were never consulted, and that is the message I will take to parliament on Tuesday.\"""",
    """SUVA (Reuters) — Mele Tupou, Fiji's trade minister, arrived in Suva on Saturday for a two-day visit, the first by a senior official from his country in 89 years.

Talks with agriculture minister Sitiveni Naulivou focused on shipping insurance, as well as on setting up a joint working group.

Tupou told reporters in Suva: "This agreement will create jobs for a generation of young people, and I said as much to my counterpart this morning.\"""",
    """MOPTI (Reuters) — Fatoumata Keïta, Niger's health minister, arrived in Mopti on Thursday for a three-day visit, the first by a senior official from his country in 94 years.

On the agenda of his meeting with Aïssata Touré, the head of the civil protection agency: water security, and a proposed joint working group.

"We have asked for an independent inquiry and we expect one, and nobody in this government is pretending otherwise," Keïta said.""",
    """Camila Reyes Ortuzar, Chile's energy minister, arrived in Antofagasta on Monday for a four-day visit, the first by a senior official from his country in 69 years.

Talks with water minister Josefa Huanca focused on lithium mining, as well as on setting up a joint working group.

The programme for the final day includes a wreath-laying at a memorial in Potosí and a meeting between Ortuzar and business leaders.""",
]


def others() -> list[Document]:
    return [Document(f"other-{n}", f"https://chouyou.example/2025/03/{n}", text, published=f"2025-03-{6 + 2 * n:02d}T08:00:00+00:00",
                     outlet="chouyou.example", language="ja") for n, text in enumerate(OTHERS)] + [
        Document(f"other-en-{n}", f"https://wire.example/2025/03/{n}", text, published=f"2025-03-{7 + 2 * n:02d}T08:00:00+00:00",
                 outlet="wire.example", language="en") for n, text in enumerate(OTHERS_EN)]


@pytest.mark.parametrize("order", ["brief-last", "brief-before-origin", "brief-first"])
def test_a_short_translation_is_compared_with_its_original_in_every_order(encoder, order):
    """Seven Japanese articles of other stories are nearer the brief by meaning than its
    story's English copy, and six English ones nearer the copy than the brief (cosines
    0.52-0.77 and 0.49-0.68, against 0.47 between the two, under the document-vector floor of
    0.6). A short text is compared with its nearest few in another language, however many of
    its own language come first, whichever of the brief and the copy comes first: the copy,
    coming second, looks for the short texts it is among the nearest of. The names and figures
    they share find no candidates here (``anchor_max_candidates=0``), as in a crawled week
    whose copies of the story and of the minister's appointment make them common: the brief's
    meaning alone leads to its story."""
    from archive.stories import TrackerConfig

    origin = Document("origin", "https://ap.example/bamako", ORIGIN, published="2025-03-09T12:00:00+00:00",
                      outlet="ap.example", language="en")
    brief = Document("brief", "https://chouyou.example/bamako", BRIEF, published="2025-03-12T01:04:17+00:00",
                     outlet="chouyou.example", language="ja")
    arrival = {"brief-last": [*others(), origin, brief], "brief-before-origin": [*others(), brief, origin],
               "brief-first": [brief, *others(), origin]}[order]
    tracker = StoryTracker(encoder=encoder, config=TrackerConfig(anchor_max_candidates=0))
    for doc in arrival:
        tracker.add(doc)
    compared = {frozenset((a, b)) for a, b, _ in tracker.store.pairs()}
    assert frozenset(("brief", "origin")) in compared
    links = {frozenset((l.a, l.b)): l.relation for l in tracker.links()}
    assert links.get(frozenset(("brief", "origin"))) == "translation"
    assert [pair for pair in links if "brief" in pair and "origin" not in pair] == []
    tracker.close()


def test_the_short_texts_are_found_again_in_a_reopened_store(encoder, tmp_path):
    """The index of short texts is derived from the store: a tracker opened on it later still
    finds the brief when its story's copy comes."""
    from archive.stories import SQLiteStore, TrackerConfig

    config = TrackerConfig(anchor_max_candidates=0)
    path = tmp_path / "stories.sqlite"
    tracker = StoryTracker(SQLiteStore(path), encoder=encoder, config=config)
    for doc in [Document("brief", "https://chouyou.example/bamako", BRIEF, published="2025-03-12T01:04:17+00:00",
                         outlet="chouyou.example", language="ja"), *others()]:
        tracker.add(doc)
    tracker.close()
    tracker = StoryTracker(SQLiteStore(path), encoder=encoder, config=config)
    tracker.add(Document("origin", "https://ap.example/bamako", ORIGIN, published="2025-03-09T12:00:00+00:00",
                         outlet="ap.example", language="en"))
    assert {frozenset((l.a, l.b)): l.relation for l in tracker.links("origin")} == {
        frozenset(("brief", "origin")): "translation"}
    tracker.close()
