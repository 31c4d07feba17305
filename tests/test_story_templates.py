"""One template filled in for two stories reads, word for word, like one sentence edited:
"Pressure had been building since Rakhimov raised the alarm over fuel subsidies ..." / "... over
rail freight ...". What tells them apart is what each text says throughout: its people and its
subject. A sub-editor's edits (a word for a word, a respelling, a changed figure) keep both."""

from __future__ import annotations

import pytest

from archive.stories import load_encoder
from archive.stories.align import AlignConfig, align
from archive.stories.fingerprint import fingerprint

LEXICAL_ONLY = AlignConfig(semantic=False)

SUBSIDIES = """ASTANA (AP) — Protests over fuel subsidies spread to three more cities on Monday, police said.

He held talks with Dilshod Rakhimov, the foreign minister, on fuel subsidies and on plans for a joint working group.

Pressure had been building since Rakhimov raised the alarm over fuel subsidies in a speech 2 days ago.

Officials said the two sides would meet again in Astana within 2 weeks to discuss fuel subsidies."""

FREIGHT = """ALMATY (AP) — A strike by rail freight workers halted deliveries to the south on Monday, police said.

Talks with foreign minister Dilshod Rakhimov focused on rail freight, as well as on setting up a joint working group.

Pressure had been building since Rakhimov raised the alarm over rail freight in a speech 2 days ago.

Delegations will reconvene in Almaty in roughly 3 weeks, a spokesman said, to keep working on rail freight."""


def sentences(text: str):
    return fingerprint(text).sentences


def aligned(a: str, b: str) -> set[tuple[int, int]]:
    return {(p.a, p.b) for p in align(sentences(a), sentences(b), LEXICAL_ONLY).pairs}


@pytest.mark.parametrize("other, kept", [
    # the other story: its own subject in the template's place, as throughout its text
    (FREIGHT, False),
    # a sub-editor's copy: a word for a word ("said" / "stated"), a respelling, throughout
    (SUBSIDIES.replace(" said", " stated").replace("Rakhimov raised", "Rakhimov had raised"), True),
    # an update that changes the subject of that sentence alone: the rest of the text keeps it
    (SUBSIDIES.replace("alarm over fuel subsidies", "alarm over fuel prices"), True),
], ids=["other-subject", "edited-copy", "one-word-changed"])
def test_a_template_filled_in_with_each_storys_own_subject_is_two_sentences(other, kept):
    assert ((2, 2) in aligned(SUBSIDIES, other)) is kept


FLOODS = """PORT SAID (Reuters) — Floods that swept through Port Said on Sunday killed at least 65 people, officials said.

The search for survivors near Ismailia went on under the command of Dilshod Rakhimov, the foreign minister.

Pressure had been building since Rakhimov raised the alarm over fuel subsidies in a speech 2 days ago.

Egypt joined the regional trade bloc in 2010, but disputes over tariffs have slowed the removal of border checks.

Officials said the two sides would meet again in Astana within 2 weeks to discuss fuel subsidies."""


@pytest.mark.parametrize("other, kept", [
    # the other story, whose subject is said throughout its text (and the first names its own
    # only twice, where the template does)
    (FREIGHT, False),
    # a copy that calls the subject something else both times: the rest of the text never did
    (FLOODS.replace("fuel subsidies", "fuel aid"), True),
], ids=["other-subject", "renamed-in-both-places"])
def test_a_subject_named_only_where_the_template_names_it_is_still_the_storys_own(other, kept):
    assert ((2, 2) in aligned(FLOODS, other)) is kept


MEETING = "Within 2 weeks, according to officials, there will be another meeting in Astana on rail freight."


def test_a_rewording_of_the_template_is_two_sentences_once_an_edit_showed_each_texts_subject():
    """Where the template, edited, shows each text's subject in its place, a sentence saying
    one story's subject and one saying the other's are two sentences however alike their
    meaning; without that, a subject a text says twice does not part a rewording (two
    reports of one event, each in its own words)."""
    encoder = load_encoder("use")
    freight = FREIGHT.replace(FREIGHT.split("\n\n")[-1], MEETING)
    reworded = FLOODS.replace(FLOODS.split("\n\n")[-1], MEETING.replace("rail freight", "fuel subsidies"))

    def pairs(a_text, b_text):
        a, b = sentences(a_text), sentences(b_text)
        vectors = lambda rows_a, rows_b: (encoder.encode([a[i].text for i in rows_a]),
                                          encoder.encode([b[j].text for j in rows_b]))
        return {(p.a, p.b) for p in align(a, b, AlignConfig(semantic_threshold=0.55), vectors).pairs}

    assert (4, 3) not in pairs(FLOODS, freight)
    assert (4, 4) in pairs(FLOODS, reworded)
    # the subject said twice again, but not in the template: nothing shows what each is about
    untemplated = FLOODS.replace(FLOODS.split("\n\n")[2], "Rakhimov has spoken of fuel subsidies for months.")
    assert (4, 3) in pairs(untemplated, freight)


TIMING = """TALLINN (AFP) — Thousands marched through Tallinn on Thursday, and Aivars Kalniņš, the mayor, called for calm.

Kaja Tammsaar, who leads the central bank, asked for talks with Aivars Kalniņš on border crossings.

The timing was no accident, analysts said: {name} had made border crossings a condition of continued support 5 days ago."""


@pytest.mark.parametrize("name, kept", [
    ("Kalniņš", False),  # someone else, whom both texts name inside a sentence elsewhere
    ("Tammsaar", True),  # the same person
    ("Tamsaar", True),  # respelled
], ids=["someone-else", "same-person", "respelled"])
def test_a_name_after_a_colon_is_a_name_when_the_texts_write_it_inside_a_sentence(name, kept):
    """A capital after a colon may open a sentence ("analysts said: The ..."); the word is a
    name when either text writes it inside a sentence, and then two sentences naming two
    people there are two sentences."""
    a = TIMING.format(name="Tammsaar") + "\n\nA spokesman for Tammsaar declined to comment."
    b = TIMING.format(name=name) + "\n\nA spokesman for Tammsaar declined to comment."
    assert ((2, 2) in aligned(a, b)) is kept
