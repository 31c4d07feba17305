"""Latin names written in other scripts, as newspapers in those scripts write them (helper of
``_storyscripts.py``): "Youssef El Idrissi" -> "Юсеф Эль Идрисси", "尤塞夫·埃尔·伊德里西",
"ユセフ・エル・イドリシ", "유세프 엘 이드리시", "يوسف ال ادريسي", "ยูเซฟ เอล อิดริสซี".

Rule-based and approximate on purpose: a translation's names need not match the original's
letters (a tracker must not lean on them), only be consistent from one article to the next.
"""

from __future__ import annotations

import re
import unicodedata

_DIGRAPHS = ("sch", "sh", "ch", "kh", "zh", "ts", "th", "ph", "gh", "dj", "ou", "ee", "oo", "ck", "qu", "ng")
_VOWELS = set("aeiou")


def phonemes(word: str) -> list[str]:
    """A Latin word as rough sounds: "Youssef" -> ["y", "ou", "s", "e", "f"]."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if c.isalpha() and c.isascii())
    out: list[str] = []
    i = 0
    while i < len(plain):
        for d in _DIGRAPHS:
            if d == "qu" and plain.startswith(d, i) and plain[i + 2:i + 3] not in _VOWELS:
                out += ["k", "u"]  # "Rafiqul": the u is a vowel of its own before a consonant
                i += 2
                break
            if plain.startswith(d, i):
                out.append({"sch": "sh", "ou": "u", "ee": "i", "oo": "u", "ck": "k", "qu": "kw", "dj": "j",
                            "ph": "f", "gh": "g", "th": "t"}.get(d, d))
                i += len(d)
                break
        else:
            c = plain[i]
            if out and out[-1] == c and c not in _VOWELS:  # doubled consonants are written once
                i += 1
                continue
            out.append({"c": "k", "q": "k", "x": "ks"}.get(c, c))
            i += 1
    # y between consonants (or last) is a vowel
    return ["i" if p == "y" and (k == len(out) - 1 or out[k + 1] not in _VOWELS) and k > 0 else p
            for k, p in enumerate(out)]


def syllables(ph: list[str]) -> list[tuple[str, str]]:
    """(consonant, vowel) pairs; a consonant without vowel has vowel ""; "ng"/"n" codas kept apart."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(ph):
        p = ph[i]
        if p in _VOWELS:
            out.append(("", p))
            i += 1
        elif i + 1 < len(ph) and ph[i + 1] in _VOWELS:
            out.append((p, ph[i + 1]))
            i += 2
        else:
            out.append((p, ""))
            i += 1
    return out


_RU = {"a": "а", "b": "б", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "дж", "k": "к",
       "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в",
       "w": "в", "y": "й", "z": "з", "sh": "ш", "ch": "ч", "kh": "х", "zh": "ж", "ts": "ц", "ng": "нг", "ks": "кс",
       "kw": "кв"}
_RU_Y = {"a": "я", "u": "ю", "o": "ё", "e": "е"}


def russian(word: str) -> str:
    ph = phonemes(word)
    out = []
    for k, p in enumerate(ph):
        if p == "y" and k + 1 < len(ph) and ph[k + 1] in _RU_Y:
            continue
        if k and ph[k - 1] == "y" and p in _RU_Y:
            out.append(_RU_Y[p])
        elif p == "e" and (k == 0 or ph[k - 1] in _VOWELS):
            out.append("э")
        else:
            out.append(_RU.get(p, ""))
    text = "".join(out)
    return text[:1].upper() + text[1:]


_AR = {"b": "ب", "p": "ب", "t": "ت", "j": "ج", "h": "ه", "kh": "خ", "d": "د", "r": "ر", "z": "ز", "s": "س",
       "sh": "ش", "f": "ف", "v": "ف", "k": "ك", "l": "ل", "m": "م", "n": "ن", "w": "و", "y": "ي", "g": "غ",
       "ch": "تش", "ts": "تس", "zh": "ج", "ng": "نغ", "ks": "كس", "kw": "كو"}
_AR_LONG = {"a": "ا", "e": "ي", "i": "ي", "o": "و", "u": "و"}


def arabic(word: str) -> str:
    out = []
    parts = syllables(phonemes(word))
    for k, (c, v) in enumerate(parts):
        if not c:
            out.append(("ا" if v in "aei" else "او") if k == 0 else _AR_LONG[v])
            continue
        out.append(_AR.get(c, ""))
        if v and not (v == "e" and k == len(parts) - 1):  # a final e is not written
            out.append(_AR_LONG[v])
    return "".join(out)


_KANA_ROWS = {
    "": "アイウエオ", "k": "カキクケコ", "g": "ガギグゲゴ", "s": "サシスセソ", "z": "ザジズゼゾ", "t": "タティトゥテト",
    "d": "ダディドゥデド", "n": "ナニヌネノ", "h": "ハヒフヘホ", "b": "バビブベボ", "p": "パピプペポ", "m": "マミムメモ",
    "r": "ラリルレロ", "l": "ラリルレロ", "y": "ヤイユイエヨ", "w": "ワウィウウェウォ", "v": "ヴァヴィヴヴェヴォ",
    "f": "ファフィフフェフォ", "j": "ジャジジュジェジョ", "sh": "シャシシュシェショ", "ch": "チャチチュチェチョ",
    "kh": "ハヒフヘホ", "zh": "ジャジジュジェジョ", "ts": "ツァツィツツェツォ",
}


def _kana(consonant: str, vowel: str) -> str:
    row = _KANA_ROWS.get(consonant, _KANA_ROWS["k"])
    # rows of five single kana, or of digraphs (two characters each, "i" and "u" maybe one)
    cells = re.findall(r"[ァ-ヴー][ァィゥェォャュョ]?", row)
    return cells["aiueo".index(vowel)] if len(cells) == 5 else cells[min("aiueo".index(vowel), len(cells) - 1)]


def katakana(word: str) -> str:
    out = []
    for c, v in syllables(phonemes(word)):
        if c == "ks":
            out.append("ク")
            c = "s"
        if c == "kw":
            out.append("ク")
            c = "w"
        if not v:
            out.append("ン" if c in ("n", "ng") else _kana(c, "o" if c in ("t", "d") else "u"))
        else:
            out.append(_kana(c, v))
    return "".join(out)


_HANGUL_ONSET = {"g": 0, "k": 15, "n": 2, "d": 3, "t": 16, "r": 5, "l": 5, "m": 6, "b": 7, "v": 7, "p": 17,
                 "f": 17, "s": 9, "sh": 9, "": 11, "ng": 11, "j": 12, "zh": 12, "z": 12, "ch": 14, "ts": 14,
                 "h": 18, "kh": 18, "y": 11, "w": 11}
_HANGUL_VOWEL = {"a": 0, "e": 5, "i": 20, "o": 8, "u": 13}
_HANGUL_Y = {"a": 2, "e": 7, "o": 12, "u": 17, "i": 20}
_HANGUL_W = {"a": 9, "e": 15, "i": 16, "o": 14, "u": 13}
_HANGUL_CODA = {"n": 4, "m": 16, "l": 8, "r": 8, "ng": 21, "k": 1, "p": 17, "b": 17, "t": 19, "s": 19}


def hangul(word: str) -> str:
    out: list[int] = []
    for c, v in syllables(phonemes(word)):
        if c == "ks":
            out.append(0xAC00 + (_HANGUL_ONSET["k"] * 21 + 18) * 28)
        if c == "kw" and v:
            out.append(0xAC00 + (_HANGUL_ONSET["k"] * 21 + _HANGUL_W[v]) * 28)
            continue
        c = "s" if c == "ks" else "w" if c == "kw" else c
        if v:
            vowel = (_HANGUL_Y if c in ("y", "sh", "j") and v != "i" else _HANGUL_W if c == "w" else _HANGUL_VOWEL)[v]
            out.append(0xAC00 + (_HANGUL_ONSET.get(c, 11) * 21 + vowel) * 28)
        elif out and c in _HANGUL_CODA and (out[-1] - 0xAC00) % 28 == 0:
            out[-1] += _HANGUL_CODA[c]
        else:
            out.append(0xAC00 + (_HANGUL_ONSET.get(c, 11) * 21 + 18) * 28)
    return "".join(map(chr, out))


_HAN = {
    "": "阿埃伊奥乌", "b": "巴贝比博布", "p": "帕佩皮波普", "m": "马梅米莫穆", "f": "法费菲福富", "v": "瓦韦维沃武",
    "w": "瓦韦维沃武", "d": "达德迪多杜", "t": "塔特蒂托图", "n": "纳内尼诺努", "l": "拉莱利洛卢", "r": "拉雷里罗鲁",
    "g": "加格吉戈古", "k": "卡克基科库", "h": "哈赫希霍胡", "kh": "哈赫希霍胡", "j": "贾杰吉乔朱", "zh": "扎热日若茹",
    "s": "萨塞西索苏", "z": "扎泽齐佐祖", "sh": "沙谢希肖舒", "ch": "查切奇乔丘", "y": "亚耶伊约尤", "ts": "察采齐措楚",
}
_HAN_ALONE = {"n": "恩", "ng": "恩", "m": "姆", "l": "尔", "r": "尔", "s": "斯", "t": "特", "d": "德", "k": "克",
              "g": "格", "b": "布", "p": "普", "f": "夫", "v": "夫", "w": "夫", "h": "赫", "kh": "赫", "z": "兹",
              "sh": "什", "ch": "奇", "j": "吉", "zh": "日", "ts": "茨", "y": "伊", "ks": "克斯", "kw": "夸"}


def han(word: str) -> str:
    out = []
    for c, v in syllables(phonemes(word)):
        if c in ("ks", "kw"):
            out.append("克")
            c = "s" if c == "ks" else "w"
        out.append(_HAN.get(c, _HAN["k"])["aeiou".index(v)] if v else _HAN_ALONE.get(c, ""))
    return "".join(out)


_THAI = {"k": "ค", "g": "ก", "kh": "ข", "ng": "ง", "ch": "ช", "j": "จ", "s": "ส", "sh": "ช", "z": "ซ", "d": "ด",
         "t": "ต", "n": "น", "b": "บ", "p": "ป", "f": "ฟ", "v": "ว", "m": "ม", "y": "ย", "r": "ร", "l": "ล",
         "w": "ว", "h": "ฮ", "zh": "ช", "ts": "ซ", "ks": "กซ", "kw": "คว", "": "อ"}


def thai(word: str) -> str:
    out = []
    for c, v in syllables(phonemes(word)):
        consonant = _THAI.get(c, "ค")
        if v == "a":
            out.append(consonant + "า")
        elif v == "i":
            out.append(consonant + "ิ")
        elif v == "u":
            out.append(consonant + "ู")
        elif v == "e":
            out.append("เ" + consonant)
        elif v == "o":
            out.append("โ" + consonant)
        else:
            out.append(consonant)
    return "".join(out)


_BY_LANGUAGE = {"ru": (russian, " "), "ar": (arabic, " "), "ja": (katakana, "・"), "ko": (hangul, " "),
                "zh": (han, "·"), "th": (thai, " ")}


def transliterate(name: str, language: str) -> str:
    """A person's or place's Latin name in ``language``'s script."""
    convert, joiner = _BY_LANGUAGE[language]
    return joiner.join(convert(part) for part in re.split(r"[\s-]+", name) if part)
