#!/usr/bin/env python3
"""Site profiles: boilerplate left in article texts with and without per-site profiles.

Data: generated outlets (``--outlets``, default 4) of ``--articles`` pages each (default 250),
each with its own template and the chrome real outlets put *inside* the article container,
where single-page extraction keeps it: a newsletter sign-up, a "follow us" line, a print link,
a photo caption with a credit, a related-stories heading, an in-body footer, a cookie banner.
Outlet 0 changes its template (other wording of every chrome block) halfway through.
The article text comes from ``_prose.story`` (prose that hardly repeats between articles).

Systems, measured in the same run on the same pages, in publication order per outlet:

* ``trafilatura``: ``trafilatura.extract(html)`` with default options;
* ``extract``: ``archive.extract.extract`` (what a crawl stores today);
* ``extract+profile``: the same text cleaned with the outlet's ``SiteProfile``, learned from
  the texts seen so far; a page extracted before its site's profile was mature is cleaned once
  it is (a crawl holds such pages until then: the stored texts are the same).

Figures: the share of texts that still hold any chrome block, the recall of article sentences
(each sentence of the generated story found in the text), and pages/s of extraction with and
without the profile step. Run ``python benchmarks/site_profiles.py [--json]``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import trafilatura  # noqa: E402
from _common import emit_json, format_table  # noqa: E402
from _prose import story  # noqa: E402

from archive.extract import ExtractionError, extract  # noqa: E402
from archive.siteprofile import SiteProfile  # noqa: E402

_SENTENCE = re.compile(r"(?<=[.!?])\s+")

CHROME_VARIANTS = [
    {
        "newsletter": "Sign up for the {name} morning briefing: the day's top stories in your inbox before 7am.",
        "social": "Follow {name} on Facebook, X and Instagram for the latest updates from the region.",
        "print": "Print this article or email it to a friend who would enjoy reading it.",
        "caption": "Photograph: staff photographer for {name}, all rights reserved by the agency.",
        "related": "More stories you may have missed from our newsroom this week",
        "footer": "Copyright {name} Media Group. All rights reserved. Reproduction without permission is prohibited.",
        "cookie": "We use cookies to personalise content and ads and to analyse our traffic. Accept all cookies",
    },
    {
        "newsletter": "Get {name} Daily delivered free to your inbox every weekday afternoon, sign up now.",
        "social": "Join the conversation with {name} on social media and share your thoughts with us.",
        "print": "Printer-friendly version of this story, formatted for paper and without advertising.",
        "caption": "Image credit: {name} picture desk and partner agencies, used with permission.",
        "related": "Readers who enjoyed this story also read the following articles",
        "footer": "{name} is part of the Regional Press Network. Registered office in the harbour district.",
        "cookie": "This website uses cookies to improve your experience. Manage your cookie settings here",
    },
]
OUTLET_NAMES = ["Halden Bay Gazette", "Northgate Courier", "Riverside Ledger", "Eastmoor Post",
                "Coastline Herald", "Valley Tribune"]


def outlet_page(outlet: int, number: int, chrome: dict, related: list[str]) -> tuple[str, list[str]]:
    """(HTML of one article page, its story sentences)."""
    s = story(outlet * 10_000 + number, seed=outlet + 3)
    name = OUTLET_NAMES[outlet % len(OUTLET_NAMES)]
    c = {k: v.format(name=name) for k, v in chrome.items()}
    paragraphs = [f"<p>{escape(p)}</p>" for p in s.paragraphs]
    # each outlet puts its chrome in its own places inside the article container
    middle = len(paragraphs) // 2
    figure = (f"<figure><img src='/img/{number}.jpg' alt=''><figcaption>{escape(c['caption'])}"
              "</figcaption></figure>")
    newsletter = f"<div class='promo-{outlet}'><p>{escape(c['newsletter'])}</p></div>"
    related_block = (f"<section class='related'><h3>{escape(c['related'])}</h3><ul>"
                     + "".join(f"<li><a href='/r/{i}'>{escape(h)}</a></li>" for i, h in enumerate(related))
                     + "</ul></section>")
    order = [figure] + paragraphs[:middle] + [newsletter] + paragraphs[middle:]
    if outlet % 2:
        order = [f"<p class='print'>{escape(c['print'])}</p>"] + order + [related_block]
    else:
        order = order + [related_block, f"<p class='print'>{escape(c['print'])}</p>"]
    order += [f"<p class='social'>{escape(c['social'])}</p>", f"<p class='legal'>{escape(c['footer'])}</p>"]
    html = (f"<!DOCTYPE html><html lang='en'><head><title>{escape(s.headline)} | {escape(name)}</title>"
            "<meta property='og:type' content='article'></head><body>"
            f"<div class='cookie-banner'><p>{escape(c['cookie'])}</p><button>OK</button></div>"
            f"<header><a href='/'>{escape(name)}</a></header>"
            f"<main><article class='story-{outlet}'><h1>{escape(s.headline)}</h1>"
            f"<p class='byline'>By {escape(s.author)}</p>{''.join(order)}</article></main>"
            f"<footer><p>{escape(c['footer'])}</p></footer></body></html>")
    sentences = [x for p in s.paragraphs for x in _SENTENCE.split(p) if len(x.split()) >= 4]
    return html, sentences


def build_outlets(outlets: int, articles: int) -> list[list[tuple[str, list[str], list[str]]]]:
    """Per outlet, its pages in order: (html, story sentences, chrome strings shown)."""
    sites = []
    for o in range(outlets):
        rng = random.Random(o)
        pages = []
        headlines = [story(o * 10_000 + n, seed=o + 3).headline for n in range(articles)]
        for n in range(articles):
            variant = CHROME_VARIANTS[(o + (1 if o == 0 and n >= articles // 2 else 0)) % 2]
            name = OUTLET_NAMES[o % len(OUTLET_NAMES)]
            chrome = {k: v.format(name=name) for k, v in variant.items()}
            html, sentences = outlet_page(o, n, variant, rng.sample(headlines, 3))
            pages.append((html, sentences, list(chrome.values())))
        sites.append(pages)
    return sites


def score(texts: list[str | None], pages) -> tuple[float, float]:
    """(share of texts holding any chrome block, recall of story sentences)."""
    dirty = found = total = 0
    for text, (_html, sentences, chrome) in zip(texts, pages):
        text = text or ""
        dirty += any(block in text for block in chrome)
        found += sum(1 for s in sentences if s in text)
        total += len(sentences)
    return dirty / len(pages), found / max(1, total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outlets", type=int, default=4)
    parser.add_argument("--articles", type=int, default=250, help="articles per outlet")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    sites = build_outlets(args.outlets, args.articles)
    pages = [p for site in sites for p in site]
    print(f"site profiles: {args.outlets} outlets x {args.articles} articles")

    start = time.perf_counter()
    plain = [trafilatura.extract(html) for site in sites for html, _s, _c in site]
    plain_seconds = time.perf_counter() - start

    extracted: list[str | None] = []
    start = time.perf_counter()
    for html, _s, _c in pages:
        try:
            extracted.append(extract(html.encode(), "http://outlet.test/a", "text/html; charset=utf-8").text)
        except ExtractionError:
            extracted.append(None)
    extract_seconds = time.perf_counter() - start

    cleaned: list[str | None] = []
    start = time.perf_counter()
    offset = 0
    for o, site in enumerate(sites):
        profile = SiteProfile(f"outlet-{o}")
        texts = extracted[offset:offset + len(site)]
        out: list[str | None] = []
        for i, text in enumerate(texts):
            was_mature = profile.mature
            if text is not None:
                profile.observe(text)
            if profile.mature and not was_mature:
                # the profile exists now: the site's first pages are extracted again
                out = [None if t is None else profile.clean(t)[0] for t in texts[:i]]
            out.append(None if text is None else profile.clean(text)[0])
        cleaned.extend(out)
        offset += len(site)
    profile_seconds = time.perf_counter() - start

    rows, result = [], {"benchmark": "site_profiles", "outlets": args.outlets,
                        "articles_per_outlet": args.articles, "systems": {}}
    for name, texts, seconds in (("trafilatura", plain, plain_seconds),
                                 ("extract", extracted, extract_seconds),
                                 ("extract+profile", cleaned, extract_seconds + profile_seconds)):
        dirty, recall = score(texts, pages)
        rate = len(pages) / seconds
        rows.append([name, f"{dirty:.3f}", f"{recall:.4f}", f"{rate:.1f}"])
        result["systems"][name] = {"boilerplate_share": dirty, "sentence_recall": recall,
                                   "pages_per_second": rate}
    print(format_table(["system", "texts with boilerplate", "sentence recall", "pages/s"], rows))
    print(f"profile step alone: {len(pages) / profile_seconds:,.0f} pages/s")
    if args.json:
        emit_json(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
