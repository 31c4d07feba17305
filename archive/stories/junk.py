"""Sentences that are page furniture, not news: consent and cookie walls, bot and IP-block
pages, paywall notices, ad-blocker nags, donation appeals, newsletter and social prompts,
copyright, reproduction and disclaimer notices, pointers to the site's other articles.

They are left out of story tracking altogether (never evidence, wherever they stand in a text),
and a text made of little else is a *wall*: a capture, not an article (``wall_kind``).
The phrases are those real pages use, in the languages the crawler meets most, including the
machine-translated forms that republishers print.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from .prefilter import may_match, needed_strings
from .text import DATELINE, split_paragraphs, split_sentences, words


class Junk(StrEnum):
    CONSENT = "consent"
    BOT_WALL = "bot-wall"
    PAYWALL = "paywall"
    ADBLOCK = "adblock"
    DONATION = "donation"
    NEWSLETTER = "newsletter"
    SOCIAL = "social"
    COPYRIGHT = "copyright"
    RELATED = "related"


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_PATTERNS: dict[Junk, re.Pattern] = {
    Junk.CONSENT: _any(
        r"\b(?:we|this (?:web)?site|our (?:web)?site) (?:uses?|sets?) cookies\b",
        r"\bcookies? (?:policy|settings|preferences|consent|notice|banner|must be enabled)\b",
        r"\b(?:accept|allow|enable|disable) (?:all )?cookies\b", r"\bno cookies\b",
        r"\buse of cookies\b", r"\bthird[- ]party cookies\b",
        r"\b(?:see|read|view) our privacy (?:notice|policy|statement)\b",
        r"\bwe (?:and our partners )?(?:collect|process|store) (?:\w+ ){0,3}(?:data|information)\b",
        r"\bby (?:clicking|continuing|using)\b.{0,60}\b(?:accept|agree|consent|ok)\b",
        r"\byou (?:agree|consent) to (?:the|our) use\b", r"\bverwendung von cookies\b",
        r"\b(?:stimmen|willigen) sie\b.{0,80}\b(?:zu|ein)\b", r"\bnutzungsverhalten\b",
        r"\b(?:messen|analysieren) und (?:werten|auswerten)\b", r"\bcookie-?informationen\b", r"\b(?:verwendet|verwenden|nutzen|setzen)\b.{0,40}\bcookies\b",
        r"\bdatenschutz(?:erklärung|hinweise?|einstellungen|bestimmungen)\b",
        r"\b(?:sammeln|erheben) wir\b.{0,60}\binformationen\b",
        r"\bpliki?(?:ów)? cookies?\b", r"\brodo\b", r"\bdan(?:e|ych) osobow(?:e|ych)\b",
        r"\bzbieramy\b.{0,40}\binformacje\b", r"\bpolityk\w* prywatności\b", r"\bszanujemy twoją prywatność\b",
        r"\butilis\w* des cookies\b", r"\bpolitique de confidentialité\b", r"\brecaptcha\b",
        r"\butiliz\w* (?:las |i )?cookies?\b", r"\bpolítica de privacidad\b", r"\binformativa sulla privacy\b",
        r"\bфайл\w* cookie\b", r"\bполитик\w* конфиденциальности\b", r"\bуведомлени\w* о конфиденциальности\b",
        r"\bçerez\w*\b", r"\bgizlilik politikası\b", r"\bkvkk\b",
        r"ملفات تعريف الارتباط", r"سياسة الخصوصية",
        r"隐私声明|隐私政策|隐私权政策|クッキー|個人情報保護方針",
    ),
    Junk.BOT_WALL: _any(
        r"\bi am not a robot\b", r"\bnie jestem robotem\b", r"\bне робот\b",
        r"\byour ip(?: address)?\b", r"\bip address you are\b", r"\badres(?:u|ie)? ip\b", r"\bip-adresse\b",
        r"\bcaptcha\b", r"\baccess (?:to this page )?(?:has been )?denied\b", r"\bunusual traffic\b",
        r"\bverify (?:that )?you are (?:a )?human\b", r"\bare you a robot\b",
        r"\b(?:enable|activate|turn on) javascript\b", r"\bjavascript (?:is )?(?:disabled|required|must be enabled)\b",
        r"\babilita javascript\b", r"\bjavascript aktivieren\b", r"\bактивируйте javascript\b",
        r"\bbrowser (?:is )?(?:not supported|out of date|outdated)\b", r"\bin-app browser\b",
    ),
    Junk.PAYWALL: _any(
        r"\bsubscribe (?:now )?(?:to|and) (?:continue|keep) reading\b", r"\bto continue (?:reading|viewing)\b",
        r"\b(?:already|current|existing) (?:an? )?(?:print |digital |online )?subscriber\b", r"\bcomplimentary access\b",
        r"\blimit (?:for|of) free (?:access|articles)\b", r"\bfree articles? (?:left|remaining)\b",
        r"\bsign in with your existing account\b", r"\blog ?in or (?:register|subscribe)\b",
        r"\bsubscribing to our services\b", r"\bunlimited (?:digital )?access\b",
        r"\byou (?:have to|must|need to) create an? (?:online )?account\b",
        r"\b(?:take|start) (?:a|your) free trial\b", r"\bregistered users can read\b",
        r"\benter your details below\b", r"\btrial request form\b", r"\bonly accepts work email\b",
        r"\bpassword (?:for your account )?must be at least\b",
        r"\bbereits abonnent\b", r"\bjetzt (?:weiterlesen|abonnieren)\b", r"\bplus-artikel\b",
        r"\bregistrieren sie sich jetzt kostenlos\b", r"\bnoch keinen zugang zum archiv\b",
        r"\bpas encore accès aux archives\b", r"\binscrivez-vous maintenant gratuitement pour continuer\b",
        r"\bregister (?:now )?for free to continue\b", r"\bdon'?t have access to the archive yet\b",
        # a registration wall's form and its sales pitch
        r"\bwhy should i (?:register|sign up)\b", r"\bonce (?:you are )?(?:logged|signed) in, you can\b",
        r"\b(?:required|mandatory) fields\b", r"\bregistered users can (?:search|access)\b",
        r"\bbitte registrieren\b", r"\bwarum sollte ich mich (?:registrieren|anmelden)\b",
        r"\bnachdem sie sich angemeldet haben\b", r"\bpflichtfelder\b", r"\bangemeldete nutzer können\b",
        r"\bveuillez vous (?:connecter|inscrire)\b", r"\bpourquoi devrais-je m'inscrire\b",
        r"\bune fois connecté\w*, vous pouvez\b", r"\bchamps obligatoires\b", r"\butilisateurs enregistrés peuvent\b",
        r"\bpor qué debería registrarme\b", r"\bcampos obligatorios\b", r"\busuarios registrados pueden\b",
        r"\bcampi obbligatori\b", r"\bgli utenti registrati possono\b",
        r"\bdéjà abonné\b", r"\bcontenu réservé aux abonnés\b", r"\bgià abbonato\b", r"\bya eres suscriptor\b",
        r"\bdostęp do (?:pełnej )?treści\b", r"\bпродолжить чтение\b",
        r"订阅者|继续阅读|无限制地访问|无限访问|購読者",
    ),
    Junk.ADBLOCK: _any(
        r"\bad ?block(?:er|ing)?\b", r"\bwerbeblocker\b", r"\bbloqueur de publicité\b", r"\bblocco degli annunci\b",
        r"\bблокировщик\w* рекламы\b", r"广告拦截|屏蔽广告|广告屏蔽",
    ),
    Junk.DONATION: _any(
        r"\bsupport (?:real|local|independent|quality|our|progressive) journalism\b",
        r"\b(?:please )?(?:consider )?(?:make a|making a) (?:donation|contribution)\b", r"\bdonate (?:now|today)\b",
        r"\breader[- ]supported\b", r"\bchip in \$?\d", r"\bbecome a (?:member|patron|supporter)\b",
        r"\bunterstützen sie (?:unseren|unabhängigen|uns)\b", r"\bsoutenez (?:notre|le) journalisme\b",
        r"\bwesprzyj\b", r"\bподдержите (?:настоящую|местную|независимую)? ?журналистик\w*\b",
        r"支持.{0,8}(?:新闻|新聞)业?", r"التبرع للموقع|تبرع للموقع|ادعمونا|ادعمنا",
    ),
    Junk.NEWSLETTER: _any(
        r"\bsign (?:me )?up (?:to|for) (?:receive )?(?:our |the )?(?:free )?(?:daily |weekly )?(?:email|e-mail|newsletter)",
        r"\bthank you for (?:subscribing|signing up)\b", r"\binvalid email\b", r"\bwe have more newsletters\b",
        r"\bcould not subscribe\b", r"\b(?:subscribe|sign up) to (?:our|the) newsletter\b",
        r"\bin your inbox\b", r"\bnewsletter abonnieren\b", r"\binscrivez-vous\b",
        r"\biscriviti alla newsletter\b", r"\bsuscr[ií]bete\b", r"\bzapisz się\b",
        r"\bподпишитесь на\b", r"\bспасибо за подписку\b", r"\bрассылк\w*\b",
        r"订阅来自|感谢您订阅|时事通讯|收件箱|电子邮件提醒",
        # e-mail alert widgets, their template placeholders left unfilled
        r"\{\{\s*[\w\s]+\}\}", r"\bemail notifications\b", r"\byour notification has been saved\b",
        r"\bproblem saving your notification\b", r"\bnotificaciones por correo electr[oó]nico\b",
        r"\bsu notificaci[oó]n se ha guardado\b", r"\bal guardar su notificaci[oó]n\b",
        r"电子邮件通知|您的通知已保存|保存您的通知时出现问题",
    ),
    Junk.SOCIAL: _any(
        r"\bfollow us on (?:twitter|facebook|instagram|telegram|linkedin|tiktok|youtube|whatsapp)\b",
        r"\b(?:join|subscribe to) (?:us|our channel) on (?:telegram|whatsapp)\b",
        r"\bshare (?:this|on) (?:article )?(?:on )?(?:facebook|twitter|whatsapp)\b",
        r"\bподписывайтесь на\b", r"\bнаш (?:канал|telegram)\b", r"تابعونا على", r"\bsíguenos en\b",
        r"\bfolgen sie uns\b", r"\bsuivez-nous\b", r"\bseguici su\b", r"\bobserwuj nas\b", r"\bbizi takip edin\b",
        r"欢迎关注|敬请关注|扫码关注|关注我们", r"フォローしてください",
        # the outlet's app, offered at the foot of an article
        r"^\W*(?:download|get|install) (?:our|the) (?:free )?(?:\w+ ){0,3}app\b",
        r"\b(?:read|more|latest) (?:\w+ ){0,3}(?:news|stories|articles) (?:\w+ ){0,3}in (?:our|the) (?:\w+ ){0,3}app\b",
        r"^\W*(?:laden sie|holen sie sich) (?:jetzt )?(?:unsere|die) (?:\w+[- ]){0,2}app\b",
        r"^\W*téléchargez (?:notre|l')\s?(?:application|appli)\b",
        r"^\W*descargu?e? (?:nuestra|la) (?:aplicaci[oó]n|app)\b", r"^\W*scarica (?:la nostra|l')\s?app\b",
        r"\bскачайте (?:наше )?приложение\b", r"حمّ?ل(?:وا)? تطبيق",
        r"下载(?:\w{0,8})(?:客户端|APP|App|app)", r"アプリ(?:で|を)(?:も)?(?:お読み|ご覧|ダウンロード|チェック)",
        r"앱에서 (?:더 많은 )?(?:뉴스|기사)", r"앱을? (?:다운로드|설치)", r"ดาวน์โหลดแอป",
    ),
    Junk.COPYRIGHT: _any(
        r"\ball rights reserved\b", r"\bmay not be (?:re)?published, broadcast\b",
        # a notice line: "Copyright 2025 The Monitor.", "© 2024 Herald Media", "(c) 2023 X"
        r"^\W{0,3}(?:copyright\s*(?:©|\(c\))?|©|\(c\))\s*(?:\d{4}\s*[-–]\s*)?\d{4}\b(?:\W*\w+\W*){0,8}$",
        r"\binformation \W?as is\W? without\b", r"توفير المعلومات \"?كما هي", r"إخلاء لمسؤوليتنا",
        r"\btodos los derechos reservados\b", r"\bprohibida (?:su|la) reproducci[oó]n\b", r"\btous droits réservés\b",
        r"\btoute reproduction\b.{0,60}\binterdite\b", r"\balle rechte vorbehalten\b", r"\btutti i diritti riservati\b",
        r"\bwszelkie prawa zastrzeżone\b", r"\bвсе права защищены\b", r"\bкопирование материалов\b.{0,40}\bзапрещено\b",
        r"版权所有|不得转载|無断転載|無断複製|무단\s?전재|재배포 금지", r"جميع الحقوق محفوظة", r"يمنع نسخ", r"สงวนลิขสิทธิ์", r"ห้ามคัดลอก",
    ),
    # a pointer to another article of the site, which extraction keeps as a paragraph: "Read
    # more: ...", "RELATED: ...", "Czytaj także: ..."; stories of one topic share a site's box
    Junk.RELATED: _any(
        r"^\W{0,3}(?:read more|read also|also read|see also|related(?: stories| articles| news| posts| coverage)?)"
        r"\s*(?:[:\-–—|]|$)",
        r"^\W{0,3}(?:read more|read also|also read)\s+(?=\W?(?-i:[A-Z0-9]))",
        r"^\W{0,3}(?:lire aussi|à lire aussi|lesen sie auch|mehr zum thema|leer más|lea también|lee también|"
        r"leggi anche|czytaj (?:też|także|więcej)|zobacz (?:też|także)|читайте также|смотрите также|"
        r"اقرأ أيضا|اقرأ أيضاً|관련 기사|関連記事|相关新闻|相关阅读|延伸阅读|阅读更多)(?:\s*[:：\-–—|]|\s|$)",
    ),
}

# Newsletter widgets flattened into the text run on into the lede without a full stop:
# "Sign up to FREE email alerts from X - daily Subscribe Thank you for subscribing See our
# privacy notice Invalid Email Coventry residents are ...". The widget is cut out first.
_WIDGETS = re.compile(
    r"sign up to free (?:daily )?email alerts.{0,300}?invalid email|"
    r"подпишитесь на бесплатные.{0,300}?(?:неверный[\w ]{0,30}|не удалось подписаться[^.]{0,60})|"
    r"订阅来自.{0,200}?(?:无效的?电子邮件|重试)", re.IGNORECASE | re.DOTALL)

WALL_MAX_WORDS = 40  # an article says more than this outside its wall (title left aside)
HEADLINE_MAX_WORDS = 20
# prompts that follow a story at its foot (after news, they are no wall, however short the news)
_FOOTERS = (Junk.NEWSLETTER, Junk.DONATION)
_SENTENCE_END = re.compile(r"[.!?。！？؟…।]['\"”’»）)\]]*\s*$")


def strip_widgets(text: str) -> str:
    return _WIDGETS.sub(" ", text)


_PREFILTERS = {kind: needed_strings(pattern) for kind, pattern in _PATTERNS.items()}


@lru_cache(maxsize=1 << 16)
def junk_kind(sentence: str) -> Junk | None:
    """What kind of page furniture a sentence is, or None for a sentence of news. (Every
    pattern is tried only on a sentence holding a string it needs: most sentences are news, and
    searching them with every pattern costs about a millisecond each.)"""
    folded = sentence.casefold()
    for kind, pattern in _PATTERNS.items():
        if may_match(_PREFILTERS[kind], sentence, folded) and pattern.search(sentence):
            return kind
    return None


def junk_flags(sentences: list[str]) -> list[bool]:
    """Which sentences of a text are furniture: those that say so, and those a banner encloses
    (a sentence between two furniture sentences is part of the same banner, unless it opens
    with a wire dateline: a story's lede between two prompts)."""
    kinds = [junk_kind(s) for s in sentences]
    # pointers to other articles stand between a story's paragraphs, not around a banner's
    banner = [kind is not None and kind is not Junk.RELATED for kind in kinds]
    return [kind is not None or (0 < i < len(kinds) - 1 and banner[i - 1] and banner[i + 1]
                                 and not DATELINE.match(sentences[i]))
            for i, kind in enumerate(kinds)]


def wall_kind(text: str, language: str | None = None) -> Junk | None:
    """The kind of wall a text is when it is little else (a consent page, a bot check, a
    paywall): its headline aside, under ``WALL_MAX_WORDS`` words are not junk and
    some are. None for an article, walls around it included: a wire dateline ("NIAMEY (AFP) —")
    marks one, however short a trim of it is."""
    paragraphs = split_paragraphs(strip_widgets(text))
    if not paragraphs:
        return None
    if any(DATELINE.match(paragraph) for paragraph in paragraphs):
        return None  # a wire story's lede (a copy may be trimmed to it): no wall says where it was filed
    # the page's headline, if it starts with one: a short line that ends no sentence (a brief's
    # one paragraph, its lede, is the news a footer's prompts stand beside)
    titled = (len(paragraphs) > 1 and not _SENTENCE_END.search(paragraphs[0])
              and len(words(paragraphs[0])) <= HEADLINE_MAX_WORDS)
    body = "\n".join(paragraphs[1:] if titled else paragraphs)
    kinds: dict[Junk, int] = {}
    news = 0
    for sentence in split_sentences(body, language):
        kind = junk_kind(sentence)
        if kind is None:
            news += len(words(sentence))
        elif kind in (Junk.COPYRIGHT, Junk.SOCIAL, Junk.RELATED) or (news and kind in _FOOTERS):
            continue  # every page's foot, a wall's and a brief's alike
        else:
            kinds[kind] = kinds.get(kind, 0) + len(words(sentence))
    if not kinds or news >= WALL_MAX_WORDS:
        return None
    return max(kinds, key=lambda k: kinds[k])
