"""Settings have their defaults in ``crawler/settings.py`` only, every one of them is read, and
the typed configs built from settings give what the settings say."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
from scrapy.settings import Settings, default_settings

from archive.catalog.options import SETTINGS as CATALOG_SETTINGS
from archive.catalog.options import CatalogOptions
from archive.stories.tracker import TrackerConfig
from archive.store import ArchiveConfig
from crawler.cli import build_parser
from crawler.cli_serve import ServeConfig, serve_config
from crawler.config import setting_defaults, with_defaults
from crawler.replay import ReplayConfig
from crawler.retry import BackoffConfig
from crawler.stopping import StopConfig
from crawler.tracking import OPTION_SETTINGS, StoriesConfig

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = ROOT / "crawler" / "settings.py"
GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getdictorlist", "getwithbase"}
SCRAPY_NAMES = {name for name in vars(default_settings) if name.isupper()}
OWN_NAMES = set(setting_defaults()) - SCRAPY_NAMES
PREFIXES = tuple(sorted({name.split("_", 1)[0] + "_" for name in OWN_NAMES} | {"WIRECOPY_"}))


def modules() -> list[Path]:
    return sorted(p for folder in ("archive", "crawler", "spiders") for p in (ROOT / folder).rglob("*.py")
                  if p != SETTINGS_MODULE)


def is_setting(name: str) -> bool:
    return name in SCRAPY_NAMES or name in OWN_NAMES or name.startswith(PREFIXES)


def reads_with_a_default(source: str, label: str) -> list[str]:
    """``settings.getint("NAME", 3)``-style reads in ``source``: a default outside crawler/settings.py."""
    found = []
    for node in ast.walk(ast.parse(source, label)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GETTERS):
            continue
        if "environ" in ast.unparse(node.func.value) or not node.args:
            continue
        name = node.args[0]
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str) and is_setting(name.value)):
            continue
        if len(node.args) > 1 or any(k.arg == "default" for k in node.keywords):
            found.append(f"{label}:{node.lineno}: {ast.unparse(node)}")
    return found


def string_constants(path: Path) -> set[str]:
    return {node.value for node in ast.walk(ast.parse(path.read_text(), str(path)))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_the_scan_finds_a_read_with_a_default():
    sample = ('def f(settings, os, record):\n    settings.getfloat("RETRY_BACKOFF_MAX", 60.0)\n'
              '    settings.get("STORIES_ENCODER")\n    os.environ.get("WIRECOPY_X", "1")\n'
              '    record.headers.get("WARC-Type", "")\n    settings.getbool("WARC_ENABLED", default=True)\n')
    found = reads_with_a_default(sample, "sample.py")
    assert [line.split(": ", 1)[1] for line in found] == [
        "settings.getfloat('RETRY_BACKOFF_MAX', 60.0)", "settings.getbool('WARC_ENABLED', default=True)"]


def test_no_module_but_crawler_settings_holds_a_default_for_a_setting():
    found = [line for path in modules()
             for line in reads_with_a_default(path.read_text(), str(path.relative_to(ROOT)))]
    assert found == []


def test_every_setting_of_the_project_is_read_by_some_module():
    constants = set().union(*(string_constants(path) for path in modules()))
    unread = sorted(OWN_NAMES - constants)
    assert unread == [], f"set in crawler/settings.py but read nowhere: {unread}"


def test_the_library_defaults_are_the_project_defaults():
    """``archive/`` has no Scrapy settings: its config objects keep field defaults for library
    callers, which must be crawler/settings.py's values."""
    defaults = setting_defaults()
    catalog = CatalogOptions()
    for name, (field, _kind) in CATALOG_SETTINGS.items():
        assert getattr(catalog, field) == defaults[name], name
    archive = ArchiveConfig()
    assert (archive.prefix, archive.max_size, archive.compress_level) == (
        defaults["WARC_PREFIX"], defaults["WARC_MAX_SIZE"], defaults["WARC_COMPRESS_LEVEL"])
    tracker = TrackerConfig()
    for name, (field, _kind) in OPTION_SETTINGS.items():
        assert getattr(tracker, field) == defaults[name], name


@pytest.mark.parametrize("config", [BackoffConfig, StopConfig, ReplayConfig, ServeConfig, StoriesConfig,
                                    CatalogOptions])
def test_a_config_from_hand_made_settings_equals_the_one_from_the_project_settings(config):
    project = Settings()
    project.setmodule("crawler.settings", priority="project")
    assert config.from_settings({}) == config.from_settings(project) == config.from_settings(with_defaults(None))


def test_configs_take_what_the_settings_say_over_the_defaults():
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for name, value in {"RETRY_BACKOFF_MAX": "7.5", "STOP_PROMPTLY": "False", "STORIES_ATTEMPTS": "5",
                        "STORIES_MIN_COVERAGE": "0.5", "STORIES_ENCODER": "", "SERVE_PORT": "0",
                        "REPLAY_ARCHIVE": "old", "REPLAY_AT": "20250304"}.items():
        settings.set(name, value, "cmdline")
    assert BackoffConfig.from_settings(settings).max_backoff == 7.5
    assert StopConfig.from_settings(settings).promptly is False
    stories = StoriesConfig.from_settings(settings)
    assert (stories.attempts, stories.encoder, stories.tracker["min_coverage"]) == (5, None, 0.5)
    assert ServeConfig.from_settings(settings).port == 0
    replay = ReplayConfig.from_settings(settings)
    assert (replay.archive, replay.at) == ("old", "20250304")
    assert dataclasses.replace(TrackerConfig(), **stories.tracker).min_coverage == 0.5


def test_serve_options_win_over_serve_settings_which_win_over_the_defaults():
    parser = build_parser()
    args = parser.parse_args(["serve", "-s", "SERVE_PORT=9001", "-s", "SERVE_THREADS=8", "--threads", "2"])
    config = serve_config(args)
    assert (config.host, config.port, config.threads, config.allowed_hosts) == ("127.0.0.1", 9001, 2, ())
    args = parser.parse_args(["serve", "--allowed-host", "archive.example", "--host", "::1"])
    assert serve_config(args) == ServeConfig("::1", 8080, 4, ("archive.example",))
