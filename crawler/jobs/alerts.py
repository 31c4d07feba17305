"""Alerts for monitors: after a run, tell a webhook or a command which stories gained a copy at
an outlet the job watches.

    [jobs.world-news.alert]
    outlets = ["The Northern Ledger", "ledger.example"]   # outlet names or hosts
    webhook = "https://hooks.example/wirecopy"           # receives a JSON POST
    command = ["notify-wirecopy", "--channel", "desk"]   # receives the same JSON on stdin

What a run adds is told apart from what the archive held before by the copies' URLs: the
watched copies already in a story before the crawl are not announced again.
"""

from __future__ import annotations

import json
import logging
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

ALERT_KEYS = {"outlets", "webhook", "command", "timeout"}
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Alert:
    outlets: tuple[str, ...]
    webhook: str | None = None
    command: tuple[str, ...] | None = None
    timeout: float = DEFAULT_TIMEOUT

    def watches(self, outlet: str, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        for wanted in self.outlets:
            wanted = wanted.lower()
            if wanted == outlet.lower() or host == wanted or host.endswith("." + wanted):
                return True
        return False


def parse_alert(v, key: tuple[str, ...], raw) -> Alert:
    """The ``[jobs.NAME.alert]`` table, checked with the jobs file's validator ``v``."""
    if not isinstance(raw, dict):
        v.fail(key, f"expected a table [{'.'.join(key)}]")
    for k in raw:
        if k not in ALERT_KEYS:
            v.unknown(key + (k,), ALERT_KEYS)
    outlets = raw.get("outlets")
    if not isinstance(outlets, list) or not outlets or not all(isinstance(o, str) and o.strip() for o in outlets):
        v.fail(key + ("outlets",), "expected a list of outlet names or hosts")
    webhook = raw.get("webhook")
    if webhook is not None:
        parts = urlsplit(webhook) if isinstance(webhook, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            v.fail(key + ("webhook",), f"expected an http(s) URL, got {webhook!r}")
    command = raw.get("command")
    if command is not None:
        if isinstance(command, str):
            command = [command]
        if not isinstance(command, list) or not command or not all(isinstance(c, str) for c in command):
            v.fail(key + ("command",), "expected a program and its arguments, as a list of strings")
        command = tuple(command)
    if webhook is None and command is None:
        v.fail(key, "an alert needs a webhook URL or a command")
    timeout = v.number(key + ("timeout",), raw["timeout"], 0.1) if "timeout" in raw else DEFAULT_TIMEOUT
    return Alert(tuple(o.strip() for o in outlets), webhook, command, float(timeout))


def _watched_copies(archive: Path, alert: Alert):
    """(story, member) for every copy at a watched outlet in a story of two or more."""
    from crawler.story_views import open_for_reading

    tracker = open_for_reading(str(archive))
    if tracker is None:
        return []
    try:
        stories = tracker.stories(min_size=2)
    finally:
        tracker.close()
    return [(story, member) for story in stories for member in story.members[1:]
            if alert.watches(member.doc.outlet, member.doc.url)]


def snapshot(archive: Path, alert: Alert) -> set[str]:
    """The watched copies the archive holds now, by URL."""
    return {member.doc.url for _, member in _watched_copies(archive, alert)}


def new_copies(archive: Path, alert: Alert, before: set[str]) -> list[dict]:
    found = []
    for story, member in _watched_copies(archive, alert):
        if member.doc.url in before:
            continue
        o, d = story.origin, member.doc
        found.append({
            "story": story.story_id,
            "origin": {"url": o.url, "outlet": o.outlet, "title": o.title, "published": o.published},
            "copy": {"url": d.url, "outlet": d.outlet, "title": d.title, "language": d.language,
                     "published": d.published, "relation": member.relation, "score": member.score},
        })
    return found


def deliver(alert: Alert, payload: dict) -> list[str]:
    """Send ``payload`` to the webhook and the command; returns what failed."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    problems = []
    if alert.webhook:
        request = urllib.request.Request(alert.webhook, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=alert.timeout) as response:
                response.read()
        except (OSError, ValueError) as exc:  # HTTPError and URLError are OSErrors
            problems.append(f"webhook {alert.webhook}: {exc}")
    if alert.command:
        try:
            done = subprocess.run(alert.command, input=body, capture_output=True, timeout=alert.timeout)
            if done.returncode:
                problems.append(f"command {alert.command[0]} exited {done.returncode}: "
                                f"{done.stderr.decode(errors='replace').strip()[:200]}")
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(f"command {alert.command[0]}: {exc}")
    return problems


def announce(job_name: str, run_id: int, archive: Path, alert: Alert, before: set[str]) -> tuple[int, list[str]]:
    """Announce the watched copies this run added; returns (copies announced, problems)."""
    copies = new_copies(archive, alert, before)
    if not copies:
        return 0, []
    payload = {"job": job_name, "run": run_id, "archive": str(archive), "copies": copies}
    problems = deliver(alert, payload)
    for problem in problems:
        logger.error("Job %s: alert not delivered: %s", job_name, problem)
    if not problems:
        logger.info("Job %s: alert sent for %d new cop%s", job_name, len(copies), "y" if len(copies) == 1 else "ies")
    return len(copies), problems
