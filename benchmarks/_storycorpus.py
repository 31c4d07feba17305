"""A deterministic news corpus with known stories, for ``benchmarks/stories.py`` (helper).

The seed pair (see ``shared/seeds/README.md``) shows what story tracking is up against: a
wire story republished, trimmed, extended, lightly edited, rewritten and translated, next to
*different* stories on the same subject that paste the same agency background paragraphs
verbatim. This module writes such a corpus from templates, with ground truth:

* a **topic** is a subject that runs for a week (Morocco-Israel ties, drought in the Sahel,
  ...): a cast of people whose names have several spellings ("Youssef El Idrissi",
  "Yousef al-Idrisi"), places, organisations, subjects, and a pool of stock **background**
  paragraphs that agencies paste into every story on it (English, Spanish, French);
* a **story** is one event in a topic (a visit, an agreement, a flood, ...). Its origin is a
  wire article (dateline, ``(AP)``, byline, writer credit): story-specific facts written from
  templates, each fact having three English phrasings and a Spanish and a French one, with
  names, places, numbers and quotes, plus two or three background paragraphs;
* **copies** of a story (``COPY_TYPES``): ``verbatim`` (an outlet's own headline and
  standfirst, its footer), ``trimmed`` (the first 40-80 % of paragraphs), ``extended``
  (local paragraphs added), ``near-identical`` (respelled names, a few changed words, an
  update paragraph), ``rewrite`` (every fact in another phrasing, paragraphs reordered,
  names respelled, a local paragraph), ``translation`` (Spanish or French);
  ``update`` (the wire reissues the story hours later as "UPDATE 1-...": a new lede, two
  paragraphs reworded, a paragraph inserted, as Reuters and AP writethrus do), ``writethru``
  (an outlet that autopublishes the wire runs the update, wire headline kept), ``brief`` (the
  lede and one paragraph, verbatim, under the outlet's headline), ``walled`` (a verbatim copy
  at an outlet whose pages start with a consent banner and a newsletter prompt: every article
  of such an outlet, negatives included, carries the same furniture at the top);
  ``trimmed`` keeps any number of paragraphs from one to all but one;
* **hard negatives**: other stories of the same topic and week (same cast, places and
  background pool, never the same event type with the same protagonist), single articles;
* **singletons**: single articles on unrelated topics.

Every outlet appends its own boilerplate (copyright line, newsletter pitch). Copies are
published 0-3 days after their origin, negatives within the topic's week. Everything is
drawn from ``random.Random`` seeded by the caller: the same seed gives the same corpus.
The expected tracker relation of each copy type is ``EXPECTED_RELATION``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterator

WIRE_COPY_TYPES = ("verbatim", "trimmed", "extended", "near-identical", "rewrite", "translation",
                   "update", "writethru", "brief", "walled")
# translated copies in non-Latin scripts (``_storyscripts.py``); "translation" covers both
COPY_TYPES = WIRE_COPY_TYPES + ("translated-brief", "translated-trim")
EXPECTED_RELATION = {
    "verbatim": "identical", "trimmed": "excerpt", "extended": "excerpt",
    "near-identical": "near-identical", "rewrite": "rewrite", "translation": "translation",
    "update": "update", "writethru": "update", "brief": "excerpt", "walled": "identical",
    "translated-brief": "translation", "translated-trim": "translation",
}
LANGS = ("en", "es", "fr")


@dataclass
class CorpusDoc:
    doc_id: str
    url: str
    outlet: str
    title: str
    text: str
    published: str
    language: str
    authors: list[str]
    story: str  # ground-truth story id
    kind: str  # origin | one of COPY_TYPES | negative | singleton
    topic: str
    background: frozenset[str] = field(default_factory=frozenset)  # background paragraph ids used
    event: str = ""  # the story's event type


# ---------------------------------------------------------------------------------------
# Language data
# ---------------------------------------------------------------------------------------
WEEKDAYS = {
    "en": ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"],
    "es": ["el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado", "el domingo"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
}
NDAYS = {
    2: {"en": "two-day", "es": "de dos días", "fr": "de deux jours"},
    3: {"en": "three-day", "es": "de tres días", "fr": "de trois jours"},
    4: {"en": "four-day", "es": "de cuatro días", "fr": "de quatre jours"},
}
AGENCIES = [("AP", "Associated Press", "apnews.example"), ("Reuters", "Reuters", "reuters-wire.example"),
            ("AFP", "Agence France-Presse", "afp-wire.example")]


def fmt_int(n: int, lang: str) -> str:
    if n < 1000:
        return str(n)
    s = f"{n:,}"
    return s if lang == "en" else s.replace(",", "." if lang == "es" else "\u202f")


def fmt_pct(x: float, lang: str) -> str:
    s = f"{x:.1f}"
    return f"{s} percent" if lang == "en" else s.replace(".", ",") + " %"


def fmt_amount(m: int, lang: str) -> str:
    return {"en": f"${m} million", "es": f"{m} millones de dólares", "fr": f"{m} millions de dollars"}[lang]


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


# Quotes: (en, es, fr), no final punctuation.
QUOTES = [
    ("This is a turning point for both our countries and for the whole region",
     "Este es un punto de inflexión para nuestros dos países y para toda la región",
     "C'est un tournant pour nos deux pays et pour toute la région"),
    ("We are not going to wait for another crisis before we act",
     "No vamos a esperar a otra crisis antes de actuar",
     "Nous n'allons pas attendre une nouvelle crise pour agir"),
    ("The people who suffer most are the ones who were never consulted",
     "Los que más sufren son los que nunca fueron consultados",
     "Ceux qui souffrent le plus sont ceux qu'on n'a jamais consultés"),
    ("Nobody should be surprised by these numbers, the warnings were there for years",
     "A nadie deberían sorprenderle estas cifras, las advertencias estaban ahí desde hace años",
     "Personne ne devrait être surpris par ces chiffres, les avertissements étaient là depuis des années"),
    ("We have built trust step by step and today that trust has paid off",
     "Hemos construido la confianza paso a paso y hoy esa confianza ha dado frutos",
     "Nous avons bâti la confiance pas à pas et aujourd'hui cette confiance a porté ses fruits"),
    ("There is still a lot of work to do and we know it",
     "Todavía queda mucho trabajo por hacer y lo sabemos",
     "Il reste encore beaucoup de travail à faire et nous le savons"),
    ("Our priority is the safety of the families who live there",
     "Nuestra prioridad es la seguridad de las familias que viven allí",
     "Notre priorité est la sécurité des familles qui y vivent"),
    ("This agreement will create jobs for a generation of young people",
     "Este acuerdo creará empleo para toda una generación de jóvenes",
     "Cet accord créera des emplois pour toute une génération de jeunes"),
    ("We will not accept decisions taken behind closed doors",
     "No aceptaremos decisiones tomadas a puerta cerrada",
     "Nous n'accepterons pas des décisions prises à huis clos"),
    ("The law must apply to everyone, whatever their position",
     "La ley debe aplicarse a todos, sea cual sea su cargo",
     "La loi doit s'appliquer à tous, quelle que soit leur position"),
    ("We lost everything in one night and nobody came to help us",
     "Lo perdimos todo en una sola noche y nadie vino a ayudarnos",
     "Nous avons tout perdu en une seule nuit et personne n'est venu nous aider"),
    ("The figures show that the strategy is working, even if it is slower than we hoped",
     "Las cifras muestran que la estrategia funciona, aunque sea más lenta de lo que esperábamos",
     "Les chiffres montrent que la stratégie fonctionne, même si c'est plus lent que prévu"),
    ("I came here to listen, not to make promises I cannot keep",
     "He venido a escuchar, no a hacer promesas que no puedo cumplir",
     "Je suis venu écouter, pas faire des promesses que je ne peux pas tenir"),
    ("Every delay costs us money and costs our partners patience",
     "Cada retraso nos cuesta dinero y les cuesta paciencia a nuestros socios",
     "Chaque retard nous coûte de l'argent et coûte de la patience à nos partenaires"),
    ("We have asked for an independent inquiry and we expect one",
     "Hemos pedido una investigación independiente y esperamos que la haya",
     "Nous avons demandé une enquête indépendante et nous en attendons une"),
    ("This project belongs to the people of the region, not to the companies",
     "Este proyecto pertenece a la gente de la región, no a las empresas",
     "Ce projet appartient aux habitants de la région, pas aux entreprises"),
]

# Second halves of quotes, joined to a QUOTES entry: a story's quotes are its own.
QUOTE_TAILS = [
    ("I said as much to my counterpart this morning", "así se lo dije esta mañana a mi homólogo", "je l'ai dit ce matin à mon homologue"),
    ("the families we met today told us the same thing", "las familias con las que nos reunimos hoy nos dijeron lo mismo",
     "les familles que nous avons rencontrées aujourd'hui nous ont dit la même chose"),
    ("we will be judged on what we deliver by the end of the year", "se nos juzgará por lo que logremos antes de fin de año",
     "nous serons jugés sur ce que nous aurons accompli d'ici la fin de l'année"),
    ("our partners in the region understand that very well", "nuestros socios en la región lo entienden muy bien",
     "nos partenaires dans la région le comprennent très bien"),
    ("nobody in this government is pretending otherwise", "nadie en este gobierno pretende lo contrario",
     "personne dans ce gouvernement ne prétend le contraire"),
    ("the numbers we published this week make that plain", "las cifras que publicamos esta semana lo dejan claro",
     "les chiffres publiés cette semaine le montrent clairement"),
    ("I have spent thirty years in public life and I have rarely seen anything like it",
     "llevo treinta años en la vida pública y pocas veces he visto algo así",
     "j'ai passé trente ans dans la vie publique et j'ai rarement vu une chose pareille"),
    ("the young people of this country deserve better", "los jóvenes de este país merecen algo mejor", "les jeunes de ce pays méritent mieux"),
    ("we have the money, what we need now is political will", "tenemos el dinero, lo que necesitamos ahora es voluntad política",
     "nous avons l'argent, ce qu'il faut maintenant c'est la volonté politique"),
    ("the next few weeks will show whether our partners are serious", "las próximas semanas mostrarán si nuestros socios van en serio",
     "les prochaines semaines montreront si nos partenaires sont sérieux"),
    ("I will go back there myself next month to check", "volveré allí yo mismo el mes que viene para comprobarlo",
     "j'y retournerai moi-même le mois prochain pour vérifier"),
    ("that is the message I will take to parliament on Tuesday", "ese es el mensaje que llevaré al parlamento el martes",
     "c'est le message que je porterai au parlement mardi"),
]
CONJ = {"en": ", and ", "es": ", y ", "fr": ", et "}

# Story facts. Slots: actor, actor_s (surname), actor_role, cp, cp_s, cp_role, place, place2,
# country, country2 (fr: country_de, country2_de), day, ndays, n1, n2, amount, pct, year,
# subject, org, Org, q1, q2. Three English phrasings, one Spanish, one French.
EVENTS: dict[str, dict[str, dict[str, list[str]]]] = {
    "visit": {
        "lead": {
            "en": ["{actor}, {country}'s {actor_role}, arrived in {place} {day} for a {ndays} visit, the first by a senior official from his country in {n2} years.",
                   "{country}'s {actor_role} {actor} landed in {place} {day}, starting a {ndays} trip that makes him the most senior official from his country to go there in {n2} years.",
                   "For the first time in {n2} years, a senior official from {country} is on a visit to {place}: {actor_role} {actor} flew in {day} for a {ndays} stay."],
            "es": ["{actor}, {actor_role} de {country}, llegó a {place} {day} para una visita {ndays}, la primera de un alto cargo de su país en {n2} años."],
            "fr": ["{actor}, {actor_role} {country_de}, est arrivé {day} à {place} pour une visite {ndays}, la première d'un haut responsable de son pays depuis {n2} ans."],
        },
        "d1": {
            "en": ["He held talks with {cp}, the {cp_role}, on {subject} and on plans for a joint working group.",
                   "Talks with {cp_role} {cp} focused on {subject}, as well as on setting up a joint working group.",
                   "On the agenda of his meeting with {cp}, the {cp_role}: {subject}, and a proposed joint working group."],
            "es": ["Mantuvo conversaciones con {cp}, {cp_role}, sobre {subject} y sobre la creación de un grupo de trabajo conjunto."],
            "fr": ["Il s'est entretenu avec {cp}, {cp_role}, de {subject} et d'un projet de groupe de travail commun."],
        },
        "d2": {
            "en": ["{actor_s} is also due to lay a wreath at a memorial in {place2} and to meet business leaders on the last day of the trip.",
                   "Before flying home, {actor_s} will lay a wreath at a memorial in {place2} and hold a meeting with business leaders.",
                   "The programme for the final day includes a wreath-laying at a memorial in {place2} and a meeting between {actor_s} and business leaders."],
            "es": ["{actor_s} también depositará una ofrenda floral en un monumento de {place2} y se reunirá con empresarios el último día del viaje."],
            "fr": ["{actor_s} doit aussi déposer une gerbe devant un mémorial à {place2} et rencontrer des chefs d'entreprise le dernier jour du voyage."],
        },
    },
    "agreement": {
        "lead": {
            "en": ["{country} and {country2} signed an agreement on {subject} {day} in {place}, worth {amount} over {n2} years.",
                   "An accord on {subject} worth {amount} over {n2} years was signed {day} in {place} by {country} and {country2}.",
                   "In {place} {day}, {country} and {country2} put their signatures to a {n2}-year deal on {subject} valued at {amount}."],
            "es": ["{country} y {country2} firmaron {day} en {place} un acuerdo sobre {subject} por valor de {amount} a lo largo de {n2} años."],
            "fr": ["Le gouvernement {country_de} et celui {country2_de} ont signé {day} à {place} un accord sur {subject} d'une valeur de {amount} sur {n2} ans."],
        },
        "d1": {
            "en": ["The deal was signed by {actor}, the {actor_role}, and {cp}, the {cp_role}, after months of negotiations.",
                   "{actor_role} {actor} and {cp_role} {cp} put their names to the text, which took months to negotiate.",
                   "Months of negotiations ended with {actor}, the {actor_role}, and {cp}, the {cp_role}, signing the text."],
            "es": ["El acuerdo fue firmado por {actor}, {actor_role}, y {cp}, {cp_role}, tras meses de negociaciones."],
            "fr": ["L'accord a été signé par {actor}, {actor_role}, et {cp}, {cp_role}, après des mois de négociations."],
        },
        "d2": {
            "en": ["Under its terms, {n1} specialists will be trained and a joint office will open in {place2} next year.",
                   "The text provides for the training of {n1} specialists and for a joint office in {place2} to open next year.",
                   "It foresees training for {n1} specialists, and next year a joint office is to open in {place2}."],
            "es": ["Según sus términos, se formará a {n1} especialistas y el año próximo se abrirá una oficina conjunta en {place2}."],
            "fr": ["Aux termes de l'accord, {n1} spécialistes seront formés et un bureau commun ouvrira l'an prochain à {place2}."],
        },
    },
    "figures": {
        "lead": {
            "en": ["Spending on {subject} in {country} rose by {pct} last year, according to figures published {day} by {org}.",
                   "{Org} said {day} that spending on {subject} in {country} had climbed {pct} last year.",
                   "Figures released {day} by {org} show a {pct} rise last year in what {country} spends on {subject}."],
            "es": ["El gasto en {subject} en {country} aumentó un {pct} el año pasado, según cifras publicadas {day} por {org}."],
            "fr": ["Les dépenses consacrées à {subject} ont augmenté de {pct} l'an dernier dans le pays, selon des chiffres publiés {day} par {org}."],
        },
        "d1": {
            "en": ["The report, presented in {place} by {actor}, the {actor_role}, counts {n1} projects under way.",
                   "{actor}, the {actor_role}, presented the report in {place}; it lists {n1} projects that are under way.",
                   "According to the report, which {actor_role} {actor} presented in {place}, {n1} projects are under way."],
            "es": ["El informe, presentado en {place} por {actor}, {actor_role}, recoge {n1} proyectos en marcha."],
            "fr": ["Le rapport, présenté à {place} par {actor}, {actor_role}, recense {n1} projets en cours."],
        },
        "d2": {
            "en": ["Only {n2} of them are in rural districts, a gap that {cp}, the {cp_role}, called worrying.",
                   "{cp}, the {cp_role}, said it was worrying that only {n2} of the projects are in rural districts.",
                   "Rural districts account for just {n2} of the projects, which {cp_role} {cp} described as worrying."],
            "es": ["Solo {n2} de ellos están en zonas rurales, una brecha que {cp}, {cp_role}, calificó de preocupante."],
            "fr": ["Seuls {n2} d'entre eux se trouvent dans des zones rurales, un écart que {cp}, {cp_role}, a jugé inquiétant."],
        },
    },
    "protest": {
        "lead": {
            "en": ["Thousands of people marched through {place} {day} to protest against the government's plans for {subject}, in the largest demonstration there since {year}.",
                   "In the biggest protest {place} has seen since {year}, thousands took to the streets {day} against government plans for {subject}.",
                   "Government plans for {subject} drew thousands of protesters onto the streets of {place} {day}, the largest such rally there since {year}."],
            "es": ["Miles de personas marcharon {day} por {place} para protestar contra los planes del gobierno sobre {subject}, en la mayor manifestación allí desde {year}."],
            "fr": ["Des milliers de personnes ont défilé {day} à {place} contre les projets du gouvernement concernant {subject}, la plus grande manifestation dans la ville depuis {year}."],
        },
        "d1": {
            "en": ["Police said {n1} people were detained and {n2} officers were injured when clashes broke out near the parliament.",
                   "Clashes near the parliament left {n2} officers injured, and {n1} people were detained, police said.",
                   "According to police, {n1} arrests were made near the parliament, where clashes left {n2} officers hurt."],
            "es": ["La policía informó de que {n1} personas fueron detenidas y {n2} agentes resultaron heridos en enfrentamientos cerca del parlamento."],
            "fr": ["La police a indiqué que {n1} personnes avaient été interpellées et {n2} agents blessés lors d'affrontements près du parlement."],
        },
        "d2": {
            "en": ["The march was called by {org}, whose leader {cp} demanded a meeting with {actor}, the {actor_role}.",
                   "{Org} had called the march, and its leader, {cp}, is demanding to meet {actor_role} {actor}.",
                   "{cp}, who leads {org}, which organised the march, asked for talks with {actor}, the {actor_role}."],
            "es": ["La marcha fue convocada por {org}, cuyo líder, {cp}, exigió una reunión con {actor}, {actor_role}."],
            "fr": ["La marche était organisée par {org}, dont le dirigeant {cp} a réclamé une rencontre avec {actor}, {actor_role}."],
        },
    },
    "ruling": {
        "lead": {
            "en": ["A court in {place} {day} suspended a government decree on {subject}, ruling that {org} had not been consulted as the law requires.",
                   "Ruling that {org} should have been consulted as required by law, a court in {place} {day} suspended the government's decree on {subject}.",
                   "The government's decree on {subject} was suspended {day} by a court in {place}, which found that {org} had not been consulted as the law requires."],
            "es": ["Un tribunal de {place} suspendió {day} un decreto del gobierno sobre {subject} al considerar que no se consultó a {org} como exige la ley."],
            "fr": ["Un tribunal de {place} a suspendu {day} un décret du gouvernement sur {subject}, estimant que {org} n'avait pas été consulté comme l'exige la loi."],
        },
        "d1": {
            "en": ["The case was brought by {n1} residents and a group of lawyers led by {cp}.",
                   "{cp} led the group of lawyers who, together with {n1} residents, brought the case.",
                   "Behind the case were {n1} residents and lawyers headed by {cp}."],
            "es": ["La demanda fue presentada por {n1} vecinos y un grupo de abogados encabezado por {cp}."],
            "fr": ["L'affaire avait été portée devant la justice par {n1} habitants et un groupe d'avocats mené par {cp}."],
        },
        "d2": {
            "en": ["{actor}, the {actor_role}, said the government would appeal within {n2} days.",
                   "The government will lodge an appeal within {n2} days, {actor_role} {actor} said.",
                   "An appeal will follow within {n2} days, according to {actor}, the {actor_role}."],
            "es": ["{actor}, {actor_role}, afirmó que el gobierno recurrirá en un plazo de {n2} días."],
            "fr": ["{actor}, {actor_role}, a affirmé que le gouvernement ferait appel dans un délai de {n2} jours."],
        },
    },
    "disaster": {
        "lead": {
            "en": ["At least {n2} people were killed and {n1} families lost their homes when floods swept through {place} {day}, officials said.",
                   "Floods that swept through {place} {day} killed at least {n2} people and left {n1} families homeless, according to officials.",
                   "Officials said {day} that flooding in {place} had left at least {n2} people dead and destroyed the homes of {n1} families."],
            "es": ["Al menos {n2} personas murieron y {n1} familias perdieron sus casas cuando las inundaciones arrasaron {place} {day}, según las autoridades."],
            "fr": ["Au moins {n2} personnes ont été tuées et {n1} familles ont perdu leur maison lorsque des inondations ont frappé {place} {day}, selon les autorités."],
        },
        "d1": {
            "en": ["Rescue teams led by {cp}, the {cp_role}, were still searching for survivors in the district near {place2}.",
                   "In the district near {place2}, rescuers under {cp_role} {cp} kept searching for survivors.",
                   "The search for survivors near {place2} went on under the command of {cp}, the {cp_role}."],
            "es": ["Los equipos de rescate dirigidos por {cp}, {cp_role}, seguían buscando supervivientes en el distrito cercano a {place2}."],
            "fr": ["Les équipes de secours dirigées par {cp}, {cp_role}, recherchaient encore des survivants dans le district proche de {place2}."],
        },
        "d2": {
            "en": ["{actor}, the {actor_role}, promised {amount} in emergency aid and visited a shelter housing {n1} people.",
                   "On a visit to a shelter for {n1} people, {actor_role} {actor} pledged {amount} in emergency aid.",
                   "Emergency aid of {amount} was promised by {actor}, the {actor_role}, who toured a shelter where {n1} people are staying."],
            "es": ["{actor}, {actor_role}, prometió {amount} en ayuda de emergencia y visitó un albergue que acoge a {n1} personas."],
            "fr": ["{actor}, {actor_role}, a promis {amount} d'aide d'urgence et visité un abri qui accueille {n1} personnes."],
        },
    },
    "appointment": {
        "lead": {
            "en": ["{actor} was appointed {actor_role} {day}, replacing {cp}, who resigned last month over {subject}.",
                   "{cp}, who quit last month over {subject}, has been replaced as {actor_role} by {actor}, the government announced {day}.",
                   "The government named {actor} as its new {actor_role} {day}, a month after {cp} stepped down over {subject}."],
            "es": ["{actor} fue nombrado {actor_role} {day} en sustitución de {cp}, que dimitió el mes pasado por {subject}."],
            "fr": ["{actor} a été nommé {actor_role} {day}, en remplacement de {cp}, qui avait démissionné le mois dernier à cause de {subject}."],
        },
        "d1": {
            "en": ["{actor_s}, {age}, previously ran {org} in {place} for {n2_small} years.",
                   "Aged {age}, {actor_s} spent {n2_small} years at the head of {org} in {place}.",
                   "Before the appointment, {actor_s}, who is {age}, led {org} in {place} for {n2_small} years."],
            "es": ["{actor_s}, de {age} años, dirigió anteriormente {org} en {place} durante {n2_small} años."],
            "fr": ["{actor_s}, {age} ans, a dirigé auparavant {org} à {place} pendant {n2_small} ans."],
        },
        "d2": {
            "en": ["The appointment must be confirmed by parliament, where the governing coalition holds {seats} seats.",
                   "Parliament, where the coalition has {seats} seats, still has to confirm the appointment.",
                   "Confirmation by parliament is still needed; the governing coalition controls {seats} seats there."],
            "es": ["El nombramiento debe ser ratificado por el parlamento, donde la coalición de gobierno tiene {seats} escaños."],
            "fr": ["La nomination doit être confirmée par le parlement, où la coalition au pouvoir détient {seats} sièges."],
        },
    },
    "investigation": {
        "lead": {
            "en": ["Prosecutors in {place} opened an investigation {day} into contracts worth {amount} awarded by {org} for {subject}.",
                   "An investigation into {amount} of contracts awarded by {org} for {subject} was opened {day} by prosecutors in {place}.",
                   "Contracts for {subject} worth {amount}, awarded by {org}, are the subject of an investigation that prosecutors in {place} opened {day}."],
            "es": ["La fiscalía de {place} abrió {day} una investigación sobre contratos por valor de {amount} adjudicados por {org} para {subject}."],
            "fr": ["Le parquet de {place} a ouvert {day} une enquête sur des contrats d'un montant de {amount} attribués par {org} pour {subject}."],
        },
        "d1": {
            "en": ["Investigators searched {n2} offices and seized documents linked to {cp}, a former {cp_role}.",
                   "Documents linked to former {cp_role} {cp} were seized as investigators searched {n2} offices.",
                   "{n2} offices were searched, and investigators took away documents linked to {cp}, once the {cp_role}."],
            "es": ["Los investigadores registraron {n2} oficinas e incautaron documentos vinculados a {cp}, ex {cp_role}."],
            "fr": ["Les enquêteurs ont perquisitionné {n2} bureaux et saisi des documents liés à {cp}, ancien {cp_role}."],
        },
        "d2": {
            "en": ["{actor}, the {actor_role}, said the government would cooperate fully and suspended {n1} officials pending the inquiry.",
                   "Pending the inquiry, {n1} officials were suspended, and {actor_role} {actor} pledged the government's full cooperation.",
                   "The government will cooperate fully, {actor}, the {actor_role}, said, announcing the suspension of {n1} officials."],
            "es": ["{actor}, {actor_role}, dijo que el gobierno colaborará plenamente y suspendió a {n1} funcionarios mientras dure la investigación."],
            "fr": ["{actor}, {actor_role}, a assuré que le gouvernement coopérerait pleinement et a suspendu {n1} fonctionnaires pendant l'enquête."],
        },
    },
}

# Facts every story has, whatever its event. Same slots.
GENERIC: dict[str, dict[str, list[str]]] = {
    "quote": {
        "en": ['"{q1}," {actor_s} said.', '"{q1}," said {actor}, the {actor_role}.', '{actor_s} told reporters in {place}: "{q1}."'],
        "es": ['"{q1}", dijo {actor_s}.'],
        "fr": ["« {q1} », a déclaré {actor_s}."],
    },
    "quote2": {
        "en": ['"{q2}," {cp_s} added.', '{cp_s} put it this way: "{q2}."', '"{q2}," according to {cp_s}.'],
        "es": ['"{q2}", añadió {cp_s}.'],
        "fr": ["« {q2} », a ajouté {cp_s}."],
    },
    "cost": {
        "en": ["{Org} estimates that the measures announced will cost {amount2} in the first year alone.",
               "The first year alone will cost {amount2}, by the estimate of {org}.",
               "According to {org}, the first-year cost of what was announced comes to {amount2}.",
               "Nobody has yet said who will pay the {amount2} bill that {org} puts on the first year.",
               "Treasury officials declined to confirm a figure of {amount2} for the first twelve months, which {org} published on its website.",
               "How the package will be financed is unclear; {org} has pencilled in {amount2} for year one."],
        "es": ["{Org} calcula que las medidas anunciadas costarán {amount2} solo en el primer año."],
        "fr": ["{Org} estime que les mesures annoncées coûteront {amount2} la première année."],
    },
    "critic": {
        "en": ["Opposition lawmakers in {place2} criticised the announcement, saying {few} similar promises since {year} had not been kept.",
               "In {place2}, opposition lawmakers attacked the announcement, recalling that {few} similar promises made since {year} were never kept.",
               "The opposition in {place2} was critical: {few} promises of the kind have been made since {year}, its lawmakers said, and none was kept.",
               "Rival parties dismissed it as electioneering and counted {few} broken pledges on the same issue since {year}.",
               "Critics recalled that the region around {place2} had been promised much the same thing in {year}, and {few} times after that.",
               "\"We have heard this {few} times since {year},\" one opposition member of parliament from {place2} wrote on social media."],
        "es": ["Los diputados de la oposición en {place2} criticaron el anuncio y recordaron que {few} promesas similares desde {year} no se han cumplido."],
        "fr": ["Les députés de l'opposition à {place2} ont critiqué l'annonce, rappelant que {few} promesses semblables faites depuis {year} n'avaient pas été tenues."],
    },
    "next": {
        "en": ["A follow-up meeting on {subject} is planned in {place2} within {n2_small} weeks, officials said.",
               "Officials said the two sides would meet again in {place2} within {n2_small} weeks to discuss {subject}.",
               "Within {n2_small} weeks, according to officials, there will be another meeting in {place2} on {subject}.",
               "Next on the calendar is a technical round on {subject}, pencilled in for {place2} in about {n2_small} weeks.",
               "Diplomats expect experts to reconvene in {place2} before {n2_small} weeks are out, with {subject} at the top of their list.",
               "Delegations will reconvene in {place2} in roughly {n2_small} weeks, a spokesman said, to keep working on {subject}."],
        "es": ["Las autoridades indicaron que está prevista una nueva reunión sobre {subject} en {place2} en un plazo de {n2_small} semanas."],
        "fr": ["Une nouvelle réunion sur {subject} est prévue à {place2} d'ici {n2_small} semaines, ont indiqué des responsables."],
    },
    "context": {
        "en": ["The announcement came {n2_small} days after {cp}, the {cp_role}, warned that {subject} could no longer wait.",
               "Only {n2_small} days earlier, {cp_role} {cp} had warned that {subject} could not wait any longer.",
               "It followed a warning by {cp}, the {cp_role}, {n2_small} days before, that {subject} could no longer be put off.",
               "Pressure had been building since {cp_s} raised the alarm over {subject} in a speech {n2_small} days ago.",
               "{n2_small} days ago, in an interview with state television, {cp} said the country had run out of time on {subject}.",
               "The timing was no accident, analysts said: {cp_s} had made {subject} a condition of continued support {n2_small} days ago."],
        "es": ["El anuncio se produjo {n2_small} días después de que {cp}, {cp_role}, advirtiera de que {subject} ya no podía esperar."],
        "fr": ["L'annonce intervient {n2_small} jours après que {cp}, {cp_role}, a averti que {subject} ne pouvait plus attendre."],
    },
}

HEADLINES = {
    "visit": {"en": ["{actor} makes first visit to {place} in {n2} years", "{country}'s {actor_role} in {place} for landmark talks"],
              "es": ["{actor} visita {place} por primera vez en {n2} años"], "fr": ["{actor} en visite à {place}, une première depuis {n2} ans"]},
    "agreement": {"en": ["{country} and {country2} sign {amount} deal on {subject}", "Deal on {subject} signed in {place}"],
                  "es": ["{country} y {country2} firman un acuerdo sobre {subject}"], "fr": ["Accord de {amount} signé à {place}"]},
    "figures": {"en": ["Spending on {subject} up {pct}, report says", "{Org} report shows rise in spending on {subject}"],
                "es": ["El gasto en {subject} sube un {pct}"], "fr": ["Les dépenses pour {subject} en hausse de {pct}"]},
    "protest": {"en": ["Thousands march in {place} over {subject}", "{place} sees biggest protest since {year}"],
                "es": ["Miles de personas marchan en {place}"], "fr": ["Des milliers de manifestants à {place}"]},
    "ruling": {"en": ["Court in {place} suspends decree on {subject}", "Judges halt government decree on {subject}"],
               "es": ["Un tribunal de {place} suspende el decreto"], "fr": ["Un tribunal de {place} suspend le décret"]},
    "disaster": {"en": ["Floods kill at least {n2} in {place}", "{n1} families homeless after {place} floods"],
                 "es": ["Las inundaciones dejan al menos {n2} muertos en {place}"], "fr": ["Au moins {n2} morts dans des inondations à {place}"]},
    "appointment": {"en": ["{actor} named {actor_role}", "New {actor_role} replaces {cp}"],
                    "es": ["{actor}, nuevo {actor_role}"], "fr": ["{actor} nommé {actor_role}"]},
    "investigation": {"en": ["Prosecutors probe {amount} in contracts", "Investigation opened into {org} contracts"],
                      "es": ["La fiscalía investiga contratos por {amount}"], "fr": ["Enquête sur des contrats de {amount}"]},
}

# Stock agency background, one paragraph per template; slots: country, country2 (fr:
# country_de, country2_de), bg_year, bg_year2, bg_n, bg_pct, region, bg_org, bg_Org.
BACKGROUND = [
    {"en": "{country} and {country2} restored full diplomatic relations in {bg_year} after years of informal contacts. Trade between the two countries has grown every year since then, according to official figures.",
     "es": "{country} y {country2} restablecieron plenas relaciones diplomáticas en {bg_year} tras años de contactos informales. El comercio entre ambos países ha crecido cada año desde entonces, según cifras oficiales.",
     "fr": "Les relations diplomatiques complètes entre les gouvernements {country_de} et {country2_de} ont été rétablies en {bg_year} après des années de contacts informels. Les échanges commerciaux entre les deux pays ont augmenté chaque année depuis, selon les chiffres officiels."},
    {"en": "About {bg_n} people in {country} depend on farming for a living, and the sector has been hit by repeated droughts since {bg_year2}. The government has promised to modernise irrigation across {region}.",
     "es": "Unas {bg_n} personas dependen de la agricultura para vivir en {country}, y el sector ha sufrido sequías repetidas desde {bg_year2}. El gobierno ha prometido modernizar el riego en {region}.",
     "fr": "Environ {bg_n} personnes vivent de l'agriculture dans le pays, un secteur frappé par des sécheresses à répétition depuis {bg_year2}. Le gouvernement a promis de moderniser l'irrigation dans {region}."},
    {"en": "{bg_Org} has warned that {region} is among the regions most exposed to climate change. Average temperatures there have risen faster than the global average over the past three decades.",
     "es": "{bg_Org} ha advertido de que {region} figura entre las regiones más expuestas al cambio climático. Las temperaturas medias allí han subido más rápido que la media mundial en las últimas tres décadas.",
     "fr": "{bg_Org} a averti que {region} fait partie des régions les plus exposées au changement climatique. Les températures moyennes y ont augmenté plus vite que la moyenne mondiale au cours des trois dernières décennies."},
    {"en": "{country} joined the regional trade bloc in {bg_year2}, but disputes over tariffs with {country2} have slowed the removal of border checks. Negotiators have met more than a dozen times without a final deal.",
     "es": "{country} se incorporó al bloque comercial regional en {bg_year2}, pero las disputas arancelarias con {country2} han frenado la supresión de los controles fronterizos. Los negociadores se han reunido más de una docena de veces sin un acuerdo definitivo.",
     "fr": "Le gouvernement {country_de} a rejoint le bloc commercial régional en {bg_year2}, mais des différends tarifaires avec son voisin ont freiné la suppression des contrôles aux frontières. Les négociateurs se sont réunis plus d'une douzaine de fois sans accord définitif."},
    {"en": "Nearly {bg_pct} of the population of {country} is under 25, and youth unemployment has stayed above 20 percent for a decade. Many young graduates have emigrated to Europe and the Gulf.",
     "es": "Casi el {bg_pct} de la población de {country} tiene menos de 25 años, y el desempleo juvenil lleva una década por encima del 20 %. Muchos jóvenes titulados han emigrado a Europa y al Golfo.",
     "fr": "Près de {bg_pct} de la population a moins de 25 ans, et le chômage des jeunes dépasse 20 % depuis une décennie. De nombreux jeunes diplômés ont émigré vers l'Europe et le Golfe."},
    {"en": "The two governments signed a framework agreement in {bg_year}, brokered by {bg_org}, that set out cooperation in security, energy and tourism. Critics say few of its projects have been carried out.",
     "es": "Los dos gobiernos firmaron en {bg_year} un acuerdo marco, con la mediación de {bg_org}, que fijaba la cooperación en seguridad, energía y turismo. Los críticos afirman que pocos de sus proyectos se han llevado a cabo.",
     "fr": "Les deux gouvernements ont signé en {bg_year} un accord-cadre, négocié sous l'égide de {bg_org}, qui prévoyait une coopération en matière de sécurité, d'énergie et de tourisme. Selon les critiques, peu de ses projets ont été réalisés."},
    {"en": "{country} is one of the largest recipients of foreign aid in {region}, receiving about {bg_n} dollars a year from donors. Much of it goes to health care and food security.",
     "es": "{country} es uno de los mayores receptores de ayuda exterior de {region}, con unos {bg_n} dólares anuales de los donantes. Buena parte se destina a la sanidad y a la seguridad alimentaria.",
     "fr": "Le pays est l'un des principaux bénéficiaires de l'aide étrangère dans {region}, avec environ {bg_n} dollars par an versés par les donateurs. Une grande partie est consacrée à la santé et à la sécurité alimentaire."},
    {"en": "Relations between {country} and {country2} were strained for years by a dispute over water rights on their shared river. A commission set up in {bg_year2} has met only sporadically.",
     "es": "Las relaciones entre {country} y {country2} estuvieron tensas durante años por una disputa sobre los derechos de agua del río que comparten. Una comisión creada en {bg_year2} solo se ha reunido de forma esporádica.",
     "fr": "Les relations entre les gouvernements {country_de} et {country2_de} ont longtemps été tendues par un différend sur les droits d'eau du fleuve qu'ils partagent. Une commission créée en {bg_year2} ne s'est réunie que de façon sporadique."},
    {"en": "The ruling coalition in {country} has governed since the {bg_year} elections, when it won a narrow majority. The next general election is due within two years.",
     "es": "La coalición gobernante en {country} está en el poder desde las elecciones de {bg_year}, cuando obtuvo una estrecha mayoría. Las próximas elecciones generales deben celebrarse en un plazo de dos años.",
     "fr": "La coalition au pouvoir gouverne depuis les élections de {bg_year}, qu'elle avait remportées avec une courte majorité. Les prochaines élections générales doivent avoir lieu d'ici deux ans."},
    {"en": "Human rights groups have accused authorities in {country} of restricting protests and detaining journalists. The government denies the accusations and says it respects freedom of expression.",
     "es": "Las organizaciones de derechos humanos acusan a las autoridades de {country} de restringir las protestas y detener a periodistas. El gobierno niega las acusaciones y asegura que respeta la libertad de expresión.",
     "fr": "Des organisations de défense des droits humains accusent les autorités {country_de} de restreindre les manifestations et de détenir des journalistes. Le gouvernement dément ces accusations et affirme respecter la liberté d'expression."},
    {"en": "Energy demand in {region} is expected to double by 2040, according to {bg_org}. Governments in the region have announced plans for new solar and wind capacity, but financing remains scarce.",
     "es": "Se prevé que la demanda de energía en {region} se duplique de aquí a 2040, según {bg_org}. Los gobiernos de la región han anunciado planes de nueva capacidad solar y eólica, pero la financiación sigue siendo escasa.",
     "fr": "La demande d'énergie dans {region} devrait doubler d'ici 2040, selon {bg_org}. Les gouvernements de la région ont annoncé de nouvelles capacités solaires et éoliennes, mais les financements restent rares."},
    {"en": "Tourism accounts for about {bg_pct} of the economy of {country}, and visitor numbers have only just recovered to their levels before the pandemic. The industry employs hundreds of thousands of people.",
     "es": "El turismo representa alrededor del {bg_pct} de la economía de {country}, y el número de visitantes acaba de recuperar los niveles previos a la pandemia. El sector emplea a cientos de miles de personas.",
     "fr": "Le tourisme représente environ {bg_pct} de l'économie du pays, et le nombre de visiteurs vient seulement de retrouver son niveau d'avant la pandémie. Le secteur emploie des centaines de milliers de personnes."},
]

LOCAL = [
    "In {local}, the {n_local} members of the local business association followed the news from {place} closely; several of them have contracts that depend on {subject}.",
    "Residents of {local} interviewed by this newspaper were divided. \"{actor_s} says this time it is different, but we have heard that before,\" said {local_person}, who runs a hardware shop near the station.",
    "Councillor {local_person} asked the council in {local} for a report on what the events in {place} could mean for the {n_local} local jobs linked to {subject}.",
    "{local_person}, who teaches international relations at the university in {local}, said {actor_s}'s move was significant but that the fine print on {subject} would matter more than the headlines.",
    "About {n_local} families in {local} have relatives near {place}. The parish of St Anne has organised a collection and a solidarity evening on Saturday.",
    "Exporters from {local} shipped goods worth {n_local} million to the region last year, the chamber of commerce said, and many are now asking what {subject} will mean for their orders.",
    "The {local} Gazette's own reporter, {local_person}, travelled to {place} last spring and found officials there openly sceptical about {subject}.",
    "For {local_person}, a retired engineer from {local} who worked near {place} for {n_local} months in the 1990s, the news brought back memories of an earlier, failed attempt.",
    "Students at {local} college held a debate on {subject} on Thursday evening, attended by about {n_local} people.",
    "A {local}-based charity said it had sent {n_local} boxes of supplies to partners around {place} since the start of the year.",
]
LATE_NEWS = [
    "{Org} said late in the day that the first measures would take effect within a week.",
    "Officials in {place} said later that talks would resume within days.",
    "{actor_s} said in a statement issued hours later that the decision was final.",
]
UPDATES = [
    "This story has been updated with a statement from {cp_s}'s office.",
    "Update: {Org} said later that it would publish further details next week.",
    "Correction: an earlier version of this article misstated the number of people affected.",
    "Update: officials confirmed the figures at a news conference in the evening.",
]
# Light edits a sub-editor makes (near-identical copies): (old, new).
EDITS = [(" said", " stated"), (" percent", " per cent"), ("criticised", "criticized"), ("organised", "organized"),
         (" about ", " around "), (" more than ", " over "), ("Thousands of people", "Thousands"),
         (" was ", " had been "), (" the government", " the authorities"), (" promised", " pledged"),
         ("programme", "program"), (" also ", " "), (" at least ", " no fewer than "), (" still ", " ")]

REGIONS = {"en": ["North Africa", "the Sahel", "the Middle East", "South America", "the Baltic region",
                  "South Asia", "Central Asia", "the Pacific", "West Africa", "Southeast Asia", "the Caucasus",
                  "East Africa", "Central America", "the Balkans"],
           "es": ["el norte de África", "el Sahel", "Oriente Próximo", "Sudamérica", "la región báltica",
                  "el sur de Asia", "Asia central", "el Pacífico", "África occidental", "el sudeste asiático", "el Cáucaso",
                  "África oriental", "Centroamérica", "los Balcanes"],
           "fr": ["l'Afrique du Nord", "le Sahel", "le Moyen-Orient", "l'Amérique du Sud", "la région balte",
                  "l'Asie du Sud", "l'Asie centrale", "le Pacifique", "l'Afrique de l'Ouest", "l'Asie du Sud-Est", "le Caucase",
                  "l'Afrique de l'Est", "l'Amérique centrale", "les Balkans"]}

# Countries: en, es, fr (with article), fr "de" form.
COUNTRIES = {
    "Morocco": ("Marruecos", "le Maroc", "du Maroc"), "Israel": ("Israel", "Israël", "d'Israël"),
    "Mali": ("Malí", "le Mali", "du Mali"), "Niger": ("Níger", "le Niger", "du Niger"),
    "Egypt": ("Egipto", "l'Égypte", "de l'Égypte"), "Saudi Arabia": ("Arabia Saudí", "l'Arabie saoudite", "de l'Arabie saoudite"),
    "Chile": ("Chile", "le Chili", "du Chili"), "Bolivia": ("Bolivia", "la Bolivie", "de la Bolivie"),
    "Estonia": ("Estonia", "l'Estonie", "de l'Estonie"), "Latvia": ("Letonia", "la Lettonie", "de la Lettonie"),
    "Bangladesh": ("Bangladés", "le Bangladesh", "du Bangladesh"), "India": ("India", "l'Inde", "de l'Inde"),
    "Kazakhstan": ("Kazajistán", "le Kazakhstan", "du Kazakhstan"), "Uzbekistan": ("Uzbekistán", "l'Ouzbékistan", "de l'Ouzbékistan"),
    "Fiji": ("Fiyi", "les Fidji", "des Fidji"), "Tonga": ("Tonga", "les Tonga", "des Tonga"),
    "Senegal": ("Senegal", "le Sénégal", "du Sénégal"), "Ghana": ("Ghana", "le Ghana", "du Ghana"),
    "Vietnam": ("Vietnam", "le Vietnam", "du Vietnam"), "Indonesia": ("Indonesia", "l'Indonésie", "de l'Indonésie"),
    "Georgia": ("Georgia", "la Géorgie", "de la Géorgie"), "Armenia": ("Armenia", "l'Arménie", "de l'Arménie"),
    "Kenya": ("Kenia", "le Kenya", "du Kenya"), "Ethiopia": ("Etiopía", "l'Éthiopie", "de l'Éthiopie"),
    "Guatemala": ("Guatemala", "le Guatemala", "du Guatemala"), "Honduras": ("Honduras", "le Honduras", "du Honduras"),
    "Serbia": ("Serbia", "la Serbie", "de la Serbie"), "Albania": ("Albania", "l'Albanie", "de l'Albanie"),
    "Peru": ("Perú", "le Pérou", "du Pérou"), "Colombia": ("Colombia", "la Colombie", "de la Colombie"),
    "Tunisia": ("Túnez", "la Tunisie", "de la Tunisie"), "Jordan": ("Jordania", "la Jordanie", "de la Jordanie"),
}

ROLES = [
    {"en": "defence minister", "es": "ministro de Defensa", "fr": "ministre de la Défense"},
    {"en": "foreign minister", "es": "ministro de Asuntos Exteriores", "fr": "ministre des Affaires étrangères"},
    {"en": "interior minister", "es": "ministro del Interior", "fr": "ministre de l'Intérieur"},
    {"en": "finance minister", "es": "ministro de Finanzas", "fr": "ministre des Finances"},
    {"en": "energy minister", "es": "ministro de Energía", "fr": "ministre de l'Énergie"},
    {"en": "agriculture minister", "es": "ministro de Agricultura", "fr": "ministre de l'Agriculture"},
    {"en": "water minister", "es": "ministro del Agua", "fr": "ministre de l'Eau"},
    {"en": "trade minister", "es": "ministro de Comercio", "fr": "ministre du Commerce"},
    {"en": "health minister", "es": "ministro de Sanidad", "fr": "ministre de la Santé"},
    {"en": "regional governor", "es": "gobernador regional", "fr": "gouverneur régional"},
    {"en": "mayor of the capital", "es": "alcalde de la capital", "fr": "maire de la capitale"},
    {"en": "head of the civil protection agency", "es": "jefe de la agencia de protección civil", "fr": "chef de la protection civile"},
]

ORGS = [
    {"en": "the World Bank", "es": "el Banco Mundial", "fr": "la Banque mondiale"},
    {"en": "the national audit office", "es": "el tribunal de cuentas", "fr": "la Cour des comptes"},
    {"en": "the central bank", "es": "el banco central", "fr": "la banque centrale"},
    {"en": "the national statistics office", "es": "el instituto nacional de estadística", "fr": "l'institut national de la statistique"},
    {"en": "the farmers' union", "es": "el sindicato de agricultores", "fr": "le syndicat des agriculteurs"},
    {"en": "the teachers' federation", "es": "la federación de docentes", "fr": "la fédération des enseignants"},
    {"en": "the state water company", "es": "la empresa estatal de aguas", "fr": "la compagnie publique des eaux"},
    {"en": "the ports authority", "es": "la autoridad portuaria", "fr": "l'autorité portuaire"},
    {"en": "the Red Crescent", "es": "la Media Luna Roja", "fr": "le Croissant-Rouge"},
    {"en": "the chamber of commerce", "es": "la cámara de comercio", "fr": "la chambre de commerce"},
    {"en": "the UN development programme", "es": "el Programa de la ONU para el Desarrollo", "fr": "le Programme des Nations unies pour le développement"},
    {"en": "the African Development Bank", "es": "el Banco Africano de Desarrollo", "fr": "la Banque africaine de développement"},
    {"en": "the national electricity company", "es": "la compañía eléctrica nacional", "fr": "la compagnie nationale d'électricité"},
    {"en": "the bar association", "es": "el colegio de abogados", "fr": "l'ordre des avocats"},
]

SUBJECTS = [
    {"en": "water security", "es": "la seguridad hídrica", "fr": "la sécurité de l'eau"},
    {"en": "defence cooperation", "es": "la cooperación en defensa", "fr": "la coopération de défense"},
    {"en": "direct flights", "es": "los vuelos directos", "fr": "les vols directs"},
    {"en": "drought relief", "es": "la ayuda contra la sequía", "fr": "l'aide contre la sécheresse"},
    {"en": "food prices", "es": "los precios de los alimentos", "fr": "les prix alimentaires"},
    {"en": "port security", "es": "la seguridad portuaria", "fr": "la sécurité portuaire"},
    {"en": "shipping insurance", "es": "los seguros marítimos", "fr": "l'assurance maritime"},
    {"en": "lithium mining", "es": "la minería del litio", "fr": "l'extraction du lithium"},
    {"en": "indigenous land rights", "es": "los derechos indígenas sobre la tierra", "fr": "les droits fonciers autochtones"},
    {"en": "the power grid", "es": "la red eléctrica", "fr": "le réseau électrique"},
    {"en": "gas storage", "es": "el almacenamiento de gas", "fr": "le stockage du gaz"},
    {"en": "flood defences", "es": "las defensas contra inundaciones", "fr": "les digues contre les crues"},
    {"en": "refugee housing", "es": "la vivienda para refugiados", "fr": "le logement des réfugiés"},
    {"en": "the gas pipeline", "es": "el gasoducto", "fr": "le gazoduc"},
    {"en": "border crossings", "es": "los pasos fronterizos", "fr": "les passages frontaliers"},
    {"en": "fishing quotas", "es": "las cuotas de pesca", "fr": "les quotas de pêche"},
    {"en": "tuna exports", "es": "las exportaciones de atún", "fr": "les exportations de thon"},
    {"en": "cyber security", "es": "la ciberseguridad", "fr": "la cybersécurité"},
    {"en": "tourism", "es": "el turismo", "fr": "le tourisme"},
    {"en": "teachers' pay", "es": "los salarios de los docentes", "fr": "le salaire des enseignants"},
    {"en": "fuel subsidies", "es": "los subsidios a los combustibles", "fr": "les subventions aux carburants"},
    {"en": "rail freight", "es": "el transporte ferroviario de mercancías", "fr": "le fret ferroviaire"},
]

# Hand-made topics for the quality corpus: name -> (countries, region index, people
# [(spellings...), role index], places, subject indices, org indices).
TOPICS = {
    "maghreb-ties": (("Morocco", "Israel"), 0,
                     [(("Youssef El Idrissi", "Yousef al-Idrisi", "Youssef Idrissi"), 0),
                      (("Eitan Barkai", "Eytan Barkay"), 0),
                      (("Nasser Benkirane", "Naser Ben Kiran"), 1),
                      (("Avital Rosenthal", "Avital Rozental"), 1),
                      (("Abdelkader Lamrani", "Abdul-Qadir al-Amrani"), 7),
                      (("Leila Bensouda", "Layla Ben Souda"), 10)],
                     ["Rabat", "Casablanca", "Marrakech", "Tangier", "Tel Aviv", "Fez"], [1, 2, 0, 18, 17], [8, 9, 0]),
    "sahel-drought": (("Niger", "Mali"), 1,
                      [(("Abdoulaye Maïga", "Abdoulaye Maiga", "Abdulaye Maiga"), 5),
                       (("Moussa Ould Cheikh", "Mousa Wald al-Shaykh", "Moussa Ould Cheick"), 6),
                       (("Aïssata Touré", "Aissata Toure", "Aisata Ture"), 11),
                       (("Hamidou Diallo", "Amidou Diallo"), 3),
                       (("Ousmane Coulibaly", "Usman Kulibali"), 9),
                       (("Fatoumata Keïta", "Fatoumata Keita"), 8)],
                      ["Niamey", "Bamako", "Gao", "Agadez", "Timbuktu", "Mopti"], [3, 4, 0, 12, 14], [10, 8, 4, 11]),
    "red-sea-shipping": (("Egypt", "Saudi Arabia"), 2,
                         [(("Mahmoud Abdel-Rahman", "Mahmud Abd al-Rahman", "Mahmoud Abdelrahman"), 7),
                          (("Khaled al-Otaibi", "Khalid Al Otaibi", "Khaled Otaibi"), 1),
                          (("Hisham Ezzeldin", "Hesham Ezz El-Din"), 0),
                          (("Nourhan Mansour", "Nurhan Mansur"), 3),
                          (("Faisal bin Saad", "Faysal ibn Sa'd"), 4),
                          (("Amr Soliman", "Amr Suleiman"), 9)],
                         ["Suez", "Jeddah", "Port Said", "Ismailia", "Cairo", "Yanbu"], [5, 6, 21, 18, 14], [7, 9, 2]),
    "andean-lithium": (("Chile", "Bolivia"), 3,
                       [(("Camila Reyes Ortúzar", "Camila Reyes Ortuzar", "Camila Reyes"), 4),
                        (("Evaristo Mamani Quispe", "Evaristo Mamani"), 4),
                        (("Rodrigo Achá", "Rodrigo Acha"), 3),
                        (("Lucía Condori", "Lucia Kondori"), 9),
                        (("Tomás Ibáñez", "Tomas Ibanez"), 1),
                        (("Josefa Huanca", "Josefa Wanka"), 6)],
                       ["Antofagasta", "Calama", "Uyuni", "La Paz", "Santiago", "Potosí"], [7, 8, 0, 21, 20], [12, 13, 0, 3]),
    "baltic-grid": (("Estonia", "Latvia"), 4,
                    [(("Kaja Tammsaar", "Kaia Tammsaar", "Kaja Tamsaar"), 4),
                     (("Jānis Ozoliņš", "Janis Ozolins", "Yanis Ozolinsh"), 4),
                     (("Märt Kivilo", "Mart Kivilo"), 0),
                     (("Ilze Bērziņa", "Ilze Berzina"), 3),
                     (("Tõnis Rebane", "Tonis Rebane"), 2),
                     (("Aivars Kalniņš", "Aivars Kalnins"), 10)],
                    ["Tallinn", "Riga", "Narva", "Tartu", "Daugavpils", "Pärnu"], [9, 10, 17, 14, 21], [12, 2, 1]),
    "monsoon-floods": (("Bangladesh", "India"), 5,
                       [(("Mohammad Rafiqul Islam", "Mohammed Rafiqul Islam", "Md Rafiqul Islam"), 11),
                        (("Sheikh Nazmul Hasan", "Shaikh Nazmul Hassan"), 6),
                        (("Anjali Barua", "Anjoli Baruah"), 9),
                        (("Tanvir Ahmed Chowdhury", "Tanveer Ahmad Choudhury"), 3),
                        (("Rezaul Karim", "Rezaul Kareem"), 5),
                        (("Nusrat Jahan", "Nusrat Jahaan"), 8)],
                       ["Sylhet", "Dhaka", "Sunamganj", "Guwahati", "Chittagong", "Rangpur"], [11, 12, 3, 4, 0], [8, 0, 6]),
    "central-asia-gas": (("Kazakhstan", "Uzbekistan"), 6,
                         [(("Yerlan Nurgaliyev", "Erlan Nurgaliev", "Yerlan Nurgaliev"), 4),
                          (("Shavkat Tursunov", "Shavqat Tursunov"), 7),
                          (("Aigerim Seitkali", "Aygerim Seytkali"), 3),
                          (("Dilshod Rakhimov", "Dilshod Rahimov"), 1),
                          (("Bakhyt Omarov", "Bakyt Omarov"), 2),
                          (("Gulnara Yusupova", "Gulnora Yusupova"), 10)],
                         ["Astana", "Tashkent", "Shymkent", "Samarkand", "Almaty", "Bukhara"], [13, 10, 14, 21, 20], [12, 0, 9]),
    "pacific-fisheries": (("Fiji", "Tonga"), 7,
                          [(("Sitiveni Naulivou", "Sitiveni Nauliwou", "Sitiveni Naulivu"), 5),
                           (("Mele Tupou", "Mele Tubou"), 7),
                           (("Ratu Josaia Vosanibola", "Josaia Vosanibola"), 0),
                           (("Losana Qarikau", "Losana Karikau"), 11),
                           (("Feleti Kaufusi", "Feleti Kaufuzi"), 3),
                           (("Adi Litia Cakobau", "Litia Thakombau"), 9)],
                          ["Suva", "Nuku'alofa", "Lautoka", "Labasa", "Neiafu", "Nadi"], [15, 16, 11, 18, 6], [7, 1, 8]),
}

# Outlets: (host, language, local city, display name). Footers are per outlet.
OUTLETS = [
    ("northcoast-herald.example", "en", "Port Aldwin", "The Northcoast Herald"),
    ("gulf-ledger.example", "en", "Manama", "Gulf Ledger"),
    ("capital-observer.example", "en", "Lanford", "Capital Observer"),
    ("maghreb-wire.example", "en", "Oujda", "Maghreb Wire"),
    ("regional-dispatch.example", "en", "Kessing", "Regional Dispatch"),
    ("daily-courier.example", "en", "Marlow Heath", "The Daily Courier"),
    ("world-brief.example", "en", "Oakhurst", "World Brief"),
    ("evening-standard-post.example", "en", "Southmere", "Evening Standard Post"),
    ("eastern-times.example", "en", "Bracken Falls", "Eastern Times"),
    ("the-monitor.example", "en", "Riverside", "The Monitor"),
    ("diario-del-sur.example", "es", "Málaga", "Diario del Sur"),
    ("la-cronica.example", "es", "Valparaíso", "La Crónica"),
    ("el-observador.example", "es", "Rosario", "El Observador"),
    ("le-quotidien.example", "fr", "Lyon", "Le Quotidien"),
    ("journal-du-sud.example", "fr", "Marseille", "Journal du Sud"),
    ("la-depeche-monde.example", "fr", "Dakar", "La Dépêche Monde"),
]
# Outlets whose extracted texts start with page furniture (a consent banner, a newsletter
# prompt), phrased as real sites phrase them.
WALLED = {
    "evening-standard-post.example": [
        "We use cookies to ensure that we give you the best experience on our website.",
        "By continuing to browse the site you agree to our use of cookies and to our privacy policy.",
        "Sign up to FREE email alerts from Evening Standard Post - Daily Subscribe Thank you for subscribing "
        "See our privacy notice Invalid Email"],
    "eastern-times.example": [
        "Sign up to our newsletter to get other stories like this delivered straight to your inbox.",
        "Follow us on Telegram and Twitter for the latest news from the region."],
    "the-monitor.example": [
        "Support independent journalism: please consider making a donation today.",
        "We noticed you are using an ad blocker."],
}
FOOTERS = {
    "en": ["Copyright 2025 {name}. All rights reserved.", "Sign up for our newsletter to get the day's top stories in your inbox.",
           "This material may not be published, broadcast, rewritten or redistributed without permission.",
           "Follow {name} on social media for the latest updates."],
    "es": ["Copyright 2025 {name}. Todos los derechos reservados.", "Suscríbase a nuestro boletín para recibir las noticias del día.",
           "Prohibida la reproducción total o parcial de este contenido sin autorización."],
    "fr": ["Copyright 2025 {name}. Tous droits réservés.", "Inscrivez-vous à notre lettre d'information pour recevoir l'essentiel de l'actualité.",
           "Toute reproduction de ce contenu est interdite sans autorisation."],
}
STANDFIRSTS = {
    "en": ["What the latest developments mean for the region, and what happens next.",
           "Officials say more details are expected in the coming days.",
           "The move is being watched closely by neighbouring governments.",
           "Here is what we know so far about the events of this week."],
}

FIRST = ["Amara", "Jonas", "Lucia", "Tomasz", "Ingrid", "Rafael", "Mei", "Kwame", "Sofia", "Declan", "Priya",
         "Mateo", "Hanna", "Oskar", "Leila", "Viktor", "Nadia", "Emeka", "Clara", "Idris", "Yusuf", "Marta",
         "Elliot", "Ana", "Bruno", "Freya", "Hugo", "Zainab", "Petra", "Caleb", "Aziz", "Bilal", "Carmen",
         "Dmitri", "Esra", "Farid", "Goran", "Halima", "Ibrahim", "Jana", "Kofi", "Lina", "Mehmet", "Noor",
         "Omar", "Paola", "Rashid", "Selin", "Tariq", "Umar", "Vera", "Wanjiru", "Ximena", "Yara", "Zoran"]
LAST = ["Okafor", "Lindqvist", "Moreau", "Kowalski", "Haddad", "Brennan", "Tanaka", "Silva", "Novak",
        "Fischer", "Rahman", "Costa", "Byrne", "Ivanova", "Mensah", "Larsen", "Alvarez", "Duarte", "Keller",
        "Nakamura", "Osei", "Petrov", "Quinn", "Romano", "Schmidt", "Varga", "Walsh", "Yilmaz", "Zielinski",
        "Abbott", "Bakari", "Cisse", "Demir", "Eze", "Farouk", "Gashi", "Hoxha", "Ismailov", "Jovanovic",
        "Karimov", "Lungu", "Mwangi", "Nguyen", "Ortega", "Pham", "Qureshi", "Rosales", "Sato", "Toure", "Usmanov"]
CITIES = ["Aldwin", "Kessing", "Vellmar", "Lanford", "Oakhurst", "Southmere", "Brackenford", "Corvale", "Dunmere",
          "Eastwick", "Farrowgate", "Glenholm", "Harcastle", "Ivybridge", "Jarrow Point", "Kilbrook", "Lowmoor",
          "Millhaven", "Northam", "Orwell Bay", "Pembury", "Queensport", "Redcliff", "Stonebridge", "Thornbury",
          "Upton Vale", "Westmarch", "Yarmouth Cross", "Zennor", "Ashby", "Brightwater", "Caldmoor"]
# Respellings used for generated people (name -> variant): a sub-editor's transliteration.
RESPELL = [("ou", "u"), ("y", "i"), ("ph", "f"), ("kh", "h"), ("ck", "k"), ("ee", "i"), ("ai", "ay"), ("v", "w")]


# ---------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------
@dataclass
class Person:
    spellings: tuple[str, ...]
    role: dict[str, str]

    def name(self, variant: int = 0) -> str:
        return self.spellings[variant % len(self.spellings)]


@dataclass
class Topic:
    key: str
    countries: tuple[str, str]
    region: int
    people: list[Person]
    places: list[str]
    subjects: list[dict[str, str]]
    orgs: list[dict[str, str]]
    background: list[dict[str, str]]  # each: lang -> paragraph, plus "id"
    start: datetime


@dataclass
class Event:
    """One story's facts: event type, chosen slots, phrasing per fact and paragraph plan."""

    story_id: str
    topic: Topic
    kind: str
    actor: int
    cp: int
    place: str
    place2: str
    subject: int
    org: int
    n1: int
    n2: int
    n2_small: int
    amount: int
    pct: float
    year: int
    ndays: int
    q1: tuple[int, int]  # (QUOTES index, QUOTE_TAILS index)
    q2: tuple[int, int]
    background: list[int]
    when: datetime
    agency: tuple[str, str, str]
    writer: str
    contributor: str
    variants: dict[str, int] = field(default_factory=dict)
    facts: set[str] = field(default_factory=set)  # the optional facts this story has


OPTIONAL_FACTS = ("cost", "quote2", "context", "critic", "next")


def country_slots(name: str, lang: str, suffix: str = "") -> dict[str, str]:
    es, fr, fr_de = COUNTRIES[name]
    value = {"en": name, "es": es, "fr": fr}[lang]
    return {f"country{suffix}": value, f"country{suffix}_de": fr_de}


def background_paragraph(topic_key: str, template: int, countries: tuple[str, str], region: int,
                         rng: random.Random) -> dict[str, str]:
    bg_year, bg_year2 = rng.randint(1994, 2021), rng.randint(1995, 2020)
    bg_n = rng.randint(1, 6) * 1_000_000 + rng.randint(1, 9) * 100_000
    bg_pct = rng.randint(8, 60)
    org = ORGS[rng.randrange(len(ORGS))]
    para = {"id": f"{topic_key}/bg{template}"}
    for lang in LANGS:
        slots = {**country_slots(countries[0], lang), **country_slots(countries[1], lang, "2"),
                 "region": REGIONS[lang][region % len(REGIONS[lang])], "bg_org": org[lang], "bg_Org": cap(org[lang]),
                 "bg_year": bg_year, "bg_year2": bg_year2, "bg_n": fmt_int(bg_n, lang),
                 "bg_pct": f"{bg_pct} percent" if lang == "en" else f"{bg_pct} %"}
        para[lang] = BACKGROUND[template][lang].format(**slots)
    return para


def make_topic(key: str, spec: tuple, start: datetime, rng: random.Random, n_background: int = 4,
               templates: list[int] | None = None) -> Topic:
    countries, region, people, places, subjects, orgs = spec
    templates = templates if templates is not None else rng.sample(range(len(BACKGROUND)), n_background)
    return Topic(key, countries, region, [Person(sp, ROLES[r]) for sp, r in people], list(places),
                 [SUBJECTS[i] for i in subjects], [ORGS[i] for i in orgs],
                 [background_paragraph(key, t, countries, region, rng) for t in templates], start)


def respell(name: str, rng: random.Random) -> str:
    for old, new in rng.sample(RESPELL, len(RESPELL)):
        if old in name:
            return name.replace(old, new, 1)
    return name[:-1] + ("h" if name[-1] in "aeiou" else "e") if name else name


def random_topic(key: str, start: datetime, rng: random.Random, n_background: int = 4) -> Topic:
    """A generated topic (scale corpus, singletons): random cast, places and countries."""
    countries = tuple(rng.sample(sorted(COUNTRIES), 2))
    people = []
    used: set[str] = set()
    while len(people) < 6:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in used:
            continue
        used.add(name)
        first, last = name.split(" ", 1)
        people.append(((name, f"{first} {respell(last, rng)}"), rng.randrange(len(ROLES))))
    spec = (countries, rng.randrange(len(REGIONS["en"])), people, rng.sample(CITIES, 6),
            rng.sample(range(len(SUBJECTS)), 5), rng.sample(range(len(ORGS)), 3))
    return make_topic(key, spec, start, rng, n_background)


def new_event(story_id: str, topic: Topic, kind: str, actor: int, when: datetime, rng: random.Random,
              used_quotes: set | None = None) -> Event:
    cp = rng.choice([i for i in range(len(topic.people)) if i != actor])
    place, place2 = rng.sample(topic.places, 2)
    used_quotes = set() if used_quotes is None else used_quotes
    while True:  # quotes are a story's own: no two stories of a topic share one
        a1, a2 = rng.sample(range(len(QUOTES)), 2)
        t1, t2 = rng.sample(range(len(QUOTE_TAILS)), 2)
        q1, q2 = (a1, t1), (a2, t2)
        if q1 not in used_quotes and q2 not in used_quotes:
            used_quotes |= {q1, q2}
            break
    agency = rng.choice(AGENCIES)
    return Event(story_id, topic, kind, actor, cp, place, place2, rng.randrange(len(topic.subjects)),
                 rng.randrange(len(topic.orgs)), rng.randint(12, 2400), rng.randint(11, 95), rng.randint(2, 9),
                 rng.randint(5, 950), round(rng.uniform(2.0, 38.0), 1), rng.randint(1995, 2019), rng.choice([2, 3, 4]),
                 q1, q2, rng.sample(range(len(topic.background)), rng.choice([2, 3, 3])), when, agency,
                 f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"{rng.choice(FIRST)} {rng.choice(LAST)}")


def quote(q: tuple[int, int], lang: str) -> str:
    li = LANGS.index(lang)
    return QUOTES[q[0]][li] + CONJ[lang] + QUOTE_TAILS[q[1]][li]


def slots(ev: Event, lang: str, names: tuple[int, int] = (0, 0)) -> dict[str, object]:
    t = ev.topic
    actor, cp = t.people[ev.actor], t.people[ev.cp]
    an, cn = actor.name(names[0]), cp.name(names[1])
    org = t.orgs[ev.org][lang]
    return {
        "actor": an, "actor_s": an.split()[-1], "actor_role": actor.role[lang],
        "cp": cn, "cp_s": cn.split()[-1], "cp_role": cp.role[lang],
        "place": ev.place, "place2": ev.place2,
        **country_slots(t.countries[0], lang), **country_slots(t.countries[1], lang, "2"),
        "day": WEEKDAYS[lang][ev.when.weekday()], "ndays": NDAYS[ev.ndays][lang],
        "n1": fmt_int(ev.n1, lang), "n2": ev.n2, "age": 38 + ev.n2 % 30, "n2_small": ev.n2_small, "amount": fmt_amount(ev.amount, lang), "amount2": fmt_amount(3 + ev.amount * 7 % 480, lang),
        "few": 2 + ev.n1 % 7, "seats": 60 + ev.n1 % 240,
        "pct": fmt_pct(ev.pct, lang), "year": ev.year, "subject": t.subjects[ev.subject][lang],
        "org": org, "Org": cap(org), "q1": quote(ev.q1, lang), "q2": quote(ev.q2, lang),
    }


FACT_PLAN = [("lead",), ("d1",), ("quote",), ("d2", "cost"), ("bg", 0), ("context", "quote2"), ("bg", 1),
             ("critic", "next"), ("bg", 2)]


def fact_templates(ev: Event, fact: str, lang: str) -> list[str]:
    return EVENTS[ev.kind][fact][lang] if fact in EVENTS[ev.kind] else GENERIC[fact][lang]


def render(ev: Event, lang: str = "en", variants: dict[str, int] | None = None,
           names: tuple[int, int] = (0, 0), dateline: bool = True) -> list[tuple[str, str]]:
    """The story's paragraphs as (paragraph id, text): ids are fact names or background ids,
    so copies can be cut, reordered and extended by paragraph."""
    variants = variants if variants is not None else ev.variants
    values = slots(ev, lang, names)
    out: list[tuple[str, str]] = []
    for step in FACT_PLAN:
        if step[0] == "bg":
            if step[1] < len(ev.background):
                para = ev.topic.background[ev.background[step[1]]]
                out.append((para["id"], para[lang]))
            continue
        sentences = []
        for fact in step:
            if fact in OPTIONAL_FACTS and fact not in ev.facts:
                continue
            options = fact_templates(ev, fact, lang)
            sentences.append(options[variants.get(fact, 0) % len(options)].format(**values))
        if not sentences:
            continue
        text = " ".join(sentences)
        if step == ("lead",) and dateline:
            text = f"{ev.place.upper()} ({ev.agency[0]}) — {text}"
        out.append(("+".join(step), text))
    return out


def headline(ev: Event, lang: str, variant: int, names: tuple[int, int] = (0, 0)) -> str:
    options = HEADLINES[ev.kind][lang]
    return cap(options[variant % len(options)].format(**slots(ev, lang, names)))


def footer(outlet: tuple[str, str, str, str], rng: random.Random) -> list[str]:
    lines = FOOTERS[outlet[1]]
    # each outlet always uses the same lines (its site template), in the same order
    chosen = random.Random(outlet[0]).sample(lines, 2)
    return [line.format(name=outlet[3]) for line in chosen]


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(p for p in keep.split("-") if p)[:80]


# ---------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------
class Writer:
    def __init__(self, rng: random.Random, prefix: str = "d"):
        self.rng = rng
        self.prefix = prefix
        self.count = 0

    def doc(self, ev: Event | None, outlet_host: str, title: str, paragraphs: list[str], when: datetime,
            lang: str, authors: list[str], story: str, kind: str, topic: str, background: set[str]) -> CorpusDoc:
        self.count += 1
        doc_id = f"{self.prefix}{self.count:06d}"
        paragraphs = WALLED.get(outlet_host, []) + paragraphs
        url = f"https://www.{outlet_host}/{when:%Y/%m/%d}/{slug(title)}-{self.count}"
        return CorpusDoc(doc_id, url, outlet_host, title, "\n\n".join(paragraphs), iso(when), lang, authors,
                         story, kind, topic, frozenset(background), ev.kind if ev else "")

    def origin(self, ev: Event, kind: str = "origin", outlet: tuple | None = None) -> CorpusDoc:
        """The wire story (or, for negatives, a story at ``outlet`` based on wire copy)."""
        paras = render(ev)
        body = [t for _, t in paras]
        credit = self.credit(ev)
        host = outlet[0] if outlet else ev.agency[2]
        if outlet:
            body = body + footer(outlet, self.rng)
        else:
            body = body + [credit]
        title = headline(ev, "en", ev.variants.get("title", 0))
        return self.doc(ev, host, title, body, ev.when, "en", [ev.writer, ev.agency[1]], ev.story_id, kind,
                        ev.topic.key, {i for i, _ in paras if "/bg" in i})

    def copy(self, ev: Event, kind: str, outlet: tuple, delay: timedelta) -> CorpusDoc:
        rng = self.rng
        when = ev.when + delay
        lang = outlet[1]
        paras = render(ev)
        bg = {i for i, _ in paras if "/bg" in i}
        body = [t for _, t in paras]
        title = headline(ev, "en", ev.variants.get("title", 0) + 1)
        authors = [ev.agency[1]]
        local = dict(local=outlet[2], local_person=f"{rng.choice(FIRST)} {rng.choice(LAST)}", n_local=rng.randint(20, 400),
                     place=ev.place, actor_s=slots(ev, "en")["actor_s"], subject=ev.topic.subjects[ev.subject]["en"])
        if kind == "verbatim":
            body = [rng.choice(STANDFIRSTS["en"])] + body
        elif kind == "trimmed":
            keep = rng.randint(1, len(body) - 1)  # every length, down to the lede alone
            body = body[:keep]
            bg = {i for i, _ in paras[:keep] if "/bg" in i}
        elif kind == "brief":
            body = body[:2]
            bg = set()
            title = headline(ev, "en", ev.variants.get("title", 0) + 2)
        elif kind == "walled":
            if outlet[0] not in WALLED:
                raise ValueError(f"{outlet[0]} has no wall")
        elif kind in ("update", "writethru"):
            body, bg = self.update_body(ev)
            title = "UPDATE 1-" + headline(ev, "en", ev.variants.get("title", 0))
            if kind == "update":
                return self.doc(ev, ev.agency[2], title, body + [self.credit(ev)], ev.when + delay, "en",
                                [ev.writer, ev.agency[1]], ev.story_id, kind, ev.topic.key, bg)
        elif kind == "extended":
            extra = [t.format(**local) for t in rng.sample(LOCAL, rng.randint(1, 3))]
            at = rng.randint(3, len(body))
            body = body[:at] + extra + body[at:]
            authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}", ev.agency[1]]
        elif kind == "near-identical":
            names = (1, 1)
            edited = render(ev, names=names)
            body = []
            for _, text in edited:
                if "/bg" not in _ and rng.random() < 0.7:
                    applicable = [e for e in EDITS if e[0] in text]
                    for old, new in rng.sample(applicable, min(2, len(applicable))):
                        text = text.replace(old, new, 1)
                body.append(text)
            update = rng.choice(UPDATES).format(**slots(ev, "en", names))
            body.insert(rng.randint(2, len(body) - 1), update)
            title = headline(ev, "en", ev.variants.get("title", 0), names)
        elif kind == "rewrite":
            variants = {k: v + rng.choice([1, 2]) for k, v in ev.variants.items()}  # never the origin's phrasing
            names = (rng.randint(1, 2), rng.randint(1, 2))
            paras = render(ev, variants=variants, names=names, dateline=False)
            # reorder: move the first quote paragraph later, swap two background paragraphs
            order = list(range(len(paras)))
            quote = next(k for k, (i, _) in enumerate(paras) if i == "quote")
            order.remove(quote)
            order.insert(rng.randint(quote + 1, len(order)), quote)
            bgs = [k for k in order if "/bg" in paras[k][0]]
            if len(bgs) >= 2 and rng.random() < 0.7:
                a, b = order.index(bgs[0]), order.index(bgs[1])
                order[a], order[b] = order[b], order[a]
            if len(bgs) == 3 and rng.random() < 0.5:
                order.remove(bgs[2])  # drop a background paragraph
            body = [paras[k][1] for k in order]
            bg = {paras[k][0] for k in order if "/bg" in paras[k][0]}
            if rng.random() < 0.6:
                body.insert(rng.randint(3, len(body)), rng.choice(LOCAL).format(**local))
            title = headline(ev, "en", ev.variants.get("title", 0) + 1, names)
            authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}"]
        elif kind == "translation":
            # foreign-language outlets run a shorter version: the main facts, one quote,
            # the background, and at most one of the other paragraphs
            paras = render(ev, lang=lang, names=(0, rng.randint(0, 1)))
            optional = [i for i, _ in paras if i not in ("lead", "d1", "quote") and "/bg" not in i]
            keep = {"lead", "d1", "quote"} | set(rng.sample(optional, min(len(optional), rng.randint(0, 1))))
            body = [t for i, t in paras if i in keep or "/bg" in i]
            title = headline(ev, lang, 0)
        else:
            raise ValueError(kind)
        if kind in ("verbatim", "extended", "near-identical", "walled", "writethru"):
            body.append(self.credit(ev))  # republishers keep the agency's credit line
        body = body + footer(outlet, rng)
        return self.doc(ev, outlet[0], title, body, when, lang, authors, ev.story_id, kind, ev.topic.key, bg)

    def update_body(self, ev: Event) -> tuple[list[str], set[str]]:
        """The wire's update: the lede rewritten with news, the next two facts reworded, an
        update paragraph inserted after them; the rest as first issued."""
        rng = self.rng
        variants = dict(ev.variants)
        for fact in ("lead", "d1", "quote"):
            variants[fact] = variants.get(fact, 0) + 1
        paras = render(ev, variants=variants)
        body = [t for _, t in paras]
        body[0] = body[0] + " " + rng.choice(LATE_NEWS).format(**slots(ev, "en"))
        body.insert(3, rng.choice(UPDATES).format(**slots(ev, "en")))
        return body, {i for i, _ in paras if "/bg" in i}

    @staticmethod
    def credit(ev: Event) -> str:
        return f"{ev.agency[1]} writer {ev.contributor} contributed to this report."


@dataclass
class Corpus:
    docs: list[CorpusDoc]  # in arrival order
    stories: dict[str, list[str]]  # true story id -> doc ids
    origin: dict[str, str]  # true story id -> origin doc id
    topics: dict[str, Topic]


def _pick_events(topic: Topic, n: int, prefix: str, rng: random.Random, window_days: float = 6.0) -> list[Event]:
    """``n`` distinct events on one topic: never the same event type with the same protagonist."""
    combos = [(k, a) for k in EVENTS for a in range(len(topic.people))]
    used_quotes: set = set()
    rng.shuffle(combos)
    events = []
    for i, (kind, actor) in enumerate(combos[:n]):
        when = topic.start + timedelta(days=rng.uniform(0, window_days), minutes=rng.randint(0, 59))
        ev = new_event(f"{prefix}{i:03d}", topic, kind, actor, when, rng, used_quotes)
        ev.variants = {f: rng.randrange(3) for f in ("lead", "d1", "d2", "quote", "quote2", "title")}
        ev.variants.update({f: rng.randrange(6) for f in ("cost", "context", "critic", "next")})
        ev.facts = set(rng.sample(OPTIONAL_FACTS, rng.choice([3, 4])))
        events.append(ev)
    return events


def quality_corpus(seed: int = 1, stories: int = 40, negatives: int = 150, singletons: int = 50,
                   copies: tuple[int, int] = (4, 6), script_copies: int = 2, script_negatives: int = 36) -> Corpus:
    """The quality corpus: ``stories`` stories with copies, spread over the hand-made topics,
    ``negatives`` other stories on the same topics and weeks, ``singletons`` unrelated articles.
    Then, from a generator of their own (the rest of the corpus is the same without them),
    ``script_copies`` translated copies of each story in as many non-Latin scripts, and
    ``script_negatives`` of the negatives written in those scripts alone."""
    rng = random.Random(seed)
    start = datetime(2025, 3, 3, 6, 0, tzinfo=timezone.utc)
    # each topic has 3 stock paragraphs; two topics share at most one template (filled with
    # their own countries), as different subjects' stock text differs in reality
    chosen: list[list[int]] = []
    while len(chosen) < len(TOPICS):
        pick = sorted(rng.sample(range(len(BACKGROUND)), 3))
        if all(len(set(pick) & set(c)) <= 1 for c in chosen):
            chosen.append(pick)
    topics = {key: make_topic(key, spec, start + timedelta(days=2 * i), rng, templates=chosen[i])
              for i, (key, spec) in enumerate(TOPICS.items())}
    writer = Writer(rng)
    docs: list[CorpusDoc] = []
    keys = list(topics)
    per_topic_stories = [stories // len(keys) + (1 if i < stories % len(keys) else 0) for i in range(len(keys))]
    per_topic_neg = [negatives // len(keys) + (1 if i < negatives % len(keys) else 0) for i in range(len(keys))]
    en_outlets = [o for o in OUTLETS if o[1] == "en"]
    other = [o for o in OUTLETS if o[1] != "en"]
    with_copies: list[Event] = []
    negative_events: list[Event] = []
    for ti, key in enumerate(keys):
        topic = topics[key]
        events = _pick_events(topic, per_topic_stories[ti] + per_topic_neg[ti], f"{key}/s", rng)
        with_copies += events[:per_topic_stories[ti]]
        negative_events += events[per_topic_stories[ti]:]
        for ev in events[:per_topic_stories[ti]]:
            docs.append(writer.origin(ev))
            kinds = rng.sample(WIRE_COPY_TYPES, rng.randint(*copies))
            outlets = rng.sample(en_outlets, len(kinds))
            for kind, outlet in zip(kinds, outlets):
                if kind == "translation":
                    outlet = rng.choice(other)
                elif kind == "walled":
                    walled = rng.choice(sorted(WALLED))
                    outlet = next(o for o in OUTLETS if o[0] == walled)
                docs.append(writer.copy(ev, kind, outlet, timedelta(hours=rng.uniform(0.2, 72))))
        for ev in events[per_topic_stories[ti]:]:
            outlet = rng.choice(en_outlets) if rng.random() < 0.5 else None
            docs.append(writer.origin(ev, "negative", outlet))
    for i in range(singletons):
        topic = random_topic(f"single{i:03d}", start + timedelta(days=rng.uniform(0, 20)), rng)
        ev = _pick_events(topic, 1, f"single{i:03d}/s", rng)[0]
        docs.append(writer.origin(ev, "singleton", rng.choice(en_outlets) if rng.random() < 0.5 else None))
    rng.shuffle(docs)
    if script_copies or script_negatives:
        _add_script_docs(docs, with_copies, negative_events, script_copies, script_negatives, seed)
    return _corpus(docs, topics)


def _add_script_docs(docs: list[CorpusDoc], with_copies: list[Event], negatives: list[Event], per_story: int,
                     n_negatives: int, seed: int) -> None:
    """Translated copies and negatives in non-Latin scripts, inserted at random places of the
    arrival order."""
    from _storyscripts import SCRIPT_LANGS, SCRIPT_OUTLETS, script_doc

    rng = random.Random(f"scripts-{seed}")
    writer = Writer(rng, prefix="n")
    forms = ["translation", "translated-brief", "translated-trim"]
    extra = []
    for i, ev in enumerate(with_copies):
        for lang in rng.sample(SCRIPT_LANGS, per_story):
            outlet = rng.choice([o for o in SCRIPT_OUTLETS if o[1] == lang])
            extra.append(script_doc(writer, ev, rng.choice(forms), outlet, timedelta(hours=rng.uniform(0.2, 72))))
    # negatives: other events of the same topics (never the same event type with the same
    # protagonist, never a story's quote) that only a paper in that script reports
    topics = {ev.topic.key: ev.topic for ev in with_copies + negatives}
    used = {(ev.topic.key, ev.kind, ev.actor) for ev in with_copies + negatives}
    quotes: dict[str, set] = {}
    for ev in with_copies + negatives:
        quotes.setdefault(ev.topic.key, set()).update((ev.q1, ev.q2))
    free = sorted((key, kind, actor) for key, topic in topics.items() for kind in EVENTS
                  for actor in range(len(topic.people)) if (key, kind, actor) not in used)
    for i, (key, kind, actor) in enumerate(rng.sample(free, min(n_negatives, len(free)))):
        topic = topics[key]
        when = topic.start + timedelta(days=rng.uniform(0, 6), minutes=rng.randint(0, 59))
        ev = new_event(f"{key}/x{i:03d}", topic, kind, actor, when, rng, quotes[key])
        outlet = rng.choice([o for o in SCRIPT_OUTLETS if o[1] == SCRIPT_LANGS[i % len(SCRIPT_LANGS)]])
        extra.append(script_doc(writer, ev, "negative", outlet, timedelta(0)))
    for doc in extra:
        docs.insert(rng.randint(0, len(docs)), doc)


def _corpus(docs: list[CorpusDoc], topics: dict[str, Topic]) -> Corpus:
    by_story: dict[str, list[str]] = {}
    origin: dict[str, str] = {}
    for d in docs:
        by_story.setdefault(d.story, []).append(d.doc_id)
        if d.kind in ("origin", "negative", "singleton"):
            origin[d.story] = d.doc_id
    return Corpus(docs, by_story, origin, topics)


def _outlet_for(kind: str, rng: random.Random, other: list, en_outlets: list):
    """An outlet a copy of ``kind`` can appear at (a walled copy needs an outlet with a wall)."""
    if kind == "translation":
        return rng.choice(other)
    if kind == "walled":
        walled = rng.choice(sorted(WALLED))
        return next(o for o in OUTLETS if o[0] == walled)
    return rng.choice(en_outlets)


def scale_stream(n: int, seed: int = 1, per_day: int = 300, translations: bool = False) -> Iterator[CorpusDoc]:
    """``n`` articles for the scale run, in roughly chronological order (shuffled within
    blocks of a few hundred, as a crawl delivers them): generated topics of a week each,
    10 stories a topic, 70 % of them with 0-4 copies (translations only if asked), the
    others single. ``per_day`` articles a day set the dates."""
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 6, 0, tzinfo=timezone.utc)
    writer = Writer(rng, prefix="x")
    en_outlets = [o for o in OUTLETS if o[1] == "en"]
    produced = 0
    topic_no = 0
    block: list[CorpusDoc] = []
    other = [o for o in OUTLETS if o[1] != "en"]
    lexical_types = [t for t in WIRE_COPY_TYPES if translations or t != "translation"]
    while produced < n:
        day = produced / per_day
        topic = random_topic(f"t{topic_no:06d}", start + timedelta(days=day), rng)
        topic_no += 1
        for ev in _pick_events(topic, 10, f"t{topic_no:06d}/s", rng):
            kinds = rng.sample(lexical_types, rng.randint(0, 4)) if rng.random() < 0.7 else []
            group = [writer.origin(ev, "origin" if kinds else "negative")]
            group += [writer.copy(ev, k, _outlet_for(k, rng, other, en_outlets),
                                  timedelta(hours=rng.uniform(0.2, 72))) for k in kinds]
            for d in group:
                if produced >= n:
                    break
                block.append(d)
                produced += 1
            if len(block) >= 400 or produced >= n:
                rng.shuffle(block)
                yield from block
                block = []
        if produced >= n:
            break
    rng.shuffle(block)
    yield from block
