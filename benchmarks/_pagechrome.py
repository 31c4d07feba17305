"""HTML templates of the benchmark news site (benchmark helper).

The chrome imitates what real news pages carry around the story: a header
with section navigation and a search form, advertising slots, a most-read box,
a long footer, inline CSS and JavaScript, and an embedded page-state JSON blob.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape

from _prose import SECTIONS, Story

SITE_NAME = "The Northgate Courier"

STATIC_PAGES = {
    "/about/": ("About us", "The Northgate Courier has reported on the region since 1911."),
    "/contact/": ("Contact", "Write to the newsroom at the address below."),
    "/privacy/": ("Privacy policy", "We use cookies to measure readership and show ads."),
    "/terms/": ("Terms of use", "All content is copyright of the publisher."),
    "/subscribe/": ("Subscribe", "Support independent journalism from one pound a week."),
    "/advertise/": ("Advertise with us", "Reach half a million readers every month."),
    "/careers/": ("Careers", "We are hiring reporters and developers."),
    "/corrections/": ("Corrections", "Our corrections and clarifications policy."),
}

Link = tuple[str, str, str, datetime]

_ICON = ('<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="'
         + " ".join(f"M{i % 24} {(i * 7) % 24}l{(i * 3) % 5}.{i % 10} {(i * 5) % 7}.{i % 9}"
                    for i in range(60)) + '"/></svg>')

_CSS = "".join(
    f".{name}{{margin:0 auto;padding:{i % 5}px {i % 7 + 4}px;font:{14 + i % 4}px/1.5 "
    f"Georgia,serif;color:#{(i * 2654435761) % 0xFFFFFF:06x}}}\n"
    for i, name in enumerate(
        f"{part}-{k}" for part in ("hdr", "nav", "story", "rail", "ftr", "ad", "btn", "grid")
        for k in range(22)))

_JS = """
window.dataLayer = window.dataLayer || [];
function gtag(){dataLayer.push(arguments);}
gtag('js', new Date()); gtag('config', 'NC-000000');
(function(){var s=document.createElement('script');s.async=true;
s.src='/static/ads.js';document.head.appendChild(s);})();
document.addEventListener('DOMContentLoaded',function(){
  var b=document.querySelectorAll('.share a');for(var i=0;i<b.length;i++){
  b[i].addEventListener('click',function(e){window.open(this.href,'share','width=600,height=400');
  e.preventDefault();});}});
""" * 3


def article_meta(base: str, path: str, s: Story, when: datetime, author_slug: str) -> str:
    url = base + path
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": s.headline, "description": s.standfirst,
        "datePublished": when.isoformat(), "dateModified": when.isoformat(),
        "articleSection": s.section.capitalize(), "wordCount": s.words,
        "author": [{"@type": "Person", "name": s.author,
                    "url": f"{base}/author/{author_slug}/"}],
        "publisher": {"@type": "Organization", "name": SITE_NAME,
                      "logo": {"@type": "ImageObject", "url": f"{base}/img/logo.png"}},
        "inLanguage": "en",
    }
    return (
        f'<meta name="description" content="{escape(s.standfirst)}">\n'
        f'<meta name="author" content="{escape(s.author)}">\n'
        '<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{escape(s.headline)}">\n'
        f'<meta property="og:description" content="{escape(s.standfirst)}">\n'
        f'<meta property="og:url" content="{url}">\n'
        f'<meta property="og:site_name" content="{SITE_NAME}">\n'
        f'<meta property="article:published_time" content="{when.isoformat()}">\n'
        f'<meta property="article:section" content="{s.section.capitalize()}">\n'
        '<meta name="twitter:card" content="summary_large_image">\n'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>\n')


#: The stylesheet every page links (with an @import and a web font), as news sites have.
SHARED_CSS = ('@import url("/static/base.css");\n'
              '@font-face{font-family:"Courier Serif";src:url("/static/fonts/serif.woff2") '
              'format("woff2");font-display:swap}\n'
              'body{font-family:"Courier Serif",Georgia,serif}\n' + _CSS)
BASE_CSS = "html{box-sizing:border-box}*,*::before,*::after{box-sizing:inherit}\n" * 40
FONT = b"wOF2" + bytes(range(256)) * 120  # a 30 kB web font


def article_body(number: int, s: Story, when: datetime, author_slug: str,
                 related: list[Link]) -> str:
    parts = [
        f'<nav class="breadcrumb"><a href="/">Home</a> &rsaquo; '
        f'<a href="/section/{s.section}/">{s.section.capitalize()}</a></nav>',
        '<article class="story">',
        f'<h1 class="headline">{escape(s.headline)}</h1>',
        f'<p class="standfirst">{escape(s.standfirst)}</p>',
        f'<div class="byline">By <a rel="author" href="/author/{author_slug}/">'
        f'{escape(s.author)}</a> <time datetime="{when.isoformat()}">'
        f'{when:%d %B %Y, %H:%M}</time></div>',
        f'<figure><img src="/img/{number}.jpg" srcset="/img/{number}.jpg 1x, /img/{number}-2x.jpg 2x" '
        f'alt="" width="960" height="540">'
        f'<figcaption>{escape(s.standfirst[:80])} Photograph: Courier staff</figcaption></figure>',
        '<div class="story-body">',
    ]
    for k, paragraph in enumerate(s.paragraphs, 1):
        parts.append(f"<p>{escape(paragraph)}</p>")
        if k == 2:
            parts.append(f'<figure class="inline"><img src="/img/{number}-inline.jpg" alt="" '
                         'width="640" height="360" loading="lazy"></figure>')
        if k in s.subheads:
            parts.append(f"<h2>{escape(s.subheads[k])}</h2>")
        if k == 3 and related:
            path, title, _, _ = related[0]
            parts.append(f'<p class="read-more"><strong>Read more:</strong> '
                         f'<a href="{path}">{escape(title)}</a></p>')
        if k == 5:
            parts.append('<div class="ad-slot" data-slot="inline">Advertisement</div>')
    parts += [
        "</div>",
        '<div class="share"><a href="https://social.example/share">Share</a> '
        '<a href="https://mail.example/send">Email</a></div>',
        '<section class="related"><h2>Related stories</h2><ul>',
        *(f'<li><a href="{p}">{escape(t)}</a> <time>{w:%d %b}</time></li>'
          for p, t, _, w in related),
        "</ul></section>",
        '<section class="comments"><h2>Comments</h2><p>Comments are closed for this '
        "story.</p></section></article>",
    ]
    return "\n".join(parts)


def listing_body(title: str, links: list[Link], base_path: str, number: int,
                 total: int) -> str:
    items = "\n".join(
        f'<li class="teaser"><h3><a href="{p}">{escape(t)}</a></h3>'
        f"<p>{escape(sf)}</p><time>{w:%d %b %Y}</time></li>" for p, t, sf, w in links)
    pager = []
    if number > 1:
        prev = base_path if number == 2 else f"{base_path}page/{number - 1}/"
        pager.append(f'<a rel="prev" href="{prev}">Newer</a>')
    if number < total:
        pager.append(f'<a rel="next" href="{base_path}page/{number + 1}/">Older</a>')
    return (f"<h1>{escape(title)}</h1>\n<ul class=\"teasers\">\n{items}\n</ul>\n"
            f'<nav class="pager">{" ".join(pager)}</nav>')


def page(base: str, path: str, title: str, meta: str, body: str, teasers: list[Link]) -> str:
    nav = "".join(f'<li><a href="/section/{n}/">{n.capitalize()}</a></li>' for n in SECTIONS)
    mega = "".join(
        f'<li class="mega-col"><a href="/section/{n}/">{n.capitalize()}</a><ul>'
        + "".join(f'<li><a href="/section/{n}/#{escape(t.removeprefix("the ").replace(" ", "-"))}">'
                  f"{escape(t.removeprefix('the ').capitalize())}</a></li>" for t in topics)
        + "</ul></li>" for n, topics in SECTIONS.items())
    rail = "".join(f'<li><a href="{p}">{escape(t)}</a></li>' for p, t, _, _ in teasers[:5])
    more = "".join(
        f'<li class="card"><a href="{p}"><img src="/img/{p.rsplit("-", 1)[-1][:-5]}.jpg" '
        f'alt="" loading="lazy" width="320" height="180">{_ICON}<h3>{escape(t)}</h3></a>'
        f"<p>{escape(sf)}</p><time>{w:%d %b %Y}</time></li>" for p, t, sf, w in teasers[5:])
    footer = "".join(f'<li><a href="{p}">{t}</a></li>' for p, (t, _) in STATIC_PAGES.items())
    state = json.dumps({"page": path, "edition": "uk", "sections": list(SECTIONS),
                        "flags": {f"exp_{i}": i % 3 == 0 for i in range(120)},
                        "teasers": [{"url": base + p, "title": t, "summary": sf}
                                    for p, t, sf, _ in teasers]})
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} | {SITE_NAME}</title>
<link rel="canonical" href="{base}{path}">
{meta}<link rel="stylesheet" href="/static/site.css">
<style>{_CSS}</style>
<script>{_JS}</script>
</head>
<body>
<header class="site-header">
<a class="logo" href="/">{_ICON}{SITE_NAME}</a>
<nav class="primary"><ul>{nav}</ul></nav>
<nav class="mega" hidden><ul>{mega}</ul></nav>
<form class="search" action="/search" method="get"><input name="q" type="search">
<button>Search</button></form>
<a href="/search?q=latest">Advanced search</a> <a href="/login/">Sign in</a>
<a class="btn" href="/subscribe/">Subscribe</a>
</header>
<div class="ad-slot" data-slot="top">Advertisement</div>
<main id="content">
{body}
</main>
<aside class="rail"><h2>Most read</h2><ol>{rail}</ol>
<div class="ad-slot" data-slot="rail">Advertisement</div></aside>
<section class="more"><h2>More from the Courier</h2><ul>{more}</ul></section>
<div class="newsletter" hidden><h2>Get the morning briefing</h2>{_ICON}
<form action="/subscribe/" method="post"><input name="email" type="email">
<button>Sign up</button></form></div>
<footer class="site-footer">
<nav><ul>{nav}</ul></nav>
<ul class="corporate">{footer}</ul>
<p>Follow us: <a href="https://social.example/courier">{_ICON}Social</a>
<a href="https://video.example/courier">{_ICON}Video</a></p>
<p>&copy; 2024 {SITE_NAME}. All rights reserved.</p>
</footer>
<script id="page-state" type="application/json">{state}</script>
<script>{_JS}</script>
</body>
</html>
"""
