"""Calder Coast Digest: a WordPress aggregator that republishes and rewrites agency copy.

Articles carry ``og:type=article`` and ``article:published_time``; the agency copyright line
sits inside the entry content, followed by a comment form. The outlet serves a full-text RSS
feed at ``/feed/``, sends gzip and chunked responses, and disallows ``/wp-admin/``.
"""

from __future__ import annotations

import zlib

from .. import feeds
from ..model import ArticleSpec, OutletProfile
from ..server import Resource
from ..site import Page, SiteContext, attr, esc, html_page, logo_svg, paragraphs, text_doc, xml_doc

PROFILE = OutletProfile(
    slug="digest",
    name="Calder Coast Digest",
    charset="utf-8",
    gzip=True,
    chunked=True,
    server_software="nginx",
    sections=(("energy", "Energy"), ("region", "Region"), ("weather", "Weather")),
)

SEED_PATHS = ("/", "/feed/")
ARCHIVE_PATH = "/2025/03/"
COPYRIGHT = ("Copyright 2025 Aurora Press Agency. All rights reserved. This material may not be published, "
             "broadcast, rewritten or redistributed without permission.")


def article_path(spec: ArticleSpec) -> str:
    return f"/{spec.published_at:%Y/%m/%d}/{spec.slug}/"


def _sidebar(ctx: SiteContext) -> str:
    recent = "".join(f'<li><a href="{p.path}">{esc(p.spec.title)}</a></li>' for p in ctx.pages[:5])
    categories = "".join(f'<li class="cat-item"><a href="/category/{key}/">{esc(label)}</a> '
                         f"({len(ctx.in_section(key))})</li>" for key, label in PROFILE.sections)
    return f"""<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" action="/">
<input type="search" name="s"></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2>
<ul>{recent}</ul></section>
<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2>
<ul>{categories}</ul></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul><li>
<a href="{ARCHIVE_PATH}">March 2025</a></li></ul></section>
<section id="meta-2" class="widget widget_meta"><h2 class="widget-title">Meta</h2><ul><li>
<a href="/wp-admin/">Log in</a></li>
<li><a href="/feed/">Entries feed</a></li><li><a href="https://wordpress.org/">WordPress.org</a></li></ul></section>
</aside>"""


def _shell(ctx: SiteContext, *, title: str, body_class: str, content: str, head: str = "") -> str:
    menu = "".join(f'<li class="menu-item"><a href="/category/{key}/">{esc(label)}</a></li>'
                   for key, label in PROFILE.sections)
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name="generator" content="WordPress 6.7.2">
<link rel="alternate" type="application/rss+xml" title="Calder Coast Digest &raquo; Feed" href="{ctx.url("/feed/")}">
<link rel="stylesheet" id="twentytwenty-style-css" href="/wp-content/themes/coastal/style.css?ver=2.8" media="all">
{head}</head>
<body class="{body_class}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding">
<img src="/wp-content/uploads/2025/01/digest-logo.svg" class="custom-logo" alt="" width="320" height="48"><p class="site-title">
<a href="/" rel="home">Calder Coast Digest</a></p>
<p class="site-description">News from around the Calder Sea</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu"><li class="menu-item">
<a href="/">Home</a></li>{menu}</ul></nav></header>
<div id="content" class="site-content"><main id="primary" class="site-main">
{content}
</main>
{_sidebar(ctx)}
</div>
<footer id="colophon" class="site-footer"><nav class="footer-navigation"><ul class="footer-menu">{menu}</ul></nav>
<div class="site-info">Proudly powered by <a href="https://wordpress.org/">WordPress</a> | Theme: Coastal</div></footer>
</div>
<div class="cookie-notice-container" id="cn-notice">We use cookies to give you the best experience on our website.
<a href="#" id="cn-accept-cookie" class="cn-set-cookie cn-button">Ok</a></div>
</body>
</html>
"""


def _article(ctx: SiteContext, page: Page) -> str:
    spec = page.spec
    label = PROFILE.section_label(spec.section)
    head = f"""<link rel="canonical" href="{page.url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{attr(spec.title)}">
<meta property="og:url" content="{page.url}">
<meta property="og:site_name" content="Calder Coast Digest">
<meta property="article:published_time" content="{spec.published}">
"""
    agency = "Aurora Press" in spec.byline or spec.story in ("sundline-cable-pact", "calder-spirit-aground")
    copyright_line = f'<p class="copyright"><em>{esc(COPYRIGHT)}</em></p>' if agency else ""
    post_id = 1000 + zlib.crc32(spec.slug.encode("utf-8")) % 9000
    moment = spec.published_at
    content = f"""<article id="post-{post_id}"
 class="post-{post_id} post type-post status-publish format-standard category-{spec.section}">
<header class="entry-header"><h1 class="entry-title">{esc(spec.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on
<time class="entry-date published" datetime="{spec.published}">{moment:%B} {moment.day}, {moment:%Y}</time></span>
<span class="byline"> by <span class="author vcard">{esc(spec.byline)}</span></span></div></header>
<div class="entry-content">
{paragraphs(spec)}
{copyright_line}
</div>
<footer class="entry-footer"><span class="cat-links">Posted in
<a href="/category/{spec.section}/" rel="category tag">{esc(label)}</a></span></footer>
</article>
<nav class="navigation post-navigation"><div class="nav-links">{_neighbours(ctx, page)}</div></nav>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post" id="commentform">
<p class="comment-notes">Your email address will not be published.
Required fields are marked <span class="required">*</span></p>
<textarea id="comment" name="comment"></textarea><input name="author" type="text">
<input name="email" type="email"><input name="submit" type="submit" value="Post Comment"></form></div>
</div>"""
    return _shell(ctx, title=f"{spec.title} – Calder Coast Digest",
                  body_class="post-template-default single single-post", content=content, head=head)


def _neighbours(ctx: SiteContext, page: Page) -> str:
    index = ctx.pages.index(page)
    links = []
    if index + 1 < len(ctx.pages):
        older = ctx.pages[index + 1]
        links.append(f'<div class="nav-previous"><a href="{older.path}" rel="prev">{esc(older.spec.title)}</a></div>')
    if index > 0:
        newer = ctx.pages[index - 1]
        links.append(f'<div class="nav-next"><a href="{newer.path}" rel="next">{esc(newer.spec.title)}</a></div>')
    return "".join(links)


def _listing(ctx: SiteContext, heading: str, pages: list[Page], body_class: str) -> str:
    posts = []
    for page in pages:
        spec = page.spec
        posts.append(f'<article class="post type-post"><header class="entry-header"><h2 class="entry-title">'
                     f'<a href="{page.path}" rel="bookmark">{esc(spec.title)}</a></h2></header>'
                     f'<div class="entry-summary"><p>{esc(spec.summary)} […]</p></div></article>')
    content = f'<header class="page-header"><h1 class="page-title">{esc(heading)}</h1></header>\n' + "\n".join(posts)
    return _shell(ctx, title=f"{heading} – Calder Coast Digest", body_class=body_class, content=content)


def build(ctx: SiteContext) -> dict[str, Resource]:
    routes: dict[str, Resource] = {"/": html_page(ctx, _listing(ctx, "Latest", ctx.pages, "home blog"), ctx.latest())}
    for key, label in PROFILE.sections:
        pages = ctx.in_section(key)
        routes[f"/category/{key}/"] = html_page(ctx, _listing(ctx, f"Category: {label}", pages, "archive category"),
                                                ctx.latest(pages))
    routes[ARCHIVE_PATH] = html_page(ctx, _listing(ctx, "Month: March 2025", ctx.pages, "archive date"), ctx.latest())
    for page in ctx.pages:
        routes[page.path] = html_page(ctx, _article(ctx, page), page.spec.modified_at)
    routes["/wp-admin/"] = html_page(ctx, _listing(ctx, "Log In", [], "login"))
    routes["/feed/"] = xml_doc(
        feeds.rss(ctx, ctx.pages, title=PROFILE.name, description="News from around the Calder Sea",
                  self_path="/feed/", full_text=True), "application/rss+xml", ctx.latest())
    # WordPress core's sitemaps: an index at /wp-sitemap.xml naming one sitemap of posts
    routes["/wp-sitemap-posts-post-1.xml"] = xml_doc(
        feeds.urlset([(p.url, p.spec.modified_at) for p in ctx.pages]), "application/xml", ctx.latest())
    routes["/wp-sitemap.xml"] = xml_doc(feeds.sitemap_index([(ctx.url("/wp-sitemap-posts-post-1.xml"), ctx.latest())]),
                                        "application/xml", ctx.latest())
    routes["/robots.txt"] = text_doc(feeds.robots(ctx, disallow=("/wp-admin/",), allow=("/wp-admin/admin-ajax.php",),
                                                  sitemaps=("/wp-sitemap.xml",)))
    routes["/wp-content/uploads/2025/01/digest-logo.svg"] = logo_svg(PROFILE.name, "#1d5e6b")
    routes["/wp-content/themes/coastal/style.css"] = text_doc(
        "/* Theme Name: Coastal */ body{font-family:-apple-system,sans-serif}.entry-title{font-size:2rem}",
        "text/css")
    return routes


def not_found(ctx: SiteContext) -> Resource:
    content = ('<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">'
               "Oops! That page can’t be found.</h1></header>"
               "<p>It looks like nothing was found at this location.</p></section>")
    return html_page(ctx, _shell(ctx, title="Page not found – Calder Coast Digest", body_class="error404",
                                 content=content), status=404)
