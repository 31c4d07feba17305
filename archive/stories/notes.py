"""Editor's notes: what a text says of its own revision ("Update: ...", "Correction: an earlier
version of this article misstated ...", "This story has been updated with ...", "Editor's
note: ..."). A newsroom words them from a stock phrase whatever the story, so two different
stories' updates may share one word for word, or all but the name of whom they quote. They stay
in the text (the story page shows what an update added) but are never evidence that two texts
tell one story.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .fingerprint import SENTENCE_CACHE
from .prefilter import may_match, needed_strings

# a label opening the sentence, then a colon or a dash ("UPDATE 2 -", "Mise à jour :")
_LABEL = re.compile(
    r"^\W{0,3}(?:"
    r"updat(?:e|ed|es)(?:\s+\d+)?|correction|corrections|clarification|editor[’']?s[’']? note|note to editors|"
    r"actualizaci[oó]n|correcci[oó]n|fe de erratas|nota (?:del editor|de la redacci[oó]n|da reda[cç][aã]o|do editor|della redazione)|"
    r"mise à jour|rectificatif|précision|note de la rédaction|"
    r"aktualisierung|aktualisiert|korrektur|berichtigung|(?:anmerkung|hinweis) der redaktion|"
    r"aggiornamento|correzione|rettifica|atualiza[cç][aã]o|corre[cç][aã]o|"
    r"aktualizacja|sprostowanie|od redakcji|güncelleme|düzeltme|editörün notu|"
    r"обновлено|обновление|исправление|поправка|уточнение|от редакции|примечание редакции|"
    r"تحديث|تصحيح|ملاحظة المحرر|עדכון|תיקון|"
    r"更新|更正|订正|訂正|追記|编者按|編者按|編集部注|업데이트|정정|바로잡습니다|편집자 주"
    r")\s*[:：\-–—]", re.IGNORECASE)

# a wire's note on what a reissue changed, in brackets: "(Adds comment from the ministry in paragraph 5)"
_WIRE_NOTE = re.compile(
    r"^\W{0,2}\((?:adds|updates|recasts|corrects|refiles|rewrites|changes|fixes|inserts|removes|moves|clarifies)"
    r"\b[^()]{0,200}\)\W{0,2}$", re.IGNORECASE)

# a sentence about "this article" and its revision, wherever it stands
_ABOUT_ITSELF = re.compile(
    r"\b(?:this|the) (?:story|article|report|post|piece|item) (?:has been|was|is being|will be) "
    r"(?:updated|corrected|amended|revised|changed)\b|"
    r"\ban? (?:earlier|previous|prior) version of this (?:story|article|report|post|piece)\b|"
    r"\b(?:this|the) (?:story|article|report) (?:has been )?(?:updated|corrected) (?:to|with)\b|"
    r"\b(?:esta|la) (?:noticia|nota|información|informaci[oó]n) (?:ha sido|fue) (?:actualizada|corregida)\b|"
    r"\bcet article a été (?:mis à jour|modifié|corrigé|actualisé)\b|"
    r"\b(?:dieser|der) (?:artikel|beitrag|text) wurde (?:\w+ ){0,3}(?:aktualisiert|korrigiert|ergänzt)\b|"
    r"\bquesto articolo è stato (?:aggiornato|corretto)\b|"
    r"\b(?:esta|a) (?:notícia|matéria|reportagem) foi (?:atualizada|corrigida)\b|"
    r"\b(?:artykuł|tekst|materiał) (?:został|zostal) (?:zaktualizowany|poprawiony)\b|"
    r"\b(?:статья|материал|новость|текст) (?:был[аои]? )?(?:обновл[её]н|дополнен|исправлен)\w*|"
    r"本文已更新|本文已更正|この記事は.{0,12}(?:更新|訂正)|이 기사는.{0,12}(?:업데이트|수정|정정)",
    re.IGNORECASE)


_ABOUT_ITSELF_NEEDS = needed_strings(_ABOUT_ITSELF)


@lru_cache(maxsize=SENTENCE_CACHE)
def is_editors_note(sentence: str) -> bool:
    """Whether a sentence is a note on its text's own revision."""
    if _LABEL.match(sentence) or _WIRE_NOTE.match(sentence):
        return True
    return may_match(_ABOUT_ITSELF_NEEDS, sentence, sentence.casefold()) and bool(_ABOUT_ITSELF.search(sentence))
