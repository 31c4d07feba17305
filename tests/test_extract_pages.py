"""Page metadata, undeclared charsets, split bodies, and a crawl that classes every page."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from archive.warc.records import parse_metadata
from conftest import crawl_env, run_crawl
from warcio.archiveiterator import ArchiveIterator

import sites
from archive.extract import decode_html, extract

RU_PARAGRAPHS = [
    "Городской совет во вторник вечером обсудил план расширения северной пристани, который "
    "предусматривает углубление канала и два новых причала для паромов.",
    "Председатель совета заявил, что работы начнутся весной, если министерство одобрит "
    "финансирование, а жители прибрежных кварталов получат компенсацию за неудобства.",
    "Противники проекта считают, что строительство нарушит нерестилища рыбы в заливе, и "
    "требуют провести независимую экологическую экспертизу до начала работ.",
]
JA_PARAGRAPHS = [
    "市議会は十日夜、北側埠頭の拡張計画について審議を始めた。計画では水路を広げ、"
    "島々へ向かうフェリーのための岸壁を二つ増やす。",
    "議長は記者会見で、国が予算を認めれば工事は春に始まると述べ、沿岸地区の住民には"
    "工事期間中の不便に対して補償を行う考えを示した。",
    "計画に反対する市民団体は、工事が湾の漁場に影響を与えると主張し、着工前に独立した"
    "環境影響評価を行うよう求めている。",
]


def undeclared_page(title: str, paragraphs: list[str], lang: str) -> str:
    """A real-world shape: no charset in the header or the page, prose in the site's script."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs * 2)
    return (f"<html lang='{lang}'><head><title>{title}</title>"
            "<meta property='og:type' content='article'></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


RU_PAGE = undeclared_page("План расширения пристани", RU_PARAGRAPHS, "ru").encode("cp1251")
JA_PAGE = undeclared_page("北側埠頭の拡張計画", JA_PARAGRAPHS, "ja").encode("shift_jis")


@pytest.mark.parametrize("body, paragraphs, codec", [
    (RU_PAGE, RU_PARAGRAPHS, "cp1251"), (JA_PAGE, JA_PARAGRAPHS, "shift_jis")], ids=["ru", "ja"])
def test_undeclared_charsets_are_detected(body, paragraphs, codec):
    encoding, html = decode_html(body, "text/html")
    assert paragraphs[0] in html
    assert encoding.replace("-", "_").lower() in (codec, "cp932", "windows_1251")
    article = extract(body, "http://news.test/a", "text/html")
    assert all(p in article.text for p in paragraphs)


def test_a_declared_charset_wins_over_detection():
    # declared wrongly as windows-1252: the declaration is obeyed (as browsers do)
    encoding, _html = decode_html(RU_PAGE, "text/html; charset=windows-1252")
    assert encoding == "cp1252"


GAZETTE = """<html lang="en"><head><title>Halden Bay Gazette :: Council votes on the quay</title>
<meta property="og:type" content="article">
<meta property="article:section" content="Local">
<meta property="article:tag" content="harbour"><meta property="article:tag" content="council">
<meta property="article:modified_time" content="2025-03-11T08:00:00Z">
<meta property="og:image" content="http://gazette.test/img/quay.jpg">
<link rel="amphtml" href="http://gazette.test/amp/quay">
</head><body><article><h1>Council votes on the quay</h1>
<p>The harbour board met on Tuesday evening to weigh the plan for the northern quay, which would
widen the channel and add two berths for the ferries. It voted seven to two in favour.</p>
<p>Work is to start in the spring if the ministry approves the funding, the chair said after the
vote, and residents of the waterfront will be paid for the disruption.</p>
<p>Opponents say the works would disturb the spawning grounds in the bay and want an independent
study of the environmental impact before anything is built.</p></article></body></html>"""


def test_metadata_fields_and_fallbacks():
    article = extract(GAZETTE.encode(), "http://127.0.0.1:8703/2025/03/quay", "text/html")
    assert article.sitename == "Halden Bay Gazette"  # the title's prefix, never the host:port
    assert article.description.startswith("The harbour board met on Tuesday evening")  # the lede
    assert article.section == "Local"
    assert article.tags == ["harbour", "council"]
    assert article.modified == "2025-03-11T08:00:00Z"
    assert article.image == "http://gazette.test/img/quay.jpg"
    assert article.amp_url == "http://gazette.test/amp/quay"
    assert article.mode == "precision"


def test_a_body_split_around_an_ad_row_is_extracted_whole():
    first = "".join(f"<p>First half paragraph {i}: the council weighed the plan for the quay at "
                    f"length before the vote on Tuesday.</p>" for i in range(3))
    second = "".join(f"<p>Second half paragraph {i}: opponents asked for a study of the bay and "
                     f"its spawning grounds first.</p>" for i in range(3))
    html = (f"<html><body><div class='grid'><div class='article__body'>{first}</div>"
            "<aside><div class='ad'>Advertisement</div></aside></div>"
            f"<div class='row ad-row'><span>Advertisement</span></div>"
            f"<div class='grid'><div class='article__body'>{second}</div></div></body></html>")
    article = extract(html.encode(), "http://news.test/split", "text/html; charset=utf-8")
    assert "First half paragraph 0" in article.text and "Second half paragraph 2" in article.text


def _routes(base: str) -> dict[str, sites.Route]:
    cards = "".join(f"<div class='card'><h3><a href='/section/story-{i}'>Council weighs harbour "
                    f"plan number {i}</a></h3></div>" for i in range(10))
    home = ("<html><head><title>Halden Bay Gazette</title></head><body>"
            "<a href='/ru'>ru</a> <a href='/ja'>ja</a> <a href='/gazette'>g</a> <a href='/wall'>w</a>"
            f"{cards}</body></html>")
    wall = ("<html><head><title>Before you continue</title></head><body><h1>We value your privacy</h1>"
            "<p>We and our partners use cookies.</p><button>Accept all</button></body></html>")
    return {
        "/robots.txt": sites.Route(b"User-agent: *\nAllow: /\n", "text/plain"),
        "/": sites.Route(home.encode()),
        "/ru": sites.Route(RU_PAGE, "text/html"),
        "/ja": sites.Route(JA_PAGE, "text/html"),
        "/gazette": sites.Route(GAZETTE.encode(), "text/html; charset=utf-8"),
        "/wall": sites.Route(wall.encode()),
    }


@pytest.mark.slow
def test_a_crawl_classes_every_page_and_stores_texts_in_their_script(tmp_path):
    with sites.serve(_routes) as server:
        result = run_crawl([server.url("/")], tmp_path / "archive", depth=1)
    assert result.returncode == 0, result.stderr[-3000:]
    stats = result.stats
    assert stats["extract/walls/consent"] == 1 and result.summary["walls"] == 1
    assert stats["pageclass/article"] == 3 and stats["pageclass/listing"] == 1
    db = sqlite3.connect(tmp_path / "archive" / "catalog.sqlite")
    classes = {url.rsplit("/", 1)[-1]: (cls, json.loads(sig)) for url, cls, sig in db.execute(
        "SELECT url, page_class, page_signals FROM captures WHERE page_class IS NOT NULL")}
    assert classes["wall"][0] == "wall" and "wall:consent" in classes["wall"][1]
    assert classes[""][0] == "listing"
    assert {classes[k][0] for k in ("ru", "ja", "gazette")} == {"article"}
    row = db.execute("SELECT sitename, section, tags, amp_url, page_class FROM articles"
                     " WHERE url LIKE '%/gazette'").fetchone()
    assert row == ("Halden Bay Gazette", "Local", '["harbour", "council"]',
                   "http://gazette.test/amp/quay", "article")
    texts, metadata = {}, {}
    for path in (tmp_path / "archive" / "warc").glob("*.warc.gz"):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                name = (record.rec_headers.get_header("WARC-Target-URI") or "").rsplit("/", 1)[-1]
                if record.rec_type == "conversion":
                    texts[name] = record.content_stream().read().decode("utf-8")
                elif record.rec_type == "metadata":
                    metadata[name] = parse_metadata(record.rec_headers.get_header("Content-Type"),
                                                    record.content_stream().read())
    assert all(p in texts["ru"] for p in RU_PARAGRAPHS)
    assert all(p in texts["ja"] for p in JA_PARAGRAPHS)
    assert "wall" not in texts  # never extracted, never tracked
    assert metadata["gazette"]["page_class"] == "article"
    assert metadata["gazette"]["sitename"] == "Halden Bay Gazette"
    assert metadata["gazette"]["tags"] == ["harbour", "council"]


REGISTRATION_WALL = """<html><head><title>Council backs harbour plan | Halden Bay Gazette</title>
<meta property="og:type" content="article"><meta property="og:title" content="Council backs harbour plan">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Council backs harbour plan", "datePublished": "2025-03-04T09:00:00Z"}</script>
</head><body><nav><a href="/">Home</a></nav><article><h1>Council backs harbour plan</h1>
<p>This article is reserved for registered readers. Register for free to continue reading, or log in or
subscribe.</p><p>Why should I register? Registered users can search the archive and comment on every story.</p>
<p>Once logged in, you can read three articles a week at no charge. Fields marked with an asterisk are
required fields.</p></article><footer>Halden Bay Gazette</footer></body></html>"""


@pytest.mark.slow
def test_an_article_page_whose_text_is_a_wall_is_counted_and_not_tracked(tmp_path):
    """Marked up as an article, its text a registration wall: extracted and archived as the
    capture it is, set aside by story tracking and counted by kind, the other articles tracked."""
    def routes(base: str) -> dict[str, sites.Route]:
        return {**_routes(base), "/": sites.Route(
            b"<html><head><title>Halden Bay Gazette</title></head><body>"
            b"<a href='/ru'>ru</a> <a href='/gazette'>g</a> <a href='/register'>r</a></body></html>"),
            "/register": sites.Route(REGISTRATION_WALL.encode())}

    with sites.serve(routes) as server:
        result = run_crawl([server.url("/")], tmp_path / "archive", depth=1,
                           settings=("STORIES_ENCODER=none", "EXTRACT_SITE_PROFILES=False", "LOG_LEVEL=INFO"))
    assert result.returncode == 0, result.stderr[-3000:]
    stats = result.stats
    assert stats["extract/ok"] == 3
    assert stats["stories/walls"] == stats["stories/walls/paywall"] == 1
    assert stats["stories/tracked"] == 2
    assert "/register" in result.stderr and "paywall wall, not an article" in result.stderr
    # the same WARC imported into another archive: the import counts the wall as the crawl did
    imported = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "import", str(tmp_path / "archive" / "warc"), "--archive",
         str(tmp_path / "imported"), "--json", "--quiet", "-s", "STORIES_ENCODER=none", "-s",
         "EXTRACT_SITE_PROFILES=False"], capture_output=True, text=True, env=crawl_env(), timeout=300)
    assert imported.returncode == 0, imported.stderr[-3000:]
    stats = json.loads(imported.stdout)["stats"]
    assert stats["stories/walls"] == stats["stories/walls/paywall"] == 1


STORY = ("<p>The harbour board met on Tuesday evening to weigh the plan for the northern quay, which "
         "would widen the channel and add two berths for the ferries that cross to the islands.</p>")


def test_link_teasers_and_hover_cards_are_left_out():
    card = ("<span class='person'><a href='/people/ada'>Ada Moss</a><span class='card'>"
            "<img src='/ada.jpg'><a href='/people/ada'>Ada Moss</a>"
            "<a href='/news/1'>Moss backs the ferry levy in a long speech</a></span></span>")
    html = (f"<html><body><article>{STORY}<p>The chair, {card}, said work starts in spring and the "
            "ministry would be asked for the funding before the summer recess.</p>"
            "<p>Read more: <a href='/news/2'>Ferry operators warn of higher fares next year</a></p>"
            f"{STORY.replace('Tuesday', 'Wednesday')}<ul><li><a href='/a'>Quay works delayed by the "
            "storm season</a></li><li><a href='/b'>Islanders ask for a second ferry</a></li></ul>"
            "</article></body></html>")
    text = extract(html.encode(), "http://news.test/quay", "text/html; charset=utf-8").text
    assert "The chair, Ada Moss, said work starts in spring" in text
    assert "Moss backs the ferry levy" not in text
    assert "Ferry operators warn" not in text and "Islanders ask" not in text
    assert "Wednesday evening" in text
