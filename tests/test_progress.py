"""The live panel's figures and title, when it is on, and log records demoted to INFO."""

from __future__ import annotations

import io
import logging

import pytest
from rich.console import Console
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.logs import DisabledComponentsAsInfo, install
from crawler.progress import ProgressDisplay, print_notes, render_live, summary


def shown(table) -> str:
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()


def test_the_panel_shows_queue_rates_and_backlogs_once_fetching_ends():
    figures = summary({"wirecopy/pages": 120, "extract/ok": 40, "warc/bytes": 2_500_000}, 60.0)
    fetching = {"queued": 35, "in_flight": 4, "rate_now": 7.25, "fetching_done": False,
                "extract_backlog": 3, "story_backlog": 9}
    text = shown(render_live(figures, fetching, "wirecopy crawl"))
    assert "35 (+4 in flight)" in text and "7.2 pages/s" in text and "2.0 pages/s" in text
    assert "1:00" in text and "backlog" not in text
    text = shown(render_live(figures, {**fetching, "queued": 0, "in_flight": 0, "fetching_done": True},
                             "wirecopy crawl"))
    assert "fetching" in text and "done" in text
    assert "extraction backlog" in text and "story backlog" in text and " 9" in text


def test_replay_titles_its_panel_and_the_display_is_on_only_when_asked_or_watched(monkeypatch):
    replay = ProgressDisplay.from_crawler(get_crawler(settings_dict={
        "PROGRESS_ENABLED": True, "REPLAY_ARCHIVE": "archive"}))
    assert replay.title == "wirecopy replay"
    assert ProgressDisplay.from_crawler(get_crawler(settings_dict={"PROGRESS_ENABLED": True})).title == "wirecopy crawl"
    with pytest.raises(NotConfigured):
        ProgressDisplay.from_crawler(get_crawler(settings_dict={"PROGRESS_ENABLED": False}))
    import sys
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with pytest.raises(NotConfigured):  # unset, and no one watching
        ProgressDisplay.from_crawler(get_crawler(settings_dict={"PROGRESS_ENABLED": None}))


def test_disabled_components_are_info_and_the_summary_counts_what_was_logged():
    install()
    logger = logging.getLogger("scrapy.middleware")
    assert any(isinstance(f, DisabledComponentsAsInfo) for f in logger.filters)
    record = logger.makeRecord("scrapy.middleware", logging.WARNING, __file__, 1, "Disabled %(clspath)s: %(eargs)s",
                               ({"clspath": "crawler.replay.ReplayMiddleware", "eargs": "REPLAY_ARCHIVE is not set"},),
                               None)
    assert logger.filter(record) and record.levelno == logging.INFO and record.levelname == "INFO"
    other = logger.makeRecord("scrapy.middleware", logging.WARNING, __file__, 1, "Something else", (), None)
    logger.filter(other)
    assert other.levelno == logging.WARNING
    console = Console(width=80, record=True, file=io.StringIO())
    print_notes(console, {"robotstxt/forbidden": 25, "log_count/WARNING": 2, "log_count/ERROR": 1})
    notes = console.export_text()
    assert "skipped by robots.txt: 25" in notes and "logged: 1 error, 2 warnings" in notes
