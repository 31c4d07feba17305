"""A name written whole once, then by one part: across scripts, the part counts once the two
texts write the whole name part for part."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, load_encoder
from archive.stories.align import AlignedPair, shared_anchors
from archive.stories.fingerprint import Sentence
from archive.stories.nameparts import parts_across

APPOINTED = ("Feleti Kaufusi, who quit last month over tourism, has been replaced as head of the civil protection"
             " agency by Losana Qarikau, the government announced on Tuesday.",
             "Before the appointment, Qarikau, who is 64, led the national audit office in Lautoka for 2 years.")
# each writes the whole name in its lede, then the surname alone (with a particle in Korean)
WRITTEN = {
    "ar": ("عين لوسانا كاريكاو يوم الثلاثاء رئيس وكالة الحماية المدنية خلفا لفيليتي كاوفوسي.",
           "وكان كاريكاو، البالغ من العمر ٦٤ عاما، يدير ديوان المحاسبة في لاوتوكا لمدة ٢ سنوات."),
    "zh": ("洛萨纳·卡里卡乌周二被任命为民防局局长，接替上月因旅游业问题辞职的费莱蒂·考富西。",
           "现年64岁的卡里卡乌此前在劳托卡领导国家审计署达2年。"),
    "ko": ("로사나 카리카우가 화요일 민방위청장에 임명돼 지난달 사임한 펠레티 카우푸시의 뒤를 잇는다.",
           "64세인 카리카우는 그동안 라우토카에서 2년간 국가감사원을 이끌었다."),
    "ja": ("火曜日、観光をめぐって先月辞任したフェレティ・カウフシ氏の後任として、ロサナ・カリカウ氏が民防庁長官に任命された。",
           "カリカウ氏は64歳で、これまでラウトカで会計検査院を2年間率いてきた。"),
}


def sentences(texts) -> list[Sentence]:
    return [Sentence(text, n, len(text.split())) for n, text in enumerate(texts)]


@pytest.mark.parametrize("language", sorted(WRITTEN))
def test_a_surname_counts_across_scripts_once_the_whole_name_is_written_in_both(language):
    """"Qarikau" has three consonants, too few to be matched in another script by itself; the
    ledes write "Losana Qarikau" whole, so the second sentences share it beside the age."""
    english, other = sentences(APPOINTED), sentences(WRITTEN[language])
    second = [AlignedPair(1, 1, 0.5, "semantic")]
    assert shared_anchors(english, other, second) == [2]
    assert shared_anchors(other, english, [AlignedPair(1, 1, 0.5, "semantic")]) == [2]
    assert ("losana qarikau", "qarikau") in {(whole, part) for whole, part, _ in
                                            parts_across(tuple(APPOINTED), tuple(WRITTEN[language]))}


@pytest.mark.parametrize("language", sorted(WRITTEN))
def test_a_surname_alone_is_no_name_in_common(language):
    """Without the whole name written in the other script, the surname is a short word that
    another text may spell alike by chance: the age alone is shared."""
    english = sentences(("Feleti Kaufusi has been replaced as head of the civil protection agency.", APPOINTED[1]))
    other = sentences(WRITTEN[language])
    assert shared_anchors(english, other, [AlignedPair(1, 1, 0.5, "semantic")]) == [1]


def test_a_part_is_spelt_as_written_and_without_its_particle():
    """Japanese may write an h closing a syllable as フ (ラフマン) or leave it out; Korean puts
    particles onto names (만술이, 만술은): the spelling looked for is what the text writes, bare."""
    ja = parts_across(("Mahmoud Abdel-Rahman resigned last month.",), ("先月辞任したマフムド・アブデル・ラフマン氏の後任として。",))
    assert {part: spelling for _, part, spelling in ja}["rahman"] == "ラフマン"
    ko = parts_across(("Nourhan Mansour was appointed finance minister on Friday.",), ("눌한 만술이 금요일 재무장관에 임명됐다.",))
    assert {part: spelling for _, part, spelling in ko}["mansour"] == "만술"


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


APPOINTED_EN = """LAUTOKA (Reuters) — Feleti Kaufusi, who quit last month over tourism, has been replaced as head of the civil protection agency by Losana Qarikau, the government announced on Tuesday.

Before the appointment, Qarikau, who is 64, led the national audit office in Lautoka for 2 years.

"There is still a lot of work to do and we know it," said Losana Qarikau, the head of the civil protection agency.

The appointment must be confirmed by parliament, where the governing coalition holds 169 seats.

According to the national audit office, the first-year cost of what was announced comes to $172 million.

Delegations will reconvene in Suva in roughly two weeks, a spokesman said, to keep working on tourism."""


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_a_translated_brief_naming_its_minister_by_surname_joins_its_story(encoder, language):
    """The brief's second sentence names the new minister by surname and keeps one figure, the
    age: with its lede, two sentences of evidence, and the brief is a translation of the story."""
    tracker = StoryTracker(encoder=encoder)
    tracker.add(Document("origin", "https://wire.example/lautoka", APPOINTED_EN,
                         published="2025-06-10T08:00:00+00:00", language="en"))
    tracker.add(Document("brief", f"https://{language}.example/lautoka", "\n".join(WRITTEN[language]),
                         published="2025-06-10T15:00:00+00:00", language=language))
    [link] = [l for l in tracker.links("brief")]
    assert link.relation == "translation" and len(link.evidence) == 2
    tracker.close()


def test_a_name_of_short_parts_matched_part_for_part_counts():
    """"Hamidou Diallo" romanizes to three consonant classes run together (NT-TL), too few to
    match by its skeleton, but each part matches its own (هاميدو, ديالو): four in all."""
    english = sentences(("Behind the case were 2,122 residents and lawyers headed by Hamidou Diallo.",))
    arabic = sentences(("ورفع الدعوى ٢١٢٢ من السكان ومجموعة من المحامين يقودها هاميدو ديالو.",))
    assert shared_anchors(english, arabic, [AlignedPair(0, 0, 0.5, "semantic")]) == [2]
    other = sentences(("ورفع الدعوى ٢١٢٢ من السكان ومجموعة من المحامين يقودها كريم حداد.",))
    assert shared_anchors(english, other, [AlignedPair(0, 0, 0.5, "semantic")]) == [1]
