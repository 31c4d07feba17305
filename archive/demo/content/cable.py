"""Story "sundline-cable-pact": an Aurora Press wire story and its verbatim and trimmed copies.

The origin runs on The Northern Ledger; The Continental Courier republishes it verbatim under
its own headline, the Halden Bay Gazette runs a trimmed copy and, a day later, a local version,
and the Ledger's automated wires section carries the agency's later update.
"""

from __future__ import annotations

from ..model import EXCERPT, IDENTICAL, NEAR_IDENTICAL, ORIGIN, ArticleSpec
from . import background as bg
from .prose import paras

STORY = "sundline-cable-pact"
BYLINE = "By Helena Marsh, Aurora Press"

_LEDE = paras("""
TAZRIT, Qaradan (Aurora Press) — Norvale’s energy minister, visiting Qaradan to shore up a cautious
rapprochement, signed a memorandum on Monday that clears the way for a subsea power cable linking
the desert kingdom’s solar farms to homes on the far side of the Calder Sea, her ministry said.

In a meeting with her Qaradani counterpart, Abdelkarim Ouazzani, Energy Minister Ingrid Halvorsen
signed a memorandum of understanding on the Sundline project, a high-voltage direct current cable
that would carry up to 3.6 gigawatts of electricity from Qaradan’s Tafrent plateau to the Norvalian
port of Halden Bay.

Halvorsen and Ouazzani agreed to set up a joint steering committee that will commission seabed
surveys, draft common rules for cross-border power trading and report to both governments by the
end of the year on how to finance the link, which industry analysts have priced at between
14 billion and 18 billion euros.

The memorandum also allows Norvalian engineering firms to bid for work on two converter stations
planned on the Qaradani coast, a member of Halvorsen’s delegation told Aurora Press.
""")

_VISIT = paras("""
Halvorsen’s two-day trip – the first official visit by a Norvalian cabinet minister to Tazrit since
the two countries restored full diplomatic relations – comes just weeks before the fifth
anniversary of the regional agreement that first put the cable on the map.

Speaking to reporters before leaving Vessen on Sunday, Halvorsen said she was travelling to
“a meeting that both of our countries have waited a long time for.”

“We are signing a memorandum, but what we are really building is trust. A cable is only as strong
as the partnership behind it,” she said.

Before the talks, Halvorsen laid a wreath at the mausoleum of King Tariq I, the grandfather of
Qaradan’s current monarch, King Rashid III, in the old quarter of Tazrit.

During the visit, Halvorsen is also expected to tour a solar plant at Oued Zemmal and meet
executives of Qaradan’s state power company, according to a Qaradani official who was not
authorised to discuss the schedule and spoke on condition of anonymity.
""")

_OUTLOOK = paras("""
Those countries will all be watching closely next month, when the council’s energy ministers meet
in Vessen to review how much of the infrastructure promised under the compact has actually been
built.

A first interconnector between Estmark and Lusenia entered service in 2023, but two other links
agreed under the compact have been held up by permit disputes and the rising cost of steel and
copper.

Søren Østergaard, chief executive of Norvale’s grid operator Vessnett, said on Monday that the
Sundline would be “the most ambitious cable ever laid in northern waters” and could carry its first
power in 2032 if permits were granted on time.

“There is no doubt that the technical risks are real, but the risk of doing nothing is greater,
because our demand for clean power is growing faster than our own wind farms can meet it,”
Østergaard told the public broadcaster NRV.
""")

_CREDIT = "Aurora Press writer Omar Bennani in Tazrit contributed to this report."

#: The wire story as the agency first moved it (18 paragraphs, about 700 words).
WIRE = (
    _LEDE + _VISIT + (bg.COMPACT, bg.ENERGY) + _OUTLOOK + (bg.HISTORY, bg.COMMUNITY, _CREDIT)
)

_UPDATE = (
    "Speaking at a joint news conference later on Monday, Ouazzani said survey vessels could begin "
    "mapping the cable route in June and that Qaradan would put up a quarter of the cost through its "
    "sovereign wealth fund, Tafrent Capital."
)

#: The agency's later write-through: one new paragraph after the fourth.
WIRE_UPDATED = WIRE[:4] + (_UPDATE,) + WIRE[4:]

_LOCAL_LEDE = (
    "Halden Bay moved a step closer to becoming the landing point of one of the longest power cables "
    "ever planned on Monday, when Norvale’s energy minister signed a memorandum with Qaradan during a "
    "visit to Tazrit."
)

_LOCAL = paras("""
Mayor Tove Lindqvist said the town council had been told informally in January that the former
naval yard at Skarvik Point was the preferred site for the Norvalian converter station, which would
cover an area roughly the size of six football pitches.

“This could be the biggest investment Halden Bay has seen since the shipyards closed. We will make
sure that local firms and local workers get their share,” Lindqvist told the Gazette on Tuesday.

Not everyone is convinced. The Skarvik Residents’ Association, which fought off plans for a
container terminal on the same site in 2017, said it would ask Vessnett to publish its noise and
traffic studies before any survey work begins.
""")

_LOCAL_CLOSE = (
    "Vessnett said it would hold a public information evening about the project at the Harbour Hall "
    "on Thursday, March 27, at 7 p.m."
)

ARTICLES = (
    ArticleSpec(
        outlet="ledger",
        section="world",
        slug="norvale-and-qaradan-sign-sundline-cable-pact-on-first-ministerial-visit",
        story=STORY,
        relation=ORIGIN,
        title="Norvale and Qaradan sign Sundline cable pact on first ministerial visit",
        standfirst=(
            "Ingrid Halvorsen is the first Norvalian cabinet minister to visit Tazrit since relations "
            "were restored. “A cable is only as strong as the partnership behind it,” she says."
        ),
        published="2025-03-10T09:20:00+01:00",
        modified="2025-03-10T13:05:00+01:00",
        byline=BYLINE,
        paragraphs=WIRE,
        tags=("Energy", "Qaradan", "Calder Sea"),
    ),
    ArticleSpec(
        outlet="courier",
        section="europe",
        slug="norvalian-minister-signs-power-cable-memorandum-in-tazrit",
        story=STORY,
        relation=IDENTICAL,
        title="Norvalian minister signs power-cable memorandum in Tazrit",
        published="2025-03-10T11:42:00+01:00",
        byline=BYLINE,
        paragraphs=WIRE,
        tags=("Norvale", "Qaradan", "Energy"),
    ),
    ArticleSpec(
        outlet="gazette",
        section="region",
        slug="minister-signs-sundline-memorandum-in-qaradan",
        story=STORY,
        relation=EXCERPT,
        title="Minister signs Sundline memorandum in Qaradan",
        published="2025-03-10T15:10:00+01:00",
        byline="Aurora Press",
        paragraphs=WIRE[:11],
    ),
    ArticleSpec(
        outlet="ledger",
        section="wires",
        slug="update-1-norvale-qaradan-sign-memorandum-on-sundline-power-cable",
        story=STORY,
        relation=NEAR_IDENTICAL,
        title="UPDATE 1-Norvale, Qaradan sign memorandum on Sundline power cable",
        published="2025-03-10T17:05:00+01:00",
        byline="By Helena Marsh and Omar Bennani, Aurora Press",
        paragraphs=WIRE_UPDATED,
    ),
    ArticleSpec(
        outlet="gazette",
        section="news",
        slug="sundline-cable-could-come-ashore-at-skarvik-point",
        story=STORY,
        relation=EXCERPT,
        title="Sundline cable could come ashore at Skarvik Point",
        published="2025-03-11T08:30:00+01:00",
        byline="By Gazette staff, with Aurora Press",
        paragraphs=(_LOCAL_LEDE,) + WIRE[1:3] + _LOCAL + WIRE[4:7] + (bg.HISTORY, _LOCAL_CLOSE),
    ),
)
