"""The recrawl policy: whether an article already in the archive is fetched again.

Feeds, sitemaps, home and section pages are lists and are always fetched again; this policy
only concerns URLs the catalog holds an article for.

    always   every archived article is fetched again (conditionally: a 304 costs a few bytes)
    never    archived articles are never fetched again
    age      articles younger than ``max_age_days`` (by publication date, else first capture)
             are fetched again, older ones are not; with ``honour_lastmod`` a sitemap
             ``<lastmod>`` later than the last capture brings an article back whatever its age
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .catalog import ArticleState

POLICIES = ("age", "always", "never")


def parse_datetime(value: str | None) -> datetime | None:
    """W3C/ISO 8601 date or date-time (``2025-03-04``, ``2025-03-04T10:20Z``), as aware UTC."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class Decision:
    fetch: bool
    reason: str


@dataclass(frozen=True)
class RecrawlPolicy:
    mode: str = "age"
    max_age_days: float = 2.0
    honour_lastmod: bool = True

    def __post_init__(self) -> None:
        if self.mode not in POLICIES:
            raise ValueError(f"recrawl policy must be one of {', '.join(POLICIES)}, got {self.mode!r}")
        if self.max_age_days < 0:
            raise ValueError(f"recrawl max age must be 0 days or more, got {self.max_age_days}")

    def decide(self, state: ArticleState | None, lastmod: str | None = None,
               now: datetime | None = None) -> Decision:
        if state is None:
            return Decision(True, "new")
        if self.mode == "always":
            return Decision(True, "always")
        if self.mode == "never":
            return Decision(False, "never")
        now = now or datetime.now(timezone.utc)
        if self.honour_lastmod:
            modified, captured = parse_datetime(lastmod), parse_datetime(state.last_captured)
            if modified and captured and modified > captured:
                return Decision(True, "lastmod")
        born = parse_datetime(state.published) or parse_datetime(state.first_captured)
        if born is not None and now - born < timedelta(days=self.max_age_days):
            return Decision(True, "young")
        return Decision(False, "old")
