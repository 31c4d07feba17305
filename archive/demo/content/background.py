"""Aurora Press stock background paragraphs.

The agency pastes these verbatim into every story about the Calder Sea energy compact and
Norvale-Qaradan relations, so different stories share them word for word: a tracker that
links pages on shared passages alone will merge stories that have nothing else in common.
"""

from __future__ import annotations

COMPACT = (
    "Qaradan, Estmark, Lusenia and Corvia signed agreements to connect their electricity grids "
    "with Norvale in 2020 as part of the Calder Sea Energy Compact, a framework negotiated under "
    "the auspices of the Calder Sea Council and backed by a consortium of regional development banks."
)

HISTORY = (
    "Norvale and Qaradan maintained low-level trade relations in the 1990s, but Qaradan broke them "
    "off after a dispute over fishing rights in the Calder Sea erupted in 2003. Despite that, the two "
    "countries kept up informal contacts. Nearly 300,000 Norvalians have Qaradani roots – many of "
    "their parents and grandparents came to work in the shipyards of Halden Bay in the 1970s – and "
    "tens of thousands visit the kingdom each year."
)

ENERGY = (
    "Qaradan still generates about 70% of its electricity from oil and gas, and its government has "
    "pledged to cut that share in half by 2035 while turning the kingdom into a major exporter of "
    "solar power."
)

COMMUNITY = (
    "Qaradan is still home to a small Norvalian community, and Tazrit has one remaining Lutheran "
    "church, built by shipwrights from Halden Bay in 1911."
)

BACKGROUND = (COMPACT, HISTORY, ENERGY, COMMUNITY)
