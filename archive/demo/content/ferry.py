"""Story "calder-spirit-aground": a second, independent Aurora Press wire story.

It first runs on The Continental Courier; the Ledger republishes it verbatim, the Gazette keeps
the first six paragraphs and the Digest carries the agency's late update.
"""

from __future__ import annotations

from ..model import EXCERPT, IDENTICAL, NEAR_IDENTICAL, ORIGIN, ArticleSpec
from .prose import paras

STORY = "calder-spirit-aground"
BYLINE = "By Martin Okafor, Aurora Press"

WIRE = paras("""
SKELLA, Estmark (Aurora Press) — A passenger ferry carrying 212 people ran aground in thick fog off
the Estmark coast early on Thursday, and everyone on board was taken off safely by lifeboats and
fishing vessels, the coast guard said.

The MV Calder Spirit, operated by the Lusenian company Brightwater Lines, struck a sandbank about two
nautical miles north of the port of Skella shortly after 4 a.m. while on its regular overnight
crossing from Port Aravel.

Coast guard spokeswoman Liisa Marttinen said the vessel had taken on some water through a damaged
ballast tank but was stable and in no danger of sinking. Three passengers were treated in hospital
for minor injuries and hypothermia, she said.

“The fog was so thick you could not see the bow from the bridge. Then there was a long scraping
noise and everything on the tables slid to the floor,” said Pekka Laine, a 54-year-old truck driver
who was travelling to a timber yard in Skella.

Passengers were brought ashore in Skella, where the local sports hall was opened as a shelter and
Red Cross volunteers handed out hot drinks and blankets. By mid-morning, most had been put on buses
to their final destinations.

Brightwater Lines said in a statement that it was cooperating fully with investigators and had
cancelled the ship’s sailings for the rest of the week. The company said 147 passengers, 38 vehicles
and 65 crew members had been aboard.

Estmark’s Maritime Accident Investigation Board said it had sent a team to the scene and would
examine the ship’s voyage data recorder, radar logs and radio traffic with the Skella vessel traffic
service.

Salvage tugs were expected to try to refloat the 168-metre vessel at high tide on Thursday evening
after divers inspect the hull. An oil-spill response vessel was standing by as a precaution, though
the coast guard said no leak had been detected.

The route between Port Aravel and Skella is one of the busiest in the northern Calder Sea, carrying
around 900,000 passengers a year. The approaches to Skella are known for shifting sandbanks, and the
channel was last dredged in 2021.

It was the second grounding in the area in three years. In November 2022, a cargo ship loaded with
timber ran aground near the same sandbank and stayed stuck for nine days before it was freed.
""")

_LATE = (
    "Late on Thursday, Brightwater Lines said the Calder Spirit had been refloated on the evening high "
    "tide and towed into Skella harbour, where it will be inspected in dry dock."
)

ARTICLES = (
    ArticleSpec(
        outlet="courier",
        section="europe",
        slug="ferry-with-212-aboard-runs-aground-off-estmark",
        story=STORY,
        relation=ORIGIN,
        title="Ferry with 212 aboard runs aground in fog off Estmark",
        published="2025-03-13T07:45:00+01:00",
        byline=BYLINE,
        paragraphs=WIRE,
        tags=("Estmark", "Shipping"),
    ),
    ArticleSpec(
        outlet="ledger",
        section="world",
        slug="all-212-rescued-after-ferry-runs-aground-off-estmark",
        story=STORY,
        relation=IDENTICAL,
        title="All 212 rescued after ferry runs aground off Estmark",
        published="2025-03-13T09:10:00+01:00",
        byline=BYLINE,
        paragraphs=WIRE,
        tags=("Estmark", "Shipping", "Calder Sea"),
    ),
    ArticleSpec(
        outlet="gazette",
        section="region",
        slug="ferry-aground-off-skella-all-aboard-safe",
        story=STORY,
        relation=EXCERPT,
        title="Ferry aground off Skella, all aboard safe",
        published="2025-03-13T11:30:00+01:00",
        byline="Aurora Press",
        paragraphs=WIRE[:6],
    ),
    ArticleSpec(
        outlet="digest",
        section="region",
        slug="calder-spirit-ferry-refloated-after-grounding-off-skella",
        story=STORY,
        relation=NEAR_IDENTICAL,
        title="Calder Spirit ferry refloated after grounding off Skella",
        published="2025-03-13T22:05:00+01:00",
        byline="Digest Newsdesk",
        paragraphs=WIRE + (_LATE,),
    ),
)
