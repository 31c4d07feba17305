"""The tracking pipeline hands every article a dead worker held to the new one, whichever of
the two ways the death is found first: a submit finding the pool broken (which replaces it)
or the article's own task failing."""

from __future__ import annotations

from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from scrapy.utils.test import get_crawler

from crawler.tracking import StoryTrackingPipeline


def _failed() -> Future:
    future: Future = Future()
    future.set_exception(BrokenProcessPool("a worker died"))
    return future


def test_articles_of_a_pool_a_submit_replaced_first_are_handed_over_again(tmp_path, monkeypatch):
    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path / "archive"), "STORIES_ENCODER": "none"})
    pipeline = StoryTrackingPipeline(crawler)
    handed: list[int] = []
    monkeypatch.setattr(pipeline, "_submit", handed.append)
    pipeline.pool.start()
    try:
        # two articles in the first pool; its worker dies; the next article's submit finds the
        # pool broken and replaces it before either task reports
        futures = {7: _failed(), 8: _failed()}
        for number, future in futures.items():
            pipeline.pending[number] = [f"https://example.test/{number}", {}, 1, future]
        assert pipeline.pool.replace(0, "a worker died")
        for number, future in futures.items():
            pipeline._done(future, number, 0)
        assert handed == [7, 8]
        assert crawler.stats.get_value("stories/retried") == 2
        assert crawler.stats.get_value("stories/failed") is None
        assert pipeline.pool.restarts == 1  # replaced once, not once more for each task
    finally:
        pipeline.pool.shutdown(wait=True)
