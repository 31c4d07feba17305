"""Single-capture staff articles on The Northern Ledger and The Continental Courier.

Sport, culture and domestic politics: they make the sections look like a real paper's and
share nothing with the wire stories.
"""

from __future__ import annotations

from ..model import UNRELATED, ArticleSpec
from .prose import paras

_CUP = paras("""
Vessen FC reached the Norvalian Cup final for the first time in eleven years on Wednesday night,
beating Halden Athletic 5-4 on penalties after a 1-1 draw that stretched a sold-out Riverside Stadium
to the limit of its nerves.

Goalkeeper Jonas Aker saved the decisive kick from Halden captain Mikkel Sand, diving low to his
right after the Athletic skipper had sent him the wrong way in normal time.

Halden had taken the lead midway through the first half when winger Amadou Diallo ran on to a long
ball, shrugged off two defenders and curled a shot inside the far post. Vessen pressed for most of
the second half but did not equalise until the 84th minute, when substitute Erik Nyhus headed in a
corner.

“We were not good enough for seventy minutes, and we know it. But this group never stops running,
and tonight that was enough,” Vessen coach Lena Fjeld said.

Athletic’s manager, Rob Calloway, said his players could hold their heads high. “Nobody expected us
to be here. We came within one kick of a final,” he said.

Vessen will meet either Arnholt United or Port Nordby in the final at the national stadium on
May 17. The second semi-final is played on Thursday.
""")

_GALLERY = paras("""
The National Gallery in Vessen reopens to the public on Saturday after a three-year renovation that
replaced its leaking glass roof, doubled the space for temporary exhibitions and, for the first
time, gave the museum a step-free entrance.

The project cost 86 million euros, about a fifth more than first budgeted, after workers found
rotten timber beams above the main staircase in 2023. Director Ragnhild Sæther said the delay had
been “painful but worth it.”

“We have a building that can last another hundred years, and rooms where the collection can finally
breathe,” she said during a preview for journalists on Thursday.

The reopening exhibition, “Light on the Water,” brings together 140 seascapes painted along the
Calder Sea coast between 1850 and 1930, including a dozen works on loan from private collections
that have never been shown in public.

Admission will be free for the first week. The gallery expects queues and advises visitors to book
a time slot on its website.
""")

_RAIL = paras("""
Prime Minister Karin Holt’s coalition survived a confidence vote on Tuesday evening by 88 votes to
81, after the Centre Party agreed to back the government in exchange for a review of planned cuts
to regional rail services.

The opposition had called the vote after the transport ministry proposed closing three branch lines
in the north and reducing weekend services on the coastal railway, saying the network had to save
210 million euros over four years.

Centre Party leader Tomas Birkeland said his deputies had voted with the government only after
receiving a written promise that no line would close before an independent review reports in the
autumn.

“We did not save the government tonight. We saved the trains to Nordby and Skarvik,” Birkeland told
reporters in the corridors of parliament.

Opposition leader Sigrid Falk accused the coalition of buying time. “This is a government that
survives from week to week by postponing every hard decision,” she said.

The review will be led by former rail regulator Hans Moberg.
""")

_FILM = paras("""
José Almeida’s debut feature, “The Salt Road,” won the audience award at the Vessen International
Film Festival on Tuesday, capping a week in which the Portuguese-born director’s quiet drama about
a family of salt farmers became the festival’s surprise success.

The film follows three generations of women who work the salt pans of a small coastal town as a
developer tries to buy their land. It was shot over two summers with a cast of mostly non-professional
actors, several of them Almeida’s own relatives.

“I made this film for my grandmother, who never went to a cinema in her life,” Almeida, 34, said as
he accepted the prize. “If people in Vessen are moved by it, maybe salt is the same everywhere.”

The jury’s main award went to the Corvian director Anja Müller for “Northern Ice,” a documentary
about the last winter of a fishing village above the Arctic Circle.

“The Salt Road” opens in cinemas across Norvale in May.
""")

_TOUR = paras("""
Lukas Müller took the leader’s yellow jersey of the Tour of Estmark on Friday after a bold solo
attack on the final climb of the queen stage, finishing 48 seconds ahead of his closest rival at the
summit of the Kvarnberg.

The 26-year-old went clear with 7 kilometres to go, as the favourites watched each other on the
steepest section of the climb, and held his advantage through a freezing rain that swept over the
top of the mountain in the last kilometre.

“When I looked back and nobody came with me, I thought: now or never,” Müller said after crossing
the line, wrapped in a foil blanket.

Overnight leader Javier Ruiz Peña lost more than a minute and slipped to third overall. The
Spaniard’s team said he had been suffering from a cold since Wednesday.

The race ends on Sunday with a flat stage into Skella, where Müller’s team will have to control a
field that is expected to attack in the crosswinds along the coast.
""")

ARTICLES = (
    ArticleSpec(
        outlet="ledger",
        section="sport",
        slug="vessen-fc-reach-cup-final-after-shoot-out-win",
        story="vessen-fc-cup-semi-final",
        relation=UNRELATED,
        title="Vessen FC reach cup final after shoot-out win over Halden Athletic",
        published="2025-03-12T22:40:00+01:00",
        byline="By Per Vollan",
        paragraphs=_CUP,
        tags=("Football", "Norvalian Cup"),
    ),
    ArticleSpec(
        outlet="ledger",
        section="culture",
        slug="national-gallery-reopens-after-three-year-renovation",
        story="national-gallery-reopens",
        relation=UNRELATED,
        title="National Gallery reopens after three-year renovation",
        published="2025-03-13T12:00:00+01:00",
        byline="By Ida Rønning",
        paragraphs=_GALLERY,
        tags=("Art", "Museums"),
    ),
    ArticleSpec(
        outlet="ledger",
        section="politics",
        slug="holt-government-survives-confidence-vote-over-rail-cuts",
        story="rail-cuts-confidence-vote",
        relation=UNRELATED,
        title="Holt government survives confidence vote over rail cuts",
        published="2025-03-11T21:30:00+01:00",
        byline="By Sven Aune, Political Correspondent",
        paragraphs=_RAIL,
        tags=("Parliament", "Transport"),
    ),
    ArticleSpec(
        outlet="courier",
        section="culture",
        slug="jose-almeida-debut-wins-audience-award-in-vessen",
        story="salt-road-audience-award",
        relation=UNRELATED,
        title="José Almeida’s debut wins audience award in Vessen",
        published="2025-03-11T16:00:00+01:00",
        byline="By Clémence Aubry",
        paragraphs=_FILM,
        tags=("Film", "Festivals"),
    ),
    ArticleSpec(
        outlet="courier",
        section="sport",
        slug="muller-seizes-yellow-jersey-on-tour-of-estmark-queen-stage",
        story="tour-of-estmark-queen-stage",
        relation=UNRELATED,
        title="Müller seizes yellow jersey on Tour of Estmark’s queen stage",
        published="2025-03-14T18:30:00+01:00",
        byline="By Jürgen Weiß",
        paragraphs=_TOUR,
        tags=("Cycling",),
    ),
)
