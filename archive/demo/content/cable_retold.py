"""Story "sundline-cable-pact", retold: a reworded English copy and a Spanish translation.

The Calder Coast Digest copy reads like the wire story machine-translated and translated back:
the lede and every story-specific sentence are reworded, names are respelled ("Abdulkarim Wazani",
"Sund Line", "Tarik the First"), paragraphs are reordered and two new ones added, while the
agency background paragraphs survive almost word for word.
"""

from __future__ import annotations

from ..model import REWRITE, ArticleSpec
from . import background as bg
from .cable import STORY
from .prose import paras

_REWORDED = paras("""
Tazrit – The Norvalian Energy Minister met her Qaradani counterpart on Monday in Tazrit as part of a
historic visit to formalise energy cooperation between the two countries.

Norvale and Qaradan restored full relations two years ago after a long freeze, and the Calder Sea
Energy Pact brokered by the regional council set out the plan for linking their grids.

Ingrid Halvorsen’s trip is the first official visit by a Norvalian cabinet minister to the kingdom
since relations were restored, a trip aimed at further strengthening the energy ties between the
two countries.

Halvorsen met with Qaradani Energy Minister Abdulkarim Wazani, and the two signed a memorandum of
understanding that lays the foundation for the Sund Line cable, which would bring solar electricity
from the Tafrent desert to Halden Bay.

Before her meeting with Ouazzani, Halvorsen paid her respects at the tomb of Tarik the First, the
ruling king’s grandfather.

Under the memorandum, a joint committee will study the seabed, write common trading rules and
propose a financing plan before the end of the year. Analysts estimate the cost at 14 to 18 billion
euros.
""")

_BACKGROUND = paras("""
Qaradan, Estmark, Lusenia and Corvia signed agreements to connect their electricity grids with
Norvale in 2020 as part of the Calder Sea Energy Pact, a framework negotiated under the auspices of
the Calder Sea Council and backed by a consortium of regional development banks.

Norvale and Qaradan maintained low-level trade relations in the 1990s, but Qaradan cut them off
after the outbreak of a dispute over fishing rights in the Calder Sea in 2003. Despite this, the two
countries kept informal contacts. Nearly 300,000 Norvalians have Qaradani roots – many of their
parents and grandparents came to work in the shipyards of Halden Bay in the 1970s – and tens of
thousands visit the kingdom each year.

Qaradan is still home to a small Norvalian community, and in Tazrit there is one Lutheran church
remaining, built by shipwrights from Halden Bay in 1911.
""")

_ADDED = paras("""
The cable route would cross the Mirren Shelf, a stretch of seabed whose boundary Qaradan and Corvia
have disputed since the 1980s. A commission set up by the Calder Sea Council in 2019 to settle the
dispute has met only twice.

Corvia’s foreign ministry said on Monday that no survey work could take place on the shelf without
its consent.

“We sign a memorandum, but in reality we are building trust. A cable is only as strong as the
partnership that stands behind it,” Halvorsen told journalists before she left Vessen.
""")

REWORDED = _REWORDED + _BACKGROUND + _ADDED + (bg.ENERGY,)

SPANISH = paras("""
TAZRIT, Qaradán (Aurora Press) — La ministra de Energía de Norvale, de visita en Qaradán para
afianzar un prudente acercamiento, firmó el lunes un memorando que abre el camino a un cable
eléctrico submarino que uniría las granjas solares del reino desértico con los hogares del otro
lado del mar de Calder, según informó su ministerio.

En una reunión con su homólogo qaradaní, Abdelkarim Uazani, la ministra Ingrid Halvorsen firmó un
memorando de entendimiento sobre el proyecto Sundline, un cable de corriente continua de alta
tensión que transportaría hasta 3,6 gigavatios de electricidad desde la meseta de Tafrent hasta el
puerto norvalense de Halden Bay.

Halvorsen y Uazani acordaron crear un comité de dirección conjunto que encargará estudios del fondo
marino, redactará normas comunes para el comercio transfronterizo de electricidad y presentará a
ambos gobiernos, antes de fin de año, un plan para financiar la conexión, cuyo coste los analistas
del sector estiman entre 14.000 y 18.000 millones de euros.

El memorando permite además a las empresas de ingeniería norvalenses presentar ofertas para las dos
estaciones conversoras previstas en la costa qaradaní, dijo a Aurora Press un miembro de la
delegación de Halvorsen.

El viaje de dos días de Halvorsen —la primera visita oficial de un ministro norvalense a Tazrit
desde que ambos países restablecieron plenas relaciones diplomáticas— se produce pocas semanas antes
del quinto aniversario del acuerdo regional que dio origen al proyecto.

«Firmamos un memorando, pero lo que de verdad estamos construyendo es confianza. Un cable solo es
tan fuerte como la alianza que lo sostiene», declaró la ministra antes de partir de Vessen el
domingo.

Antes de las conversaciones, Halvorsen depositó una corona de flores en el mausoleo del rey
Tariq I, abuelo del actual monarca, el rey Rashid III, en el casco antiguo de Tazrit.

Qaradán, Estmark, Lusenia y Corvia firmaron en 2020 acuerdos para conectar sus redes eléctricas con
Norvale en el marco del Pacto Energético del Mar de Calder, negociado bajo los auspicios del Consejo
del Mar de Calder y respaldado por un consorcio de bancos regionales de desarrollo.

Qaradán todavía genera alrededor del 70 % de su electricidad a partir de petróleo y gas, y su
gobierno se ha comprometido a reducir esa proporción a la mitad para 2035 y a convertir el reino en
un gran exportador de energía solar.

Søren Østergaard, consejero delegado del operador de red norvalense Vessnett, afirmó que el
Sundline sería «el cable más ambicioso jamás tendido en aguas del norte» y que podría transportar
su primera electricidad en 2032 si los permisos se conceden a tiempo.

Norvale y Qaradán mantuvieron relaciones comerciales de bajo nivel en la década de 1990, pero
Qaradán las rompió en 2003 tras estallar una disputa por los derechos de pesca en el mar de Calder.
Aun así, ambos países conservaron contactos informales. Cerca de 300.000 norvalenses tienen raíces
qaradaníes —muchos de sus padres y abuelos llegaron en los años setenta para trabajar en los
astilleros de Halden Bay— y decenas de miles visitan el reino cada año.

Qaradán sigue albergando una pequeña comunidad norvalense, y en Tazrit queda una única iglesia
luterana, construida por carpinteros navales de Halden Bay en 1911.
""")

ARTICLES = (
    ArticleSpec(
        outlet="digest",
        section="energy",
        slug="norvalian-and-qaradani-energy-ministers-meet-in-historic-visit",
        story=STORY,
        relation=REWRITE,
        title="Norvalian and Qaradani energy ministers meet in historic visit",
        published="2025-03-10T20:15:00+01:00",
        byline="Digest Newsdesk",
        paragraphs=REWORDED,
    ),
    ArticleSpec(
        outlet="courier",
        section="es",
        slug="norvale-y-qaradan-firman-un-memorando-para-un-cable-electrico-submarino",
        story=STORY,
        relation=REWRITE,
        title="Norvale y Qaradán firman un memorando para un cable eléctrico submarino",
        published="2025-03-11T09:00:00+01:00",
        byline="Por Helena Marsh, Aurora Press",
        paragraphs=SPANISH,
        lang="es",
        tags=("Norvale", "Qaradán", "Energía"),
    ),
)
