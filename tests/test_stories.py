"""Story tracking: the seed pair, hard negatives, copy types, background, versions, order."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from archive.demo.content import ARTICLES
from archive.extract import extract
from archive.stories import Document, SQLiteStore, StoryTracker, TrackerConfig, load_encoder
from archive.stories.text import split_sentences
from tests.fixtures.distractors import ACCORDS, DISTRACTORS, HISTORY

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
HAYOM = "https://www.israelhayom.com/2021/11/24/in-morocco-gantz-inks-landmark-deal-paving-way-for-weapon-sales/"
DISPATCH = "https://www.regional-dispatch.example/2021/11/24/the-israeli-and-moroccan-defense-ministers-meet-in-a-historic-visit/"


@pytest.fixture(scope="module")
def encoder():
    return load_encoder("use")


def tracker_with(encoder, **config) -> StoryTracker:
    return StoryTracker(encoder=encoder, config=TrackerConfig(**config))


def seed_documents() -> dict[str, Document]:
    docs = {}
    for url, name in ((HAYOM, "israelhayom-gantz-morocco.html"), (DISPATCH, "dispatch-defense-ministers-meet.html")):
        article = extract((SEEDS / name).read_bytes(), url, "text/html")
        docs[url] = Document(url, url, article.text, article.title, article.published,
                             url.split("/")[2], article.language, article.authors, article.text_hash)
    for d in DISTRACTORS:
        docs[d["url"]] = Document(d["url"], d["url"], d["text"], d["title"], d["published"], d["outlet"])
    return docs


@pytest.mark.parametrize("order", ["seeds-first", "seeds-last", "interleaved"])
def test_seed_pair_is_a_rewrite_and_no_distractor_joins_it(encoder, order):
    docs = seed_documents()
    urls = list(docs)
    if order == "seeds-last":
        urls = urls[2:] + urls[:2]
    elif order == "interleaved":
        urls = [urls[2], HAYOM, *urls[3:5], DISPATCH, *urls[5:]]
    tracker = tracker_with(encoder)
    for url in urls:
        tracker.add(docs[url])
    links = tracker.links()
    assert [(l.a, l.b) for l in links] == [tuple(sorted((HAYOM, DISPATCH)))]
    (link,) = links
    assert link.relation == "rewrite"
    hayom = tracker.store.sentences(HAYOM)
    dispatch = tracker.store.sentences(DISPATCH)
    a_side, b_side = (hayom, dispatch) if link.a == HAYOM else (dispatch, hayom)
    evidence = {(a_side[p.a].text, b_side[p.b].text) for p in link.evidence}
    # the story-specific sentences, reworded, are the evidence; the shared agency background is not
    copy_side = {y if link.a == HAYOM else x for x, y in evidence}
    assert any("Abdellatif Lodi" in s for s in copy_side)
    assert any("first official visit by an Israeli defense minister" in s for s in copy_side)
    assert not any(ACCORDS[:60] in x or ACCORDS[:60] in y for x, y in evidence)
    assert not any("Jewish community" in x for x, _ in evidence)
    assert all(p.method in ("lexical", "semantic") for p in link.evidence)
    background = tracker.store.background()
    assert any(s.key in background for s in hayom if s.text.startswith("Morocco, the United Arab Emirates"))
    stories = tracker.stories(min_size=2)
    assert len(stories) == 1 and {m.doc.doc_id for m in stories[0].members} == {HAYOM, DISPATCH}
    assert stories[0].origin.doc_id == HAYOM  # published 09:10 +02:00, the copy 15:42 UTC


def test_background_sharing_stories_stay_apart_without_the_seed_pair(encoder):
    tracker = tracker_with(encoder)
    for d in DISTRACTORS:
        tracker.add(Document(d["url"], d["url"], d["text"], d["title"], d["published"], d["outlet"]))
    assert tracker.links() == []
    assert len(tracker.stories(min_size=2)) == 0
    history_keys = {s.key for s in tracker.store.sentences(DISTRACTORS[0]["url"]) if s.text in HISTORY}
    assert history_keys and history_keys <= tracker.store.background()


def demo_documents():
    return [(Document(f"{a.outlet}/{a.slug}", f"http://{a.outlet}.test/{a.slug}", a.text, a.title, a.published,
                      a.outlet, a.lang, [a.byline]), a) for a in ARTICLES]


@pytest.fixture(scope="module")
def demo_tracker(encoder):
    tracker = tracker_with(encoder, wire_names=TrackerConfig().wire_names + ("Aurora Press",))
    for doc, _ in demo_documents():
        tracker.add(doc)
    return tracker


def test_demo_stories_match_the_ground_truth(demo_tracker):
    truth = {doc.doc_id: spec for doc, spec in demo_documents()}
    predicted = {m.doc.doc_id: s.story_id for s in demo_tracker.stories() for m in s.members}
    for a, b in itertools.combinations(truth, 2):
        same_truth = truth[a].story == truth[b].story
        assert (predicted[a] == predicted[b]) == same_truth, (a, b)


def expected_relation(spec, origin) -> str:
    """The demo's relation, typed as the tracker types wire updates and translations."""
    if spec.lang != origin.lang:
        return "translation"
    if spec.title.upper().startswith("UPDATE"):
        return "update"
    return spec.relation


def test_demo_relations_and_origins(demo_tracker):
    truth = {doc.doc_id: spec for doc, spec in demo_documents()}
    stories = demo_tracker.stories(min_size=2)
    assert len(stories) == 2
    relations = set()
    for story in stories:
        origin = truth[story.origin.doc_id]
        assert origin.relation == "origin"
        for member in story.members[1:]:
            relations.add(member.relation)
            assert member.relation == expected_relation(truth[member.doc.doc_id], origin), member.doc.doc_id
            assert 0 < member.score <= 1
    assert {"update", "translation"} <= relations


ORIGIN = next(a for a in ARTICLES if a.relation == "origin" and a.story == "sundline-cable-pact")


def transformed(kind: str) -> str:
    paragraphs = list(ORIGIN.paragraphs)
    if kind == "verbatim":
        return "Norvale signs cable deal with Qaradan\n\n" + "\n\n".join(paragraphs)
    if kind == "trimmed":
        return "\n\n".join(paragraphs[: max(3, len(paragraphs) * 2 // 3)])
    if kind == "extended":
        local = [
            "Council members in Halden Bay said on Tuesday that the town would ask for a share of the jobs "
            "the converter station is expected to create. A public meeting is planned for next week.",
            "The harbour master said fishing boats would need new routes during two summers of cable laying. "
            "Skippers have asked for compensation for the lost fishing days.",
            "Local shops on Quay Street hope the survey crews will bring custom in the quiet months. "
            "One café owner said she had already taken bookings from the survey company.",
            "The regional council will debate the planning application in May. Opposition councillors "
            "want an independent study of the effects on the bay's seal colony.",
            "Halden Bay last saw a project of this size in the 1970s, when the ferry terminal was built. "
            "Older residents still remember the traffic of that decade.",
            "The town's mayor will travel to Vessen next month to meet the grid operator. She said she "
            "would push for a training centre for young electricians in the town.",
        ]
        return "\n\n".join(paragraphs[:5] + local + paragraphs[5:])
    if kind == "respelled":
        return "\n\n".join(p.replace("Halvorsen", "Halvorssen").replace("Ouazzani", "Wazzani") for p in paragraphs)
    raise ValueError(kind)


@pytest.mark.parametrize("kind,relations", [
    ("verbatim", {"identical"}),
    ("trimmed", {"excerpt"}),
    ("extended", {"excerpt"}),
    ("respelled", {"near-identical"}),
])
def test_copy_transformations_are_linked_and_typed(encoder, kind, relations):
    tracker = tracker_with(encoder)
    tracker.add(Document("origin", "https://wire.test/a", ORIGIN.text, ORIGIN.title, ORIGIN.published, "wire.test"))
    tracker.add(Document("copy", "https://paper.test/b", transformed(kind), None, ORIGIN.published, "paper.test"))
    (link,) = tracker.links()
    assert link.relation in relations
    assert link.score >= 0.9


def test_a_new_text_at_the_same_url_is_a_new_version_not_a_copy(encoder):
    tracker = tracker_with(encoder)
    first = Document("https://wire.test/a", "https://wire.test/a", ORIGIN.text, ORIGIN.title, ORIGIN.published,
                     "wire.test", text_hash="h1")
    tracker.add(first)
    tracker.add(Document("https://paper.test/b", "https://paper.test/b", transformed("trimmed"), None,
                         ORIGIN.published, "paper.test", text_hash="h2"))
    updated = Document(first.doc_id, first.url, ORIGIN.text + "\n\nThe ministry later corrected the figure to 3.8 gigawatts.",
                       ORIGIN.title, ORIGIN.published, "wire.test", text_hash="h3")
    tracker.add(updated)
    assert tracker.store.doc_count() == 2
    assert tracker.store.doc(first.doc_id).version == 2
    (story,) = tracker.stories(min_size=2)
    assert {m.doc.doc_id for m in story.members} == {first.doc_id, "https://paper.test/b"}
    assert tracker.add(updated) == tracker.links(first.doc_id)  # unchanged text: nothing recomputed


def test_kept_counts_match_the_postings_after_versions_and_reopening(encoder, tmp_path, catalog_backend):
    from archive.catalog import open_story_store
    from tests.test_story_backends import story_rows

    tracker = StoryTracker(store=open_story_store(tmp_path, catalog_backend), encoder=None)
    texts = [("https://a.test/x", ORIGIN.text), ("https://b.test/y", transformed("trimmed")),
             ("https://a.test/x", transformed("verbatim"))]  # a new version of the first
    for k, (url, text) in enumerate(texts):
        tracker.add(Document(url, url, text, text_hash=f"h{k}"))

    def counted(store):
        rows = story_rows(store, "SELECT anchor, count(*) FROM story_anchors GROUP BY anchor")
        return dict(rows), story_rows(store, "SELECT count(*) FROM story_docs")[0][0]

    anchors, docs = counted(tracker.store)
    assert docs == tracker.store.doc_count() == 2
    assert tracker.store.anchor_counts(anchors) == anchors
    tracker.close()
    reopened = open_story_store(tmp_path, catalog_backend)
    assert reopened.doc_count() == 2 and reopened.anchor_counts(anchors) == anchors
    reopened.close()
    if catalog_backend.catalog_url:
        return  # PostgreSQL catalogs always kept the counts
    reopened = SQLiteStore(tmp_path / "catalog.sqlite")
    reopened.db.execute("DELETE FROM story_anchor_df")  # a catalog written before the counts were kept
    reopened.commit()
    reopened.close()
    reopened = SQLiteStore(tmp_path / "catalog.sqlite")
    assert reopened.doc_count() == 2 and reopened.anchor_counts(anchors) == anchors


def test_sentence_splitting_keeps_abbreviations_and_initials():
    text = "Gen. Smith met Mr. J. Doe in Washington, D.C. on Monday. They talked.\nA new line starts here."
    assert split_sentences(text) == [
        "Gen. Smith met Mr. J. Doe in Washington, D.C. on Monday.", "They talked.", "A new line starts here."]


def test_a_verbatim_copy_with_its_sites_footer_is_identical(encoder):
    footer = ("Paper Test is published by the Halden Bay Media Group and printed in Norvale. "
              "Subscribers can read every edition online through the Paper Test app.")
    others = list({a.story: a for a in ARTICLES if a.story != ORIGIN.story and a.relation in ("origin", "unrelated")
                   }.values())[:2]
    assert len(others) == 2
    tracker = tracker_with(encoder)
    # other stories of the same site teach the tracker that its footer is boilerplate: one
    # other page sharing a sentence is not enough (two stories may quote one line), many are
    for n, other in enumerate(others):
        tracker.add(Document(f"other-{n}", f"https://paper.test/a{n}", "\n\n".join(other.paragraphs) + "\n\n"
                             + footer, None, other.published, "paper.test"))
    tracker.add(Document("origin", "https://wire.test/a", ORIGIN.text, ORIGIN.title, ORIGIN.published, "wire.test"))
    tracker.add(Document("copy", "https://paper.test/b", transformed("verbatim") + "\n\n" + footer, None,
                         ORIGIN.published, "paper.test"))
    (link,) = tracker.links("copy")
    assert link.relation == "identical"


SHORT_ORIGIN = """VESSEN (Aurora Press) — Norvale named Ingrid Halvorsen energy minister on Monday, replacing Tomas Lind.

Halvorsen, 52, ran the state grid operator for six years before joining the government last spring.

Lind resigned last month after a row over the Sundline cable, which he had championed since 2021.

The ministry said the appointment would still have to be confirmed by parliament next week.

Opposition parties said they would question Halvorsen on the cost of the cable at the hearing."""


@pytest.mark.parametrize("copy, linked", [
    # a lede of 14 words trimmed to itself: the story
    ("VESSEN (Aurora Press) — Norvale named Ingrid Halvorsen energy minister on Monday, replacing Tomas Lind.",
     True),
    # a sentence as short from below the lede, alone: not enough to tell a story from stock
    ("The ministry said the appointment would still have to be confirmed by parliament next week.", False),
], ids=["lede", "other-sentence"])
def test_a_lede_trimmed_to_itself_is_the_story_however_short(encoder, copy, linked):
    tracker = tracker_with(encoder)
    tracker.add(Document("origin", "https://wire.test/a", SHORT_ORIGIN, None, ORIGIN.published, "wire.test"))
    tracker.add(Document("copy", "https://paper.test/b", copy, None, ORIGIN.published, "paper.test"))
    links = tracker.links()
    assert bool(links) is linked
    assert all(link.relation == "excerpt" for link in links)
