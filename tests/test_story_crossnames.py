"""Names a translation writes in another script, found by their consonant skeletons."""

from __future__ import annotations

import pytest

from archive.stories.align import AlignedPair, shared_anchors
from archive.stories.crossnames import (KEY_MIN_CLASSES, MIN_CLASSES, foreign_name_keys, foreign_skeletons,
                                        latin_name_keys, names_across, skeleton)
from archive.stories.fingerprint import Sentence, name_runs


@pytest.mark.parametrize("names, text, found", [
    # a Chinese name's parts on either side of its middle dot
    ({"avital", "rosenthal"}, "由外交部长阿维塔尔·罗塞恩塔尔带领的救援队仍在附近地区搜寻幸存者。", {"rosenthal"}),
    # katakana, split at its middle dot; Japanese writes l as r and v as b
    ({"berzina", "tallinn", "ortuzar"}, "財務相のイルゼ・ベルジナ氏はタリンを訪れ、オルトゥザル氏と会談した。",
     {"berzina", "ortuzar"}),
    # Arabic writes no short vowels and long ones with w and y; a prefix ("ل", to) is taken off
    ({"bensouda", "rosenthal"}, "وقالت بنسودة إن الرسالة وصلت لروزنتال", {"bensouda", "rosenthal"}),
    # Cyrillic, with a case ending
    ({"casablanca", "gantz"}, "Баркай возложит венок к мемориалу в Касабланке и встретится с Ганцем.",
     {"casablanca", "gantz"}),
    # Korean, with the topic particle written onto the name
    ({"bensouda", "rosenthal"}, "벤수다는 장관과 만났다", {"bensouda"}),
    # Devanagari writes its vowels as combining marks inside the word
    ({"rosenthal", "casablanca"}, "रोसेन्थल ने कहा", {"rosenthal"}),
    ({"rosenthal", "casablanca"}, "Ο Ρόζενταλ έφτασε στην Καζαμπλάνκα", {"rosenthal", "casablanca"}),
    ({"rosenthal", "casablanca"}, "רוזנטל אמר", {"rosenthal"}),
])
def test_a_name_written_in_another_script_is_found(names, text, found):
    assert names_across([(name,) for name in names], text) == found


@pytest.mark.parametrize("text", [
    "وكانت فرق الإنقاذ بقيادة توماس ابانيز، وزير الخارجية، لا تزال تبحث عن ناجين.",
    "同氏は外相のトマス・イバネズ氏と会談した。",
    "Спасателями руководил министр иностранных дел Томас Ибаньес.",
    "ทีมกู้ภัยนำโดย โทมัส อิบาเนซ รัฐมนตรีว่าการกระทรวงการต่างประเทศ",
])
def test_a_whole_name_of_short_parts_is_found_whole(text):
    """Neither "Tomás" nor "Ibáñez" has consonants enough to be matched alone; written one after
    the other they are a name, found once (not once more for a part)."""
    assert len(skeleton("Tomas")) < MIN_CLASSES and len(skeleton("Ibanez")) < MIN_CLASSES
    assert names_across([("tomas", "ibanez"), ("potosi",)], text) == {"tomas ibanez"}
    assert names_across([("tomas",), ("ibanez",)], text) == set()


def test_a_whole_name_matched_counts_once_with_its_long_parts():
    assert skeleton("Evaristo") == skeleton("Эваристо") and len(skeleton("Evaristo")) >= MIN_CLASSES
    assert names_across([("evaristo", "mamani", "quispe")], "Эваристо Мамани Киспе прибыл.") == {"evaristo mamani quispe"}


def test_skeletons_fold_what_transliteration_changes():
    assert skeleton("Rosenthal") == skeleton("罗塞恩塔尔", pinyin=True) == "LSNTL"
    assert skeleton("Bērziņa") == skeleton("ベルジナ") == "BLSN"
    assert skeleton("Gantz") == skeleton("Ганц") == "KNTS"
    # a soft c hisses, a hard one does not
    assert skeleton("Cecilia") == "SL" and skeleton("Casablanca") == "KSBLNK"
    # kh (Cyrillic х) is an h in kana, hangul and Chinese
    assert skeleton("Bakhyt Omarov") == skeleton("Бахыт Омаров") == skeleton("バヒト・オマロヴ") == "BTNLB"


@pytest.mark.parametrize("name, text", [
    ("Tõnis Rebane", "日曜日、先月辞任したイルゼ・ベルジナ氏の後任として、トニス・レバネ氏が内相に任命された。"),
    ("Anjali Barua", "모하마드 라피을 잇람이 목요일 임명돼 지난달 사임한 안쟈리 바루아의 뒤를 잇는다."),  # 의 written onto it
    ("Nurkhan Mansour", "Нурхан Мансур в воскресенье занял пост министра финансов."),
    ("Avital Rosenthal", "由外交部长阿维塔尔·罗塞恩塔尔带领的救援队仍在搜寻。"),
    ("Mohammad Rafiqul Islam", "Rafiqul Islam, who is 56, led the state water company."),
    ("Faisal bin Saad", "先月辞任したファイサル・ビン・サアド氏の後任として"),  # three parts, two dots
])
def test_a_whole_name_is_one_key_in_every_script(name, text):
    """What the store posts for a translation to be found by: the skeleton of a whole name,
    as Latin script writes it and as another script does."""
    [key] = latin_name_keys(name_runs(name, with_initials=True), name) & (
        foreign_name_keys(text) | latin_name_keys(name_runs(text, with_initials=True), text))
    assert len(key) >= KEY_MIN_CLASSES


def test_names_in_part_and_words_in_a_row_are_no_keys():
    """One part of a name ("Rebane", LBN) matches by chance; so would every two words in a row
    of a Russian sentence, where only capitals mark names."""
    assert latin_name_keys(name_runs("Rebane told reporters in Tallinn.", with_initials=True)) == set()
    assert foreign_name_keys("в воскресенье занял пост министра финансов, сменив ушедшего") == set()
    assert foreign_name_keys("レバネ氏は59歳で、これまで国営電力会社を7年間率いてきた。") == set()


def test_short_names_are_never_matched_they_would_match_by_chance():
    # three consonant classes: one word in fifteen of a Russian or Arabic sentence has them
    assert len(skeleton("Tomas")) < MIN_CLASSES
    assert names_across([("tomas",), ("barkai",)], "Томас Баркай прибыл в Рабат.") == set()


def test_chinese_and_thai_without_a_middle_dot_give_no_spans():
    """Runs of Chinese or Thai characters are not cut into every possible name: one of their
    many substrings would have any skeleton."""
    assert foreign_skeletons("以色列国防部长巴尔凯周三抵达拉巴特，开始为期三天的访问，这是以色列高级官员首次到访。") == frozenset()
    # Thai spaces phrases: only phrases joined whole are looked at, never a name inside one
    thai = foreign_skeletons("เดินทางถึงลาบาสาเมื่อวันพุธ เพื่อเยือนเป็นเวลา 3 วัน")
    assert skeleton("ลาบาสา") == skeleton("Labasa") and skeleton("Labasa") not in thai
    assert thai == {skeleton("เดินทางถึงลาบาสาเมื่อวันพุธ เพื่อเยือนเป็นเวลา")}


@pytest.mark.parametrize("text", [
    "Министр иностранных дел Марокко в понедельник встретился в Фесе с делегацией Евросоюза.",
    "التقى وزير الخارجية المغربي يوم الاثنين في فاس وفدا من الاتحاد الأوروبي لبحث حصص الصيد.",
    "摩洛哥外交大臣优素福·伊德里西周一在非斯会见了来自欧盟的代表团，讨论捕鱼配额问题。",
    "外相は月曜日、フェズで欧州連合の代表団と会談し、漁獲枠について協議した。",
])
def test_a_sentence_about_other_people_names_none_of_them(text):
    runs = [("avital", "rosenthal"), ("casablanca",), ("ilze", "berzina"), ("leila", "bensouda"),
            ("camila", "reyes", "ortuzar"), ("benny", "gantz"), ("tomas", "ibanez")]
    assert names_across(runs, text) == set()


def test_a_name_in_another_script_is_an_anchor_of_an_aligned_pair():
    english = [Sentence("Barkai is also due to lay a wreath at a memorial in Casablanca and to meet business"
                        " leaders.", 1, 18)]
    russian = [Sentence("Баркай также возложит венок к мемориалу в Касабланке и встретится с представителями"
                        " деловых кругов.", 2, 13)]
    pair = [AlignedPair(0, 0, 0.7, "semantic")]
    assert shared_anchors(english, russian, pair) == [1]
    assert shared_anchors(russian, english, pair) == [1]


def test_the_name_a_sentence_starts_with_is_an_anchor_across_scripts():
    """A sentence's first capitalised word may be no name ("Officials said"), but another script
    writes a name only: "Farida Haidari led ..." still counts its name."""
    english = [Sentence("Farida Haidari led the lawyers who, together with 1,270 residents, brought the case.", 1, 14)]
    arabic = [Sentence("ورفع الدعوى ١٢٧٠ من السكان ومجموعة من المحامين تقودها فريدة حيدري.", 2, 11)]
    pair = [AlignedPair(0, 0, 0.5, "semantic")]
    assert shared_anchors(english, arabic, pair) == [2]  # the figure and the name
    assert shared_anchors(arabic, english, pair) == [2]


@pytest.mark.parametrize("names, text, found", [
    ([("mahmoud", "abbas")], "パレスチナ自治政府のマフムード・アッバース議長は", {"mahmoud abbas"}),
    ([("abdel", "rahman")], "貿易相のアブデル・ラフマン氏は", {"abdel rahman"}),
    # フ with a small vowel, or a doubled f, is still an f
    ([("stefan", "hoffmann")], "シュテファン・ホフマン氏は", {"stefan hoffmann"}),
    ([("rafiq", "hariri")], "ラフィク・ハリリ元首相", {"rafiq hariri"}),
])
def test_katakana_writes_an_h_that_closes_a_syllable_as_fu(names, text, found):
    assert names_across(names, text) == found


WIRE = """CASABLANCA, Morocco (AP) — Morocco and Israel signed a $350 million agreement on Wednesday to build desalination plants, the first deal of its kind in 14 years.
Israel's defence minister Eitan Barkai will lay a wreath at a memorial in Casablanca and meet business leaders before he leaves.
"Water is the one thing this region cannot wait for," Barkai told reporters.
Under the agreement, engineers from both countries will be trained together over five years.
Morocco and Israel restored full diplomatic relations in 2020 after years of informal contacts.
Trade between the two countries has grown every year since then, according to official figures."""

# a translated brief: its second sentence keeps no figure, weekday or month of the one it
# translates; only "Касабланке" (Casablanca, in the prepositional case) ties the two
BRIEF_RU = """Марокко и Израиль в среду подписали соглашение о строительстве опреснительных заводов стоимостью 350 млн долларов — первое подобное соглашение за 14 лет.
Министр обороны Израиля возложит венок к мемориалу в Касабланке и встретится с представителями деловых кругов."""


def test_a_translated_brief_tied_by_a_name_in_another_script_joins_its_story():
    from archive.stories import Document, StoryTracker, load_encoder

    tracker = StoryTracker(encoder=load_encoder("use"))
    try:
        tracker.add(Document("brief-ru", "https://ru.example/brief", BRIEF_RU, published="2025-03-05T16:30:00+00:00",
                             outlet="ru.example", language="ru"))
        tracker.add(Document("wire", "https://apnews.example/deal", WIRE, published="2025-03-05T10:00:00+00:00",
                             outlet="apnews.example", language="en"))
        link = next((l for l in tracker.links("wire") if "brief-ru" in (l.a, l.b)), None)
        assert link is not None and link.relation == "translation" and len(link.evidence) == 2
    finally:
        tracker.close()


@pytest.mark.parametrize("text", [
    "月曜日、先月辞任したファイサル・ビン・サアド氏の後任として、ハレド・アル・オタイビ氏が外相に任命された。",
    "عين خالد العتيبي وزيرا للخارجية خلفا لفيصل بن سعد",
])
def test_names_with_particles_are_found_whole(text):
    """Particles break a run of capitalised words ("Khaled al-Otaibi", "Faisal bin Saad"), and
    the parts on their own are too short to match; another script writes the particle as a
    part (アル, بن) or onto the name (العتيبي). Read with them, both names are found."""
    english = "The government named Khaled al-Otaibi as its new foreign minister, replacing Faisal bin Saad."
    assert names_across(name_runs(english), text, english) == {"khaled al-otaibi", "faisal bin saad"}
    assert names_across(name_runs(english), text) == set()
