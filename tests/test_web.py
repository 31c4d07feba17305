"""The web UI through Flask's test client: every route, with hostile and malformed input."""

from __future__ import annotations

import hashlib
import io
import html
import re
import shutil
import sqlite3
import subprocess
import sys

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator

from archive.stories import Document
from archive.stories.service import open_tracker
from archive.store import Archive
from archive.web import create_app
from conftest import crawl_env
from web_archive import DISPATCH, HAYOM, HOSTILE, SEEDS, build_archive, build_metadata_archive, store_page

UI = "http://127.0.0.1:9/"
LIVE = "http://live.example/"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("web") / "archive"
    ids = build_archive(root, ui=UI, live=LIVE)
    return root, ids


@pytest.fixture(scope="module")
def client(built):
    root, _ = built
    app = create_app(root, trusted_hosts=["localhost", "127.0.0.1"], search_interval=0)
    return app.test_client()


@pytest.fixture(scope="module")
def story_id(client):
    ids = re.findall(r'href="/story/(s[0-9a-f]{10})"', client.get("/stories").get_data(as_text=True))
    assert ids, "the seed pair forms no story"
    return ids[0]


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:500])
    return response.get_data(as_text=True)


def digests(root) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "warc").iterdir())}


# -- UI pages ------------------------------------------------------------------------------

def test_index_shows_counts_stories_and_latest_captures(client, built, story_id):
    _, ids = built
    body = page(client, "/")
    assert f"{len(ids)} captures" in body and "4 articles" in body
    assert f'/story/{story_id}' in body
    assert f'href="/capture/{ids["redirect"]}"' in body


def test_every_ui_page_has_a_strict_policy_and_no_script(client, built, story_id):
    _, ids = built
    for url in ("/", "/stories", f"/story/{story_id}", "/search?q=gantz", f"/capture/{ids['hostile']}",
                f"/replay/{ids['hostile']}", "/no-such-page"):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src" not in policy and "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "<script" not in response.get_data(as_text=True).lower(), url


def test_story_page_sets_the_seed_pair_side_by_side(client, story_id):
    body = page(client, f"/story/{story_id}")
    assert "In Morocco, Gantz inks landmark deal paving way for weapon sales" in body
    assert "regional-dispatch.example" in body and "rewrite" in body
    rows = re.findall(r"<tr class=\"how-([a-z]+)[^\"]*\">\s*<td class=\"passage\">(.*?)</td>\s*"
                      r"<td class=\"passage\">(.*?)</td>", body, re.S)
    text = {how: [(html.unescape(re.sub("<[^>]+>", "", a)), html.unescape(re.sub("<[^>]+>", "", b)))
                  for h, a, b in rows if h == how] for how in ("semantic", "lexical", "same", "removed", "added")}
    # the reworded story-specific sentences are aligned with each other, one row each
    assert any("Gantz" in a and "Abdellatif Lodi" in b for a, b in text["semantic"])
    assert any("first official visit by an Israeli defense minister" in a
               and "first official visit by an Israeli defense minister" in b for a, b in text["semantic"])
    assert text["lexical"] or text["same"]
    assert all(a and not b for a, b in text["removed"]) and all(b and not a for a, b in text["added"])
    assert any("Western Sahara" in b for _, b in text["added"])
    # what the copy changed is marked on each side
    assert "<ins>Lodi</ins>" in body and "<del>Abraham</del>" in body


def test_story_ids_are_validated(client):
    for bad in ("s123", "S0123456789", "s0123456789a", "..", "x" * 5000):
        page(client, f"/story/{bad}", 400)
    page(client, "/story/..%2f..%2fcatalog.sqlite", 404)
    page(client, "/story/s0000000000", 404)


def test_capture_page_shows_text_metadata_warc_location_and_versions(client, built):
    root, ids = built
    body = page(client, f"/capture/{ids['hostile_v2']}")
    db = sqlite3.connect(root / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    row = db.execute("SELECT * FROM captures WHERE id = ?", (ids["hostile_v2"],)).fetchone()
    for value in (row["warc_file"], str(row["warc_offset"]), str(row["warc_length"]), row["record_id"],
                  row["payload_digest"]):
        assert html.escape(value) in body
    assert "Block digest" in body and "sha1:" in body
    assert "The union said the agreement raises night-shift pay" in body  # the extracted text
    assert "Harbour ferry strike ends after talks" in body
    # both versions, the text change flagged, this one marked
    assert f'href="/capture/{ids["hostile"]}"' in body and "changed" in body and "(this one)" in body
    # the archived page's markup is never part of the UI page
    assert "__hostile" not in body and "<iframe src" not in body


@pytest.fixture(scope="module")
def classed(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-meta") / "archive"
    ids = build_metadata_archive(root)
    app = create_app(root, trusted_hosts=["localhost"], search_interval=0)
    return app.test_client(), ids


def article_fields(body: str) -> dict[str, str]:
    """The extracted article's metadata list: label -> the value as shown (markup removed)."""
    section = re.search(r'<dl class="meta article-meta">(.*?)</dl>', body, re.S)
    assert section, "no article metadata list"
    return {html.unescape(dt): " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dd)).split())
            for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", section.group(1), re.S)}


def test_capture_page_shows_every_metadata_field_of_an_article(classed):
    client, ids = classed
    response = client.get(f"/capture/{ids['full']}")
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    body = response.get_data(as_text=True)
    assert "<script" not in body.lower()
    fields = article_fields(body)
    assert fields["Title"] == "Quay plan approved"
    # escaped: the page's own markup in a description is text
    assert fields["Description"] == "The council backs the northern quay <b>plan</b>."
    assert "&lt;b&gt;plan&lt;/b&gt;" in body and "<b>plan</b>" not in body
    assert fields["Authors"] == "Mira Holt"
    assert fields["Published"].startswith("2024-05-02") and fields["Modified"].startswith("2024-05-03")
    assert 'datetime="2024-05-03T09:30:00Z"' in body
    assert fields["Site name"] == "Halden Bay Gazette" and fields["Section"] == "Local"
    assert fields["Tags"] == "harbour council" and '<span class="tag">harbour</span>' in body
    assert fields["Lead image"] == "https://gazette.example/img/quay.jpg?w=1200&h=630"
    assert fields["Canonical URL"] == "https://gazette.example/local/quay-plan/"
    assert fields["AMP URL"] == "https://gazette.example/amp/quay-plan/"
    assert fields["Language"] == "en"
    # the lead image is named, never loaded from the live web
    assert "<img" not in body and 'href="https://gazette.example' not in body
    assert re.search(r"<dt>Page class</dt><dd[^>]*>.*?article.*?signals: og:type · prose:3p/86w", body, re.S)
    assert "doubtful" not in body


def test_absent_metadata_fields_have_no_labels(client, built):
    _, ids = built
    body = page(client, f"/capture/{ids['hostile']}")
    fields = article_fields(body)
    assert fields["Title"] == "Harbour ferry strike ends after talks"
    for label in ("Modified", "Section", "Tags", "Lead image", "AMP URL", "Authors"):
        assert label not in fields, label
    assert all(value for value in fields.values()), fields  # no label without a value
    assert "<dt>Page class</dt>" not in body  # stored without a class: none is shown


def test_capture_page_shows_a_walls_class_and_an_articles_doubt(classed):
    client, ids = classed
    body = page(client, f"/capture/{ids['wall']}")
    assert re.search(r'<span class="tag class-wall">wall</span> <span class="tag wall">consent wall</span>', body)
    assert "signals: prose:0p/0w · wall:consent" in body
    assert "Extracted article" not in body  # a wall is never extracted
    body = page(client, f"/capture/{ids['brief']}")
    assert '<span class="tag class-article">article</span>' in body and ">doubtful</span>" in body
    assert "signals: og:type · prose:0p/0w" in body


def test_record_download_is_the_stored_record(client, built):
    root, ids = built
    response = client.get(f"/capture/{ids['dispatch']}/record.warc.gz")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/warc"
    assert f"capture-{ids['dispatch']}.warc.gz" in response.headers["Content-Disposition"]
    types = []
    for record in ArchiveIterator(io.BytesIO(response.data), check_digests=True):
        types.append(record.rec_type)
        record.content_stream().read()
    assert types == ["response"]
    blocks = [r.verify_block_digest() for r in FastArchiveIterator(io.BytesIO(response.data), parse_http=False)]
    payloads = [r.verify_payload_digest() for r in FastArchiveIterator(io.BytesIO(response.data))]
    assert blocks == payloads == [True]
    assert client.get("/capture/999999/record.warc.gz").status_code == 404


def test_revisit_capture_points_at_its_original_and_replays_its_payload(client, built):
    _, ids = built
    body = page(client, f"/capture/{ids['revisit']}")
    assert "revisit" in body and f'href="/capture/{ids["hayom"]}"' in body
    original = client.get(f"/replay/{ids['hayom']}/raw?as=archived")
    revisit = client.get(f"/replay/{ids['revisit']}/raw?as=archived")
    assert revisit.status_code == 200
    assert revisit.data == original.data == (SEEDS / "israelhayom-gantz-morocco.html").read_bytes()


def test_capture_ids_are_validated(client):
    for bad in ("0", "-1", "01", "1abc", "1.5", "9" * 19, "9" * 400, "..%2f..%2fetc%2fpasswd", "%00"):
        page(client, f"/capture/{bad}", 404)
        page(client, f"/replay/{bad}", 404)
        page(client, f"/replay/{bad}/raw", 404)
    page(client, "/capture/999999", 404)
    page(client, "/replay/999999/raw", 404)


def test_no_path_reaches_the_filesystem(client):
    for url in ("/static/../catalog.sqlite", "/static/..%2fcaptures.py", "/static/%2e%2e/app.py",
                "/replay/1/../../../etc/passwd", "/warc/", "/catalog.sqlite", "/static//etc/passwd",
                "/url?u=file:///etc/passwd"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (400, 404), url
        assert b"root:" not in response.data and b"SQLite format" not in response.data


def test_untrusted_host_is_refused(client):
    response = client.get("/", headers={"Host": "rebound.example"})
    assert response.status_code == 400


def test_only_get(client, built):
    _, ids = built
    assert client.post("/search?q=x").status_code == 405
    assert client.delete(f"/capture/{ids['hayom']}").status_code == 405


# -- search ----------------------------------------------------------------------------------

def test_search_finds_text_title_and_url(client, built):
    _, ids = built
    body = page(client, "/search?q=memorandum+understanding")
    assert f'href="/capture/{ids["hayom"]}"' in body and f'href="/capture/{ids["dispatch"]}"' in body
    assert "<mark>memorandum</mark>" in body.lower() or "<mark>Memorandum</mark>" in body
    body = page(client, "/search?q=harbour+ferry+strike")
    assert f'href="/capture/{ids["hostile"]}"' in body
    body = page(client, "/search?q=regional-dispatch.example")
    assert f'href="/capture/{ids["redirect"]}"' in body  # by URL, captures of any kind
    body = page(client, "/search?q=Moroc")  # the last word as a prefix
    assert f'href="/capture/{ids["hayom"]}"' in body


def test_search_input_is_text_not_syntax(client):
    for q in ('"', 'NEAR(a b', "a OR", "*", "-", "title:x", "^", "%", "_", "\\", "'); DROP TABLE captures;--",
              "<script>alert(1)</script>"):
        body = page(client, "/search?" + "q=" + q.replace("%", "%25").replace("#", "%23").replace("&", "%26"))
        assert "<script>alert" not in body
    assert "Articles (0)" in page(client, "/search?q=%22%29%28")


def test_search_parameters_are_validated(client):
    page(client, "/search?q=" + "a" * 201, 400)
    for bad in ("0", "-1", "abc", "1e3", "99999999999", "", "%C2%B2", "%EF%BC%91", "1%00", "+1"):
        page(client, f"/search?q=gantz&page={bad}", 400)
    page(client, "/search?q=gantz&page=2")
    page(client, "/stories?page=2", 404)
    page(client, "/stories?page=x", 400)
    assert "Type words" in page(client, "/search?q=")
    for q in ("%00", "a%00b", "%ED%A0%80", "%FF%FE", "%F0%9F%93%B0"):
        page(client, f"/search?q={q}")
    assert client.get("/url?u=%00").status_code == 404


def test_search_index_follows_the_catalog(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built[0], root)
    client = create_app(root, trusted_hosts=["localhost"], search_interval=0).test_client()
    assert "Articles (0)" in page(client, "/search?q=lighthouse+keeper")
    archive = Archive(root)
    body = ("<html><head><title>Lighthouse keeper retires</title><meta property='og:type' content='article'>"
            "</head><body><article>" + "".join(
                f"<p>The lighthouse keeper of the northern cape retired on Friday after {n} years of "
                f"service, handing the lamp room keys to the coast guard crew number {n}.</p>" for n in range(5))
            + "</article></body></html>").encode()
    ref, _ = store_page(archive, "https://cape.example/lighthouse", body, "2021-12-01T10:00:00.000000Z")
    archive.close()
    assert f'href="/capture/{ref.capture_id}"' in page(client, "/search?q=lighthouse+keeper")
    assert (root / "search.sqlite").exists()


# -- replay ----------------------------------------------------------------------------------

def test_raw_replay_is_sandboxed_and_cannot_reach_anything(client, built):
    _, ids = built
    response = client.get(f"/replay/{ids['hostile']}/raw")
    assert response.status_code == 200
    policy = [p.strip() for p in response.headers["Content-Security-Policy"].split(";")]
    # no allow-scripts, no allow-same-origin: only a click on a (rewritten) link may open a page
    assert policy[0] == "sandbox allow-top-navigation-by-user-activation"
    archived = client.get(f"/replay/{ids['hostile']}/raw?as=archived")
    assert archived.headers["Content-Security-Policy"].startswith("sandbox;"), "links as archived: none"
    assert "default-src 'none'" in policy and "form-action 'none'" in policy
    assert "script-src" not in response.headers["Content-Security-Policy"]
    sources = {src for directive in policy[1:] for src in directive.split()[1:]}
    # resources only from the archive's replay paths (or inline data)
    assert sources <= {"'none'", "'unsafe-inline'", "data:", "'self'", "http://localhost/replay/"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert response.headers["X-Archive-Status"] == "200"
    assert b"window.__hostile" in response.data  # served as archived, made inert by the policy


def test_replay_frame_embeds_the_page_in_a_sandboxed_iframe(client, built):
    _, ids = built
    body = page(client, f"/replay/{ids['hostile']}")
    frame = re.search(r"<iframe[^>]*>", body).group()
    assert 'sandbox="allow-top-navigation-by-user-activation"' in frame
    assert f'src="/replay/{ids["hostile"]}/raw"' in frame
    assert f'href="/replay/{ids["hostile_v2"]}"' in body  # the other version


def test_replay_decodes_content_encoding_and_keeps_safe_types(client, built):
    _, ids = built
    gz = client.get(f"/replay/{ids['dispatch']}/raw?as=archived")
    assert gz.data == (SEEDS / "dispatch-defense-ministers-meet.html").read_bytes()
    assert "Content-Encoding" not in gz.headers
    plain = client.get(f"/replay/{ids['plain']}/raw")
    assert plain.headers["Content-Type"] == "text/plain" and plain.data == b"plain <b>text</b> notes\n"
    moved = client.get(f"/replay/{ids['redirect']}/raw")
    assert moved.status_code == 200 and moved.headers["X-Archive-Status"] == "301"
    assert "Location" not in moved.headers  # an archived redirect never moves the browser


def test_archived_links_and_resources_lead_into_the_archive(client, built):
    _, ids = built
    body = client.get(f"/replay/{ids['hostile']}/raw").get_data(as_text=True)
    key = re.search(r"&amp;k=([\w-]+)", body).group(1)
    assert f'src="/replay/go?url=http%3A%2F%2Flive.example%2Fphoto.jpg&amp;at=20211124130000&amp;k={key}"' in body
    assert f'href="/replay/go?url=http%3A%2F%2Flive.example%2Fstyle.css&amp;at=20211124130000&amp;k={key}"' in body
    assert "http://live.example/photo.jpg" not in body
    # scripts are left as archived: the sandbox never runs them
    assert 'fetch("http://live.example/beacon")' in body
    raw = client.get(f"/replay/{ids['hostile']}/raw?as=archived")
    assert b'src="http://live.example/photo.jpg"' in raw.data
    assert client.get(f"/replay/{ids['hostile']}/raw?as=other").status_code == 400


def test_replay_key_marks_the_archives_own_requests(client, built):
    _, ids = built
    body = client.get(f"/replay/{ids['hostile']}/raw").get_data(as_text=True)
    key = re.search(r"&amp;k=([\w-]+)", body).group(1)
    # without the key (another web site embedding the archive) resources stay same-origin
    assert client.get(f"/replay/{ids['plain']}/raw").headers["Cross-Origin-Resource-Policy"] == "same-origin"
    keyed = client.get(f"/replay/{ids['plain']}/raw", query_string={"k": key})
    assert keyed.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    go = client.get("/replay/go", query_string={"url": HOSTILE, "k": key})
    assert go.headers["Location"].endswith(f"/replay/{ids['hostile_v2']}/raw?k={key}")
    assert go.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    for bad in ("", "x", key + "x", "k" * 1000):
        assert client.get(f"/replay/{ids['plain']}/raw", query_string={"k": bad}).status_code == 400
        assert client.get("/replay/go", query_string={"url": HOSTILE, "k": bad}).status_code == 400


def test_replay_go_finds_the_closest_capture(client, built):
    _, ids = built
    go = client.get("/replay/go", query_string={"url": HOSTILE, "at": "20211124"})
    assert go.status_code == 302 and go.headers["Location"].endswith(f"/replay/{ids['hostile']}/raw")
    go = client.get("/replay/go", query_string={"url": HOSTILE, "at": "20211126000000"})
    assert go.headers["Location"].endswith(f"/replay/{ids['hostile_v2']}/raw")
    go = client.get("/replay/go", query_string={"url": HOSTILE})
    assert go.headers["Location"].endswith(f"/replay/{ids['hostile_v2']}/raw")
    page_view = client.get("/replay/go", query_string={"url": HOSTILE, "at": "20211124", "view": "page"})
    assert page_view.status_code == 302 and page_view.headers["Location"].endswith(f"/replay/{ids['hostile']}")
    assert client.get("/replay/go", query_string={"url": HOSTILE, "view": "raw"}).status_code == 400
    missing = client.get("/replay/go", query_string={"url": "http://live.example/photo.jpg", "at": "20211124"})
    assert missing.status_code == 404 and missing.headers["Content-Security-Policy"].startswith("sandbox;")
    assert missing.headers["X-Frame-Options"] == "SAMEORIGIN" and b"Not in the archive" in missing.data
    for bad in ({"url": "file:///etc/passwd"}, {"url": "javascript:alert(1)"}, {"url": ""}, {},
                {"url": "http://x.example/" + "a" * 5000}, {"url": HOSTILE, "at": "2021-11-24"},
                {"url": HOSTILE, "at": "1" * 15}, {"url": HOSTILE, "at": "x"}):
        assert client.get("/replay/go", query_string=bad).status_code == 400, bad


def test_unreadable_warc_record_is_a_404(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built[0], root)
    db = sqlite3.connect(root / "catalog.sqlite")
    ids = built[1]
    db.execute("UPDATE captures SET warc_offset = warc_offset + 7 WHERE id = ?", (ids["plain"],))
    db.execute("UPDATE captures SET warc_file = '../../../etc/passwd' WHERE id = ?", (ids["redirect"],))
    # an offset that holds a sound record, but another one
    db.execute("UPDATE captures SET warc_offset = (SELECT warc_offset FROM captures WHERE id = ?)"
               " WHERE id = ?", (ids["hayom"], ids["dispatch"]))
    db.execute("UPDATE articles SET conversion_offset = metadata_offset WHERE capture_id = ?", (ids["hostile"],))
    db.commit()
    db.close()
    client = create_app(root, trusted_hosts=["localhost"]).test_client()
    for capture_id in (ids["plain"], ids["redirect"], ids["dispatch"]):
        for url in (f"/capture/{capture_id}", f"/replay/{capture_id}/raw"):
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"root:" not in response.data
    body = page(client, f"/capture/{ids['hostile']}")
    assert "The conversion record of capture" in body.replace("the conversion", "The conversion")
    assert "night-shift pay" not in body


def test_url_lookup(client, built):
    _, ids = built
    response = client.get("/url", query_string={"u": HOSTILE})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/capture/{ids['hostile_v2']}")
    assert client.get("/url", query_string={"u": HAYOM}).status_code == 302
    assert client.get("/url").status_code == 400
    assert client.get("/url", query_string={"u": "x" * 5000}).status_code == 400
    assert client.get("/url", query_string={"u": DISPATCH + "?nope"}).status_code == 404


def test_serving_never_changes_the_archive(built):
    root, ids = built
    before = digests(root)
    client = create_app(root, trusted_hosts=["localhost"]).test_client()
    for capture_id in ids.values():
        client.get(f"/capture/{capture_id}")
        client.get(f"/replay/{capture_id}/raw")
    assert digests(root) == before


def test_serve_command_refuses_a_missing_archive(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "serve", "--archive", str(tmp_path / "none"),
                           "--port", "0"], capture_output=True, text=True, env=crawl_env(), timeout=60)
    assert proc.returncode == 2 and "no archive catalog" in proc.stderr


def test_story_pages_follow_tracking(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built[0], root)
    client = create_app(root, trusted_hosts=["localhost"]).test_client()
    assert "Stories (1)" in page(client, "/stories")
    tracker = open_tracker(root, "use")
    hostile = tracker.store.doc(HOSTILE)
    text = " ".join(s.text for s in tracker.store.sentences(HOSTILE))
    tracker.add(Document("https://copy.example/ferry", "https://copy.example/ferry", text, hostile.title,
                         "2021-11-26T10:00:00Z", "copy.example"))
    tracker.close()
    body = page(client, "/stories")
    assert "Stories (2)" in body and "Harbour ferry strike ends after talks" in body


def test_an_empty_archive_is_served(tmp_path):
    Archive(tmp_path / "empty").close()
    client = create_app(tmp_path / "empty", trusted_hosts=["localhost"]).test_client()
    assert "0 captures" in page(client, "/")
    assert "No story has a copy yet" in page(client, "/stories")
    assert "Articles (0)" in page(client, "/search?q=anything")
    page(client, "/capture/1", 404)


def test_pywb_style_addresses_show_the_closest_capture(client, built):
    _, ids = built
    assert client.get(f"/20211124/{HOSTILE}").headers["Location"].endswith(f"/replay/{ids['hostile']}")
    assert client.get(f"/2099/{HOSTILE}").headers["Location"].endswith(f"/replay/{ids['hostile_v2']}")
    assert client.get("/20211124/http://nothing.example/page").status_code == 404
    assert client.get(f"/notatime/{HOSTILE}").status_code == 404
    assert client.get("/20211124/file:///etc/passwd").status_code == 400
    assert client.get("/static/wirecopy.css").status_code == 200  # the UI's own routes still win


def test_archived_fonts_and_svg_images_load_in_the_sandbox(built, tmp_path):
    root = tmp_path / "archive"
    shutil.copytree(built[0], root)
    archive = Archive(root)
    store_page(archive, "https://fonts.example/serif.woff2", b"wOF2" + b"\0" * 20, "2021-11-24T13:00:01Z",
               content_type="font/woff2", kind="page", extract_text=False)
    store_page(archive, "https://img.example/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
               "2021-11-24T13:00:01Z", content_type="image/svg+xml", kind="page", extract_text=False)
    archive.close()
    client = create_app(root, trusted_hosts=["localhost"], search_interval=0).test_client()
    key = re.search(r"&amp;k=([\w-]+)", client.get(f"/replay/{built[1]['hostile']}/raw").get_data(as_text=True))
    go = client.get("/replay/go", query_string={"url": "https://fonts.example/serif.woff2", "k": key.group(1)})
    assert go.headers["Access-Control-Allow-Origin"] == "*"  # a CORS-mode font fetch follows it
    font = client.get(go.headers["Location"])
    assert font.headers["Content-Type"] == "font/woff2" and font.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get(go.headers["Location"].split("?")[0]).headers
    go = client.get("/replay/go", query_string={"url": "https://img.example/logo.svg"})
    svg = client.get(go.headers["Location"])
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    assert svg.headers["Content-Security-Policy"].startswith("sandbox")
