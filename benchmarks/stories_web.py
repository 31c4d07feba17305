#!/usr/bin/env python3
"""Story tracking end to end: the generated story corpus served as a news web and crawled.

``stories.py`` hands the tracker the corpus texts. Here every article of one seed's corpus
(``_storycorpus.py``: wire stories, their verbatim, trimmed, extended, updated, rewritten and
translated copies, other stories pasting the same background, walls and junk at the top of
texts) is an HTML page of its outlet, with the chrome real news pages carry around a story: a
consent banner, navigation, headline, byline and dateline, a photo caption and an
advertisement slot inside the body, share buttons, a related-stories box, a newsletter prompt
and a footer, in one of three page layouts per outlet (one puts "Read more" pointers between
paragraphs, one an author's note and topic tags below the body). Each outlet has a home page
linking its articles. ``wirecopy crawl`` fetches the web from the home pages through a local
forward proxy (``_proxy.py``: the outlets' own host names, no network) with the CLI's defaults,
story tracking included; the stories are read back with ``wirecopy stories --format json --all``.

Figures against the corpus truth: pairwise and B-cubed F1, recall per transformation (a copy
in its origin's story), merges, and the articles the crawl did not track. Measured in the same
run, on the same corpus:

* ``text``: the tracker (default configuration, same encoder) given the corpus texts
  themselves, as ``stories.py`` measures it: what crawling and extraction cost;
* ``minhash``: MinHash LSH (word 5-grams, threshold 0.5, as ``stories.py``) on trafilatura's
  plain text of each page: what a user would do by hand.

Run ``python benchmarks/stories_web.py [--seed N] [--json]`` from the repository root.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from _common import REPO_ROOT, clean_env, emit_json, format_table, last_json_line, wirecopy_command
from _proxy import CannedProxy, url_key
from stories import baseline_clusters, quality, track, tracker_clusters

sys.path.insert(0, str(REPO_ROOT))

import _storycorpus as corpus_mod  # noqa: E402
from _storycorpus import COPY_TYPES, Corpus, CorpusDoc  # noqa: E402

LAYOUTS = ("classic", "pointers", "tagged")
SECTIONS = ("World", "Politics", "Business", "Economy", "Regions", "Opinion")


def http_url(url: str) -> str:
    """The page's address served over plain HTTP (the proxy answers ``http://`` only)."""
    parts = urlsplit(url)
    return f"http://{parts.netloc}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def outlet_name(host: str) -> str:
    return " ".join(w.capitalize() for w in host.removeprefix("www.").split(".")[0].split("-"))


def layout_of(host: str) -> str:
    return LAYOUTS[zlib.crc32(host.encode()) % len(LAYOUTS)]


def _head(doc: CorpusDoc, site: str, path_css: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": doc.title,
            "datePublished": doc.published, "dateModified": doc.published, "inLanguage": doc.language,
            "author": [{"@type": "Person", "name": a} for a in doc.authors],
            "publisher": {"@type": "Organization", "name": site}}
    return (f'<meta charset="utf-8"><title>{escape(doc.title)} | {escape(site)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{escape(doc.title)}">\n'
            f'<meta property="og:site_name" content="{escape(site)}">\n'
            f'<meta property="article:published_time" content="{doc.published}">\n'
            f'<link rel="stylesheet" href="{path_css}">\n'
            f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'
            '<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>')


def _chrome_top(site: str) -> str:
    nav = "".join(f'<li><a href="/">{s}</a></li>' for s in SECTIONS)
    return (f'<div class="cookie-consent" role="dialog"><p>We use cookies to improve your experience and to '
            f'show you personalised ads. By continuing to browse {escape(site)} you agree to our use of cookies.</p>'
            '<button>Accept</button><button>Settings</button></div>\n'
            f'<header class="masthead"><a class="brand" href="/">{escape(site)}</a>'
            f'<nav><ul><li><a href="/">Home</a></li>{nav}</ul></nav>'
            '<form action="/search"><input type="search" name="q" placeholder="Search"></form></header>\n')


def _chrome_bottom(site: str, others: list[CorpusDoc]) -> str:
    most_read = "".join(f'<li><a href="{urlsplit(o.url).path}">{escape(o.title)}</a></li>' for o in others[4:9])
    return (f'<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside>\n'
            '<section class="newsletter"><h2>Morning briefing</h2><p>The day\'s essential news, in your inbox '
            'before breakfast.</p><form><input type="email" placeholder="Your e-mail"><button>Sign up</button>'
            '</form></section>\n'
            f'<footer><ul><li><a href="/">About us</a></li><li><a href="/">Contact</a></li><li><a href="/">Privacy'
            f'</a></li></ul><p>&copy; 2025 {escape(site)}. All rights reserved.</p></footer>\n')


def article_page(doc: CorpusDoc, others: list[CorpusDoc]) -> bytes:
    """The page of ``doc`` at its outlet; ``others`` are the outlet's other articles (for the
    related and most-read boxes)."""
    host = urlsplit(doc.url).netloc
    site, layout = outlet_name(host), layout_of(host)
    paragraphs = [p for p in doc.text.split("\n\n") if p.strip()]
    byline = ", ".join(doc.authors) or site
    body = []
    for k, paragraph in enumerate(paragraphs):
        body.append(f"<p>{escape(paragraph)}</p>")
        if k == 0:
            body.append(f'<figure><img src="/static/photo-{zlib.crc32(doc.url.encode()) % 97}.jpg" alt="">'
                        f'<figcaption>File photo. ({escape(site)})</figcaption></figure>')
        if k == 2:
            body.append('<div class="ad-slot"><span>Advertisement</span></div>')
        if layout == "pointers" and k in (1, 4) and len(others) > k:
            other = others[k]
            body.append(f'<p class="read-more"><strong>Read more:</strong> '
                        f'<a href="{urlsplit(other.url).path}">{escape(other.title)}</a></p>')
    related = "".join(f'<li><a href="{urlsplit(o.url).path}">{escape(o.title)}</a></li>' for o in others[:4])
    after = ""
    if layout == "tagged":
        after = (f'<p class="author-note">{escape(byline)} reports for {escape(site)}.</p>'
                 f'<p class="tags">Topics: {escape(doc.topic)}</p>')
    page = f"""<!DOCTYPE html>
<html lang="{doc.language}">
<head>
{_head(doc, site, "/static/site.css")}
</head>
<body class="article {layout}">
{_chrome_top(site)}<main>
<article>
<h1>{escape(doc.title)}</h1>
<p class="byline">By {escape(byline)}</p>
<time datetime="{doc.published}">{doc.published[:10]}</time>
<div class="article-body">
{chr(10).join(body)}
</div>
{after}<div class="share">Share: <a href="/">Facebook</a> <a href="/">X</a> <a href="/">E-mail</a></div>
</article>
<aside class="related"><h2>Related stories</h2><ul>{related}</ul></aside>
</main>
{_chrome_bottom(site, others)}</body>
</html>
"""
    return page.encode("utf-8")


def home_page(host: str, docs: list[CorpusDoc]) -> bytes:
    site = outlet_name(host)
    items = "".join(f'<li><a href="{urlsplit(d.url).path}">{escape(d.title)}</a> '
                    f'<time>{d.published[:10]}</time></li>' for d in docs)
    return (f'<!DOCTYPE html><html lang="{docs[0].language}"><head><meta charset="utf-8">'
            f'<title>{escape(site)}: latest news</title><link rel="stylesheet" href="/static/site.css"></head>'
            f'<body class="home">{_chrome_top(site)}<main><h1>Latest news</h1><ul class="river">{items}</ul>'
            f'</main>{_chrome_bottom(site, docs)}</body></html>').encode("utf-8")


def build_web(corpus: Corpus) -> tuple[dict[str, bytes], list[str]]:
    """(URL -> body of every page, the home pages to start from)."""
    by_host: dict[str, list[CorpusDoc]] = defaultdict(list)
    for doc in corpus.docs:
        by_host[urlsplit(doc.url).netloc].append(doc)
    pages: dict[str, bytes] = {}
    homes = []
    for host, docs in sorted(by_host.items()):
        docs = sorted(docs, key=lambda d: d.published, reverse=True)
        home = f"http://{host}/"
        homes.append(home)
        pages[home] = home_page(host, docs)
        pages[f"http://{host}/static/site.css"] = b"body{font:16px/1.5 Georgia,serif}.ad-slot{min-height:250px}"
        for k, doc in enumerate(docs):
            others = docs[k + 1:] + docs[:k]
            pages[http_url(doc.url)] = article_page(doc, others)
    return pages, homes


def crawl(pages: dict[str, bytes], homes: list[str], workdir: Path, timeout: float) -> tuple[dict[str, str], dict]:
    """Crawl the web with the CLI's defaults; (page URL key -> story id, run info)."""
    cmd = wirecopy_command()
    if cmd is None:
        raise SystemExit("the wirecopy command is not installed (pip install -e .)")
    archive = workdir / "archive"
    seeds = workdir / "seeds.txt"
    seeds.write_text("".join(h + "\n" for h in homes), encoding="utf-8")
    info: dict[str, Any] = {}
    with CannedProxy(pages) as proxy:
        env = clean_env(http_proxy=proxy.url, https_proxy=proxy.url)
        start = time.perf_counter()
        proc = subprocess.run(cmd + ["crawl", "--seeds-file", str(seeds), "--archive", str(archive), "--quiet", "--json"],
                              cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout)
        info["crawl_seconds"] = round(time.perf_counter() - start, 1)
        info["served"] = sum(proxy.hits.values())
        info["not_found"] = len(set(proxy.misses))
    info["crawl_returncode"] = proc.returncode
    summary = last_json_line(proc.stdout) or {}
    info["stats"] = {k: v for k, v in (summary.get("stats") or summary).items()
                     if isinstance(v, (int, float)) and k.startswith(("stories/", "extract/", "pages/"))}
    if proc.returncode != 0:
        info["crawl_error"] = proc.stderr.strip()[-2000:]
    listed = subprocess.run(cmd + ["stories", "--archive", str(archive), "--format", "json", "--all"],
                            cwd=workdir, env=clean_env(), capture_output=True, text=True, timeout=timeout)
    if listed.returncode != 0:
        raise SystemExit(f"wirecopy stories failed: {listed.stderr.strip()[-2000:]}")
    story_of = {url_key(c["url"]): str(s["story"]) for s in json.loads(listed.stdout) for c in s["captures"]}
    return story_of, info


def extracted_texts(pages: dict[str, bytes], corpus: Corpus) -> dict[str, str]:
    import trafilatura

    return {d.doc_id: trafilatura.extract(pages[http_url(d.url)].decode("utf-8")) or "" for d in corpus.docs}


def summary_of(q: dict[str, Any]) -> dict[str, Any]:
    keys = ("b3_f1", "b3_precision", "b3_recall", "pair_f1", "background_merges", "other_merges",
            "copy_recall", "false_links", "untracked")
    return {k: (len(q[k]) if k == "untracked" else q[k]) for k in keys if k in q}


def missed_copies(clusters: dict[str, Any], corpus: Corpus) -> list[dict[str, str]]:
    """The copies not in their origin's story (an untracked one included)."""
    urls = {d.doc_id: http_url(d.url) for d in corpus.docs}
    missed = []
    for d in corpus.docs:
        origin = corpus.origin.get(d.story)
        if d.kind in COPY_TYPES and (d.doc_id not in clusters or clusters[d.doc_id] != clusters.get(origin)):
            missed.append({"kind": d.kind, "language": d.language, "url": urls[d.doc_id], "origin": urls[origin]})
    return missed


def run(seed: int, encoder_name: str, timeout: float, keep: Path | None = None) -> dict[str, Any]:
    from archive.stories import load_encoder

    corpus = corpus_mod.quality_corpus(seed)
    pages, homes = build_web(corpus)
    out: dict[str, Any] = {"seed": seed, "articles": len(corpus.docs), "outlets": len(homes),
                           "pages": len(pages)}
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        story_of, info = crawl(pages, homes, keep, timeout)
    else:
        with tempfile.TemporaryDirectory(prefix="wirecopy-stories-web-") as tmp:
            story_of, info = crawl(pages, homes, Path(tmp), timeout)
    out.update(info)
    clusters = {d.doc_id: story_of[url_key(http_url(d.url))] for d in corpus.docs
                if url_key(http_url(d.url)) in story_of}
    out["crawl"] = summary_of(quality(clusters, corpus))
    out["crawl"]["missed"] = missed_copies(clusters, corpus)
    texts = extracted_texts(pages, corpus)
    plain = [dataclasses.replace(d, text=texts[d.doc_id]) for d in corpus.docs]
    out["minhash"] = summary_of(quality(baseline_clusters(plain), corpus))
    tracker, seconds = track(corpus.docs, load_encoder(encoder_name), None)
    text_clusters, links, _ = tracker_clusters(tracker)
    out["text"] = summary_of(quality(text_clusters, corpus, links))
    out["text_seconds"] = round(seconds, 1)
    tracker.close()
    return out


def print_result(r: dict[str, Any]) -> None:
    print(f"seed {r['seed']}: {r['articles']} articles on {r['outlets']} outlets, crawled in {r['crawl_seconds']} s "
          f"(exit {r['crawl_returncode']}; {r['served']} responses, {r['not_found']} URLs not served)")
    systems = ("crawl", "text", "minhash")
    rows = [[name] + [f"{r[s][k]:.3f}" for s in systems] for name, k in (
        ("B-cubed F1", "b3_f1"), ("B-cubed precision", "b3_precision"), ("B-cubed recall", "b3_recall"),
        ("pairwise F1", "pair_f1"))]
    rows += [[name] + [str(r[s].get(k, "")) for s in systems] for name, k in (
        ("background merges", "background_merges"), ("other merges", "other_merges"),
        ("untracked articles", "untracked"))]
    for kind in sorted(r["crawl"]["copy_recall"]):
        rows.append([f"recall {kind}"] + [f"{r[s]['copy_recall'][kind]:.3f}" for s in systems])
    print(format_table(["", "crawled (wirecopy crawl)", "texts (tracker)", "MinHash (trafilatura)"], rows))
    for miss in r["crawl"]["missed"]:
        print(f"not in its origin's story: {miss['kind']} ({miss['language']}) {miss['url']}")
    if r.get("crawl_error"):
        print("crawl error:", r["crawl_error"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (stories.py's)")
    parser.add_argument("--encoder", default="use", help="the encoder of the text-level run (the crawl's is its default)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed to the crawl")
    parser.add_argument("--keep", type=Path, default=None,
                        help="crawl into DIR/archive and keep it (default: a temporary directory)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    result = run(args.seed, args.encoder, args.timeout, args.keep)
    print_result(result)
    if args.json:
        emit_json({"benchmark": "stories_web", **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
