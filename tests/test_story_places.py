"""Countries read in every language and script: a translation keeps the countries its original
names, as it keeps its figures, and calls them by its own language's names."""

from __future__ import annotations

import pytest

from archive.stories.align import AlignConfig, align
from archive.stories.anchors import Anchors
from archive.stories.fingerprint import fingerprint
from archive.stories.places import countries_in, same_country


@pytest.mark.parametrize("text", [
    "Relations between Morocco and Israel were strained for years.",
    "Las relaciones entre Marruecos e Israel estuvieron tensas durante años.",
    "Die Beziehungen zwischen Marokko und Israel waren jahrelang angespannt.",
    "Stosunki między Marokiem a Izraelem były napięte.",  # inflected
    "Отношения между Марокко и Израилем были напряжёнными.",
    "Οι σχέσεις μεταξύ Μαρόκου και Ισραήλ ήταν τεταμένες.",
    "العلاقات بين المغرب وإسرائيل كانت متوترة لسنوات.",  # "and" written onto the name
    "היחסים בין מרוקו לישראל היו מתוחים במשך שנים.",
    "摩洛哥和以色列的关系多年来一直紧张。",
    "モロッコとイスラエルの関係は長年緊張していた。",
    "모로코와 이스라엘의 관계는 수년간 긴장됐다.",  # particles written onto the names
    "ความสัมพันธ์ระหว่างโมร็อกโกและอิสราเอลตึงเครียดมาหลายปี",
])
def test_a_country_is_read_in_every_script(text):
    assert countries_in(text) == {"MA", "IL"}


def test_names_of_several_words_short_forms_and_what_is_no_country():
    assert countries_in("Saudi Arabia and the United States signed it.") == {"SA", "US"}
    assert countries_in("Arabia Saudí y Estados Unidos lo firmaron.") == {"SA", "US"}
    assert countries_in("The U.S. and Britain said so.") == {"US", "GB"}
    assert countries_in("Отношения России и США") == {"RU", "US"}
    # the United Nations and the European Union are CLDR territories, not countries
    assert countries_in("le Programme des Nations unies pour le développement et l'Union européenne") == set()
    # a lower-case word is no name ("chile" is a pepper), nor a name spelt out inside another
    assert countries_in("Añadió chile y sal.") == set()
    assert countries_in("マリアさんが来た。") == set()
    assert not countries_in("A summit in Warsaw.")
    # a short name is no stem: "Pero" is not Peru, "Perugia" neither, "we built" is not Benin
    assert countries_in("Pero la violencia sigue en Perugia.") == set()
    assert countries_in('وقال: "لقد بنينا الثقة خطوة بخطوة".') == set()


def test_one_word_names_in_two_languages_are_one_country():
    assert same_country("morocco", "marruecos") and same_country("lettonie", "lettland")
    assert same_country("turkey", "turquie")  # a name CLDR replaced, still in print
    assert not same_country("morocco", "letonia")
    assert not same_country("warsaw", "varsovie")


EN = ("JARROW POINT (AFP) — Hanna Osei, Egypt's trade minister, arrived in Jarrow Point on Friday for a two-day "
      "visit, the first by a senior official from his country in decades.")
TH_OTHER = ("โลสานา คาริคาอู หัวหน้าหน่วยงานป้องกันภัยฝ่ายพลเรือนฟิจิ เดินทางถึงสูวาเมื่อวันศุกร์ "
            "เพื่อเยือนเป็นเวลา 4 วัน")
TH_SAME = ("ฮันนา โอเซ รัฐมนตรีว่าการกระทรวงการค้าอียิปต์ เดินทางถึงจาร์โรว์พอยต์เมื่อวันศุกร์ "
           "เพื่อเยือนเป็นเวลาสองวัน")


def test_two_sentences_naming_different_countries_are_not_one_translated():
    """One template, told of Egypt's minister in English and of Fiji's in Thai: no name of the
    English is read back from the Thai, but the countries are."""
    en = fingerprint(EN).sentences
    other = fingerprint(TH_OTHER, language="th").sentences
    same = fingerprint(TH_SAME, language="th").sentences
    assert Anchors(en, other, translated=True).figures_apart(0, 0)
    assert not Anchors(en, same, translated=True).figures_apart(0, 0)


def test_a_translated_lede_naming_its_country_aligns_and_one_naming_another_does_not():
    from archive.stories import load_encoder

    encoder = load_encoder("use")
    en = fingerprint(EN).sentences
    config = AlignConfig(semantic_threshold=encoder.threshold)
    for text, aligned in ((TH_SAME, True), (TH_OTHER, False)):
        th = fingerprint(text, language="th").sentences
        alignment = align(en, th, config, translated=True, encode=encoder.encode,
                          vectors=lambda rows, cols: (encoder.encode([en[i].text for i in rows]),
                                                      encoder.encode([th[j].text for j in cols])))
        assert bool(alignment.pairs) is aligned
