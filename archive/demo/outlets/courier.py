"""The Continental Courier: an English-language daily on an ageing in-house CMS.

Pages are encoded windows-1252 (declared in the HTTP header and an http-equiv meta), carry
``og:type=article`` and ``article:published_time`` but no JSON-LD, and are sent with chunked
transfer encoding and never compressed. The outlet serves an Atom feed; its print versions
under ``/print/`` are disallowed by robots.txt but linked from every article.
"""

from __future__ import annotations

import zlib

from .. import feeds
from ..model import ArticleSpec, OutletProfile
from ..server import Resource
from ..site import Page, SiteContext, attr, esc, html_page, logo_svg, paragraphs, text_doc, xml_doc

PROFILE = OutletProfile(
    slug="courier",
    name="The Continental Courier",
    charset="windows-1252",
    gzip=False,
    chunked=True,
    server_software="Apache/2.4.58 (Debian)",
    sections=(
        ("europe", "Europe"), ("business", "Business"), ("culture", "Culture"),
        ("sport", "Sport"), ("es", "En español"),
    ),
)

SEED_PATHS = ("/", "/feed/atom.xml")
INFO_PAGES = {
    "/info/about.html": ("About the Courier", "Founded in 1961 by José Ferreira and Heinrich Müller, the "
                         "Courier is Europe’s independent English-language daily."),
    "/info/cookies.html": ("Cookie policy", "We use cookies for statistics and to remember your font size."),
    "/info/imprint.html": ("Imprint", "Courier Média SA, Rue des Tanneurs 14, Vessen. Editor-in-chief: "
                           "Marta Müller-Sánchez. Managing editor: François Lefèvre."),
}


def article_id(spec: ArticleSpec) -> int:
    return 40000 + zlib.crc32(spec.slug.encode("utf-8")) % 10000


def article_path(spec: ArticleSpec) -> str:
    return f"/{spec.section}/{spec.slug}-{article_id(spec)}.html"


def _print_path(page: Page) -> str:
    return "/print/" + page.path.rsplit("/", 1)[1]


def _menu(element_id: str) -> str:
    items = "".join(f'<li><a href="/{key}/">{esc(label)}</a></li>' for key, label in PROFILE.sections)
    return f'<ul id="{element_id}"><li><a href="/">Front page</a></li>{items}</ul>'


def _shell(ctx: SiteContext, *, title: str, body_id: str, main: str, aside: str,
           head: str = "", lang: str = "en", date_line: str = "") -> str:
    info = " | ".join(f'<a href="{path}">{esc(label)}</a>' for path, (label, _) in INFO_PAGES.items())
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="{lang}" xml:lang="{lang}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252" />
<title>{esc(title)}</title>
<link rel="stylesheet" type="text/css" href="/css/courier.css" />
<link rel="alternate" type="application/atom+xml" title="The Continental Courier" href="/feed/atom.xml" />
{head}<script type="text/javascript">var cc_fontsize = 1; function cc_print() {{ window.print(); }}</script>
</head>
<body id="{body_id}">
<div class="cc-window cc-banner">This website uses cookies to ensure you get the best experience on our website.
<a class="cc-link" href="/info/cookies.html">Learn more</a> <a class="cc-btn cc-dismiss">Got it!</a></div>
<div id="wrapper">
<div id="header"><div class="logo"><a href="/">
<img src="/css/courier-logo.svg" alt="The Continental Courier" /></a></div>
<div class="tagline">Europe’s English-language daily – since 1961</div>
<div class="header-date">{date_line}</div></div>
<div id="topnav">{_menu("topmenu")}</div>
<div id="main">
<div id="leftcol">
{main}
</div>
<div id="rightcol">
<div class="box newsletter"><h3>Courier Briefing</h3><p>The day’s essential European news, every morning at 6.</p>
<form action="/newsletter/" method="get"><input type="text" name="email" value="Your e-mail" />
<input type="submit" value="Subscribe" /></form></div>
{aside}
<div class="box ad"><span class="adlabel">Advertisement</span><div class="adslot" id="ad-300x250"></div></div>
</div>
</div>
<div id="footer">{_menu("footmenu")}
<p class="info">{info}</p>
<p class="copyright">© 1961–2025 The Continental Courier. Aurora Press material © Aurora Press Agency.
Reproduction prohibited.</p></div>
</div>
</body>
</html>
"""


def _headlines(pages: list[Page], heading: str) -> str:
    rows = "".join(f'<li><a href="{p.path}">{esc(p.spec.title)}</a> '
                   f'<span class="date">{p.spec.published_at:%d.%m.}</span></li>' for p in pages)
    return f'<div class="box related"><h3>{esc(heading)}</h3><ul>{rows}</ul></div>'


def _article(ctx: SiteContext, page: Page) -> str:
    spec = page.spec
    label = PROFILE.section_label(spec.section)
    author = spec.byline.removeprefix("By ").removeprefix("Por ").split(",")[0]
    tags_meta = "".join(f'<meta property="article:tag" content="{attr(tag)}" />\n' for tag in spec.tags)
    head = f"""<meta name="keywords" content="{attr(", ".join(spec.tags))}" />
<meta name="description" content="{attr(spec.summary)}" />
<meta property="og:type" content="article" />
<meta property="og:site_name" content="{PROFILE.name}" />
<meta property="og:title" content="{attr(spec.title)}" />
<meta property="og:url" content="{page.url}" />
<meta property="og:locale" content="{"es_ES" if spec.lang == "es" else "en_GB"}" />
<meta property="article:published_time" content="{spec.published}" />
<meta property="article:modified_time" content="{spec.modified or spec.published}" />
<meta property="article:section" content="{attr(label)}" />
<meta property="article:author" content="{attr(author)}" />
{tags_meta}"""
    tags = ", ".join(esc(tag) for tag in spec.tags)
    main = f"""<div class="kicker"><a href="/{spec.section}/">{esc(label)}</a></div>
<h1 class="headline">{esc(spec.title)}</h1>
<p class="author">{esc(spec.byline)}</p>
<p class="dateline">Published: {spec.published_at:%d.%m.%Y %H:%M}</p>
<div class="tools"><a href="{_print_path(page)}" rel="nofollow">Print</a> |
<a href="mailto:?subject={attr(spec.title)}">E-mail</a> |
<a href="https://www.facebook.com/sharer.php?u={page.url}">Share on Facebook</a> |
<a href="https://twitter.com/share?url={page.url}">Tweet</a> |
Font size <a href="#" onclick="cc_fontsize++">A+</a> <a href="#" onclick="cc_fontsize--">A-</a></div>
<div class="articletext">
{paragraphs(spec)}
</div>
<div class="tags">Tags: {tags}</div>
<div class="comments-count"><a href="#comments">0 comments</a> – comments are open to subscribers.</div>"""
    aside = _headlines(ctx.related(page, 5), f"Also in {label}")
    return _shell(ctx, title=f"{spec.title} - The Continental Courier", body_id="article", main=main,
                  aside=aside, head=head, lang=spec.lang, date_line=f"{spec.published_at:%A, %d %B %Y}")


def _listing(ctx: SiteContext, heading: str, pages: list[Page], body_id: str) -> str:
    rows = []
    for page in pages:
        spec = page.spec
        rows.append(f'<div class="teaser"><span class="kicker">{esc(PROFILE.section_label(spec.section))}</span>'
                    f'<h2><a href="{page.path}">{esc(spec.title)}</a></h2>'
                    f'<p>{esc(spec.summary)} <a class="more" href="{page.path}">more »</a></p></div>')
    main = f'<h1 class="sectiontitle">{esc(heading)}</h1>\n' + "\n".join(rows)
    aside = _headlines(ctx.pages[:6], "Latest headlines")
    latest = ctx.latest(pages)
    return _shell(ctx, title=f"{heading} - The Continental Courier", body_id=body_id, main=main,
                  aside=aside, date_line=f"{latest:%A, %d %B %Y}")


def _info(ctx: SiteContext, title: str, text: str) -> str:
    main = f'<h1 class="sectiontitle">{esc(title)}</h1><p>{esc(text)}</p>'
    return _shell(ctx, title=f"{title} - The Continental Courier", body_id="info", main=main,
                  aside=_headlines(ctx.pages[:6], "Latest headlines"))


def _print(page: Page) -> str:
    spec = page.spec
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252" />'
            f"<title>{esc(spec.title)}</title><meta name=\"robots\" content=\"noindex\" /></head>"
            f'<body onload="window.print()"><h1>{esc(spec.title)}</h1><p>{esc(spec.byline)}</p>'
            f"{paragraphs(spec)}<p>© The Continental Courier</p></body></html>")


def build(ctx: SiteContext) -> dict[str, Resource]:
    routes: dict[str, Resource] = {"/": html_page(ctx, _listing(ctx, "Front page", ctx.pages, "home"), ctx.latest())}
    for key, label in PROFILE.sections:
        pages = ctx.in_section(key)
        routes[f"/{key}/"] = html_page(ctx, _listing(ctx, label, pages, f"section-{key}"), ctx.latest(pages))
    for page in ctx.pages:
        routes[page.path] = html_page(ctx, _article(ctx, page), page.spec.modified_at)
        routes[_print_path(page)] = html_page(ctx, _print(page), page.spec.modified_at)
    for path, (title, text) in INFO_PAGES.items():
        routes[path] = html_page(ctx, _info(ctx, title, text))
    routes["/feed/atom.xml"] = xml_doc(
        feeds.atom(ctx, ctx.pages, title=PROFILE.name, subtitle="Europe’s English-language daily",
                   self_path="/feed/atom.xml", tag_authority="continental-courier.example"),
        "application/atom+xml", ctx.latest())
    routes["/sitemap-news.xml"] = xml_doc(feeds.news_urlset(ctx, ctx.pages), "application/xml", ctx.latest())
    routes["/robots.txt"] = text_doc(feeds.robots(ctx, disallow=("/print/", "/cgi-bin/", "/newsletter/"),
                                                  sitemaps=("/sitemap-news.xml",)))
    routes["/css/courier.css"] = text_doc(
        "body{font:13px Verdana,sans-serif}#wrapper{width:960px}#leftcol{float:left;width:620px}"
        ".cc-window{position:fixed;bottom:0}", "text/css")
    routes["/css/courier-logo.svg"] = logo_svg(PROFILE.name, "#7a1f1f")
    return routes


def not_found(ctx: SiteContext) -> Resource:
    return html_page(ctx, _info(ctx, "Not found", "The requested page does not exist or has been removed."), status=404)
