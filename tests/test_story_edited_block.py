"""A near-identical copy that respells the names of its lede is still the story: the sentences
it edits count with its verbatim ones, so that a brief of the story is inside it, and what they
share is never voted stock of different stories."""

from __future__ import annotations

from archive.stories import Document, StoryTracker

LEDE = ("SAMARKAND (Reuters) — The government named Gulnara Yusupova as its new mayor of the capital on "
        "Thursday, a month after Aigerim Seitkali stepped down over border checkpoints.")
RESPELLED = ("SAMARKAND (Reuters) — The government named Gulnora Yusupova as its new mayor of the capital on "
             "Thursday, a month after Aygerim Seytkali stepped down over border checkpoints.")
BIO = "Yusupova, 59, previously ran the national electricity company in Samarkand for 8 years."
BODY = [
    "Yusupova told reporters in Samarkand: \"The people who suffer most are the ones who were never consulted, and "
    "that is the message I will take to parliament on Tuesday.\"",
    "Parliament, where the coalition has 250 seats, still has to confirm the appointment.",
    "The first year alone will cost $71 million, by the estimate of the national electricity company.",
    "\"We lost everything in one night and nobody came to help us, and the families we met today told us the same "
    "thing,\" according to Seitkali.",
    "Next on the calendar is a technical round on border crossings, pencilled in for Shymkent in about 8 weeks.",
]
# the agency's stock paragraphs, which its stories of the region paste
STOCK = [
    "About 1,400,000 people in Kazakhstan depend on farming for a living, and the sector has been hit by repeated "
    "droughts since 1996.",
    "The government has promised to modernise irrigation across Central Asia.",
    "Kazakhstan and Uzbekistan restored full diplomatic relations in 2017 after years of informal contacts.",
    "Trade between the two countries has grown every year since then, according to official figures.",
]


def doc(doc_id: str, site: str, paragraphs: list[str]) -> Document:
    return Document(doc_id, f"https://{site}/2025/03/20/{doc_id}", "\n\n".join(paragraphs),
                    published="2025-03-20T12:00:00+00:00", outlet=site, language="en")


def test_a_copy_respelling_its_ledes_names_holds_a_brief_and_votes_no_stock():
    tracker = StoryTracker()
    origin = doc("origin", "wire.example", [LEDE, BIO] + BODY[:3] + STOCK + BODY[3:])
    # the near-identical copy transliterates two names otherwise throughout (the lede's sentence
    # is edited, not verbatim) and words one sentence otherwise
    near = doc("near", "eastern-times.example",
               [RESPELLED, BIO] + BODY[:1] + ["Parliament, where the coalition has 250 seats, has to confirm the "
                                               "appointment."] + BODY[2:3] + STOCK
               + [p.replace("Seitkali", "Seytkali") for p in BODY[3:]]
               + ["Follow Eastern Times on social media for the latest updates."])
    brief = doc("brief", "gulf-ledger.example",
                [LEDE, BIO, "Follow Gulf Ledger on social media for the latest updates."])
    trimmed = doc("trimmed", "regional-dispatch.example", [LEDE, BIO] + BODY[:2])
    for d in (origin, near, brief, trimmed):
        tracker.add(d)
    verdicts = {frozenset((a, b)): data["verdict"] for a, b, data in tracker.store.pairs()}
    assert verdicts[frozenset(("near", "brief"))] != "different"
    assert verdicts[frozenset(("near", "trimmed"))] != "different"
    bio_key = next(s.key for s in tracker.store.sentences("origin") if s.text == BIO)
    assert bio_key not in tracker.store.background()
    stories = [s for s in tracker.stories() if len(s.members) > 1]
    assert len(stories) == 1 and {m.doc.doc_id for m in stories[0].members} == {"origin", "near", "brief", "trimmed"}


def test_ledes_of_one_template_naming_someone_else_stay_different():
    # what the edited block must not take in: one template filled in for another mayor, below
    # it the same stock paragraphs, which two such pairs make stock
    other_lede = ("SAMARKAND (Reuters) — The government named Dilnoza Karimova as its new mayor of the capital on "
                  "Thursday, a month after Rustam Aliyev stepped down over border checkpoints.")
    other_bio = "Karimova, 47, previously ran the chamber of commerce in Bukhara for 5 years."
    tracker = StoryTracker()
    tracker.add(doc("one", "wire.example", [LEDE, BIO] + STOCK))
    tracker.add(doc("two", "wire.example", [other_lede, other_bio] + STOCK))
    tracker.add(doc("three", "other-wire.example", [other_lede.replace("Dilnoza Karimova", "Malika Tursunova"),
                                                    other_bio.replace("Karimova", "Tursunova")] + STOCK))
    verdicts = {frozenset((a, b)): data["verdict"] for a, b, data in tracker.store.pairs()}
    assert verdicts[frozenset(("one", "two"))] == verdicts[frozenset(("one", "three"))] == "different"
    assert {s.key for s in tracker.store.sentences("one")[2:]} <= tracker.store.background()
    assert not [link for link in tracker.links() if "one" in (link.a, link.b)]


SERIES = [
    "The series presents three stories that helped define each year of the 2010s.",
    "They may retell single stories that mattered to readers at the time, a saga that played out over many "
    "articles, and even stories pushed to the margins by other news but with a lasting effect on our region.",
]


def test_a_series_note_each_article_words_its_own_way_is_no_lede():
    # two articles of one newspaper series: the note near the top differs by a word ("article",
    # "story"), the blurb below it is word for word; an edited sentence does not say where a
    # story's block starts, so the pair is not a copy (the texts are still compared, by what
    # remains of them) and the note and blurb are no evidence
    air_show = doc("air-show", "news-times.example", [
        "2019: Oregon International Air Show leaves Hillsboro for McMinnville.",
        "The air show left Hillsboro because of construction at the airport, and is expected to return in 2021 in a "
        "new format.",
        "Editor's note: this article is part of the News-Times special series Decade in Review.",
        *SERIES,
        "Organisers said the move was the hardest decision in the show's history, but that the new site offered more "
        "parking and a longer runway for the jets.",
        "Attendance fell by a third in the first year at McMinnville, according to the organisers' own figures.",
        "The city council approved a five-year lease for the grounds in a unanimous vote.",
        "Local hotels reported their busiest weekend of the summer during the first show at the new site.",
    ])
    shooting = doc("shooting", "news-times.example", [
        "2019: Deputies wounded in shootout at Hagg Lake.",
        "A terrifying scene in the woods northeast of Gaston somehow ended without a death.",
        "Editor's note: this story is part of the News-Times special series Decade in Review.",
        *SERIES,
        "The official account of what happened on August 8 was released months later by the sheriff's office.",
        "Two deputies were treated for gunshot wounds and the suspect was taken into custody the next morning.",
        "Investigators later found more than a dozen rifles and a large cache of ammunition at his campsite.",
        "The suspect pleaded guilty to attempted murder and was sentenced the following spring.",
    ])
    tracker = StoryTracker()
    tracker.add(air_show)
    tracker.add(shooting)
    verdicts = {frozenset((a, b)): data["verdict"] for a, b, data in tracker.store.pairs()}
    assert verdicts[frozenset(("air-show", "shooting"))] != "copy"
    assert not tracker.links()
