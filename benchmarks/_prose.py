"""Deterministic news-like prose for the benchmark site (benchmark helper).

Each article gets its own cast (people, organisations, places with generated
names) and its sentences are assembled from independent parts (lead-in,
subject, statement, tail), each drawn from its own pool, with a
``random.Random`` seeded per article. The same article number always reads the
same; two articles share common phrases, as real stories do, but hardly ever a
whole sentence (4-gram shingle overlap between two articles is about 1 %), so
that the site looks like many distinct stories rather than one template.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SECTIONS: dict[str, list[str]] = {
    "politics": ["budget bill", "coalition talks", "electoral reform", "spending review",
                 "pension overhaul", "border agreement", "lobbying register", "party leadership"],
    "business": ["quarterly results", "merger", "interest rate decision", "supply contract",
                 "share buyback", "wage negotiations", "export licence", "takeover bid"],
    "technology": ["chip shortage", "data protection rules", "satellite network",
                   "battery plant", "software update", "cloud contract", "fibre rollout",
                   "app store inquiry"],
    "science": ["telescope survey", "fossil discovery", "vaccine trial", "ocean sampling mission",
                "genome study", "particle experiment", "soil carbon project", "lunar lander"],
    "health": ["hospital waiting lists", "nursing shortage", "screening program",
               "drug pricing plan", "mental health strategy", "flu season", "ambulance response times",
               "dental contract"],
    "sport": ["league final", "transfer window", "stadium project", "doping inquiry",
              "relay championship", "coaching change", "broadcast rights deal", "youth academy"],
    "culture": ["film festival", "museum reopening", "literary prize", "concert tour",
                "heritage listing", "theatre season", "arts funding round", "gallery extension"],
    "world": ["ceasefire talks", "trade summit", "refugee corridor", "sanctions package",
              "aid convoy", "embassy dispute", "grain deal", "election monitoring mission"],
    "climate": ["flood defences", "emissions target", "drought plan", "wind farm auction",
                "glacier monitoring", "heatwave warning", "peatland restoration", "coastal erosion"],
    "education": ["exam results", "tuition fee cap", "school building program",
                  "teacher recruitment drive", "university funding formula", "literacy campaign",
                  "free meals scheme", "apprenticeship levy"],
    "transport": ["rail timetable", "airport expansion", "bridge repairs", "bus franchise",
                  "fuel duty freeze", "cycle lane network", "ferry contract", "road pricing trial"],
    "local": ["council tax rise", "library closures", "housing estate plan",
              "market redevelopment", "park restoration", "road resurfacing", "bin collection changes",
              "swimming pool refurbishment"],
}

FIRST = ("Amara Jonas Lucia Tomasz Ingrid Rafael Mei Kwame Sofia Declan Priya Mateo Hanna Oskar "
         "Leila Viktor Nadia Emeka Clara Idris Yusuf Marta Elliot Ana Bruno Freya Hugo Zainab Petra "
         "Caleb Ines Aditya Greta Malik Sunniva Teodor Fatima Rowan Beatriz Kofi Linnea Dmitri Aoife "
         "Samir Ottilie Jun Esme Tariq Wilhelmina Bao Carys Anselm Noor Piotr Maren Luca Selin "
         "Gideon Yara Felix").split()
LAST = ("Okafor Lindqvist Moreau Kowalski Haddad Brennan Tanaka Silva Novak Fischer Rahman Costa "
        "Byrne Ivanova Mensah Larsen Alvarez Duarte Keller Nakamura Osei Petrov Quinn Romano Schmidt "
        "Varga Walsh Yilmaz Zielinski Abbott Achterberg Bianchi Castellanos Dimitriou Eriksen "
        "Fairweather Gallagher Holmberg Iqbal Jovanovic Kaczmarek Lefebvre Mbeki Nyberg Oyelaran "
        "Pacheco Rasmussen Sokolova Thorne Urquhart Valente Whitlock Xu Yamamoto Zapata Ahlgren "
        "Boateng Carvalho Delacroix Esposito").split()
_SYL_A = "Bar Cal Dun El Fen Gar Hol Ingle Kes Lan Mar Nor Ost Pen Quar Ros Sel Tarn Ul Ven Wen Yar".split()
_SYL_B = "ford by mere wick stead ton ham dale holm worth field more bridge combe ley thorpe".split()
_ORG_KIND = ["Holdings", "Group", "Trust", "Partners", "Institute", "Foundation", "Authority",
             "Cooperative", "Mutual", "Energy", "Logistics", "Analytics", "Council", "Union",
             "Association", "Bank"]
ROLES = ["a spokesperson for the ministry", "the chief executive", "an independent analyst",
         "the committee chair", "a senior economist", "the regional director",
         "a union representative", "the lead researcher", "an opposition lawmaker", "the mayor",
         "a former adviser", "the head of operations", "a local resident", "the program manager",
         "a professor of public policy", "the finance director", "a campaign organiser",
         "the deputy minister", "a shop owner", "the chief inspector"]
DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend",
        "earlier this month", "last week", "late on Sunday", "this morning", "overnight",
        "in the spring", "before the summer recess", "after a two-day meeting"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

LEADS = ["", "", "", "", "In {place}, ", "Earlier this year, ", "By contrast, ",
         "Meanwhile, ", "For now, ", "According to {org}, ", "In an interview, ",
         "Speaking {day}, ", "Behind closed doors, ", "Privately, ", "Until recently, ",
         "At a briefing in {place}, ", "Since {year}, "]
SUBJECTS = ["{person}, {role},", "{org}", "officials in {place}", "analysts at {org}",
            "{person}", "residents of {place}", "the committee", "{num} councillors",
            "several board members", "the opposition", "campaigners in {place}",
            "a report by {org}", "the ministry", "{person}, who chairs {org},",
            "critics of the {topic}", "supporters of the {topic}"]
STATEMENTS = [
    "said the {topic} would {future}", "warned that {clause}", "argued that {clause}",
    "has called for {demand}", "rejected claims that {clause}", "expects the {topic} to {future}",
    "conceded that {clause}", "questioned whether {clause}", "insisted that {clause}",
    "described the {topic} as {judgement}", "pointed to {evidence}", "has asked for {demand}",
    "published figures suggesting that {clause}", "declined to say whether {clause}",
    "told reporters that {clause}", "is pressing for {demand}",
]
FUTURES = ["be delayed until {month}", "cost about {money} million", "go to a vote in {month}",
           "need another {num} weeks of talks", "be reviewed by {org}", "be scaled back",
           "create around {num}0 jobs in {place}", "face a legal challenge",
           "be funded from reserves", "require new legislation", "be paused for a year",
           "be extended to {place}"]
CLAUSES = ["the {topic} had been delayed by {num} months",
           "costs were running {pct} percent above the original estimate",
           "the plan was unlikely to pass before {month}", "nobody had consulted {org}",
           "the figures for {year} had been revised twice", "{place} would bear most of the cost",
           "the timetable was unrealistic", "{org} had been warned as early as {year}",
           "the {topic} was still short of {money} million", "demand had fallen for {num} quarters",
           "the decision rested with {person}", "turnout at the hearings had been low",
           "the contract terms were never made public", "{pct} percent of households would be affected",
           "a compromise was within reach", "the data did not support the change"]
DEMANDS = ["an independent review", "a public inquiry", "a pause in the {topic}",
           "more money for {place}", "clearer rules", "a vote before {month}",
           "the minutes to be published", "compensation for residents of {place}"]
JUDGEMENTS = ["overdue", "a gamble", "a necessary first step", "badly managed",
              "a missed opportunity", "fair but fragile", "the least bad option", "premature"]
EVIDENCE = ["a survey of {num}00 households", "a leaked memo from {year}",
            "{pct} percent growth in complaints", "last year's audit by {org}",
            "the experience of {place}", "a fall in applications since {month}"]
TAILS = ["", "", "", "", ", a figure disputed by {org}", ", {pct} percent more than in {year}",
         " despite objections from {place}", " after weeks of uncertainty",
         ", according to people familiar with the matter", ", though details remain scarce",
         " ahead of the {month} deadline", ", the third such warning this year"]
QUOTES = ["We have been clear from the start that this has to work for ordinary families",
          "Nobody expected the numbers to move this quickly",
          "It is a step in the right direction, but it is not the end of the story",
          "The evidence simply does not support what was promised",
          "We will keep talking as long as there is something on the table",
          "People deserve answers before the winter, not after it",
          "This was never about a single decision",
          "Our members are frustrated, and frankly I understand why",
          "The details matter, and the details are still missing",
          "I would rather we took another month and got this right",
          "We are not going to apologise for asking hard questions",
          "Everyone in {place} knows someone affected by this"]
SUBHEADS = ["What happens next", "The background", "Reaction", "By the numbers",
            "Why it matters", "A long road", "Questions remain", "Local impact"]


@dataclass
class Story:
    """One generated article: headline, standfirst, author, paragraphs, subheads."""

    section: str
    headline: str
    standfirst: str
    author: str
    paragraphs: list[str] = field(default_factory=list)
    subheads: dict[int, str] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


def authors(count: int = 40, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in names:
            names.append(name)
    return names


def _place(rng: random.Random) -> str:
    return rng.choice(_SYL_A) + rng.choice(_SYL_B)


def story(number: int, seed: int = 1, author_names: list[str] | None = None) -> Story:
    """Generate article ``number`` (about 480 to 900 words of prose)."""
    rng = random.Random(f"{seed}-{number}")
    section = list(SECTIONS)[number % len(SECTIONS)]
    cast = {
        "topic": rng.choice(SECTIONS[section]),
        "people": [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(4)],
        "orgs": [f"{_place(rng)} {rng.choice(_ORG_KIND)}" for _ in range(3)],
        "places": [_place(rng) for _ in range(3)],
    }
    names = author_names or authors()
    target = rng.randint(480, 840)
    heads = rng.sample(SUBHEADS, len(SUBHEADS))
    paragraphs: list[str] = []
    subheads: dict[int, str] = {}
    words = 0
    while words < target:
        paragraph = " ".join(_sentence(rng, cast) for _ in range(rng.randint(2, 4)))
        paragraphs.append(paragraph)
        words += len(paragraph.split())
        if len(paragraphs) % 4 == 0 and words < target - 80:
            subheads[len(paragraphs)] = heads[len(subheads) % len(heads)]
    org = cast["orgs"][0]
    headline = (f"{org} {rng.choice(['backs', 'opposes', 'delays', 'rethinks', 'questions'])} "
                f"{cast['topic']} as {cast['places'][0]} "
                f"{rng.choice(['waits', 'objects', 'counts the cost', 'looks on'])}")
    return Story(section, headline, _sentence(rng, cast), names[number % len(names)],
                 paragraphs, subheads)


def _fill(rng: random.Random, text: str, cast: dict) -> str:
    values = {
        "person": rng.choice(cast["people"]), "org": rng.choice(cast["orgs"]),
        "place": rng.choice(cast["places"]), "topic": cast["topic"], "role": rng.choice(ROLES),
        "day": rng.choice(DAYS), "month": rng.choice(MONTHS), "year": rng.randint(2009, 2023),
        "num": rng.randint(3, 40), "pct": rng.randint(2, 48), "money": rng.randint(12, 950),
        "future": "{future}", "clause": "{clause}", "demand": "{demand}",
        "judgement": "{judgement}", "evidence": "{evidence}",
    }
    return text.format(**values)


def _sentence(rng: random.Random, cast: dict) -> str:
    if rng.random() < 0.12:
        quote = _fill(rng, rng.choice(QUOTES), cast)
        return f"\u201c{quote},\u201d said {rng.choice(cast['people'])}."
    parts = [rng.choice(LEADS), rng.choice(SUBJECTS), " ", rng.choice(STATEMENTS),
             rng.choice(TAILS), "."]
    text = _fill(rng, "".join(parts), cast)
    for slot, pool in (("{future}", FUTURES), ("{clause}", CLAUSES), ("{demand}", DEMANDS),
                       ("{judgement}", JUDGEMENTS), ("{evidence}", EVIDENCE)):
        while slot in text:
            text = text.replace(slot, _fill(rng, rng.choice(pool), cast), 1)
    return text[0].upper() + text[1:]
