"""Lines a newsroom or a site words the same whatever the story are never evidence that two
texts tell one story: an editor's note on a text's own revision ("Update: ...", "Correction: an
earlier version of this article ..."), shown with its text, and a pointer to another article
("Read more: ...", "RELATED: ..."), page furniture."""

from __future__ import annotations

import pytest

from archive.stories import Document, StoryTracker, load_encoder
from archive.stories.compare import compare_rows
from archive.stories.notes import is_editors_note

STOCK = [
    "Nearly 47 percent of the population of Bangladesh is under 25, and youth unemployment has stayed above 20 "
    "percent for a decade. Many young graduates have emigrated to Europe and the Gulf.",
    "The two governments signed a framework agreement in 2014, brokered by the national electricity company, that "
    "set out cooperation in security, energy and tourism. Critics say few of its projects have been carried out.",
    "Energy demand in South Asia is expected to double by 2040, according to the chamber of commerce. Governments "
    "in the region have announced plans for new solar and wind capacity, but financing remains scarce.",
]
NOTE = "Update: The state water company said later that it would publish further details next week."
# two wire stories of one week in one country, with one cast of officials, each reissued with the note
PROTEST = [
    "DHAKA (Reuters) — In the biggest protest Dhaka has seen since 2011, thousands took to the streets on Friday "
    "against government plans for refugee housing.",
    "Officials in Dhaka said later that talks would resume within days.",
    "According to police, 2,044 arrests were made near the parliament, where clashes left 64 officers hurt.",
    "\"The people who suffer most are the ones who were never consulted, and nobody in this government is pretending "
    "otherwise,\" said Mohammad Rafiqul Islam, the head of the civil protection agency.",
    NOTE,
    "Tanvir Ahmed Chowdhury, who leads the state water company, which organised the march, asked for talks with "
    "Mohammad Rafiqul Islam, the head of the civil protection agency.",
    "The state water company estimates that the measures announced will cost $29 million in the first year alone.",
    "The opposition in Chittagong was critical: 2 promises of the kind have been made since 2011, its lawmakers "
    "said, and none was kept.",
    "Within 7 weeks, according to officials, there will be another meeting in Chittagong on refugee housing.",
]
ACCORD = [
    "DHAKA (AFP) — An accord on food prices worth $290 million over 20 years was signed on Monday in Dhaka by "
    "Bangladesh and India.",
    "The state water company said late in the day that the first measures would take effect within a week.",
    "The deal was signed by Mohammad Rafiqul Islam, the head of the civil protection agency, and Nusrat Jahan, the "
    "health minister, after months of negotiations.",
    "\"This agreement will create jobs for a generation of young people, and we will be judged on what we deliver by "
    "the end of the year,\" said Mohammad Rafiqul Islam, the head of the civil protection agency.",
    NOTE,
    "Under its terms, 1,483 specialists will be trained and a joint office will open in Chittagong next year.",
    "How the package will be financed is unclear; the state water company has pencilled in $113 million for year one.",
    "The timing was no accident, analysts said: Jahan had made food prices a condition of continued support 4 days "
    "ago.",
    "Jahan put it this way: \"The law must apply to everyone, whatever their position, and I said as much to my "
    "counterpart this morning.\"",
    "In Chittagong, opposition lawmakers attacked the announcement, recalling that 8 similar promises made since "
    "2017 were never kept.",
]
# two more stories pasting the agency's stock paragraphs, from which the tracker learns them
CYCLONE = ["SYLHET (AP) — A cyclone damaged 300 homes in Sylhet on Tuesday, the disaster ministry said.",
           "Rescue teams reached villages cut off by the storm, said Anjali Barua, the regional governor."]
STRIKE = ["KHULNA (AP) — Garment workers in Khulna walked out on Wednesday over unpaid wages, union leaders said.",
          "The strike closed 40 factories, according to the owners' association led by Farhan Kabir."]


@pytest.mark.parametrize("sentence", [
    "Update: The state water company said later that it would publish further details next week.",
    "UPDATE 2 - Adds comment from the finance ministry in paragraphs 5-6.",
    "(Adds comment from the finance ministry in paragraphs 5-6)", "(Corrects spelling of minister's name in paragraph 3)",
    "Correction: An earlier version of this article misstated the number of people affected.",
    "This story has been updated with a statement from the minister's office.",
    "An earlier version of this story gave the wrong date for the vote.",
    "Editor's note: The names of the two witnesses have been withheld for their safety.",
    "Mise à jour : le ministère a confirmé le bilan dans la soirée.",
    "Actualización: la policía confirmó las cifras en una rueda de prensa.",
    "Dieser Artikel wurde am Abend aktualisiert.",
    "Обновлено: министерство подтвердило число погибших.",
    "更新：警方在晚间的新闻发布会上证实了这些数字。",
])
def test_notes_on_a_texts_own_revision_are_editors_notes(sentence):
    assert is_editors_note(sentence)


@pytest.mark.parametrize("sentence", [
    "The update to the software was released on Monday, the company said.",
    "The ministry said it would publish a correction to the figures next week.",
    "Officials said the article of the treaty had been updated in 2019.",
    "Correctional officers at the prison walked out over pay on Tuesday.",
    "(Adds little, the minister said) and the talks went on.",
    "Mise à jour du réseau électrique prévue pour 2030, a déclaré le ministre.",
])
def test_news_about_updates_and_corrections_is_not_an_editors_note(sentence):
    assert not is_editors_note(sentence)


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


def add(tracker: StoryTracker, doc_id: str, outlet: str, published: str, *paragraphs: str):
    return tracker.add(Document(doc_id, f"https://{outlet}/{doc_id}", "\n\n".join(paragraphs), published=published,
                                outlet=outlet, language="en"))


def test_two_stories_updated_with_one_stock_note_are_not_one_story(encoder):
    tracker = StoryTracker(encoder=encoder)
    add(tracker, "cyclone", "ap.example", "2025-03-12T10:00:00Z", *CYCLONE, *STOCK)
    add(tracker, "strike", "ap.example", "2025-03-13T10:00:00Z", *STRIKE, *STOCK)
    add(tracker, "protest", "reuters-wire.example", "2025-03-14T21:48:38Z", *PROTEST, *STOCK)
    # besides the note, only two sentences of the same officials read alike, out of order
    assert add(tracker, "accord", "afp-wire.example", "2025-03-18T15:20:05Z", *ACCORD, *STOCK) == []


def test_an_updates_note_is_shown_as_what_it_added(encoder):
    tracker = StoryTracker(encoder=encoder)
    original = [s for s in PROTEST if s != NOTE]
    add(tracker, "first", "reuters-wire.example", "2025-03-14T18:00:00Z", *original, *STOCK)
    links = add(tracker, "update", "reuters-wire.example", "2025-03-14T21:48:38Z", *PROTEST, *STOCK)
    assert [(link.a, link.b) for link in links] == [("first", "update")]
    rows = compare_rows(tracker, "first", "update")
    assert [row.copy_text for row in rows if row.how == "added"] == [NOTE]


def test_a_text_reissued_with_a_correction_note_is_an_update():
    tracker = StoryTracker()
    original = [s for s in PROTEST if s != NOTE]
    corrected = [*original, "Correction: An earlier version of this article misstated the number of arrests."]
    add(tracker, "first", "reuters-wire.example", "2025-03-14T18:00:00Z", *original, *STOCK)
    links = add(tracker, "corrected", "reuters-wire.example", "2025-03-15T08:00:00Z", *corrected, *STOCK)
    assert [(link.a, link.b, link.relation) for link in links] == [("corrected", "first", "update")]


# a site's box of pointers to its other articles, which extraction keeps between paragraphs
RELATED_BOX = ["READ MORE: Monsoon floods cut off 40 villages in Sunamganj",
               "RELATED: What the new water deal means for farmers in Sylhet"]


def test_two_stories_of_one_site_sharing_its_related_box_are_not_one_story(encoder):
    tracker = StoryTracker(encoder=encoder)
    add(tracker, "cyclone", "ap.example", "2025-03-12T10:00:00Z", *CYCLONE, *STOCK)
    add(tracker, "strike", "ap.example", "2025-03-13T10:00:00Z", *STRIKE, *STOCK)
    protest = [s for s in PROTEST if s != NOTE]
    accord = [s for s in ACCORD if s != NOTE]
    add(tracker, "protest", "daily-star.example", "2025-03-14T21:48:38Z", *protest[:4], *RELATED_BOX, *protest[4:],
        *STOCK)
    assert add(tracker, "accord", "daily-star.example", "2025-03-18T15:20:05Z", *accord[:4], *RELATED_BOX,
               *accord[4:], *STOCK) == []
