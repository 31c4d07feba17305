"""Translations into non-Latin scripts join their story; other stories in the same script,
naming the same people, do not."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, load_encoder
from archive.stories.compare import compare_rows

ORIGIN = """RABAT, Morocco (AP) — Israel's defence minister Eitan Barkai arrived in Rabat on Wednesday for a three-day visit, the first by a senior Israeli official in 14 years.
He held talks with Youssef El Idrissi, the Moroccan foreign minister, on water security and on plans for a joint working group.
"This is a turning point for both our countries and for the whole region," Barkai said.
Barkai is also due to lay a wreath at a memorial in Casablanca and to meet business leaders on Friday.
The two countries signed an agreement worth $350 million to build desalination plants, officials said.
Under the agreement, 1,200 engineers will be trained over five years.
Morocco and Israel restored full diplomatic relations in 2020 after years of informal contacts.
Trade between the two countries has grown every year since then, according to official figures."""

TRANSLATIONS = {
    "zh": """以色列国防部长埃坦·巴尔凯周三抵达拉巴特，开始为期三天的访问，这是以色列高级官员14年来首次到访。
他与摩洛哥外交大臣优素福·伊德里西就水安全以及成立联合工作组的计划举行了会谈。
巴尔凯说：“这是我们两国乃至整个地区的转折点。”
官员说，两国签署了一项价值3.5亿美元的海水淡化厂建设协议。
根据协议，未来五年将培训1200名工程师。""",
    "ru": """Министр обороны Израиля Эйтан Баркай в среду прибыл в Рабат с трёхдневным визитом — первым визитом высокопоставленного израильского чиновника за 14 лет.
Он провёл переговоры с министром иностранных дел Марокко Юсефом Идриси о водной безопасности и о создании совместной рабочей группы.
«Это поворотный момент для обеих наших стран и для всего региона», — сказал Баркай.
По словам официальных лиц, стороны подписали соглашение о строительстве опреснительных заводов стоимостью 350 млн долларов.
Соглашение предусматривает подготовку 1200 инженеров в течение пяти лет.""",
    "ar": """وصل وزير الدفاع الإسرائيلي إيتان باركاي إلى الرباط يوم الأربعاء في زيارة تستغرق ثلاثة أيام، هي الأولى لمسؤول إسرائيلي رفيع منذ 14 عاما.
وأجرى محادثات مع وزير الخارجية المغربي يوسف الإدريسي حول الأمن المائي وخطط تشكيل فريق عمل مشترك.
وقال باركاي: "هذه نقطة تحول لبلدينا وللمنطقة بأسرها".
وقال مسؤولون إن البلدين وقعا اتفاقا بقيمة 350 مليون دولار لإنشاء محطات لتحلية المياه.
وبموجب الاتفاق سيتم تدريب 1200 مهندس على مدى خمس سنوات.""",
}

# A translated brief: two sentences, each keeping a figure or the weekday of its original.
BRIEF_ZH = """以色列国防部长埃坦·巴尔凯周三抵达拉巴特，这是以色列高级官员14年来首次到访。
官员说，两国签署了一项价值3.5亿美元的海水淡化厂建设协议。"""

# Thai counts characters, not words: its brief of two sentences is "longer" than the whole wire
# story by count, and the share it covers must be read in each text's own units.
BRIEF_TH = """รัฐมนตรีกลาโหมอิสราเอล เอตัน บาร์ไค เดินทางถึงกรุงราบัตเมื่อวันพุธ เพื่อเยือนเป็นเวลาสามวัน นับเป็นการเยือนครั้งแรกของเจ้าหน้าที่ระดับสูงของอิสราเอลในรอบ 14 ปี
เจ้าหน้าที่ระบุว่า ทั้งสองประเทศได้ลงนามข้อตกลงมูลค่า 350 ล้านดอลลาร์ เพื่อสร้างโรงงานผลิตน้ำจืดจากน้ำทะเล"""

# Another story on the same subject, in the same script, naming the same minister.
SAME_SCRIPT_OTHER_STORY = {
    "zh": """摩洛哥外交大臣优素福·伊德里西周一在非斯会见了来自欧盟的代表团，讨论捕鱼配额问题。
双方同意下个月再次会面。
伊德里西说，谈判取得了进展，但仍有分歧。
欧盟方面表示，新的协议可能在年底前签署。
据官员介绍，渔业每年为摩洛哥带来约12亿美元的收入。""",
    "ru": """Министр иностранных дел Марокко Юсеф Идриси в понедельник встретился в Фесе с делегацией Евросоюза, чтобы обсудить квоты на вылов рыбы.
Стороны договорились встретиться снова в следующем месяце.
По словам Идриси, переговоры продвигаются, но разногласия сохраняются.
В Евросоюзе заявили, что новое соглашение может быть подписано до конца года.
По данным чиновников, рыболовство ежегодно приносит Марокко около 1,2 млрд долларов.""",
    "ar": """التقى وزير الخارجية المغربي يوسف الإدريسي يوم الاثنين في فاس وفدا من الاتحاد الأوروبي لبحث حصص الصيد.
واتفق الجانبان على الاجتماع مجددا الشهر المقبل.
وقال الإدريسي إن المفاوضات تحرز تقدما لكن الخلافات لا تزال قائمة.
وأعلن الاتحاد الأوروبي أن اتفاقا جديدا قد يوقع قبل نهاية العام.
ووفقا لمسؤولين، يدر قطاع الصيد على المغرب نحو 1.2 مليار دولار سنويا.""",
}


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


@pytest.fixture(scope="module")
def tracker(encoder):
    tracker = StoryTracker(encoder=encoder)
    # the translations and the other stories arrive before the wire story they translate
    for language in TRANSLATIONS:
        tracker.add(Document(f"other-{language}", f"https://{language}.example/other", SAME_SCRIPT_OTHER_STORY[language],
                             published="2025-03-03T09:00:00+00:00", outlet=f"{language}.example", language=language))
        tracker.add(Document(f"copy-{language}", f"https://{language}.example/visit", TRANSLATIONS[language],
                             published="2025-03-05T15:00:00+00:00", outlet=f"{language}.example", language=language))
    tracker.add(Document("brief-zh", "https://zh.example/brief", BRIEF_ZH, published="2025-03-05T16:00:00+00:00",
                         outlet="zh.example", language="zh"))
    tracker.add(Document("brief-th", "https://th.example/brief", BRIEF_TH, published="2025-03-05T16:00:00+00:00",
                         outlet="th.example", language="th"))
    tracker.add(Document("origin", "https://apnews.example/visit", ORIGIN, title="Israeli minister in Rabat",
                         published="2025-03-05T10:00:00+00:00", outlet="apnews.example", language="en",
                         authors=["Associated Press"]))
    yield tracker
    tracker.close()


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_a_translation_into_another_script_joins_its_story(tracker, language):
    link = next((l for l in tracker.links("origin") if f"copy-{language}" in (l.a, l.b)), None)
    assert link is not None and link.relation == "translation"
    assert len(link.evidence) >= 3


@pytest.mark.parametrize("language", sorted(TRANSLATIONS))
def test_another_story_in_that_script_naming_the_same_minister_stays_out(tracker, language):
    story = next(s for s in tracker.stories() if any(m.doc.doc_id == "origin" for m in s.members))
    members = {m.doc.doc_id for m in story.members}
    assert f"other-{language}" not in members
    # (the other stories are translations of one another, and linked as such)
    assert not [l for l in tracker.links(f"other-{language}") if not {l.a, l.b} <= set(SAME_SCRIPT_OTHER_STORY_IDS)]


SAME_SCRIPT_OTHER_STORY_IDS = [f"other-{language}" for language in SAME_SCRIPT_OTHER_STORY]


@pytest.mark.parametrize("brief", ["brief-zh", "brief-th"])
def test_a_translated_brief_of_two_sentences_joins_its_story(tracker, brief):
    link = next((l for l in tracker.links("origin") if brief in (l.a, l.b)), None)
    assert link is not None and link.relation == "translation" and len(link.evidence) == 2


# A trimmed translation (lede, a detail, a quote) whose quote names its speaker by a short name
# ("Tupou", 투푸) that no consonant skeleton can match: its lede keeps the day, the toll and the
# families, and every sentence follows the original's order.
TRIM_ORIGIN = """SUVA (AP) — At least 74 people were killed and 2,089 families lost their homes when floods swept through Suva on Saturday, officials said.

The search for survivors near Labasa went on under the command of Losana Qarikau, the head of the civil protection agency.

"We are not going to wait for another crisis before we act, and the next few weeks will show whether our partners are serious," said Mele Tupou, the trade minister.

Emergency aid of $668 million was promised by Mele Tupou, the trade minister, who toured a shelter where 2,089 people are staying. Nobody has yet said who will pay the $359 million bill that the national audit office puts on the first year.

Fiji is one of the largest recipients of foreign aid in the Pacific, receiving about 3,700,000 dollars a year from donors. Much of it goes to health care and food security.

5 days ago, in an interview with state television, Losana Qarikau said the country had run out of time on shipping insurance.

The ruling coalition in Fiji has governed since the 2003 elections, when it won a narrow majority. The next general election is due within two years.

The opposition in Labasa was critical: 5 promises of the kind have been made since 1999, its lawmakers said, and none was kept. Officials said the two sides would meet again in Labasa within 5 weeks to discuss shipping insurance.

Associated Press writer Yusuf Usmanov contributed to this report."""
TRIM_KO = """당국에 따르면 토요일 수바를 휩쓴 홍수로 최소 74명이 숨지고 2,089가구가 집을 잃었다.

로사나 카리카우 민방위청장이 이끄는 구조대는 라바사 인근 지역에서 생존자 수색을 계속했다.

투푸은 "우리는 또 다른 위기가 올 때까지 기다렸다가 행동하지 않을 것이다, 앞으로 몇 주가 파트너들이 진지한지 보여 줄 것이다"고 말했다.

저작권자 © 2025 한빛일보 무단전재 및 재배포 금지.

한빛일보 앱에서 더 많은 뉴스를 확인하세요."""

# An English brief and another story's English text: their ledes read alike (an official's
# first visit in 49 years, on a Sunday) and their second sentences are one template with other
# subjects. Two texts in one language are no translation: their ledes alone prove nothing.
BRIEF_EN = """SANTIAGO (Reuters) — Chile's energy minister Camila Reyes Ortúzar landed in Santiago on Sunday, starting a three-day trip that makes him the most senior official from his country to go there in 49 years.

He held talks with Tomás Ibáñez, the foreign minister, on indigenous land rights and on plans for a joint working group."""
OTHER_VISIT_EN = """UYUNI (Reuters) — For the first time in 49 years, a senior official from Chile is on a visit to Uyuni: regional governor Lucía Condori flew in on Sunday for a three-day stay.

He held talks with Tomás Ibáñez, the foreign minister, on lithium mining and on plans for a joint working group.

"We are not going to wait for another crisis before we act, and I said as much to my counterpart this morning," said Lucía Condori, the regional governor.

Condori is also due to lay a wreath at a memorial in Santiago and to meet business leaders on the last day of the trip.

Chile and Bolivia restored full diplomatic relations in 2005 after years of informal contacts. Trade between the two countries has grown every year since then, according to official figures.

Only 8 days earlier, foreign minister Tomás Ibáñez had warned that lithium mining could not wait any longer. "We will not accept decisions taken behind closed doors, and I will go back there myself next month to check," Ibáñez added.

Energy demand in South America is expected to double by 2040, according to the World Bank. Governments in the region have announced plans for new solar and wind capacity, but financing remains scarce.

The opposition in Santiago was critical: 8 promises of the kind have been made since 2010, its lawmakers said, and none was kept. Within 8 weeks, according to officials, there will be another meeting in Santiago on lithium mining.

Chile is one of the largest recipients of foreign aid in South America, receiving about 1,300,000 dollars a year from donors. Much of it goes to health care and food security.

Copyright 2025 World Brief. All rights reserved.

This material may not be published, broadcast, rewritten or redistributed without permission."""


def tracked(encoder, *documents: Document) -> StoryTracker:
    """A tracker that has added these documents, in this order (the caller closes it)."""
    tracker = StoryTracker(encoder=encoder)
    for document in documents:
        tracker.add(document)
    return tracker


def test_a_trimmed_translation_whose_quote_names_no_one_alike_joins_its_story(encoder):
    tracker = tracked(
        encoder,
        Document("origin", "https://apnews.example/suva", TRIM_ORIGIN, published="2025-03-22T10:30:46+00:00",
                 outlet="apnews.example", language="en", authors=["Associated Press"]),
        Document("trim-ko", "https://hanbit-ilbo.example/suva", TRIM_KO, published="2025-03-25T01:51:29+00:00",
                 outlet="hanbit-ilbo.example", language="ko"))
    [link] = tracker.links("trim-ko")
    assert link.relation == "translation"
    # the lede, the rescue (naming Qarikau and Labasa alike, next to the lede), and the quote
    assert sorted((p.a, p.b) if link.a == "origin" else (p.b, p.a) for p in link.evidence) == [(0, 0), (1, 1), (2, 2)]
    tracker.close()


def test_two_texts_in_one_language_need_more_than_alike_ledes(encoder):
    tracker = tracked(
        encoder,
        Document("brief", "https://daily-courier.example/santiago", BRIEF_EN, published="2025-03-09T21:46:05+00:00",
                 outlet="daily-courier.example", language="en"),
        Document("other", "https://world-brief.example/uyuni", OTHER_VISIT_EN, published="2025-03-09T20:26:09+00:00",
                 outlet="world-brief.example", language="en"))
    assert tracker.links("brief") == []
    tracker.close()


# A Japanese brief whose second sentence the encoder scores under its threshold (0.48 against
# 0.55): it is still that sentence's best match, in order, and names both signatories.
PORT_ORIGIN = """MOMBASA, Kenya (AP) — Kenya and Tanzania signed an agreement on port logistics on Thursday in Mombasa, worth $84 million over 20 years.
The deal was signed by Wanjiru Kamau, the transport minister, and Juma Mfinanga, the regional governor, after months of negotiations.
"We have waited too long for this, and the traders of both countries will feel the difference within a year," Kamau said.
It foresees training for 240 dock workers, and next year a joint office is to open in Tanga.
Relations between the two neighbours were strained for years by a dispute over fishing rights on Lake Victoria.
Critics recalled that the port had been promised a rail link in 2009, which was never built.
Associated Press writer Amina Odhiambo contributed to this report."""
PORT_LEDE_JA = "ケニアとタンザニアは木曜日、モンバサで20年間で総額8400万ドルとなる港湾物流に関する協定に署名した。"
PORT_BRIEF_JA = PORT_LEDE_JA + "\n数カ月の交渉の末、ワンジル・カマウ運輸相とジュマ・ムフィナンガ知事が署名した。"
# the same lede, then a sentence naming no one of the original: one sentence is not a story
PORT_OTHER_JA = PORT_LEDE_JA + "\n港湾の拡張工事は来年始まる見通しで、地元の漁業団体は反対している。"


@pytest.mark.parametrize("brief, linked", [(PORT_BRIEF_JA, True), (PORT_OTHER_JA, False)], ids=["brief", "other-news"])
def test_a_japanese_sentence_scored_low_joins_its_original_only_as_its_best_match_naming_the_same(
        encoder, brief, linked):
    tracker = tracked(
        encoder,
        Document("origin", "https://apnews.example/port", PORT_ORIGIN, published="2025-04-10T09:00:00+00:00",
                 outlet="apnews.example", language="en", authors=["Associated Press"]),
        Document("brief-ja", "https://asahi-news.example/port", brief, published="2025-04-10T20:00:00+00:00",
                 outlet="asahi-news.example", language="ja"))
    links = tracker.links("brief-ja")
    if linked:
        [link] = links
        assert link.relation == "translation" and [(p.a, p.b) for p in link.evidence] == [(0, 0), (1, 1)]
        assert link.evidence[1].score < tracker.align_config.semantic_threshold
    else:
        assert links == []
    tracker.close()


# Two translations of one story, into Chinese and Russian, each crediting its photo in Latin
# letters: those words name no one the story is about, and must not keep the two apart.
HOSPITAL_ZH = """拉各斯市长周一为一家新医院揭幕。
该医院将免费为贫困家庭的儿童提供治疗。
来自英国和加拿大的医生帮助培训了医院的工作人员。
州长表示，今后还将在该州建设更多这样的医院。
图片：Getty Images / Hannah Mckay"""
HOSPITAL_RU = """Мэр Лагоса в понедельник открыл новую больницу.
Больница будет бесплатно лечить детей из бедных семей.
Врачи из Великобритании и Канады помогли обучить персонал больницы.
Губернатор заявил, что в штате появятся и другие такие больницы.
Фото: Shutterstock / Daniel Kowalski"""


def test_two_translations_in_two_scripts_quoting_other_latin_words_are_linked(encoder):
    tracker = tracked(
        encoder,
        Document("zh", "https://zh.example/hospital", HOSPITAL_ZH, published="2025-06-02T10:00:00+00:00",
                 outlet="zh.example", language="zh"),
        Document("ru", "https://ru.example/hospital", HOSPITAL_RU, published="2025-06-02T12:00:00+00:00",
                 outlet="ru.example", language="ru"))
    [link] = tracker.links("zh")
    assert link.relation == "translation" and len(link.evidence) >= 3
    tracker.close()


def test_a_brief_and_its_original_are_compared_whichever_comes_first():
    """Two rare figures in common make a candidate in any order: a brief keeps two of its
    original's many figures, and the original arriving second still finds it."""
    figures = ("A customs official said 1,850 trucks had crossed in March, against 1,120 a year earlier.",
               "The port handled 27 ships on Monday, and 64 more are expected before the end of the month.",
               "The authority has hired 315 dockers since 2019, at a cost of 48 million dollars.",
               "Exports of phosphate rose by 23 percent, the ministry said.")
    origin = Document("origin", "https://wire.example/port", "\n\n".join((
        "TANGIER (AP) — Morocco opened a new container terminal at Tanger Med on Tuesday, able to handle 9,400 "
        "containers a day.",
        "The terminal cost 7,300 million dirhams and employs 2,650 people, the port authority said.", *figures)),
        published="2025-03-04T09:00:00Z", language="en")
    brief = Document("brief", "https://daily.example/zh/port", "摩洛哥周二在丹吉尔地中海港启用新集装箱码头，每天可处理9400个集装箱。\n\n"
                     "港口管理局说，该码头耗资73亿迪拉姆，雇用2650人。", published="2025-03-04T12:00:00Z", language="zh")
    # the week's other news gives the original's other figures postings of their own
    others = [Document(f"other{n}", f"https://other.example/{n}", f"Other news, item {n}: {line}",
                       published="2025-03-03T09:00:00Z", language="en") for n, line in enumerate(figures)]
    for first, second in ((origin, brief), (brief, origin)):
        tracker = StoryTracker()
        for doc in others:
            tracker.add(doc)
        tracker.add(first)
        tracker.add(second)
        assert ("brief", "origin") in [(a, b) for a, b, _ in tracker.store.pairs()], first.doc_id


# Thai spaces its phrases, and its segmenter cuts a sentence at a name or an apposition: the
# brief's second sentence ("the rescue team led by Mahmoud Abdel Rahman, the trade minister,
# went on searching for survivors near Suez") comes out in three pieces, none of which says
# alone what the original's sentence says.
FLOOD_EN = """JEDDAH (AFP) — Floods that swept through Jeddah on Saturday killed at least 83 people and left 1,207 families homeless, according to officials.

The search for survivors near Suez went on under the command of Mahmoud Abdel-Rahman, the trade minister.

"Nobody should be surprised by these numbers, the warnings were there for years, and the next few weeks will show whether our partners are serious," al-Otaibi said.

Khaled al-Otaibi, the foreign minister, promised $7 million in emergency aid and visited a shelter housing 1,207 people. How the package will be financed is unclear; the chamber of commerce has pencilled in $52 million for year one.

Egypt and Saudi Arabia restored full diplomatic relations in 1997 after years of informal contacts. Trade between the two countries has grown every year since then, according to official figures."""
FLOOD_TH = """เจ้าหน้าที่ระบุว่า มีผู้เสียชีวิตอย่างน้อย 83 คน และ 1,207 ครอบครัวสูญเสียบ้าน หลังน้ำท่วมใหญ่ในเจดาฮเมื่อวันเสาร์

ทีมกู้ภัยซึ่งนำโดยมาฮมูด อาบเดล ราฮมาน รัฐมนตรีว่าการกระทรวงพาณิชย์ ยังคงค้นหาผู้รอดชีวิตในพื้นที่ใกล้สูเอซ"""
# another flood, told from the same template: other figures, another town, another minister
FLOOD_TH_OTHER = """เจ้าหน้าที่ระบุว่า มีผู้เสียชีวิตอย่างน้อย 65 คน และ 1,352 ครอบครัวสูญเสียบ้าน หลังน้ำท่วมใหญ่ในยานบูเมื่อวันอาทิตย์

ทีมกู้ภัยซึ่งนำโดยขาเลด อาล โอตาอิบิ รัฐมนตรีว่าการกระทรวงการต่างประเทศ ยังคงค้นหาผู้รอดชีวิตในพื้นที่ใกล้อิสมาอิลิอา"""


@pytest.mark.parametrize("brief_first", [False, True])
def test_a_translated_brief_whose_sentence_is_cut_in_pieces_joins_its_story(encoder, brief_first):
    """The pieces, read as one, say the original's sentence (a many-to-one alignment, as a
    translation that says two sentences in one also needs); the same template about another
    flood stays out."""
    origin = Document("origin", "https://afp.example/jeddah", FLOOD_EN, published="2025-03-08T16:00:00+00:00",
                      outlet="afp.example", language="en")
    brief = Document("brief", "https://th.example/jeddah", FLOOD_TH, published="2025-03-08T22:00:00+00:00",
                     outlet="th.example", language="th")
    other = Document("other", "https://th2.example/yanbu", FLOOD_TH_OTHER, published="2025-03-08T23:00:00+00:00",
                     outlet="th2.example", language="th")
    tracker = tracked(encoder, *((brief, other, origin) if brief_first else (origin, other, brief)))
    assert len(tracker.store.sentences("brief")) >= 3  # the pieces, as the segmenter cuts them
    [link] = [l for l in tracker.links("origin") if "brief" in (l.a, l.b)]
    assert link.relation == "translation"
    pairs = sorted((p.a, p.b) if link.a == "origin" else (p.b, p.a) for p in link.evidence)
    assert {i for i, _ in pairs} == {0, 1} and len({j for _, j in pairs}) == len(tracker.store.sentences("brief"))
    assert not [l for l in tracker.links("other") if "origin" in (l.a, l.b)]
    # side by side, the pieces are one row against the sentence they say, none of them "added"
    rows = compare_rows(tracker, "origin", "brief")
    assert [r.how for r in rows[:2]] == ["semantic", "semantic"] and "added" not in {r.how for r in rows}
    assert "Mahmoud Abdel-Rahman" in rows[1].origin_text and rows[1].copy_text.startswith("ทีมกู้ภัย")
    assert rows[1].copy_text.endswith("สูเอซ")
    # a piece that many stories repeat ("the trade minister") becomes stock: the rest still says
    # the original's sentence, which is no stock for that
    [title] = [s for s in tracker.store.sentences("brief") if s.text == "รัฐมนตรีว่าการกระทรวงพาณิชย์"]
    tracker.store.add_background({title.key}, "shared by different stories")
    [link] = [l for l in tracker.links("origin") if "brief" in (l.a, l.b)]
    assert {p.a if link.a == "origin" else p.b for p in link.evidence} == {0, 1}
    tracker.close()


APPOINTED_EN = """NUKU'ALOFA (AFP) — Ratu Josaia Vosanibola was appointed defence minister on Saturday, replacing Feleti Kaufusi, who resigned last month over tuna exports.

Before the appointment, Vosanibola led the ports authority in Nuku'alofa.

"We have built trust step by step and today that trust has paid off, and that is the message I will take to parliament on Tuesday," said Ratu Josaia Vosanibola, the defence minister.

The appointment must be confirmed by parliament, where the governing coalition holds 73 seats. How the package will be financed is unclear; the ports authority has pencilled in $338 million for year one.

Relations between Fiji and Tonga were strained for years by a dispute over water rights on their shared river. A commission set up in 2011 has met only sporadically."""
APPOINTED_KO = """라투 죠사이아 보사니보라이 토요일 국방장관에 임명돼 참치 수출 문제로 지난달 사임한 전임 장관의 뒤를 잇는다.

임명 전 보사니보라은 누쿠아로파에서 항만청를 이끌었다."""
# the same week's other news from the islands
ISLANDS_EN = [
    """SUVA (AP) — Floods that swept through Suva on Tuesday killed at least 12 people, officials said.

Rescue teams searched for survivors near Nadi through the night, the police said.

The government promised emergency aid for the families who lost their homes.""",
    """APIA (Reuters) — Samoa's parliament passed a budget on Thursday that raises spending on schools by a fifth.

The finance minister said teachers would be hired in every district over the next two years.

The opposition voted against the budget, saying it leaves the health service short.""",
]


@pytest.mark.parametrize("nearest, brief_first", [(5, False), (5, True), (0, False)])
def test_a_translated_brief_under_the_document_vector_floor_is_compared_with_its_nearest(encoder, nearest, brief_first):
    """A two-sentence brief's document vector averages two sentences, its original's a lede of
    three: under the floor, it is still nearer its original than other stories, and the
    nearest few are compared (``ann_nearest``; 0 turns that off). The brief gives no figure
    and writes one name whole, in Hangul: nothing else leads to its original (two would)."""
    from archive.stories import TrackerConfig

    tracker = StoryTracker(encoder=encoder, config=TrackerConfig(ann_nearest=nearest))
    for n, text in enumerate(ISLANDS_EN):
        tracker.add(Document(f"islands-{n}", f"https://wire.example/islands/{n}", text,
                             published="2025-03-22T08:00:00+00:00", language="en"))
    origin = Document("origin", "https://afp.example/appointed", APPOINTED_EN, published="2025-03-22T09:47:00+00:00",
                      language="en")
    brief = Document("brief", "https://ko.example/appointed", APPOINTED_KO, published="2025-03-24T07:03:00+00:00",
                     language="ko")
    for doc in (brief, origin) if brief_first else (origin, brief):
        tracker.add(doc)
    compared = {frozenset((a, b)) for a, b, _ in tracker.store.pairs()}
    assert (frozenset(("brief", "origin")) in compared) == bool(nearest)
    linked = {frozenset((l.a, l.b)) for l in tracker.links()}
    assert (frozenset(("brief", "origin")) in linked) == bool(nearest)
    assert not any("brief" in pair and "origin" not in pair for pair in linked)
    tracker.close()


TALLINN_EN = """TALLINN (AFP) — Tõnis Rebane was named interior minister on Sunday, replacing Ilze Bērziņa, who resigned last month over rail freight.

Aged 59, Rebane spent seven years at the head of the national electricity company.

"Our priority is the safety of the families who live near the border," Rebane told reporters.

The appointment must be confirmed by parliament, where the coalition holds 56 of 101 seats.

Bērziņa had been criticised for delays to a rail link to Riga that was due to open in 2024."""
TALLINN_JA = """日曜日、鉄道貨物輸送をめぐって先月辞任したイルゼ・ベルジナ氏の後任として、トニス・レバネ氏が内相に任命された。

レバネ氏はこれまで国営電力会社を7年間率いてきた。"""
# another appointment the same day: other people
OTHER_JA = """日曜日、港湾の安全をめぐって先月辞任したカドリ・タム氏の後任として、マルト・ラウド氏が財務相に任命された。

ラウド氏はこれまで中央銀行を7年間率いてきた。"""


COURT_EN = """TIMBUKTU (Reuters) — Ruling that the herders' association should have been consulted as required by law, a court in Timbuktu on Thursday suspended the government's decree on grazing rights.

Aïssata Touré led the group of lawyers who, together with 1,697 residents, brought the case.

"The law must apply to everyone, whatever their position," Touré told reporters outside the court.

The government will lodge an appeal within 30 days, the justice ministry said.

The herders' association estimates that the decree would have closed a third of the region's pastures."""
COURT_JA = """ティンブクトゥの裁判所は木曜日、法律で定められた牧畜民協会への意見聴取が行われなかったとして、放牧権に関する政府の政令の効力を停止した。

訴えを起こしたのは住民1697人と、アイサタ・トゥレ氏が率いる弁護士団だった。"""
# another ruling that week, in Japanese too: another city, another figure
OTHER_COURT_JA = """セグーの裁判所は火曜日、漁業組合への意見聴取が行われなかったとして、漁獲枠に関する政府の政令の効力を停止した。

訴えを起こしたのは住民2340人と、地元の弁護士団だった。"""


@pytest.mark.parametrize("brief_first", [False, True])
@pytest.mark.parametrize("origin_text, brief_text, other_text, linked", [
    (TALLINN_EN, TALLINN_JA, OTHER_JA, {frozenset(("brief", "origin"))}),
    (COURT_EN, COURT_JA, OTHER_COURT_JA, {frozenset(("brief", "origin"))})],
    ids=["names", "figure"])
def test_a_translated_brief_is_found_by_what_it_keeps_of_its_original(encoder, origin_text, brief_text, other_text,
                                                                       linked, brief_first):
    """No document vectors (``ann_candidates=0``): only what the brief keeps leads from it to its
    original, in either arrival order. Two names written whole in katakana (トニス・レバネ,
    イルゼ・ベルジナ), no figure in common; or one figure, the number of residents that no
    other article of the week gives, and no name long enough to be matched in another script
    (アイサタ・トゥレ: three consonants). Another brief, naming others and giving other figures,
    is not compared. (The first brief gives "7 years" where its original spells "seven",
    beside an age it leaves out: a number written as a word is a figure too.)"""
    from archive.stories import TrackerConfig

    tracker = StoryTracker(encoder=encoder, config=TrackerConfig(ann_candidates=0))
    origin = Document("origin", "https://wire.example/origin", origin_text, published="2025-05-04T10:00:00+00:00",
                      language="en")
    briefs = [Document(name, f"https://ja.example/{name}", text, published="2025-05-05T01:00:00+00:00", language="ja")
              for name, text in (("brief", brief_text), ("other", other_text))]
    for doc in (*briefs, origin) if brief_first else (origin, *briefs):
        tracker.add(doc)
    compared = {frozenset((a, b)) for a, b, _ in tracker.store.pairs()}
    assert frozenset(("brief", "origin")) in compared
    assert frozenset(("other", "origin")) not in compared
    assert {frozenset((l.a, l.b)) for l in tracker.links()} == linked
    tracker.close()


def test_a_translated_brief_finds_a_story_whose_copies_make_its_names_common(encoder):
    """Twelve outlets carry the original: its names are in twelve articles of the week, more
    than a figure may be in to find a translation by. Names are weighed by how rare they
    are, and the brief still finds the story."""
    from archive.stories import TrackerConfig

    tracker = StoryTracker(encoder=encoder, config=TrackerConfig(ann_candidates=0))
    for n in range(12):
        tracker.add(Document(f"copy-{n}", f"https://outlet{n}.example/tallinn", TALLINN_EN,
                             published="2025-05-04T10:00:00+00:00", language="en"))
    tracker.add(Document("brief", "https://ja.example/brief", TALLINN_JA, published="2025-05-05T01:00:00+00:00",
                         language="ja"))
    assert any("brief" in (a, b) for a, b, _ in tracker.store.pairs())
    tracker.close()


LANDSLIDE = """LIMA (AP) — At least 37 people were killed and 1,460 homes were destroyed when a landslide buried parts of Huaraz on Thursday, officials said.
Rescue teams led by the regional governor were still searching for survivors in the valley below the town.
Heavy rain had loosened the slopes above Huaraz for more than two weeks, the national weather service said.
The government declared a state of emergency in the region and sent 600 soldiers to help with the search."""

LANDSLIDE_ZH = """官员说，周四山体滑坡掩埋了瓦拉斯部分地区，造成至少37人死亡，1460栋房屋被毁。
由地区州长带领的救援队仍在该镇下方的山谷中搜寻幸存者。"""

# another brief of that morning: a figure and the weekday alike, its second sentence the same stock
OTHER_ZH = """官员说，周四一场山体滑坡造成至少37人死亡，数十人失踪。
由地区州长带领的救援队仍在该镇下方的山谷中搜寻幸存者。"""


@pytest.mark.parametrize("brief, linked", [(LANDSLIDE_ZH, True), (OTHER_ZH, False)])
def test_a_translated_brief_whose_other_sentence_is_stock_joins_its_story_by_its_lede(encoder, brief, linked):
    """Its second sentence is said in many stories (background): its lede alone, translated with
    two figures and the weekday of the original's, ties it; one figure and the weekday do not."""
    tracker = StoryTracker(encoder=encoder)
    for doc_id, host, text, language in (("origin", "apnews.example", LANDSLIDE, "en"),
                                         ("brief", "dongfang-ribao.example", brief, "zh")):
        tracker.add(Document(doc_id, f"https://{host}/huaraz", text, published="2025-03-06T10:30:00+00:00",
                             outlet=host, language=language))
    [(a, b, data)] = [pair for pair in tracker.store.pairs("brief")]
    assert [tuple(p[:2]) for p in data["pairs"]][:2] == [(0, 0), (1, 1)]
    stock = {tracker.store.sentences("origin")[1].key}
    link = tracker.evaluate(a, b, data, background=stock)
    assert (link is not None and link.relation == "translation" and len(link.evidence) == 1) == linked
    tracker.close()
