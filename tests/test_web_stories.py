"""Story pages as a reader uses them: the summary, the copies with their times and lags, folded
comparisons, honest relation labels, translations, filters, sorting, export, one date format."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from archive.stories import Member, Story
from archive.stories.compare import ComparedRow, Segment
from archive.catalog import DocInfo
from archive.timefmt import parse_time, show_lag, show_time
from archive.web import create_app
from archive.web.storypage import CHANGED_SHOWN, MemberView, StoryView
from web_archive import DISPATCH, HAYOM, build_archive

SHOWN_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-stories") / "archive"
    build_archive(root)
    return create_app(root, trusted_hosts=["localhost"], search_interval=0)


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def story_id(client):
    return re.findall(r'href="/story/(s[0-9a-f]{10})"', client.get("/stories").get_data(as_text=True))[0]


def text_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def doc(name: str, published: str | None, language: str = "en", title: str | None = None) -> DocInfo:
    return DocInfo(name, f"https://{name}.example/story", name.title(), published, language,
                   title or f"{name} headline", False, 300)


def row(how: str, changed: bool = False) -> ComparedRow:
    origin = [] if how == "added" else [Segment("Qaradani "), Segment("subsea", changed)]
    copy = [] if how == "removed" else [Segment("Qaradaní "), Segment("submarino", changed)]
    return ComparedRow(how, origin, copy, None if how in ("same", "removed", "added") else 0.8)


def test_the_story_page_opens_with_a_summary_and_the_copies_with_their_lags(client, story_id):
    body = text_of(client, f"/story/{story_id}")
    summary = body[body.index('<section class="summary">'):body.index("</section>")]
    for label in ("Origin", "Copies", "Relations", "Languages", "First copy", "Last copy", "Spread", "Export"):
        assert f"<dt>{label}</dt>" in summary
    assert "Israel Hayom" in summary or "israelhayom" in summary
    copies = body[body.index('<table class="list copies">'):]
    copies = copies[:copies.index("</table>")]
    assert "Israeli and Moroccan defense ministers" in copies or "defense ministers" in copies.lower()
    # the dispatch copy's lag behind the origin, from the two publication times
    data = json.loads(client.get(f"/story/{story_id}.json").get_data(as_text=True))
    lag = (parse_time(data[1]["published"]) - parse_time(data[0]["published"])).total_seconds()
    assert lag > 0 and show_lag(lag) in copies and SHOWN_TIME.search(copies)


def test_dates_are_shown_one_way_with_their_offset(client, story_id):
    for url in ("/", "/stories", f"/story/{story_id}"):
        body = re.sub(r'datetime="[^"]*"', "", text_of(client, url))
        visible = re.sub(r"<[^>]+>", " ", body)
        assert SHOWN_TIME.search(visible), url
        assert not re.search(r"\b\d{14}\b", visible), f"a raw WARC timestamp on {url}"
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", visible), f"an ISO time on {url}"
    assert "first seen" not in text_of(client, "/stories") and "first published" in text_of(client, "/stories")


def test_a_story_exports_as_csv_and_json(client, story_id):
    response = client.get(f"/story/{story_id}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f"wirecopy-story-{story_id}.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["role"] for r in rows] == ["origin", "copy"]
    assert {r["url"] for r in rows} == {HAYOM, DISPATCH}
    lag = (parse_time(rows[1]["published"]) - parse_time(rows[0]["published"])).total_seconds()
    assert rows[1]["lag_seconds"] == str(round(lag)) and rows[0]["lag_seconds"] == ""
    data = json.loads(client.get(f"/story/{story_id}.json").get_data(as_text=True))
    assert data[1]["lag_seconds"] == round(lag) and data[1]["relation"] == rows[1]["relation"]
    assert data[1]["same"] + data[1]["reworded"] + data[1]["paraphrased"] > 0
    assert 0 < data[1]["coverage"] <= 1
    assert client.get("/story/s0000000000.json").status_code == 404
    assert client.get(f"/story/{story_id}.xml").status_code == 400  # not a story id, not a format


def test_the_stories_list_filters_and_sorts(client, story_id):
    body = text_of(client, "/stories")
    assert '<select name="outlet">' in body and '<select name="relation">' in body and 'name="since"' in body
    outlets = re.findall(r"<option>([^<]+)</option>", body[body.index('name="outlet"'):body.index('name="language"')])
    assert outlets
    assert story_id in text_of(client, f"/stories?outlet={outlets[0]}")
    assert story_id not in text_of(client, "/stories?outlet=No+Such+Outlet")
    assert "No story matches these filters" in text_of(client, "/stories?language=xx")
    assert story_id in text_of(client, "/stories?since=2021-11-24&until=2021-11-24&sort=newest")
    assert story_id not in text_of(client, "/stories?since=2022-01-01")
    assert story_id in text_of(client, "/stories?sort=unknown")  # an unknown order is the default


def test_a_copy_missing_sentences_is_not_called_identical():
    origin = Member(doc("origin", "2025-03-10T09:00:00Z"), "origin", 1.0)
    copy = Member(doc("copy", "2025-03-10T11:30:00+01:00"), "identical", 1.0)
    rows = [row("same"), row("same"), row("removed"), row("removed"), row("removed"), row("same")]
    view = MemberView(copy, None, rows, {"same": 3, "removed": 3})
    assert view.label == "excerpt" and view.coverage == 0.5
    assert MemberView(copy, None, rows[:2], {"same": 2}).label == "identical"
    assert MemberView(origin, None).label == "origin"


def test_long_comparisons_are_folded_after_the_first_differences(app):
    rows = [row("same")] * 3 + [row("lexical", True)] * (CHANGED_SHOWN + 6) + [row("same")] * 20
    view = MemberView(Member(doc("copy", "2025-03-10T10:00:00Z"), "rewrite", 0.7), None, rows,
                      {"same": 23, "lexical": CHANGED_SHOWN + 6}, 3600.0)
    assert view.folded_at == 3 + CHANGED_SHOWN
    body = render_story(app, view)
    before, details = body.split('<details class="rest">')
    assert before.count("<tr class=\"how-lexical") == CHANGED_SHOWN
    assert details.count("<tr class=\"how-") == len(rows) - view.folded_at
    assert "26 more passages (20 same, 6 differing)" in details


def test_a_translation_has_its_own_label_and_no_words_marked_as_changed(app):
    rows = [row("semantic", True) for _ in range(4)]
    view = MemberView(Member(doc("traduccion", "2025-03-10T12:00:00Z", "es"), "translation", 0.8), None,
                      rows, {"semantic": 4}, 10800.0)
    body = render_story(app, view)
    assert '<span class="tag rel-translation">translation</span>' in body
    assert "4 translated" in body and "<del>" not in body and "<ins>" not in body
    assert "Qaradani subsea" in body and "Qaradaní submarino" in body
    # the same rows in a rewrite mark what changed
    rewrite = MemberView(Member(view.member.doc, "rewrite", 0.8), None, rows, {"semantic": 4}, 10800.0)
    assert "<del>subsea</del>" in render_story(app, rewrite)


def render_story(app, copy: MemberView) -> str:
    from flask import render_template

    origin_doc = doc("origin", "2025-03-10T09:00:00Z")
    story = Story("s0123456789", origin_doc, [Member(origin_doc, "origin", 1.0), copy.member])
    with app.test_request_context("/story/s0123456789"):
        return render_template("story.html", story=StoryView(story, MemberView(story.members[0], None), [copy]))


def test_times_and_lags_read_the_same_everywhere():
    assert SHOWN_TIME.fullmatch(show_time("2025-03-10T09:00:00+02:00"))
    assert SHOWN_TIME.fullmatch(show_time("20250310090000"))
    assert show_time("2025-03-10", date_only=True) == "2025-03-10"
    assert show_time("not a date") == "not a date" and show_time(None) == ""
    assert show_lag(7200) == "+2 h 0 min" and show_lag(45 * 60) == "+45 min"
    assert show_lag(2 * 86400 + 4 * 3600) == "+2 d 4 h" and show_lag(-600) == "−10 min"


def test_a_rewrite_in_another_language_is_shown_as_a_translation():
    member = Member(doc("traduccion", "2025-03-10T12:00:00Z", "es"), "rewrite", 0.8)
    assert MemberView(member, None, [], {}, None, "en").label == "translation"
    assert MemberView(member, None, [], {}, None, "es-ES").label == "rewrite"
    assert MemberView(member, None, [], {}, None, None).label == "rewrite"  # unknown: not guessed


def test_a_date_without_a_time_is_shown_as_a_date():
    assert show_time("2025-03-10") == "2025-03-10"
    assert SHOWN_TIME.fullmatch(show_time("2025-03-10T00:00:00Z"))
