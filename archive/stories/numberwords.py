"""Small numbers written as words, as news writes them: wire style spells out two to nine
("a two-day visit", "four people were killed"), and a translation may write the word or the
figure ("une visite de deux jours", "زيارة تستغرق أربعة أيام", "4 Tote"). Like a figure, the
number survives translation, and a templated story of other events rarely keeps it.

Only words that are a number and nothing common in news in the languages the encoders cover
are read (word frequencies per language told which): not English "ten" (Polish "this", Dutch
"to the"), Italian "due" and "sei", Spanish "dos" and Portuguese "dois" (Portuguese "of the",
French "must"), French "neuf" ("new"), Italian "otto" (a name), Turkish "on" and "yedi"
("ate"), Hindi "दो" ("give") nor Hebrew "שני" (Monday, "second"). Nor is a number that is part
of a larger one ("twenty-two", "vingt-deux", "treinta y tres", "ثلاثة عشر", "on üç", "two
hundred"), or a capitalised word inside a sentence (a name: "Channel Four", "Tre Kronor").
"Two million" reads as two, as ``numbers_of`` reads "2 million"."""

from __future__ import annotations

import re
from functools import lru_cache

_NUMBER_WORDS = {
    2: "two zwei deux twee dwa dwie dwóch dwu два две двух двое iki δύο اثنان اثنين اثنتان اثنتين duas",
    3: "three drei trois drie tres três tre trzy trzech три трёх трех трое üç τρία τρεις τριών तीन ثلاثة ثلاث "
       "שלושה",
    4: "four vier quatre cuatro quatro quattro cztery czterech четыре четырёх четырех dört τέσσερα τέσσερις "
       "τεσσάρων चार أربعة أربع ארבעה",
    5: "five fünf cinq vijf cinco cinque pięć pięciu пять пяти beş πέντε पांच पाँच خمسة خمس חמישה",
    6: "six sechs zes seis sześć sześciu шесть шести έξι छह ستة שישה",
    7: "seven sieben sept zeven siete sete sette siedem siedmiu семь семи επτά εφτά सात سبعة سبع שבעה",
    8: "eight acht huit ocho oito osiem ośmiu восемь восьми sekiz οκτώ οχτώ आठ ثمانية ثماني שמונה",
    9: "nine neun negen nueve nove dziewięć dziewięciu девять девяти dokuz εννέα εννιά تسعة تسع תשעה",
    10: "zehn dix tien diez dez dieci dziesięć dziesięciu десять десяти δέκα दस عشرة",
}
_VALUE = {word: str(n) for n, words in _NUMBER_WORDS.items() for word in words.split()}

# words that make a number word part of a larger number: tens, teens' second halves, hundreds
# and thousands, and the words that join a ten to a unit ("treinta y tres", "vingt et un")
_PART_OF_LARGER = frozenset((
    "twenty thirty forty fifty sixty seventy eighty ninety hundred thousand zwanzig dreißig vingt trente quarante "
    "cinquante soixante cent cents mille twintig dertig veinte treinta cuarenta cincuenta sesenta setenta ochenta "
    "noventa cien ciento cientos mil vinte trinta quarenta cinquenta sessenta setenta oitenta noventa cem cento "
    "venti trenta quaranta cinquanta sessanta settanta ottanta novanta dwadzieścia trzydzieści czterdzieści "
    "pięćdziesiąt sto tysiąc tysiące двадцать тридцать сорок пятьдесят шестьдесят семьдесят восемьдесят "
    "девяносто сто двести триста тысяча тысячи тысяч yirmi otuz kırk elli altmış yetmiş seksen doksan yüz bin "
    "είκοσι τριάντα σαράντα πενήντα εκατό χίλια عشر عشرة عشرون عشرين ثلاثون ثلاثين أربعون أربعين مائة مئة ألف "
    "עשר עשרים מאות אלף").split())
_JOINING = frozenset("and y et e und en i и ve και و".split())
_HYPHENS = frozenset("-‐‑")
_TURKISH = frozenset("iki üç dört beş sekiz dokuz".split())  # after "on" (ten): a teen
_LETTERS = re.compile(r"[^\W\d_]+")  # every word a token may hold
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[-‐‑]", re.UNICODE)


@lru_cache(maxsize=32768)
def number_words_of(text: str) -> frozenset[str]:
    """The numbers two to ten that ``text`` writes as words, as digit strings (``numbers_of``'s
    form)."""
    if _VALUE.keys().isdisjoint(_LETTERS.findall(text.lower())):
        return frozenset()
    tokens = _TOKEN.findall(text)
    found = set()
    for k, token in enumerate(tokens):
        lower = token.lower()
        value = _VALUE.get(lower)
        if value is None or (token != lower and k > 0):
            continue
        before = tokens[k - 1].lower() if k > 0 else ""
        after = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
        if (before in _PART_OF_LARGER or after in _PART_OF_LARGER or before in _VALUE or after in _VALUE
                or before in _HYPHENS or (before == "on" and lower in _TURKISH)
                or (before in _JOINING and k > 1 and tokens[k - 2].lower() in _PART_OF_LARGER)
                or _joined_ten(after)):
            continue
        found.add(value)
    return frozenset(found)


def _joined_ten(word: str) -> bool:
    """An Arabic ten written with its "and" ("ثلاثة وعشرون", twenty-three)."""
    return word.startswith("و") and word[1:] in _PART_OF_LARGER
