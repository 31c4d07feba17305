"""What the story pages look like in Debian's chromium: the stories list, a story with a
translation, a capture page, and the header on a 390 px wide phone. Screenshots go under the
test's tmp_path (and ``$WIRECOPY_SCREENSHOT_DIR`` when set), to be looked at."""

from __future__ import annotations

import pytest

from test_web_browser import (browser_context, crawled, follow, live_web, page, screenshot,  # noqa: F401
                              served, sync_api)

pytestmark = pytest.mark.slow
PHONE = {"width": 390, "height": 844}


def test_the_stories_list_filters_by_relation_and_language(page, served, tmp_path):
    page.goto(served + "stories")
    assert page.locator("form.filters select[name=outlet] option").count() > 3
    screenshot(page, tmp_path, "stories-list.png")
    page.select_option("form.filters select[name=relation]", "translation")
    follow(page, "form.filters button")
    assert "relation=translation" in page.url
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1 and "translation 1" in rows.first.inner_text()
    page.select_option("form.filters select[name=language]", "es")
    page.select_option("form.filters select[name=sort]", "newest")
    follow(page, "form.filters button")
    assert page.locator("table.list tbody tr").count() == 1
    screenshot(page, tmp_path, "stories-list-filtered.png")


def test_a_story_with_a_translation_shows_its_summary_and_marks_no_translated_words(page, served, tmp_path):
    page.goto(served + "stories?relation=translation")
    follow(page, "table.list tbody tr:first-child td:first-child a")
    summary = page.locator("section.summary").inner_text()
    for label in ("Origin", "Copies", "Relations", "Languages", "First copy", "Last copy", "Spread"):
        assert label in summary
    assert "es" in page.locator("section.summary dd").nth(3).inner_text()
    copies = page.locator("table.copies tbody tr")
    assert copies.count() == page.locator("section.copy").count() >= 2
    translation = page.locator("section.copy", has=page.locator("h2 .rel-translation"))
    assert translation.count() == 1
    assert translation.locator("del, ins").count() == 0, "translated words are not changes"
    assert translation.locator("tr.how-semantic").count() > 0
    first_rows = page.locator("section.copy").first.locator("table.aligned").first.locator("tbody tr")
    assert first_rows.count() <= 10  # the rest is folded
    screenshot(page, tmp_path, "story-translation.png")
    translation.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "story-translation-copy.png"))
    csv = page.request.get(page.url + ".csv")
    assert csv.ok and csv.text().startswith("story,role,outlet")


def test_a_capture_page(page, served, crawled, tmp_path):
    _, _, ids = crawled
    page.goto(served + f"capture/{ids['hayom']}")
    assert "Captured" in page.locator("dl").first.inner_text()
    screenshot(page, tmp_path, "capture.png")


@pytest.mark.parametrize("path", ["", "stories", "search?q=ferry"])
def test_the_header_fits_a_390_px_phone(browser_context, served, tmp_path, path):
    page = browser_context.new_page()
    try:
        page.set_viewport_size(PHONE)
        page.goto(served + path)
        button = page.locator("form.search button").bounding_box()
        field = page.locator("form.search input").bounding_box()
        assert button is not None and button["x"] + button["width"] <= PHONE["width"]
        assert field["width"] >= 150 and field["x"] >= 0
        assert page.evaluate("document.querySelector('header.top').scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(tmp_path / f"phone-{path.split('?')[0] or 'index'}.png"))
    finally:
        page.close()


def test_a_capture_pages_article_metadata_fits_a_390_px_phone(browser_context, served, crawled, tmp_path):
    _, _, ids = crawled
    page = browser_context.new_page()
    try:
        page.set_viewport_size(PHONE)
        page.goto(served + f"capture/{ids['hayom']}")
        meta = page.locator("dl.article-meta")
        assert "Canonical URL" in meta.inner_text() and "Site name" in meta.inner_text()
        widest = page.evaluate("Math.max(...[...document.querySelectorAll('dl.article-meta dd')]"
                               ".map(e => e.getBoundingClientRect().right))")
        assert widest <= PHONE["width"]
        assert page.evaluate("document.querySelector('dl.article-meta').scrollWidth") <= PHONE["width"]
        meta.scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "phone-capture-article.png"))
    finally:
        page.close()
