"""Story tracking for crawl workers: one consumer, one story index.

Workers only archive and catalog; the story index has one writer. After each unit a worker
queues the task ``wirecopy.track_stories`` (queue ``stories``, queueing lock: at most one
waiting; lock: at most one running, on any worker), which reads the WARC files sealed since its
last run, in name order, as ``wirecopy stories rebuild`` reads them, and adds their articles to
the archive's story index. Files tracked are noted in ``wirecopy_story_files`` in the queue's
database, with the articles of each, so none is read twice. Story tracking gives the same
stories in any arrival order (``archive.stories``), so the index equals a rebuild from the same
files, whichever worker archived what and when.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable

logger = logging.getLogger(__name__)

STORIES_QUEUE = "stories"
STORIES_TASK = "wirecopy.track_stories"
STORIES_LOCK = "stories"

STORY_FILES_TABLE = """
CREATE TABLE IF NOT EXISTS wirecopy_story_files (
    name TEXT PRIMARY KEY,
    articles INTEGER NOT NULL,
    tracked TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


async def defer_tracking(app) -> bool:
    """Queue a tracking run unless one is already waiting; True when this call queued it."""
    from procrastinate.exceptions import AlreadyEnqueued

    deferrer = app.configure_task(STORIES_TASK, queue=STORIES_QUEUE, lock=STORIES_LOCK,
                                  queueing_lock=STORIES_LOCK)
    try:
        await deferrer.defer_async()
    except AlreadyEnqueued:
        return False
    return True


def untracked_files(archive: str | Path, tracked: Iterable[str]) -> list[Path]:
    """The archive's sealed WARC files whose name is not in ``tracked``, in name order."""
    done = set(tracked)
    return [path for path in sorted((Path(archive) / "warc").glob("*.warc.gz")) if path.name not in done]


def track_new_files(archive: str | Path, url: str, settings) -> dict[str, int]:
    """Add the articles of every sealed WARC file not tracked yet to the story index."""
    import psycopg

    from archive.catalog import CatalogOptions
    from archive.stories.service import file_documents, open_tracker
    from crawler.tracking import StoriesConfig

    with psycopg.connect(url, autocommit=True) as conn:
        tracked = [row[0] for row in conn.execute("SELECT name FROM wirecopy_story_files")]
    new = untracked_files(archive, tracked)
    figures = {"files": 0, "articles": 0, "walls": 0}
    if not new:
        return figures
    config = StoriesConfig.from_settings(settings)
    tracker = open_tracker(archive, config.encoder, dict(config.tracker), options=CatalogOptions.from_settings(settings))
    try:
        for path in new:
            count = 0
            for doc in file_documents(path):
                tracker.add(doc)
                count += 1
            # a crash before this line tracks the file again: adding an article twice changes nothing
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("INSERT INTO wirecopy_story_files (name, articles) VALUES (%s, %s)"
                             " ON CONFLICT (name) DO NOTHING", (path.name, count))
            figures["files"] += 1
            figures["articles"] += count
    finally:
        figures["walls"] = sum(tracker.walls.values())
        figures |= {f"store_{name}": count for name, count in tracker.store.stats.items()}
        tracker.close()
    logger.warning("Story tracking: %d article(s) of %d new WARC file(s) read, %d of them walls set aside"
                   " (story store: %s)", figures["articles"], figures["files"], figures["walls"],
                   ", ".join(f"{name[6:]} {n}" for name, n in figures.items() if name.startswith("store_")) or "-")
    return figures
