"""Feeds, sitemaps and robots.txt of the demo outlets, as the XML dialects crawlers meet."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape, quoteattr

from .site import Page, SiteContext


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def rss(ctx: SiteContext, pages: list[Page], *, title: str, description: str,
        self_path: str, full_text: bool = False) -> str:
    """RSS 2.0 with Dublin Core creators and, with ``full_text``, ``content:encoded`` bodies."""
    items = []
    for page in pages:
        spec = page.spec
        parts = [
            f"    <title>{escape(spec.title)}</title>",
            f"    <link>{escape(page.url)}</link>",
            f'    <guid isPermaLink="true">{escape(page.url)}</guid>',
            f"    <pubDate>{format_datetime(spec.published_at)}</pubDate>",
            f"    <dc:creator>{escape(spec.byline.removeprefix('By '))}</dc:creator>",
            f"    <category>{escape(ctx.profile.section_label(spec.section))}</category>",
            f"    <description>{escape(spec.summary)}</description>",
        ]
        if full_text:
            body = "".join(f"<p>{escape(text)}</p>" for text in spec.paragraphs)
            parts.append(f"    <content:encoded><![CDATA[{body}]]></content:encoded>")
        items.append("  <item>\n" + "\n".join(parts) + "\n  </item>")
    build = format_datetime(ctx.latest(pages).astimezone(timezone.utc), usegmt=True)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "<channel>\n"
        f"  <title>{escape(title)}</title>\n"
        f"  <link>{escape(ctx.url('/'))}</link>\n"
        f'  <atom:link href={quoteattr(ctx.url(self_path))} rel="self" type="application/rss+xml"/>\n'
        f"  <description>{escape(description)}</description>\n"
        "  <language>en</language>\n"
        f"  <lastBuildDate>{build}</lastBuildDate>\n"
        "  <ttl>15</ttl>\n" + "\n".join(items) + "\n</channel>\n</rss>\n"
    )


def atom(ctx: SiteContext, pages: list[Page], *, title: str, subtitle: str,
         self_path: str, tag_authority: str) -> str:
    """Atom 1.0 with stable ``tag:`` ids (the port of the live server is not part of them)."""
    entries = []
    for page in pages:
        spec = page.spec
        author = spec.byline.removeprefix("By ").removeprefix("Por ")
        entry_id = f"tag:{tag_authority},{spec.published_at:%Y-%m-%d}:{spec.slug}"
        categories = "".join(f"\n    <category term={quoteattr(tag)}/>" for tag in spec.tags)
        entries.append(
            "  <entry>\n"
            f"    <id>{escape(entry_id)}</id>\n"
            f"    <title>{escape(spec.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href={quoteattr(page.url)}/>\n'
            f"    <published>{_iso(spec.published_at)}</published>\n"
            f"    <updated>{_iso(spec.modified_at)}</updated>\n"
            f"    <author><name>{escape(author)}</name></author>{categories}\n"
            f'    <summary type="text" xml:lang="{spec.lang}">{escape(spec.summary)}</summary>\n'
            "  </entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        f"  <id>tag:{tag_authority},2025:feed</id>\n"
        f"  <title>{escape(title)}</title>\n"
        f"  <subtitle>{escape(subtitle)}</subtitle>\n"
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(ctx.url(self_path))}/>\n'
        f'  <link rel="alternate" type="text/html" href={quoteattr(ctx.url("/"))}/>\n'
        f"  <updated>{_iso(ctx.latest(pages))}</updated>\n"
        + "\n".join(entries)
        + "\n</feed>\n"
    )


def urlset(entries: list[tuple[str, datetime]], *, changefreq: str = "") -> str:
    """A plain sitemap: ``(absolute URL, last modified)`` pairs."""
    rows = []
    for loc, lastmod in entries:
        extra = f"<changefreq>{changefreq}</changefreq>" if changefreq else ""
        rows.append(f"  <url><loc>{escape(loc)}</loc><lastmod>{_iso(lastmod)}</lastmod>{extra}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def news_urlset(ctx: SiteContext, pages: list[Page], *, language: str = "en") -> str:
    """A Google News sitemap (``xmlns:news``) listing the outlet's articles."""
    rows = []
    for page in pages:
        spec = page.spec
        rows.append(
            "  <url>\n"
            f"    <loc>{escape(page.url)}</loc>\n"
            "    <news:news>\n"
            "      <news:publication>\n"
            f"        <news:name>{escape(ctx.profile.name)}</news:name>\n"
            f"        <news:language>{spec.lang or language}</news:language>\n"
            "      </news:publication>\n"
            f"      <news:publication_date>{_iso(spec.published_at)}</news:publication_date>\n"
            f"      <news:title>{escape(spec.title)}</news:title>\n"
            "    </news:news>\n"
            "  </url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


def sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    rows = [
        f"  <sitemap><loc>{escape(loc)}</loc><lastmod>{_iso(lastmod)}</lastmod></sitemap>"
        for loc, lastmod in entries
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</sitemapindex>\n"
    )


def robots(ctx: SiteContext, *, disallow: tuple[str, ...], allow: tuple[str, ...] = (),
           sitemaps: tuple[str, ...] = (), extra: str = "") -> str:
    lines = [f"# robots.txt for {ctx.profile.name}", "User-agent: *"]
    lines += [f"Disallow: {path}" for path in disallow]
    lines += [f"Allow: {path}" for path in allow]
    if extra:
        lines += ["", extra.strip()]
    if sitemaps:
        lines.append("")
        lines += [f"Sitemap: {ctx.url(path)}" for path in sitemaps]
    return "\n".join(lines) + "\n"
