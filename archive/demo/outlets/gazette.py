"""Halden Bay Gazette: a local paper on a table-layout CMS from the 2000s.

No ``og:type``, no JSON-LD, no article meta, not even an ``<h1>``: article pages are
recognisable only by their long body text. The outlet serves a plain sitemap.xml, disallows
``/members/`` (linked from every page), links a photo gallery that no longer exists (404) and
one article declares its charset only in ``<meta charset>``, not in the HTTP header.
"""

from __future__ import annotations

from .. import feeds
from ..model import ArticleSpec, OutletProfile
from ..server import Resource
from ..site import Page, SiteContext, esc, html_page, logo_svg, paragraphs, text_doc, xml_doc

PROFILE = OutletProfile(
    slug="gazette",
    name="Halden Bay Gazette",
    charset="utf-8",
    gzip=True,
    chunked=False,
    server_software="Apache/2.2.22 (Ubuntu)",
    sections=(("news", "News"), ("region", "Region & World"), ("sport", "Sport"), ("community", "Community")),
)

SEED_PATHS = ("/", "/sitemap.xml")
BROKEN_PATH = "/galleries/harbour-festival-2024.html"
#: The Ledger's pre-redirect URL of the Sundline story, cited from the Gazette's local version.
LEDGER_OLD_PATH = "/world/2025/03/10/norvale-energy-minister-travels-to-tazrit/"
INFO_PAGES = {
    "/letters/": ("Letters to the editor", "Write to: The Editor, Halden Bay Gazette, 12 Quay Street. "
                  "Letters may be shortened. Please include your name and address."),
    "/about/cookies.html": ("Cookies", "This site uses cookies to count visitors. We do not sell your data."),
    "/about/contact.html": ("Contact the Gazette", "Newsroom: 0461 22 300. Advertising: 0461 22 310. "
                            "12 Quay Street, Halden Bay."),
}


def article_path(spec: ArticleSpec) -> str:
    return f"/{spec.section}/{spec.slug}.html"


def _when(spec: ArticleSpec) -> str:
    moment = spec.published_at
    hour = moment.hour % 12 or 12
    return f"{moment:%A} {moment.day} {moment:%B %Y}, {hour}.{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


def _menu(separator: str) -> str:
    links = ['<a href="/">Home</a>'] + [f'<a href="/{key}/">{esc(label)}</a>' for key, label in PROFILE.sections]
    links += ['<a href="/letters/">Letters</a>', '<a href="/members/login.html">Members’ login</a>']
    return separator.join(links)


def _shell(ctx: SiteContext, *, title: str, content: str, meta_charset_only: bool = False) -> str:
    if meta_charset_only:
        charset = '<meta charset="utf-8">'
    else:
        charset = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    latest = "".join(f'<li><a href="{p.path}">{esc(p.spec.title)}</a></li>' for p in ctx.pages[:6])
    return f"""<!DOCTYPE html>
<html>
<head>
{charset}
<title>Halden Bay Gazette :: {esc(title)}</title>
<link rel="stylesheet" type="text/css" href="/styles/gazette.css">
<script language="javascript" src="/styles/gazette.js"></script>
</head>
<body bgcolor="#ffffff">
<div id="cookiebar">By continuing to use this site you agree to our use of cookies.
<a href="/about/cookies.html">Find out more</a> <a href="#" onclick="hideCookiebar();return false">Close</a></div>
<table id="layout" width="980" cellpadding="0" cellspacing="0" border="0">
<tr><td colspan="2" id="masthead"><a href="/"><img src="/styles/gazette-logo.svg" alt="" width="320" height="48">
<span class="paper">Halden Bay Gazette</span></a>
<span class="motto">Serving the harbour since 1889</span>
<span class="weather">Halden Bay: 4°C, showers</span></td></tr>
<tr><td colspan="2" id="menubar">{_menu(" | ")}</td></tr>
<tr>
<td id="leftcol" valign="top" width="680">
{content}
</td>
<td id="rightcol" valign="top" width="300">
<div class="box"><b>Latest news</b><ul>{latest}</ul></div>
<div class="box"><b>Photo galleries</b><ul><li><a href="{BROKEN_PATH}">Harbour Festival 2024</a></li></ul></div>
<div class="box ad">Advertise with the Gazette – call 0461 22 310</div>
<div class="box"><b>Family notices</b><br>Births, marriages and deaths:
<a href="/about/contact.html">contact us</a></div>
</td>
</tr>
<tr><td colspan="2" id="footer">{_menu(" · ")}<br>
Halden Bay Gazette, 12 Quay Street, Halden Bay. Published by Harbour Press Ltd. © 2025. All rights reserved.
<a href="/about/cookies.html">Cookies</a> · <a href="/about/contact.html">Contact</a></td></tr>
</table>
</body>
</html>
"""


def _see_also(ctx: SiteContext, page: Page) -> str:
    links = [f'<a href="{p.path}">{esc(p.spec.title)}</a>' for p in ctx.related(page, 2)]
    if page.spec.story == "sundline-cable-pact" and page.spec.section == "news":
        links.append(f'<a href="{ctx.peer_url("ledger", LEDGER_OLD_PATH)}">As reported by The Northern Ledger</a>')
    return '<div class="seealso"><b>See also:</b> ' + " · ".join(links) + "</div>"


def _article(ctx: SiteContext, page: Page) -> str:
    spec = page.spec
    label = PROFILE.section_label(spec.section)
    content = f"""<div class="sectionhead"><a href="/{spec.section}/">{esc(label)}</a></div>
<div class="story">
<h2 class="headline">{esc(spec.title)}</h2>
<div class="storyinfo">{esc(spec.byline)} · {_when(spec)}</div>
<div class="storytext">
{paragraphs(spec)}
</div>
<div class="storyfoot"><a href="javascript:window.print()">Print this story</a> |
<a href="mailto:?subject={esc(spec.title)}">Email a friend</a> |
<a href="/letters/">Write a letter to the editor</a></div>
</div>
{_see_also(ctx, page)}
<div class="comments"><b>Reader comments (0)</b> – <a href="/members/login.html">Log in to comment</a></div>"""
    return _shell(ctx, title=spec.title, content=content, meta_charset_only=not spec.charset_in_header)


def _listing(ctx: SiteContext, heading: str, pages: list[Page]) -> str:
    rows = []
    for page in pages:
        spec = page.spec
        rows.append(f'<tr><td class="teaser"><a class="teaserhead" href="{page.path}">{esc(spec.title)}</a><br>'
                    f'<span class="teaserdate">{_when(spec)}</span><br>{esc(spec.summary)}</td></tr>')
    content = (f'<div class="sectionhead">{esc(heading)}</div>\n<table class="teasers" width="100%">\n'
               + "\n".join(rows) + "\n</table>")
    return _shell(ctx, title=heading, content=content)


def _info(ctx: SiteContext, title: str, text: str) -> str:
    return _shell(ctx, title=title, content=f'<div class="sectionhead">{esc(title)}</div><p>{esc(text)}</p>')


def build(ctx: SiteContext) -> dict[str, Resource]:
    routes: dict[str, Resource] = {"/": html_page(ctx, _listing(ctx, "Today’s news", ctx.pages), ctx.latest())}
    for key, label in PROFILE.sections:
        pages = ctx.in_section(key)
        routes[f"/{key}/"] = html_page(ctx, _listing(ctx, label, pages), ctx.latest(pages))
    for page in ctx.pages:
        routes[page.path] = html_page(ctx, _article(ctx, page), page.spec.modified_at,
                                      header_charset=page.spec.charset_in_header)
    for path, (title, text) in INFO_PAGES.items():
        routes[path] = html_page(ctx, _info(ctx, title, text))
    routes["/members/login.html"] = html_page(ctx, _info(ctx, "Members’ login", "Enter your subscriber number."))
    listing = ["/"] + [f"/{key}/" for key, _ in PROFILE.sections]
    entries = [(ctx.url(path), routes[path].last_modified) for path in listing]
    entries += [(page.url, page.spec.modified_at) for page in ctx.pages]
    routes["/sitemap.xml"] = xml_doc(feeds.urlset(entries), "application/xml", ctx.latest())
    routes["/robots.txt"] = text_doc(feeds.robots(ctx, disallow=("/members/", "/cgi-bin/"), sitemaps=("/sitemap.xml",)))
    routes["/styles/gazette-logo.svg"] = logo_svg(PROFILE.name, "#003366")
    routes["/styles/gazette.css"] = text_doc("body{font-family:Arial}#masthead{background:#003366;color:#fff}",
                                             "text/css")
    routes["/styles/gazette.js"] = text_doc(
        "function hideCookiebar(){document.getElementById('cookiebar').style.display='none';}",
        "application/javascript")
    return routes


def not_found(ctx: SiteContext) -> Resource:
    return html_page(ctx, _info(ctx, "Page not found", "The page you requested could not be found."), status=404)
