"""Single-capture local articles on the Halden Bay Gazette and the Calder Coast Digest."""

from __future__ import annotations

from ..model import UNRELATED, ArticleSpec
from .prose import paras

_PARKING = paras("""
Parking on the harbour front will cost more from April after councillors voted 19 to 14 on Tuesday
night to raise charges at the Quayside and Fish Market car parks for the first time since 2016.

The hourly rate will go up from 1.20 to 2 euros, and the free first half hour will be scrapped.
Residents’ permits will rise from 90 to 120 euros a year.

Council leader Bjørn Hagen said the increase would raise about 400,000 euros a year, money he said
was needed to repair the harbour wall and to keep the summer bus service to Skarvik running.

Traders on Harbour Street were less enthusiastic. “People already drive to the retail park because
parking there is free. This will empty the town centre,” said Maria Eklund, who has run a bakery on
the street for 23 years.

Opposition councillor Astrid Holm proposed keeping the free half hour for shoppers, but the
amendment was defeated by two votes.

The new charges take effect on April 1.
""")

_REGATTA = paras("""
Halden Bay Rowing Club will mark its hundredth birthday with a spring regatta on the inner harbour
on Saturday, April 12, with crews from eleven clubs around the Calder Sea already entered.

The club was founded in 1925 by a group of shipyard apprentices who trained in borrowed boats before
work. Today it has 240 members, the youngest aged 11 and the oldest, retired harbour pilot Nils
Strand, aged 86.

“Nils still comes down every Sunday morning. He says the water keeps him young, and we have no
reason to doubt him,” club chair Hanne Vik said.

The regatta programme includes junior races, a veterans’ eight and a special centenary race for a
restored 1920s wooden four, rebuilt over two winters by volunteers in the club’s boathouse.

Spectators can watch from the harbour wall between the ferry terminal and the old customs house.
Racing starts at 9 a.m.
""")

_LIBRARY = paras("""
The new wing of Halden Bay Library finally opened its doors on Friday, two years later than planned
and 600,000 euros over budget, to a queue of families that stretched past the town hall.

The extension adds a children’s floor, a quiet reading room overlooking the harbour and a small café
run by a local social enterprise that trains young people for jobs in catering.

Head librarian Sofie Lund said the delays – caused first by a contractor’s bankruptcy and then by
flooding in the basement – had tested everyone’s patience. “But look at these children,” she said,
pointing to a crowd gathered around the storytelling corner. “Today nobody is talking about the
budget.”

The library will now open on Sunday afternoons as well, from noon to 4 p.m., for the first time in
its history.

Councillors are due to receive a report on the cost overrun in May.
""")

_GALE = paras("""
The national weather service has issued an orange gale warning for the northern coast from Sunday
evening, as storm Edda brings gusts of up to 110 kilometres an hour and waves of six to eight metres
to the Calder Sea.

Forecasters said the strongest winds were expected between midnight and 8 a.m. on Monday, with heavy
rain spreading inland during the morning rush hour.

Ferry operators warned that crossings between Skella and Port Aravel could be cancelled at short
notice, and the coastal railway said trains between Halden Bay and Nordby would run at reduced speed.

Residents near the shore were urged to secure garden furniture, trampolines and boats, and to stay
away from harbour walls and piers while the storm passes.
""")

ARTICLES = (
    ArticleSpec(
        outlet="gazette",
        section="news",
        slug="council-votes-to-raise-harbour-parking-charges",
        story="harbour-parking-charges",
        relation=UNRELATED,
        title="Council votes to raise harbour parking charges",
        published="2025-03-12T09:00:00+01:00",
        byline="By Kari Solberg",
        paragraphs=_PARKING,
    ),
    ArticleSpec(
        outlet="gazette",
        section="sport",
        slug="rowing-club-marks-100-years-with-spring-regatta",
        story="rowing-club-centenary",
        relation=UNRELATED,
        title="Rowing club marks 100 years with spring regatta",
        published="2025-03-15T17:00:00+01:00",
        byline="By Tom Eide",
        paragraphs=_REGATTA,
    ),
    ArticleSpec(
        outlet="gazette",
        section="community",
        slug="library-extension-opens-after-two-years-of-delays",
        story="library-extension-opens",
        relation=UNRELATED,
        title="Library extension opens after two years of delays",
        published="2025-03-14T10:00:00+01:00",
        byline="By Kari Solberg",
        paragraphs=_LIBRARY,
        charset_in_header=False,
    ),
    ArticleSpec(
        outlet="digest",
        section="weather",
        slug="gale-warning-for-northern-coast-as-storm-edda-approaches",
        story="storm-edda-gale-warning",
        relation=UNRELATED,
        title="Gale warning for northern coast as storm Edda approaches",
        published="2025-03-16T08:00:00+01:00",
        byline="Digest Newsdesk",
        paragraphs=_GALE,
    ),
)
