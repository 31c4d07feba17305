"""Page classes: articles, listings, walls (consent, bot blocks, paywalls) in several languages."""

from __future__ import annotations

import lxml.html
import pytest

from archive.pageclass import PageClass, WallKind, classify_page

PROSE = ("The harbour board met on Tuesday evening to weigh the plan for the northern quay, which "
         "would widen the channel and add two berths for the ferries that cross to the islands. ")


def tree(html: str):
    return lxml.html.fromstring(html)


def article_page(head: str = "", extra_body: str = "", paragraphs: int = 6) -> str:
    body = "".join(f"<p>{PROSE}Paragraph {i} adds its own detail.</p>" for i in range(paragraphs))
    return (f"<html><head><title>Quay plan | Halden Bay Gazette</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>Quay plan</h1>{body}</article>"
            f"{extra_body}</body></html>")


CONSENT_EN = """<html><head><title>Before you continue</title></head><body>
<div class="consent"><h1>We value your privacy</h1>
<p>We and our 842 partners store and access information on your device, such as cookies, and
process personal data for personalised ads and content, measurement and audience research.</p>
<button>Accept all</button><button>Reject all</button><a href="/settings">Manage privacy settings</a>
</div></body></html>"""

CONSENT_DE = """<!DOCTYPE html><html lang="de"><head><title>SPIEGEL</title>
<meta property="og:type" content="website"></head><body><main>
<h2>Mit Werbung weiterlesen</h2>
<p>Wir verwenden Cookies und ähnliche Technologien, um Inhalte und Anzeigen zu personalisieren.
Ihre Einwilligung können Sie jederzeit in den Privatsphäre-Einstellungen widerrufen.</p>
<button>Alle akzeptieren</button> <a href="/abo">Zum Abo ohne Werbung</a></main></body></html>"""

BLOCK_CLOUDFLARE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper">
<h1 class="zone-name-title h1">www.example-news.com</h1>
<h2 class="h2">Checking if the site connection is secure</h2>
<div>www.example-news.com needs to review the security of your connection before proceeding.</div>
<div class="footer">Ray ID: 7d2f3c4b5a6e7f80 Performance &amp; security by Cloudflare</div>
</div><script>window._cf_chl_opt={cvId:'2'};</script></body></html>"""

BLOCK_FR = """<html lang="fr"><head><title>lemonde.fr</title></head><body>
<h1>Accès refusé</h1><p>Nous avons détecté une activité inhabituelle depuis votre adresse IP.
Vérifiez que vous êtes humain en complétant le test ci-dessous.</p>
<div id="captcha-container"></div></body></html>"""

PAYWALL_JA = """<html lang="ja"><head><title>新港湾計画、議会で審議 - 日本経済新聞</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2025-03-10T09:00:00+09:00"></head><body>
<article><h1>新港湾計画、議会で審議</h1>
<p>市議会は10日、北側埠頭の拡張計画について審議を始めた。計画ではフェリー用の岸壁を2つ増やす。</p>
<div class="paywall"><p>この記事は会員限定です。登録すると続きをお読みいただけます。</p>
<a href="/login">ログイン</a> <a href="/subscribe">有料会員に登録する</a></div>
</article></body></html>"""

PAYWALL_ES = """<html lang="es"><head><title>El plan del puerto | El Diario</title>
<meta property="og:type" content="article"></head><body><article><h1>El plan del puerto</h1>
<p>La junta del puerto se reunió el martes por la tarde para estudiar el plan del muelle norte,
que ensancharía el canal y añadiría dos atraques para los transbordadores.</p>
<div class="paywall">Contenido exclusivo para suscriptores. Suscríbete para seguir leyendo.
¿Ya eres suscriptor? <a href="/login">Inicia sesión</a></div></article></body></html>"""


@pytest.mark.parametrize("html, kind", [
    (CONSENT_EN, WallKind.CONSENT),
    (CONSENT_DE, WallKind.CONSENT),
    (BLOCK_CLOUDFLARE, WallKind.BOT_BLOCK),
    (BLOCK_FR, WallKind.BOT_BLOCK),
    (PAYWALL_JA, WallKind.PAYWALL),
    (PAYWALL_ES, WallKind.PAYWALL),
], ids=["consent-en", "consent-de", "cloudflare", "block-fr", "paywall-ja", "paywall-es"])
def test_walls_are_recognised_in_several_languages(html, kind):
    page = classify_page(tree(html))
    assert page.page_class is PageClass.WALL
    assert page.wall is kind
    assert f"wall:{kind}" in page.signals and page.reason == f"wall:{kind}"


def test_an_article_under_a_cookie_banner_stays_an_article():
    banner = ("<div id='cookie-banner'>We use cookies to improve your experience. "
              "<button>Accept all</button><button>Reject all</button></div>")
    page = classify_page(tree(article_page('<meta property="og:type" content="article">', banner)))
    assert page.page_class is PageClass.ARTICLE
    assert page.reason == "og:type"
    assert "banner:consent" in page.signals and not page.doubtful


def test_a_column_of_prose_without_metadata_is_an_article():
    page = classify_page(tree(article_page()))
    assert page.page_class is PageClass.ARTICLE and page.reason == "content"
    assert any(s.startswith("prose:6p/") for s in page.signals)


def test_a_section_page_of_teasers_is_a_listing():
    cards = "".join(
        f"<div class='card'><h3><a href='/2025/03/story-{i}'>Council weighs harbour plan number {i}"
        f"</a></h3><p>{PROSE}</p></div>" for i in range(12))
    page = classify_page(tree(f"<html><head><meta property='og:type' content='website'></head>"
                              f"<body>{cards}</body></html>"))
    assert page.page_class is PageClass.LISTING
    assert "listing-type" in page.signals


def test_weak_evidence_still_extracts_and_says_so():
    declared_thin = classify_page(tree(
        "<html><head><meta property='og:type' content='article'></head>"
        "<body><h1>Photos: the quay at dawn</h1><p>Ten pictures.</p></body></html>"))
    assert declared_thin.page_class is PageClass.ARTICLE and declared_thin.doubtful
    two_paragraphs = classify_page(tree(article_page(paragraphs=2)))
    assert two_paragraphs.page_class is PageClass.ARTICLE and two_paragraphs.doubtful


def test_a_page_with_nothing_to_read_is_other():
    page = classify_page(tree("<html><body><form><input name=q></form><p>Search the site</p></body></html>"))
    assert page.page_class is PageClass.OTHER


def test_http_status_is_kept_as_a_signal():
    page = classify_page(tree(BLOCK_CLOUDFLARE), status=403)
    assert "status:403" in page.signals and page.wall is WallKind.BOT_BLOCK


NAV = "".join(f"<li><a href='/{s}/'>{s.title()}</a></li>" for s in (
    "world", "politics", "business", "science", "culture", "sport", "opinion", "weather", "video",
    "podcasts", "newsletters", "about", "contact", "privacy", "terms", "careers", "advertise",
    "corrections", "archive", "search", "events", "puzzles", "obituaries", "letters", "travel",
    "food", "health", "education", "technology", "climate", "housing", "transport", "courts",
    "elections", "photos", "live", "subscribe", "login", "help", "rss", "sitemap"))
BANNER = ("<div id='consent'><p>We use cookies to measure readership and show ads.</p>"
          "<button>Accept all</button><button>Reject all</button></div>")


def test_a_section_page_under_a_cookie_banner_is_a_listing_not_a_wall():
    cards = "".join(f"<h3><a href='/world/{i}'>Council weighs the harbour plan, part {i}</a></h3>"
                    for i in range(10))
    page = classify_page(tree(f"<html><body>{BANNER}<nav><ul>{NAV}</ul></nav>{cards}</body></html>"))
    assert page.page_class is PageClass.LISTING and "banner:consent" in page.signals


def test_a_site_page_about_cookies_is_not_a_wall():
    body = "<h1>Privacy policy</h1><p>We use cookies to measure readership and show ads.</p>"
    page = classify_page(tree(f"<html><body>{BANNER}<nav><ul>{NAV}</ul></nav>{body}</body></html>"))
    assert page.page_class is PageClass.OTHER and page.wall is None
