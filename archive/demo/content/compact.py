"""Six different Aurora Press stories from the same region that reuse the stock background.

Each one shares two or three paragraphs word for word with the Sundline wire story (and with
each other) while its own news is unrelated: these are the hard negatives of story tracking.
"""

from __future__ import annotations

from ..model import UNRELATED, ArticleSpec
from . import background as bg
from .prose import paras

_OUTAGE = paras("""
ARNHOLT, Estmark (Aurora Press) — The only power cable built so far under the Calder Sea Energy
Compact broke down again on Tuesday, the second outage in a month, forcing Lusenia to restart two
gas-fired plants to keep the lights on, the grid operators of both countries said.

The 240-kilometre Estmark–Lusenia interconnector tripped at 6:12 a.m. after a fault at the converter
station in Arnholt, Estmark’s grid operator Elnet said in a statement. Engineers had not yet
established whether the fault was linked to the failure of a transformer on Feb. 14.

Lusenia, which imports about a fifth of its winter electricity through the cable, asked large
industrial users to cut consumption during the evening peak. Wholesale power prices in the country
rose by more than 40% in early trading.

“Two outages in four weeks is not acceptable for a link that was sold to the public as the backbone
of our energy security,” said Marek Vossberg, chairman of the Lusenian parliament’s energy
committee.

The cable entered service in 2023, two years behind schedule, and has been hailed by the Calder Sea
Council as proof that the compact’s ambitions can be delivered.
""") + (bg.COMPACT,) + paras("""
The compact foresees at least five interconnectors across the Calder Sea by 2035, including the
proposed Sundline cable from Qaradan to Norvale, which is still at the planning stage.
""") + (bg.ENERGY,) + paras("""
Elnet said it expected to restore the link within 72 hours and would commission an independent
review of the converter equipment, which was supplied by a consortium led by the Corvian
engineering group Tessler Industrie.
""")

_FISHERMEN = paras("""
AZMOUR, Qaradan (Aurora Press) — Hundreds of fishermen blocked the harbour of Azmour with their boats
on Wednesday, protesting against a proposal to reopen fishing grounds in the southern Calder Sea to
Norvalian trawlers more than two decades after Qaradan closed them.

About 300 vessels, many flying black flags, formed a line across the harbour mouth, stopping a cargo
ship and two coast guard patrol boats from leaving port. Police said the protest was peaceful and
that no arrests had been made.

The fishermen’s union says a draft fisheries agreement, discussed by officials from both countries
in Vessen last month, would let Norvalian boats back into waters that local crews have fished alone
since 2003.

“They took the fish once before, and we had to fight to get our sea back. Now they want to trade it
for electricity,” said Hassan Idrissi, a 61-year-old boat owner who has fished out of Azmour for
four decades.

Qaradan’s fisheries ministry said no agreement had been reached and that any deal would protect the
livelihoods of coastal communities. A ministry spokesman declined to say when talks would resume.
""") + (bg.HISTORY, bg.COMPACT) + paras("""
Fishing employs about 60,000 people along Qaradan’s northern coast, and the sector’s unions have
grown increasingly vocal as the government courts Norvalian investment.

The union said the blockade would continue until Thursday evening and threatened to repeat it if the
draft agreement was not withdrawn.
""")

_FLIGHTS = paras("""
VESSEN, Norvale (Aurora Press) — Direct flights between Norvale and Qaradan will resume in June for
the first time in 22 years, after aviation authorities in both countries approved a new air
services agreement on Wednesday.

The regional carrier Nordair said it would fly three times a week between Halden Bay and Tazrit from
June 5, using 76-seat turboprop aircraft, and would add a service from Vessen later in the summer if
demand was strong.

“For many families this turns a two-day journey with a change of planes in Corvia into a four-hour
flight,” Nordair chief executive Elin Brekke told reporters. Tickets go on sale next week.

Qaradan’s flag carrier, Qaradan Air, said it was studying a route to Vessen but had not decided when
to launch it.
""") + (bg.HISTORY, bg.COMMUNITY) + paras("""
Direct air links between the two countries were suspended in 2003 amid the fishing dispute, and
travellers have since had to connect through Corvia or Estmark. Tour operators say demand for
holidays on Qaradan’s coast has grown quickly since relations were restored.

The agreement also allows cargo flights, which exporters of fresh produce in Qaradan have long
lobbied for.
""")

_WIND = paras("""
PORT ARAVEL, Lusenia (Aurora Press) — Lusenia awarded its first offshore wind leases on Friday,
granting two consortia the right to build up to 2.4 gigawatts of turbines in the Calder Sea, in an
auction that officials said drew more bids than expected.

A consortium led by the Corvian utility Verdant Energi won the larger of the two sites, 40 kilometres
off Port Aravel, while a joint venture between a Lusenian pension fund and an Estmark shipbuilder
took the second, smaller area further east.

The winning bids guaranteed a power price of 58 euros per megawatt-hour over 20 years, well below
what analysts had predicted, Lusenia’s energy agency said.

“This shows that the Calder Sea can be the power station of the north, not just for Lusenia but for
all our neighbours,” Energy Minister Katya Dravec said at a news conference.
""") + (bg.COMPACT,) + paras("""
Under the compact, part of the output from the new wind farms could be exported through future
interconnectors. Qaradan, which is preparing a similar auction for desert solar power, sent
observers to the bidding round.
""") + (bg.ENERGY,) + paras("""
Environmental groups welcomed the auction but warned that both sites overlap with migration routes
used by seabirds, and said they would scrutinise the developers’ impact studies.

Construction is expected to start in 2028, with the first turbines turning by 2030.
""")

_MARKET = paras("""
TAZRIT, Qaradan (Aurora Press) — Qaradan’s parliament on Friday approved a law ending the state
power company’s monopoly on electricity generation, a reform foreign investors have long demanded
before committing billions to the kingdom’s solar industry.

The law, passed by 214 votes to 61 after a two-day debate, allows private companies to build power
plants and sell electricity directly to large industrial customers and, from 2027, to export it.

Opposition deputies from the Labour Front warned that the reform would raise household bills and
hand the country’s most valuable resource to foreign companies. “We are selling the sun,” deputy
Samira Tazi told the chamber.

The government says regulated tariffs for households will be protected for at least five years and
that the state company, Qaradan Electricity, will keep ownership of the national transmission grid.
""") + (bg.ENERGY, bg.COMPACT, bg.HISTORY) + paras("""
The law now goes to King Rashid III for his signature, which is considered a formality.
""")

_COUNCIL = paras("""
VESSEN, Norvale (Aurora Press) — The Calder Sea Council on Saturday postponed a meeting of energy
ministers that had been due to take place in Vessen next month, citing scheduling conflicts, a move
diplomats said reflected deeper disagreements over how to pay for new cross-border cables.

The council’s secretariat said the meeting, originally set for April 8-9, would now be held “before
the summer,” without giving a date.

Two diplomats from member states, speaking on condition of anonymity because they were not
authorised to discuss the matter publicly, said Corvia and Estmark had objected to a draft proposal
under which all members would share the cost of links that mainly benefit two countries.

“Everyone supports the cables in principle. The problem begins when the invoice arrives,” one of the
diplomats said.
""") + (bg.COMPACT,) + paras("""
Only one of the five interconnectors foreseen in the compact is in operation, and it has suffered
two outages in the past month.
""") + (bg.HISTORY,) + paras("""
Council secretary-general Aurelio Fonseca said in a statement that the delay would give officials
“time to build the consensus needed for decisions that will shape the region for decades.”
""")

ARTICLES = (
    ArticleSpec(
        outlet="ledger",
        section="business",
        slug="estmark-lusenia-power-link-fails-for-second-time-in-a-month",
        story="estmark-lusenia-link-outage",
        relation=UNRELATED,
        title="Estmark–Lusenia power link fails for second time in a month",
        published="2025-03-11T13:30:00+01:00",
        byline="By Anders Lund, Aurora Press",
        paragraphs=_OUTAGE,
        tags=("Energy", "Lusenia", "Calder Sea"),
    ),
    ArticleSpec(
        outlet="courier",
        section="europe",
        slug="qaradani-fishermen-blockade-azmour-harbour-over-quota-talks",
        story="azmour-fishermen-blockade",
        relation=UNRELATED,
        title="Qaradani fishermen blockade Azmour harbour over quota talks",
        published="2025-03-12T10:20:00+01:00",
        byline="By Omar Bennani, Aurora Press",
        paragraphs=_FISHERMEN,
        tags=("Qaradan", "Fisheries"),
    ),
    ArticleSpec(
        outlet="gazette",
        section="news",
        slug="direct-flights-to-tazrit-to-resume-from-june",
        story="norvale-qaradan-flights-resume",
        relation=UNRELATED,
        title="Direct flights to Tazrit to resume from June",
        published="2025-03-12T14:00:00+01:00",
        byline="Aurora Press",
        paragraphs=_FLIGHTS,
    ),
    ArticleSpec(
        outlet="digest",
        section="energy",
        slug="lusenia-awards-first-offshore-wind-leases",
        story="lusenia-wind-auction",
        relation=UNRELATED,
        title="Lusenia awards first offshore wind leases under Calder Sea compact",
        published="2025-03-14T09:00:00+01:00",
        byline="Aurora Press",
        paragraphs=_WIND,
    ),
    ArticleSpec(
        outlet="ledger",
        section="politics",
        slug="qaradan-parliament-votes-to-open-power-market",
        story="qaradan-power-market-law",
        relation=UNRELATED,
        title="Qaradan’s parliament votes to open power market to private producers",
        published="2025-03-14T15:45:00+01:00",
        byline="By Omar Bennani, Aurora Press",
        paragraphs=_MARKET,
        tags=("Qaradan", "Energy"),
    ),
    ArticleSpec(
        outlet="courier",
        section="business",
        slug="calder-sea-council-postpones-energy-ministers-meeting",
        story="calder-council-meeting-postponed",
        relation=UNRELATED,
        title="Calder Sea Council postpones energy ministers’ meeting",
        published="2025-03-15T11:00:00+01:00",
        byline="By Helena Marsh, Aurora Press",
        paragraphs=_COUNCIL,
        tags=("Calder Sea Council", "Energy"),
    ),
)
