"""The jobs file: named crawl jobs in TOML, validated with the line and field of each mistake.

    [defaults]                      # optional: keys every job inherits
    delay = 1.0

    [jobs.world-news]
    seeds = ["https://example.com/world/rss.xml", "https://example.com/sitemap-news.xml"]
    schedule = "0 * * * *"          # cron expression, or: every = "30m"
    depth = 2
    archive = "archives/world-news" # relative paths are relative to the jobs file

    [jobs.world-news.settings]      # any Scrapy or wirecopy setting, as with -s NAME=VALUE
    WARC_MAX_SIZE = 500_000_000

    [jobs.world-news.recrawl]       # recrawl policy: each key KEY sets RECRAWL_KEY
    max_age = "7d"
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .alerts import Alert, parse_alert

DEFAULT_FILE = "wirecopy-jobs.toml"
JOB_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SETTING_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
RECRAWL_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
DURATION_PART = re.compile(r"(\d+)\s*(w|d|h|m|s)", re.IGNORECASE)
DURATION_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}

# Job keys that map directly onto one Scrapy/wirecopy setting.
POLITENESS = {
    "delay": "DOWNLOAD_DELAY",
    "concurrency": "CONCURRENT_REQUESTS_PER_DOMAIN",
    "user_agent": "USER_AGENT",
    "contact": "CONTACT_URL",
    "autothrottle": "AUTOTHROTTLE_ENABLED",
    "obey_robots": "ROBOTSTXT_OBEY",
    "timeout": "DOWNLOAD_TIMEOUT",
    "retries": "RETRY_TIMES",
}
JOB_KEYS = {
    "seeds", "seeds_file", "schedule", "every", "depth", "archive", "max_pages", "same_domain",
    "enabled", "misfire_grace", "settings", "recrawl", "alert", *POLITENESS,
}
DEFAULT_KEYS = JOB_KEYS - {"seeds", "seeds_file", "archive", "alert"}


class JobsFileError(ValueError):
    """A mistake in the jobs file, located: ``path:line: field: what is wrong``."""

    def __init__(self, path: Path, line: int | None, field_name: str | None, problem: str):
        self.path, self.line, self.field, self.problem = path, line, field_name, problem
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {field_name + ': ' if field_name else ''}{problem}")


def parse_duration(value: str | int) -> int:
    """Seconds in ``"30m"``, ``"1h30m"``, ``"2d"``, ``"45s"`` or a plain number of seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration like \"30m\", \"1h30m\" or \"2d\"")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"expected a positive number of seconds, got {value}")
        return value
    text = str(value).strip().replace(" ", "")
    if not text or DURATION_PART.sub("", text) or not DURATION_PART.search(text):
        raise ValueError(f"expected a duration like \"30m\", \"1h30m\" or \"2d\", got {value!r}")
    seconds = sum(int(n) * DURATION_UNITS[u.lower()] for n, u in DURATION_PART.findall(text))
    if seconds <= 0:
        raise ValueError(f"expected a positive duration, got {value!r}")
    return seconds


# -- where each key is written --------------------------------------------------------------

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|\'[^\']*\''
_KEY_PART = rf"(?:{_BARE}|{_QUOTED})"
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*\[\s*({_DOTTED})\s*\]")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(rf"\s*({_KEY_PART})\s*(?:\.|$)", dotted)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Line number of every table header and key assignment, by full key path.

    tomllib reports line numbers for syntax errors only; values that parse but are wrong are
    located here, by reading the source the way TOML's grammar lays it out.
    """
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:
            if line.count(in_string) % 2:
                in_string = None
            continue
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            table = _split_key(header.group(1))
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            path = table + _split_key(assign.group(1))
            lines.setdefault(path, number)
            for quote in ('"""', "'''"):
                if line[assign.end():].count(quote) % 2:
                    in_string = quote
    return lines


# -- jobs ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Job:
    name: str
    archive: Path
    seeds: tuple[str, ...] = ()
    seeds_file: Path | None = None
    schedule: str | None = None
    every: int | None = None  # seconds
    depth: int = 2
    max_pages: int | None = None
    same_domain: bool = True
    enabled: bool = True
    misfire_grace: int | None = None  # seconds; None: a missed run is always caught up
    politeness: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    recrawl: dict[str, Any] = field(default_factory=dict)
    alert: Alert | None = None

    @property
    def scheduled(self) -> bool:
        return self.schedule is not None or self.every is not None

    def describe_schedule(self) -> str:
        if self.schedule:
            return f"cron {self.schedule}"
        if self.every:
            return f"every {timedelta(seconds=self.every)}"
        return "manual"

    def trigger(self):
        """The APScheduler trigger of this job, or None for a job run by hand only."""
        from apscheduler.triggers.cron import CronTrigger
        from apscheduler.triggers.interval import IntervalTrigger

        if self.schedule:
            return CronTrigger.from_crontab(self.schedule)
        if self.every:
            return IntervalTrigger(seconds=self.every)
        return None

    def setting_overrides(self) -> list[tuple[str, Any]]:
        """Settings of a run, in the order they apply: politeness keys, recrawl, the settings table."""
        pairs: list[tuple[str, Any]] = [("WIRECOPY_JOB", self.name)]
        pairs += [(POLITENESS[k], v) for k, v in self.politeness.items()]
        pairs += [(f"RECRAWL_{k.upper()}", v) for k, v in self.recrawl.items()]
        pairs += list(self.settings.items())
        return pairs


@dataclass(frozen=True)
class JobsFile:
    path: Path
    jobs: dict[str, Job]

    def job(self, name: str) -> Job:
        if name not in self.jobs:
            known = ", ".join(sorted(self.jobs)) or "none"
            hint = difflib.get_close_matches(name, self.jobs, n=1)
            extra = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise JobsFileError(self.path, None, None, f"no job named {name!r}{extra}; jobs: {known}")
        return self.jobs[name]


class _Validator:
    def __init__(self, path: Path, lines: dict[tuple[str, ...], int]):
        self.path, self.lines = path, lines

    def fail(self, key: tuple[str, ...], problem: str):
        line = None
        for n in range(len(key), 0, -1):
            line = self.lines.get(key[:n])
            if line:
                break
        raise JobsFileError(self.path, line, ".".join(key), problem)

    def unknown(self, key: tuple[str, ...], allowed: set[str]):
        hint = difflib.get_close_matches(key[-1], allowed, n=1)
        extra = f" (did you mean {hint[0]!r}?)" if hint else ""
        self.fail(key, f"unknown key{extra}; known keys: {', '.join(sorted(allowed))}")

    def integer(self, key, value, minimum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"expected an integer, got {_show(value)}")
        if value < minimum:
            self.fail(key, f"expected an integer >= {minimum}, got {value}")
        return value

    def number(self, key, value, minimum: float) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"expected a number, got {_show(value)}")
        if value < minimum:
            self.fail(key, f"expected a number >= {minimum}, got {value}")
        return value

    def boolean(self, key, value) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_show(value)}")
        return value

    def string(self, key, value) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"expected a non-empty string, got {_show(value)}")
        return value

    def duration(self, key, value) -> int:
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.fail(key, str(exc))

    def seeds(self, key, value) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.fail(key, f"expected a list of http(s) URLs, got {_show(value)}")
        for n, url in enumerate(value):
            parts = urlsplit(url) if isinstance(url, str) else None
            if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
                self.fail(key, f"entry {n + 1} is not an http(s) URL: {_show(url)}")
        return tuple(dict.fromkeys(value))

    def cron(self, key, value) -> str:
        from apscheduler.triggers.cron import CronTrigger

        text = self.string(key, value).strip()
        if len(text.split()) != 5:
            self.fail(key, f"expected a cron expression of 5 fields (minute hour day month weekday),"
                           f" got {value!r}")
        try:
            CronTrigger.from_crontab(text)
        except ValueError as exc:
            self.fail(key, f"invalid cron expression {value!r}: {exc}")
        return text


def _show(value: Any) -> str:
    kind = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
            dict: "table"}.get(type(value), type(value).__name__)
    return f"{kind} {value!r}" if not isinstance(value, dict) else "a table"


def _job(v: _Validator, name: str, raw: dict, defaults: dict, base: Path) -> Job:
    key = ("jobs", name)
    if not JOB_NAME.match(name):
        v.fail(key, "job names are letters, digits, '.', '_' and '-', starting with a letter or digit")
    if not isinstance(raw, dict):
        v.fail(key, f"expected a table [jobs.{name}], got {_show(raw)}")
    for k in raw:
        if k not in JOB_KEYS:
            v.unknown(key + (k,), JOB_KEYS)
    merged = {**{k: val for k, val in defaults.items() if k not in ("settings", "recrawl")}, **raw}
    where = {k: (key + (k,) if k in raw else ("defaults", k)) for k in merged}

    seeds = v.seeds(where["seeds"], merged["seeds"]) if "seeds" in merged else ()
    seeds_file = None
    if "seeds_file" in merged:
        seeds_file = base / v.string(where["seeds_file"], merged["seeds_file"])
        if not seeds_file.is_file():
            v.fail(where["seeds_file"], f"no such file: {seeds_file}")
    if not seeds and seeds_file is None:
        v.fail(key, "a job needs seeds (a list of URLs) or seeds_file")
    if "archive" not in merged:
        v.fail(key, "a job needs archive (its archive directory)")
    archive = base / v.string(where["archive"], merged["archive"])
    if "schedule" in merged and "every" in merged:
        v.fail(where["every"], "give either schedule (cron) or every (interval), not both")
    politeness = {}
    for k in POLITENESS:
        if k in merged:
            val = merged[k]
            if k in ("delay", "timeout"):
                val = v.number(where[k], val, 0)
            elif k in ("concurrency",):
                val = v.integer(where[k], val, 1)
            elif k == "retries":
                val = v.integer(where[k], val, 0)
            elif k in ("autothrottle", "obey_robots"):
                val = v.boolean(where[k], val)
            else:
                val = v.string(where[k], val)
            politeness[k] = val
    settings = _table(v, defaults, raw, "settings", name, SETTING_NAME,
                      "setting names are UPPER_CASE, as with -s NAME=VALUE")
    recrawl = _table(v, defaults, raw, "recrawl", name, RECRAWL_KEY,
                     "recrawl keys are lower_case (each KEY sets RECRAWL_KEY)")
    return Job(
        name=name, archive=archive, seeds=seeds, seeds_file=seeds_file,
        schedule=v.cron(where["schedule"], merged["schedule"]) if "schedule" in merged else None,
        every=v.duration(where["every"], merged["every"]) if "every" in merged else None,
        depth=v.integer(where["depth"], merged["depth"], 0) if "depth" in merged else 2,
        max_pages=v.integer(where["max_pages"], merged["max_pages"], 1) if "max_pages" in merged else None,
        same_domain=v.boolean(where["same_domain"], merged["same_domain"]) if "same_domain" in merged else True,
        enabled=v.boolean(where["enabled"], merged["enabled"]) if "enabled" in merged else True,
        misfire_grace=(v.duration(where["misfire_grace"], merged["misfire_grace"])
                       if "misfire_grace" in merged else None),
        politeness=politeness, settings=settings, recrawl=recrawl,
        alert=parse_alert(v, key + ("alert",), raw["alert"]) if "alert" in raw else None,
    )


def _table(v: _Validator, defaults: dict, raw: dict, table: str, job: str,
           pattern: re.Pattern, rule: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for origin, source in ((("defaults", table), defaults.get(table, {})),
                           (("jobs", job, table), raw.get(table, {}))):
        if not isinstance(source, dict):
            v.fail(origin, f"expected a table [{'.'.join(origin)}], got {_show(source)}")
        for k, val in source.items():
            if not pattern.match(k):
                v.fail(origin + (k,), rule)
            out[k] = val
    return out


def load_jobs(path: str | Path) -> JobsFile:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise JobsFileError(path, None, None, "no such jobs file (create it, or pass --file PATH)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JobsFileError(path, None, None, f"cannot read: {exc}") from None
    return parse_jobs(text, path)


def parse_jobs(text: str, path: Path) -> JobsFile:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        problem = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        if match:
            problem += f" (column {match.group(2)})"
        raise JobsFileError(path, line, None, f"not valid TOML: {problem}") from None
    v = _Validator(path, key_lines(text))
    for k in data:
        if k not in ("jobs", "defaults"):
            v.unknown((k,), {"jobs", "defaults"})
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        v.fail(("defaults",), "expected a table [defaults]")
    for k in defaults:
        if k not in DEFAULT_KEYS:
            v.unknown(("defaults", k), DEFAULT_KEYS)
    jobs = data.get("jobs", {})
    if not isinstance(jobs, dict):
        v.fail(("jobs",), "expected tables [jobs.NAME]")
    if not jobs:
        raise JobsFileError(path, None, "jobs", "no jobs defined: add a [jobs.NAME] table")
    base = path.resolve().parent
    return JobsFile(path, {name: _job(v, name, raw, defaults, base) for name, raw in jobs.items()})
