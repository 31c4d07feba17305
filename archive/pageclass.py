"""What an HTML page is: an article, a listing (home or section page), a wall, or other.

A wall stands between the reader and the site: a cookie/consent wall, a bot or IP block, a
paywall notice. It is recognised by what it says (in several languages) *and* by what it lacks:
a page that says "accept cookies" but carries a column of prose is an article under a banner.

Every decision keeps its signals (``og:type``, ``prose:7p/612w``, ``wall:consent``, ...), so the
catalog can show why a page was taken for what it is. When the evidence for an article is weak
the page is still an article, with the signal ``doubt`` among its signals: a missed article is
lost for good, a doubtful text only costs a little space.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .htmlmeta import ARTICLE_TYPES, body_paragraph_words, br_text_words, read_meta

__all__ = ["PageClass", "WallKind", "Classification", "classify_page", "wall_kind"]


class PageClass(StrEnum):
    ARTICLE = "article"
    LISTING = "listing"
    WALL = "wall"
    OTHER = "other"


class WallKind(StrEnum):
    CONSENT = "consent"
    BOT_BLOCK = "bot-block"
    PAYWALL = "paywall"


@dataclass(frozen=True)
class Classification:
    page_class: PageClass
    signals: tuple[str, ...]
    reason: str  # the one signal that decided, e.g. ``og:type`` or ``wall:consent``
    wall: WallKind | None = None

    @property
    def doubtful(self) -> bool:
        return "doubt" in self.signals


# Phrases in lower case; a wall page says one of them and has little else to say.
_WALL_PHRASES: dict[WallKind, tuple[str, ...]] = {
    WallKind.BOT_BLOCK: (
        "checking your browser", "checking if the site connection is secure", "verify you are human",
        "verify you are a human", "are you a robot", "not a robot", "unusual traffic",
        "automated queries", "access denied", "access to this page has been denied",
        "you have been blocked", "request blocked", "attention required", "pardon our interruption",
        "enable javascript and cookies to continue", "ddos protection by", "bot protection",
        "zugriff verweigert", "ungewöhnlichen datenverkehr", "sind sie ein roboter",
        "accès refusé", "accès bloqué", "êtes-vous un robot", "vérifiez que vous êtes humain",
        "acceso denegado", "no soy un robot", "¿eres un robot", "verifica que eres humano",
        "accesso negato", "non sono un robot", "toegang geweigerd", "доступ запрещён",
        "доступ запрещен", "вы робот", "アクセスが拒否", "ロボットではありません",
    ),
    WallKind.PAYWALL: (
        "subscribe to continue reading", "subscribe to read", "subscribers only",
        "this article is for subscribers", "this content is for subscribers",
        "exclusive to subscribers", "already a subscriber", "to continue reading, subscribe",
        "you have reached your limit of free articles", "you've reached your free article limit",
        "create a free account to continue reading", "jetzt abonnieren", "nur für abonnenten",
        "weiterlesen mit", "bereits abonnent", "réservé aux abonnés", "déjà abonné",
        "abonnez-vous pour lire", "contenido exclusivo para suscriptores", "ya eres suscriptor",
        "suscríbete para seguir leyendo", "contenuto riservato agli abbonati", "sei già abbonato",
        "abbonati per continuare", "alleen voor abonnees", "al abonnee", "только для подписчиков",
        "оформите подписку", "有料会員", "この記事は会員限定",
    ),
    WallKind.CONSENT: (
        "we value your privacy", "we care about your privacy", "your privacy choices",
        "this site uses cookies", "this website uses cookies", "we use cookies", "accept all cookies",
        "accept cookies", "cookie settings", "manage cookies", "cookie consent", "consent to the use",
        "reject all", "accept all", "wir verwenden cookies", "diese website verwendet cookies",
        "alle akzeptieren", "cookie-einstellungen", "zustimmen und weiter", "nous utilisons des cookies",
        "tout accepter", "accepter et continuer", "gérer les cookies", "utilizamos cookies",
        "aceptar todas", "aceptar todo", "configuración de cookies", "utilizziamo i cookie",
        "accetta tutti", "accetta e continua", "wij gebruiken cookies", "alles accepteren",
        "мы используем файлы cookie", "принять все", "クッキーを使用", "すべて受け入れる",
    ),
}
# checked in this order: a block page may mention cookies, a paywall may offer cookie settings
_WALL_ORDER = (WallKind.BOT_BLOCK, WallKind.PAYWALL, WallKind.CONSENT)
_LISTING_TYPES = {"collectionpage", "itemlist", "website", "searchresultspage", "webpage"}
_WORD = re.compile(r"\w+")
_WALL_MAX_PROSE = 150  # a wall has fewer words of prose than a short article
_WALL_MAX_LINKS = 40  # and fewer links than a page with the site's navigation
_WALL_MIN_SHARE = 0.4  # of the visible text, in the block that says the wall's words
_LISTING_HEADLINES = 8  # links that read like headlines: a list of stories
_MIN_PARAGRAPHS, _MIN_WORDS = 3, 100  # a column of prose: an article without metadata
_DOUBT_PARAGRAPHS, _DOUBT_WORDS = 2, 60  # less than that: maybe an article


def _visible_text(tree, limit: int = 20_000) -> str:
    body = tree.find(".//body")
    root = body if body is not None else tree
    parts: list[str] = []
    size = 0
    for text in root.xpath(".//text()[not(ancestor::script) and not(ancestor::style)"
                           " and not(ancestor::noscript) and not(ancestor::template)]"):
        text = text.strip()
        if text:
            parts.append(text)
            size += len(text)
            if size > limit:
                break
    title = tree.findtext(".//title") or ""
    return " ".join([title.strip()] + parts).lower()


def wall_kind(text: str) -> WallKind | None:
    """The kind of wall whose phrases ``text`` (lower case) contains, if any."""
    for kind in _WALL_ORDER:
        if any(phrase in text for phrase in _WALL_PHRASES[kind]):
            return kind
    return None


_CONTAINERS = {"div", "section", "dialog", "form", "aside", "main", "article", "body", "center", "td"}


def _wall_share(tree, kind: WallKind, visible: str) -> float:
    """How much of the page's visible text the block saying the wall's words holds: a wall is
    most of its page, a banner a corner of it."""
    phrases = _WALL_PHRASES[kind]
    for node in tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"):
        if any(p in str(node).lower() for p in phrases):
            element = node.getparent()
            while element is not None and element.tag not in _CONTAINERS:
                element = element.getparent()
            if element is None:
                return 1.0
            return len(" ".join(element.text_content().split())) / max(1, len(visible))
    return 1.0  # said in the title only: the page has nothing else to say


def _links(tree) -> tuple[int, int]:
    """(links, headline links): links whose anchor reads like a headline (4+ words)."""
    anchors = [" ".join(a.text_content().split()) for a in tree.iter("a") if a.get("href")]
    return len(anchors), sum(1 for a in anchors if len(a.split()) >= 4)


def classify_page(tree, status: int | None = None) -> Classification:
    """Class an lxml HTML tree; ``status`` (the HTTP status, when known) helps spot blocks."""
    meta = read_meta(tree)
    signals: list[str] = []
    declared = None
    if (meta.og_type or "").lower() == "article":
        declared = "og:type"
    elif any(t.lower() in ARTICLE_TYPES for t in meta.jsonld_types):
        declared = "json-ld"
    elif meta.published:
        declared = "published_time"
    if declared:
        signals.append(declared)
    paragraphs, words = max(body_paragraph_words(tree), br_text_words(tree), key=lambda r: (r[1], r[0]))
    signals.append(f"prose:{paragraphs}p/{words}w")
    if status is not None and status >= 400:
        signals.append(f"status:{status}")

    visible = _visible_text(tree)
    kind = wall_kind(visible)
    links, headlines = _links(tree)
    # a short article under a cookie banner is still an article; a teaser above a paywall is not
    short_article = declared is not None and words >= _DOUBT_WORDS and kind is not WallKind.PAYWALL
    # a wall stands alone: a page with the site's navigation or a list of stories is the site
    # itself, under a banner or beside a "subscribe" link
    site_page = headlines >= _LISTING_HEADLINES or (kind is not None and kind is not WallKind.PAYWALL and (
        links >= _WALL_MAX_LINKS or _wall_share(tree, kind, visible) < _WALL_MIN_SHARE))
    if kind is not None and words < _WALL_MAX_PROSE and not short_article and not site_page:
        signals.append(f"wall:{kind}")
        return Classification(PageClass.WALL, tuple(signals), f"wall:{kind}", kind)
    if kind is not None:
        signals.append(f"banner:{kind}")  # a wall's words beside a full article: a banner

    column = paragraphs >= _MIN_PARAGRAPHS and words >= _MIN_WORDS
    if declared:
        if not column and words < _DOUBT_WORDS:
            signals.append("doubt")  # says it is an article, has little prose to show for it
        return Classification(PageClass.ARTICLE, tuple(signals), declared)
    if column:
        return Classification(PageClass.ARTICLE, tuple(signals), "content")

    signals.append(f"links:{links}/{headlines}")
    listing_type = (meta.og_type or "").lower() == "website" or any(
        t.lower() in _LISTING_TYPES for t in meta.jsonld_types)
    if headlines >= _LISTING_HEADLINES or (listing_type and headlines >= 4):
        if listing_type:
            signals.append("listing-type")
        return Classification(PageClass.LISTING, tuple(signals), "listing")
    if paragraphs >= _DOUBT_PARAGRAPHS and words >= _DOUBT_WORDS:
        signals.append("doubt")
        return Classification(PageClass.ARTICLE, tuple(signals), "content")
    return Classification(PageClass.OTHER, tuple(signals), "other")
