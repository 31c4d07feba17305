"""What two sentences must have in common to be one sentence copied, edited, reworded or
translated: the figures, weekdays, months, countries and names they give (``Anchors``)."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .crossnames import foreign_skeletons, latin_skeletons, names_across
from .fingerprint import Sentence, days_of, dotted_names, months_of, name_runs, names_of, numbers_of
from .namesets import TextNames, joined_parts, script_of_name, share_none
from .numberwords import number_words_of
from .places import countries_in
from .splice import (TOPIC_SENTENCES, TOPIC_SENTENCES_OTHER, quotes_apart, quotes_someone, sentences_using, spliced,
                     subjects_apart, words_of)
from .text import CASED_ALPHABETS
from .thainames import names_apart as thai_names_apart


class Anchors:
    """Templated sentences of different stories ("X, the trade minister, said spending rose
    14.2 percent" / "Y, the mayor, said spending rose 11.8 percent") read alike, in words and
    in embedding space. A sentence and its copy, edited, reworded or translated, keep their
    numbers, weekdays and names (respelled at most): of two sentences that both carry numbers,
    one's must all be in the other (a copy may drop or add a figure, not change one); two
    that both name a weekday, a month or a country (in any language) must share one, and two
    that both name someone or somewhere must share a name, and not each a name of their own
    text that the other text never names (``protagonists_apart``). Two sentences of one language built on one stock
    clause (``splice``) are not one sentence edited."""

    def __init__(self, a: Sequence[Sentence], b: Sequence[Sentence], translated: bool = False):
        self.a, self.b = a, b
        self.translated = translated
        self._numbers: dict[tuple[int, int], set[str]] = {}
        self._names: dict[tuple[int, int], tuple[set[str], set[str]]] = {}
        self._days: dict[tuple[int, int], set[int]] = {}
        self._months: dict[tuple[int, int], set[int]] = {}
        self._skeletons: dict[int, frozenset[str]] = {}
        self._texts: dict[int, TextNames] = {}
        self._written: frozenset[str] | None = None
        self._uses: tuple[dict[str, int], dict[str, int]] | None = None
        self._subjects: tuple[set[str], set[str]] = (set(), set())

    def _of(self, side: int, index: int) -> tuple[set[str], tuple[set[str], set[str]], set[int], set[int]]:
        key = (side, index)
        if key not in self._numbers:
            text = (self.a, self.b)[side][index].text
            self._numbers[key] = numbers_of(text) | number_words_of(text)
            dotted = dotted_names(text)
            self._names[key] = (names_of(text) | dotted | joined_parts(text),
                                names_of(text, with_initials=True) | dotted | joined_parts(text, with_initials=True))
            self._days[key] = days_of(text)
            self._months[key] = months_of(text)
        return self._numbers[key], self._names[key], self._days[key], self._months[key]

    def conflict(self, i: int, j: int) -> bool:
        return self.figures_apart(i, j) or self.names_conflict(i, j) or self.protagonists_apart(i, j)

    def figures_apart(self, i: int, j: int) -> bool:
        """Whether the two sentences give figures (in digits or words, ``numberwords``), weekdays
        or months the other does not, or each names countries and they name none alike (in any
        language, ``places``)."""
        numbers_a, _, days_a, months_a = self._of(0, i)
        numbers_b, _, days_b, months_b = self._of(1, j)
        if ((numbers_a and numbers_b and not (numbers_a <= numbers_b or numbers_b <= numbers_a))
                or (days_a and days_b and not (days_a & days_b))
                or (months_a and months_b and not (months_a & months_b))):
            return True
        countries_a, countries_b = countries_in(self.a[i].text), countries_in(self.b[j].text)
        return bool(countries_a and countries_b and not countries_a & countries_b)

    def protagonists_apart(self, i: int, j: int) -> bool:
        """Whether each sentence names someone or somewhere its own text names again and the
        other text never names (respelled at most): one template told of two stories' own
        people ("Ibáñez will lay a wreath in Santiago" / "Condori is also due to lay a wreath
        in Santiago"), which sharing a place does not make one. A name a sentence starts with
        counts when its text names it again; a name met once (an outlet's own) does not."""
        return bool(self._unknown_protagonists(0, i) and self._unknown_protagonists(1, j))

    def reworded_apart(self, i: int, j: int) -> bool:
        """Whether, in one language, either sentence names someone or somewhere its text names
        again and the other text never names, the agency its dateline credits aside ("TAZRIT
        (Aurora Press) —" ... "told Aurora Press", which a copy leaves out): a rewording keeps
        a story's people ("Faisal bin Saad is demanding to meet defence minister Hisham
        Ezzeldin" is not "Faisal bin Saad went on" of a text that never names Ezzeldin), where
        an edit may cut a name and a translation write it in another alphabet. Only names
        written with a capital count: in an alphabet without capitals the words a text repeats
        stand for its names, and a rewording may say another word for any of them."""
        return not self.translated and any(
            script_of_name(name) in CASED_ALPHABETS for side, index in ((0, i), (1, j))
            for name in self._unknown_protagonists(side, index) - self.text_names(side).credited)

    def _unknown_protagonists(self, side: int, index: int) -> set[str]:
        return self.text_names(1 - side).unknown(self.text_names(side).protagonists(index))

    def text_names(self, side: int) -> TextNames:
        if side not in self._texts:
            self._texts[side] = TextNames((self.a, self.b)[side])
        return self._texts[side]

    def spliced(self, i: int, j: int) -> bool:
        """Whether the two sentences, in one language, are built on one stock clause."""
        return not self.translated and spliced(self.a[i].text, self.b[j].text)

    def quotes_apart(self, i: int, j: int) -> bool:
        """Whether the two sentences, in one language, quote someone saying different things."""
        return not self.translated and quotes_apart(self.a[i].text, self.b[j].text)

    def topics_apart(self, i: int, j: int, edit: bool = True) -> bool:
        """Whether the two sentences, in one language, are one template filled in with each
        text's own subject (``splice.subjects_apart``). An edit keeps the subject wherever it
        stands; a paraphrase words it as it likes, so that, reworded (``edit=False``), two
        sentences are apart only when each says a word its text says in ``TOPIC_SENTENCES`` or
        more, or a subject the texts were found to fill a template with."""
        if self.translated:
            return False
        if self._uses is None:
            self._uses = (sentences_using([s.text for s in self.a]), sentences_using([s.text for s in self.b]))
        ta, tb = self.a[i].text, self.b[j].text
        if edit:
            own_a, own_b = subjects_apart(ta, tb, *self._uses, least=TOPIC_SENTENCES_OTHER)
            self._subjects[0].update(own_a)
            self._subjects[1].update(own_b)
            return bool(own_a)
        return bool(subjects_apart(ta, tb, *self._uses, least=TOPIC_SENTENCES)[0]
                    or (self._subjects[0] & words_of(ta) and self._subjects[1] & words_of(tb)))

    def names_conflict(self, i: int, j: int) -> bool:
        """Whether the two sentences name different people or places (in Thai, which has no
        capitals: read alike but for a name in one place, ``thainames``)."""
        names_a, names_b = self._of(0, i)[1], self._of(1, j)[1]
        return (conflicting_names(self._named(names_a), self._named(names_b), names_a[1], names_b[1])
                or self._names_conflict_across(0, i, 1, j) or self._names_conflict_across(1, j, 0, i)
                or thai_names_apart(self.a[i].text, self.b[j].text))

    def _named(self, names: tuple[set[str], set[str]]) -> set[str]:
        """A sentence's names, with the word it starts a sentence or a quotation with when
        either text writes that word as a name elsewhere ("analysts said: Tammsaar had made ..."
        / "... a meeting between Tammsaar and business leaders")."""
        if self._written is None:
            self._written = frozenset(name for s in (*self.a, *self.b) for name in names_of(s.text))
        return names[0] | (names[1] & self._written)

    def _names_conflict_across(self, side: int, i: int, other: int, j: int) -> bool:
        """Sentence ``j``, in another script, writes a name of ``side``'s text that sentence
        ``i`` does not name, and none of the names ``i`` does (those long enough to be found in
        another script): it is about someone or somewhere else. A name is refuted only by a
        name found, never by one missing: transliteration misses some."""
        there = (self.a, self.b)[other][j].text
        if not foreign_skeletons(there):  # nothing written in another script
            return False
        mine = name_runs((self.a, self.b)[side][i].text, with_initials=True)
        if not latin_skeletons(mine) or names_across(mine, there):
            return False
        return not self._text_skeletons(side).isdisjoint(foreign_skeletons(there))

    def _text_skeletons(self, side: int) -> frozenset[str]:
        """The skeletons of every name of ``side``'s text, made once per pair of texts."""
        if side not in self._skeletons:
            runs = (run for s in (self.a, self.b)[side] for run in name_runs(s.text, with_initials=True))
            self._skeletons[side] = frozenset(latin_skeletons(runs))
        return self._skeletons[side]

    def drop(self, scores: np.ndarray, threshold: float, rows: Sequence[int], cols: Sequence[int],
             stock_clause: str = "") -> None:
        """Zero the scores of pairs in conflict, of two sentences of one language each filled
        in with its own story's subject (``topics_apart``: a copy, edited or reworded, keeps the
        subject its text says throughout), and of two sentences built on one stock clause:
        always with ``stock_clause="edit"`` (the lexical tier: an edit changes words, not what a
        sentence goes on to say), with ``stock_clause="quote"`` when both quote someone (the
        semantic tier: a paraphrase may keep a clause of its original's narrative, but a copy
        rewords no one's quoted words, so two quotes that part after a clause are two quotes, as are
        two whose words mostly differ, ``quotes_apart``), and, reworded, of two sentences of which
        one names its own story's people and the other text never does (``reworded_apart``)."""
        for x, y in np.argwhere(scores >= threshold):
            i, j = rows[x], cols[y]
            if self.conflict(i, j) or (stock_clause and self.spliced(i, j) and (
                    stock_clause == "edit" or (quotes_someone(self.a[i].text) and quotes_someone(self.b[j].text)))) or (
                    stock_clause and self.topics_apart(i, j, edit=stock_clause == "edit")) or (
                    stock_clause == "quote" and (self.quotes_apart(i, j) or self.reworded_apart(i, j))):
                scores[x, y] = 0.0

    def matchable(self, rows: list[int], cols: list[int]) -> tuple[list[int], list[int]]:
        """The sentences that could match some sentence of the other side: only those are
        worth embedding."""
        pairs = [(i, j) for i in rows for j in cols if not self.conflict(i, j)]
        keep_a = {i for i, _ in pairs}
        keep_b = {j for _, j in pairs}
        return [i for i in rows if i in keep_a], [j for j in cols if j in keep_b]


def conflicting_names(a: set[str], b: set[str], loose_a: set[str] | None = None,
                    loose_b: set[str] | None = None) -> bool:
    """Both name someone or somewhere and share no name, compared within each alphabet: a
    translation writes Gantz as "Ганц", and no name of one alphabet can refute the other's.
    ``loose_a`` and ``loose_b`` add the capitalised words that start a sentence or a quotation:
    a name one sentence starts with ("Rakhimov said") may be named inside the other."""
    if not (a and b):
        return False
    if loose_a or loose_b:
        return share_none(a, loose_b or b) and share_none(loose_a or a, b)
    return share_none(a, b)
