"""The Northern Ledger: a national daily on a modern CMS.

Articles carry JSON-LD ``NewsArticle`` and Open Graph ``og:type=article``. The outlet serves
an RSS 2.0 feed, a sitemap index with monthly and page sitemaps, and a Google News sitemap.
Pages are UTF-8 and gzip-compressed when the client accepts it. ``/search`` and ``/private/``
are disallowed by robots.txt yet linked from every page; an old article URL answers 301.
"""

from __future__ import annotations

import json

from .. import feeds
from ..model import ArticleSpec, OutletProfile
from ..server import Resource, redirect
from ..site import Page, SiteContext, attr, esc, html_page, logo_svg, long_date, paragraphs, text_doc, xml_doc

PROFILE = OutletProfile(
    slug="ledger",
    name="The Northern Ledger",
    charset="utf-8",
    gzip=True,
    chunked=False,
    server_software="nginx/1.24.0",
    sections=(
        ("world", "World"), ("politics", "Politics"), ("business", "Business"),
        ("sport", "Sport"), ("culture", "Culture"), ("wires", "Wires"),
    ),
)

SEED_PATHS = ("/", "/feed.xml", "/sitemap_index.xml")
#: The URL the Sundline story had before its headline changed; it answers 301.
OLD_PATH = "/world/2025/03/10/norvale-energy-minister-travels-to-tazrit/"
OLD_TARGET = "norvale-and-qaradan-sign-sundline-cable-pact-on-first-ministerial-visit"
TRENDING = ("Sundline", "Calder Sea", "Cup final", "Rail cuts")
INFO_PAGES = {
    "/about/": ("About us", "The Northern Ledger has been published in Vessen since 1874. It is owned by the "
                "Ledger Foundation, an independent trust, and employs 140 journalists."),
    "/contact/": ("Contact", "Newsdesk: news@northern-ledger.example. Letters: letters@northern-ledger.example."),
    "/privacy/": ("Privacy notice", "We use cookies to measure our audience and to remember your choices."),
    "/terms/": ("Terms of use", "All content is protected by copyright. Agency material is reproduced under licence."),
    "/newsletters/": ("Newsletters", "The Morning Ledger arrives before 7am every weekday. Sign up below."),
}


def article_path(spec: ArticleSpec) -> str:
    return f"/{spec.section}/{spec.published_at:%Y/%m/%d}/{spec.slug}/"


def _nav(css: str) -> str:
    items = "".join(f'<li><a href="/{key}/">{label}</a></li>' for key, label in PROFILE.sections)
    return f'<nav class="{css}"><ul><li><a href="/">Home</a></li>{items}</ul></nav>'


def _shell(ctx: SiteContext, *, title: str, body_class: str, main: str, head: str = "") -> str:
    trending = " ".join(f'<a href="/search?q={attr(term.lower().replace(" ", "+"))}">{esc(term)}</a>'
                        for term in TRENDING)
    legal = "".join(f'<li><a href="{path}">{label}</a></li>' for path, (label, _) in INFO_PAGES.items())
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/ledger.css">
<link rel="alternate" type="application/rss+xml" title="The Northern Ledger" href="/feed.xml">
{head}<script>window.ledgerConsent=window.ledgerConsent||{{ads:false,analytics:false}};</script>
</head>
<body class="{body_class}">
<div id="cookie-consent" class="consent-banner" role="dialog"><p>We and our partners use cookies to
personalise content and measure our audience. See our <a href="/privacy/">privacy notice</a>.</p>
<button class="consent-accept">Accept all</button> <button class="consent-manage">Manage choices</button></div>
<div class="topbar"><span class="edition">Vessen edition</span> <a href="/newsletters/">Newsletters</a>
<a href="/private/account/">My account</a></div>
<header class="masthead"><a class="brand" href="/"><img src="/static/ledger-logo.svg" alt="The Northern Ledger"></a>
<form class="site-search" action="/search" method="get"><input type="search" name="q" placeholder="Search">
</form></header>
{_nav("primary-nav")}
<div class="trending"><strong>Trending:</strong> {trending}</div>
<main id="content">
{main}
</main>
<footer class="site-footer">
{_nav("footer-nav")}
<ul class="footer-legal">{legal}</ul>
<p class="copyright">© 2025 The Northern Ledger, Vessen. Agency copy © Aurora Press Agency.</p>
</footer>
<div class="offcanvas" aria-hidden="true">{_nav("offcanvas-nav")}</div>
</body>
</html>
"""


def _teaser(page: Page, css: str = "teaser") -> str:
    spec = page.spec
    return (f'<article class="{css}"><a class="teaser__link" href="{page.path}"><h3>{esc(spec.title)}</h3></a>'
            f'<p class="teaser__summary">{esc(spec.summary)}</p>'
            f'<time datetime="{spec.published}">{spec.published_at:%d %b %H:%M}</time></article>')


def _json_ld(ctx: SiteContext, page: Page) -> str:
    spec = page.spec
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": spec.title,
        "description": spec.summary,
        "datePublished": spec.published,
        "dateModified": spec.modified or spec.published,
        "author": [{"@type": "Person", "name": name.strip()}
                   for name in spec.byline.removeprefix("By ").split(",")[0].split(" and ")],
        "publisher": {"@type": "Organization", "name": PROFILE.name,
                      "logo": {"@type": "ImageObject", "url": ctx.url("/static/ledger-logo.svg")}},
        "mainEntityOfPage": page.url,
        "articleSection": PROFILE.section_label(spec.section),
        "keywords": list(spec.tags),
        "inLanguage": spec.lang,
    }
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _article(ctx: SiteContext, page: Page) -> str:
    spec = page.spec
    label = PROFILE.section_label(spec.section)
    head = f"""<meta name="description" content="{attr(spec.summary)}">
<link rel="canonical" href="{page.url}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{PROFILE.name}">
<meta property="og:title" content="{attr(spec.title)}">
<meta property="og:description" content="{attr(spec.summary)}">
<meta property="og:url" content="{page.url}">
<meta name="twitter:card" content="summary">
<script type="application/ld+json">{_json_ld(ctx, page)}</script>
"""
    body = paragraphs(spec)
    related = ctx.related(page)
    if len(spec.paragraphs) > 6 and related:
        promo = related[0]
        cut = body.split("\n")
        cut.insert(3, f'<aside class="inline-promo">Read more: '
                      f'<a href="{promo.path}">{esc(promo.spec.title)}</a></aside>')
        body = "\n".join(cut)
    updated = ""
    if spec.modified:
        updated = f'<span class="story__updated">Updated {spec.modified_at:%H:%M}</span>'
    tags = " ".join(f'<a href="/search?q={attr(tag.lower().replace(" ", "+"))}">{esc(tag)}</a>' for tag in spec.tags)
    background = ""
    if "Qaradan" in spec.tags or spec.section == "business":
        background = (f'<aside class="story-package"><h2>Background</h2><ul><li><a href="{OLD_PATH}">Norvale energy '
                      'minister travels to Tazrit</a></li></ul></aside>')
    share = (f'<div class="share-tools"><a href="https://www.facebook.com/sharer/sharer.php?u={page.url}">Facebook</a>'
             f' <a href="https://twitter.com/intent/tweet?url={page.url}">X</a>'
             f' <a href="mailto:?subject={attr(spec.title)}">Email</a>'
             ' <button class="copy-link">Copy link</button></div>')
    most_read = "".join(f'<li><a href="{p.path}">{esc(p.spec.title)}</a></li>' for p in ctx.pages[:5])
    main = f"""<nav class="breadcrumb"><a href="/">Home</a> › <a href="/{spec.section}/">{label}</a></nav>
<article class="story">
<header class="story__header">
<h1 class="story__headline">{esc(spec.title)}</h1>
<p class="story__standfirst">{esc(spec.summary)}</p>
<div class="story__meta"><span class="story__byline">{esc(spec.byline)}</span>
<time datetime="{spec.published}">{long_date(spec.published_at)}, {spec.published_at:%H:%M} CET</time> {updated}</div>
</header>
{share}
<div class="story__body">
{body}
</div>
<div class="story__tags">Topics: {tags}</div>
{share}
<aside class="newsletter-signup"><h2>The Morning Ledger</h2><p>Our editors’ pick of the day’s news, in your inbox
before 7am.</p><form action="/newsletters/" method="get"><input type="email" name="email">
<button>Sign up</button></form></aside>
</article>
{background}
<section class="related-stories"><h2>More from {label}</h2>{"".join(_teaser(p, "related") for p in related)}</section>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>"""
    return _shell(ctx, title=f"{spec.title} | The Northern Ledger", body_class=f"article-page section-{spec.section}",
                  main=main, head=head)


def _listing(ctx: SiteContext, heading: str, pages: list[Page], body_class: str) -> str:
    teasers = "\n".join(_teaser(page) for page in pages)
    main = f'<h1 class="section-title">{esc(heading)}</h1>\n<div class="teaser-grid">\n{teasers}\n</div>'
    return _shell(ctx, title=f"{heading} | The Northern Ledger", body_class=body_class, main=main)


def _home(ctx: SiteContext) -> str:
    lead, rest = ctx.pages[0], ctx.pages[1:]
    blocks = [f'<section class="lead-story">{_teaser(lead, "teaser teaser--lead")}</section>',
              f'<section class="editors-picks"><h2>Editor’s picks</h2><ul><li><a href="{OLD_PATH}">Norvale energy '
              'minister travels to Tazrit</a></li></ul></section>']
    for key, label in PROFILE.sections:
        chosen = [p for p in rest if p.spec.section == key][:4]
        if chosen:
            blocks.append(f'<section class="section-block"><h2><a href="/{key}/">{label}</a></h2>'
                          + "".join(_teaser(p) for p in chosen) + "</section>")
    return _shell(ctx, title="The Northern Ledger – news from Norvale and the Calder Sea",
                  body_class="home", main="\n".join(blocks))


def _info(ctx: SiteContext, title: str, text: str) -> str:
    main = f'<div class="static-page"><h1>{esc(title)}</h1><p>{esc(text)}</p></div>'
    return _shell(ctx, title=f"{title} | The Northern Ledger", body_class="static", main=main)


def build(ctx: SiteContext) -> dict[str, Resource]:
    routes: dict[str, Resource] = {"/": html_page(ctx, _home(ctx), ctx.latest())}
    for key, label in PROFILE.sections:
        pages = ctx.in_section(key)
        routes[f"/{key}/"] = html_page(ctx, _listing(ctx, label, pages, f"section section-{key}"), ctx.latest(pages))
    for page in ctx.pages:
        routes[page.path] = html_page(ctx, _article(ctx, page), page.spec.modified_at)
    for path, (title, text) in INFO_PAGES.items():
        routes[path] = html_page(ctx, _info(ctx, title, text))
    routes["/search"] = html_page(ctx, _info(ctx, "Search", "Search results are available to subscribers."))
    routes["/private/account/"] = html_page(ctx, _info(ctx, "My account", "Please log in to manage your subscription."))
    routes[OLD_PATH] = redirect(ctx.url(ctx.page(OLD_TARGET).path))
    months = ctx.latest()
    routes["/feed.xml"] = xml_doc(
        feeds.rss(ctx, ctx.pages, title=PROFILE.name, description="Latest news from The Northern Ledger",
                  self_path="/feed.xml"), "application/rss+xml", months)
    routes["/sitemaps/posts-2025-03.xml"] = xml_doc(
        feeds.urlset([(p.url, p.spec.modified_at) for p in ctx.pages]), "application/xml", months)
    listing_paths = ["/"] + [f"/{key}/" for key, _ in PROFILE.sections]
    routes["/sitemaps/sections.xml"] = xml_doc(
        feeds.urlset([(ctx.url(path), routes[path].last_modified) for path in listing_paths], changefreq="hourly"),
        "application/xml", months)
    routes["/news-sitemap.xml"] = xml_doc(feeds.news_urlset(ctx, ctx.pages), "application/xml", months)
    routes["/sitemap_index.xml"] = xml_doc(feeds.sitemap_index([
        (ctx.url("/sitemaps/posts-2025-03.xml"), months),
        (ctx.url("/sitemaps/sections.xml"), months),
        (ctx.url("/news-sitemap.xml"), months),
    ]), "application/xml", months)
    routes["/robots.txt"] = text_doc(feeds.robots(
        ctx, disallow=("/search", "/private/"), sitemaps=("/sitemap_index.xml", "/news-sitemap.xml"),
        extra="User-agent: GPTBot\nDisallow: /"))
    routes["/static/ledger.css"] = text_doc(
        "body{font-family:Georgia,serif;margin:0}.story__headline{font-size:2.4rem}"
        ".consent-banner{position:fixed;bottom:0;background:#222;color:#fff}", "text/css")
    routes["/static/ledger-logo.svg"] = logo_svg(PROFILE.name, "#0b2a4a")
    return routes


def not_found(ctx: SiteContext) -> Resource:
    markup = _info(ctx, "Page not found", "Sorry, we could not find the page you were looking for.")
    return html_page(ctx, markup, status=404)
