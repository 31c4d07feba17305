"""``wirecopy stories`` and ``wirecopy story``: the archive's stories on the terminal or as JSON."""

from __future__ import annotations

import json
from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from archive.stories import Story, StoryTracker
from archive.storylabels import TRANSLATION, shown_relation
from archive.timefmt import has_time, parse_time, show_lag, show_time
from archive.stories.compare import comparison, compare_rows, find_story
from archive.catalog import catalog_exists
from archive.stories.service import open_tracker

from .tables import Column, fitted_table

__all__ = ["comparison", "find_story", "open_for_reading", "print_stories", "print_story",
           "stories_as_json", "story_as_json"]


def open_for_reading(archive: str) -> StoryTracker | None:
    if not catalog_exists(archive):
        return None
    return open_tracker(archive, with_encoder=False)


def stories_as_json(stories: list[Story]) -> list[dict]:
    return [{
        "story": s.story_id,
        "origin": s.origin.url,
        "title": s.origin.title,
        "captures": [{"url": m.doc.url, "outlet": m.doc.outlet, "published": m.doc.published,
                      "title": m.doc.title, "language": m.doc.language, "relation": m.relation,
                      "score": m.score} for m in s.members],
    } for s in stories]


def _span(story: Story) -> tuple[str, str]:
    dates = sorted(filter(None, (parse_time(m.doc.published) for m in story.members)))
    return (show_time(dates[0], date_only=True), show_time(dates[-1], date_only=True)) if dates else ("", "")


# In the order they are given up when the terminal is narrow: last published, outlets, first published.
STORY_COLUMNS = [
    Column("story", 1, 11, {"no_wrap": True}),
    Column("origin", 1, 16, {"ratio": 1}),
    Column("copies", 2, 6, {"justify": "right"}),
    Column("relations", 3, 16),
    Column("first published", 4, 10),
    Column("outlets", 5, 14, {"ratio": 1}),
    Column("last published", 6, 10),
]


def print_stories(stories: list[Story], console: Console | None = None, title: str = "Stories") -> None:
    console = console or Console()
    rows = []
    for story in stories:
        first, last = _span(story)
        relations = Counter(m.relation for m in story.members[1:])
        rows.append({
            "story": story.story_id, "origin": escape(story.origin.title or story.origin.url),
            "outlets": escape("\n".join(sorted({m.doc.outlet for m in story.members}))),
            "copies": str(story.size - 1),
            "relations": "\n".join(f"{k} {v}" for k, v in sorted(relations.items())),
            "first published": first, "last published": last,
        })
    console.print(fitted_table(STORY_COLUMNS, rows, console.width, title=title))


def _marked(segments, style: str) -> str:
    return "".join(f"[{style}]{escape(s.text)}[/{style}]" if s.changed else escape(s.text) for s in segments)


def print_story(tracker: StoryTracker, story: Story, console: Console | None = None) -> None:
    console = console or Console()
    o = story.origin
    console.print(f"[bold]Story {story.story_id}[/bold]: {escape(o.title or o.url)}")
    console.print(f"origin: {o.url} ({o.outlet}, published {show_time(o.published) or 'unknown'}"
                  f"{', wire' if o.is_wire else ''})")
    background = tracker.store.background()
    for member in story.members[1:]:
        d = member.doc
        rows = compare_rows(tracker, o.doc_id, d.doc_id, background)
        tally = Counter(r.how for r in rows or [])
        relation = shown_relation(member.relation, tally, d.language, o.language)
        console.rule(f"{escape(d.outlet)}: {relation} (score {member.score:.2f})")
        lag = ""
        if has_time(d.published) and has_time(o.published):
            lag = f", {show_lag((parse_time(d.published) - parse_time(o.published)).total_seconds())} after the origin"
        console.print(f"{d.url} (published {show_time(d.published) or 'unknown'}{lag},"
                      f" language {d.language or '?'})")
        if rows is None:
            console.print("(joined the story through another copy; no direct comparison with the origin)")
            continue
        translated = relation == TRANSLATION
        table = Table(show_header=True, expand=True)
        table.add_column("origin", ratio=1)
        table.add_column("copy", ratio=1)
        table.add_column("how", no_wrap=True)
        for row in rows:
            how = row.how if row.how in ("same", "removed", "added") else f"{row.how} {row.score:.2f}"
            if row.background:
                how += " (background)"
            if translated:  # translated words are not changes
                table.add_row(escape(row.origin_text), escape(row.copy_text), how)
            else:
                table.add_row(_marked(row.origin, "red"), _marked(row.copy, "green"), how)
        console.print(table)


def story_as_json(tracker: StoryTracker, story: Story) -> dict:
    data = stories_as_json([story])[0]
    for capture, member in zip(data["captures"][1:], story.members[1:]):
        pairs, so, sc = comparison(tracker, story.origin.doc_id, member.doc.doc_id)
        capture["aligned"] = [{"origin": so[p.a].text, "copy": sc[p.b].text, "method": p.method,
                               "score": p.score, "in_order": p.in_order} for p in pairs]
        capture["removed"] = [s.text for i, s in enumerate(so) if i not in {p.a for p in pairs}]
        capture["added"] = [s.text for j, s in enumerate(sc) if j not in {p.b for p in pairs}]
    return data


def dump_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)

