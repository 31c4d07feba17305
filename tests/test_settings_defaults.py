"""Settings have their defaults in ``crawler/settings.py`` only, every one of them is read, and
the typed configs built from settings give what the settings say."""

from __future__ import annotations

import ast
import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest
from scrapy.settings import Settings, default_settings

from archive.catalog.options import SETTINGS as CATALOG_SETTINGS
from archive.catalog.options import CatalogOptions
from archive.stories.tracker import TrackerConfig
from archive.store import ArchiveConfig
from archive.extract import ExtractOptions
from archive.recrawl import RecrawlPolicy
from crawler.capture import CaptureConfig
from crawler.cli import build_parser
from crawler.cli_serve import ServeConfig, serve_config
from crawler.config import setting_defaults, with_defaults
from crawler.distributed.scope import UnitScopeConfig
from crawler.pipelines import ExtractionConfig
from crawler.progress import ProgressConfig
from crawler.recrawl import RecrawlConfig
from crawler.replay import ReplayConfig
from crawler.requisites import RequisitesConfig
from crawler.resume import ResumeConfig
from crawler.retry import BackoffConfig
from crawler.robots import RobotsConfig
from crawler.session import SessionConfig
from crawler.stopping import StopConfig
from crawler.tracking import OPTION_SETTINGS, StoriesConfig

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = ROOT / "crawler" / "settings.py"
GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getdictorlist", "getwithbase"}
SCRAPY_NAMES = {name for name in vars(default_settings) if name.isupper()}
OWN_NAMES = set(setting_defaults()) - SCRAPY_NAMES
PREFIXES = tuple(sorted({name.split("_", 1)[0] + "_" for name in OWN_NAMES} | {"WIRECOPY_"}))
# functions that read settings outside a config's ``from_settings``, each for a reason
READERS_OUTSIDE_CONFIGS = {
    # the add-on writes settings before any component is built (USER_AGENT from CONTACT_URL,
    # replay's download handlers): it reads them as they are being made, not as a component
    "crawler/addon.py:WirecopyAddon.update_settings",
    "crawler/replay.py:replay_settings",  # rewrites Scrapy's DOWNLOAD_HANDLERS, for the add-on
    # Scrapy's own DOWNLOAD_HANDLERS merged with its _BASE (getwithbase): the live handlers a replay refuses
    "crawler/replay.py:network_handlers",
    # a leased unit's crawl puts the lease gate in front of the HTTP(S) handlers it was given
    "crawler/distributed/gate.py:gate_handlers",
}


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


def reads_outside_configs(source: str, label: str) -> list[str]:
    """Reads of a setting by name (``settings.getint("NAME")``, ``settings["NAME"]``) in
    ``source`` that are not inside a ``from_settings`` method, as ``label:line [function] read``."""
    found = []

    def visit(node: ast.AST, scope: tuple[str, ...]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope += (node.name,)
        name = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GETTERS \
                and node.args and "environ" not in ast.unparse(node.func.value):
            name = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) \
                and "environ" not in ast.unparse(node.value):
            name = node.slice
        if isinstance(name, ast.Constant) and isinstance(name.value, str) and is_setting(name.value) \
                and "from_settings" not in scope and f"{label}:{'.'.join(scope)}" not in READERS_OUTSIDE_CONFIGS:
            found.append(f"{label}:{node.lineno} [{'.'.join(scope)}] {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            visit(child, scope)

    visit(ast.parse(source, label), ())
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


def test_the_scan_finds_a_read_outside_a_config():
    sample = ('class C:\n    @classmethod\n    def from_settings(cls, s):\n        return s.getint("EXTRACT_WORKERS")\n'
              '    def __init__(self, crawler, stats):\n        self.n = crawler.settings.getint("EXTRACT_WORKERS")\n'
              '        self.u = crawler.settings["USER_AGENT"]\n        stats.get("warc/bytes")\n'
              '        os.environ.get("WIRECOPY_X")\n\ndef replay_settings(s):\n    s.get("REPLAY_ARCHIVE")\n')
    assert [line.split(" ", 1)[1] for line in reads_outside_configs(sample, "sample.py")] == [
        "[C.__init__] crawler.settings.getint('EXTRACT_WORKERS')", "[C.__init__] crawler.settings['USER_AGENT']",
        "[replay_settings] s.get('REPLAY_ARCHIVE')"]
    assert reads_outside_configs(sample, "crawler/replay.py")[-1:] == [
        "crawler/replay.py:7 [C.__init__] crawler.settings['USER_AGENT']"]


def test_settings_are_read_only_by_the_configs_built_from_them():
    """Each component reads its settings through its config's ``from_settings``, so crawl,
    replay, import, jobs and rebuild give a setting one meaning."""
    found = [line for path in modules()
             for line in reads_outside_configs(path.read_text(), str(path.relative_to(ROOT)))]
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
                                    CatalogOptions, CaptureConfig, RecrawlConfig, ProgressConfig, ExtractionConfig,
                                    ResumeConfig, RequisitesConfig, RobotsConfig, UnitScopeConfig])
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


def test_the_component_configs_take_what_the_settings_say():
    settings = with_defaults({
        "WARC_ENABLED": "False", "DOWNLOAD_MAXSIZE": "1000", "WARC_REVISITS": "0", "WARC_REVISIT_REQUESTS": "False",
        "PROGRESS_ENABLED": "1", "PROGRESS_INTERVAL": "2", "PROGRESS_SUMMARY": "False", "REPLAY_ARCHIVE": "old",
        "EXTRACT_ENABLED": "False", "EXTRACT_WORKERS": "3", "EXTRACT_TIMEOUT": "0", "EXTRACT_ATTEMPTS": "0",
        "EXTRACT_INCLUDE_COMMENTS": "True", "EXTRACT_INCLUDE_TABLES": "False", "EXTRACT_FAVOR_PRECISION": "True",
        "EXTRACT_MIN_WORDS": "5", "EXTRACT_PROFILE_WINDOW": "9", "EXTRACT_PROFILE_MIN_PAGES": "2",
        "EXTRACT_PROFILE_MIN_SHARE": "0.5", "RESUME_ENABLED": "True", "RESUME_SINCE": "2025-03-10T09:15:00Z",
        "WIRECOPY_JOB": "world", "REQUISITES_ENABLED": "False", "REQUISITES_HOSTS": "CDN.example, img.example",
        "REQUISITES_TYPES": "image", "REQUISITES_MAX_PAGE_SIZE": "0", "ROBOTSTXT_UNREACHABLE_RECHECK": "1.5",
        "WORKER_UNIT_SITE": "https://example.com", "ARCHIVE_DIR": "arch", "ROBOTSTXT_OBEY": "False",
        "USER_AGENT": "bot/1", "WARC_OPERATOR": "Ops", "WARC_DESCRIPTION": "news"})
    assert CaptureConfig.from_settings(settings) == CaptureConfig(False, 1000, False, False)
    assert ProgressConfig.from_settings(settings) == ProgressConfig(True, 2.0, False, "wirecopy replay")
    assert ProgressConfig.from_settings({}).enabled is None  # unset: on when a person watches
    assert ProgressConfig.from_settings({"PROGRESS_ENABLED": False}).shown is False
    assert ExtractionConfig.from_settings(settings) == ExtractionConfig(
        False, 3, None, 1, ExtractOptions(include_comments=True, include_tables=False, favor_precision=True, min_words=5),
        {"window": 9, "min_pages": 2, "min_share": 0.5})
    assert ExtractionConfig.from_settings({"EXTRACT_SITE_PROFILES": "False"}).site_profiles is None
    resume = ResumeConfig.from_settings(settings)
    assert (resume.enabled, resume.job, resume.since) == (True, "world", "20250310091500")
    assert resume.started == datetime(2025, 3, 10, 9, 15, tzinfo=timezone.utc)
    assert ResumeConfig.from_settings({"RESUME_JOB": "old", "WIRECOPY_JOB": "new"}).job == "old"
    assert ResumeConfig.from_settings({"RESUME_SINCE": "20250310091500"}).started is None  # not resuming
    requisites = RequisitesConfig.from_settings(settings)
    assert (requisites.enabled, requisites.hosts, requisites.types, requisites.max_page_size, requisites.replaying) == (
        False, ("cdn.example", "img.example"), frozenset({"image"}), 0, True)
    assert RobotsConfig.from_settings(settings).unreachable_recheck == 1.5
    assert UnitScopeConfig.from_settings(settings).site == "https://example.com"
    assert SessionConfig.from_settings(settings) == SessionConfig("arch", "world", False, "bot/1", "Ops", "news")
    assert SessionConfig.from_settings({}).job is None


def test_recrawls_are_on_with_the_archive_only_and_then_follow_the_policy_settings():
    assert RecrawlConfig.from_settings(with_defaults({"RECRAWL_POLICY": "Always", "RECRAWL_MAX_AGE_DAYS": "7",
                                                      "RECRAWL_CONDITIONAL": "False"})) == RecrawlConfig(
        True, False, RecrawlPolicy("always", 7.0, True))
    for off in ({"RECRAWL_ENABLED": "False"}, {"WARC_ENABLED": "False"}):
        assert RecrawlConfig.from_settings(with_defaults(off)).enabled is False


def test_the_import_warcinfo_says_what_the_crawl_s_does_of_the_same_settings():
    session = SessionConfig.from_settings({"WARC_OPERATOR": "Ops", "ROBOTSTXT_OBEY": "False"})
    crawl, imported = session.crawl_warcinfo("job", ["https://example.com/"]), session.import_warcinfo()
    assert crawl["operator"] == imported["operator"] == "Ops"
    assert (crawl["robots"], crawl["wirecopy-seeds"], crawl["wirecopy-job"]) == ("ignore", "https://example.com/", "job")
    assert imported["description"] == "article texts extracted from imported WARC files"
    assert "robots" not in imported and "http-header-user-agent" not in imported
    assert SessionConfig.from_settings({"WARC_DESCRIPTION": "news"}).import_warcinfo()["description"] == "news"
    assert "operator" not in SessionConfig.from_settings({}).import_warcinfo()


def test_import_settings_mean_what_they_mean_to_a_crawl(tmp_path, monkeypatch):
    from crawler.cli import crawl_settings
    from crawler.cli_import import _options

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    overrides = ["-s", "EXTRACT_MIN_WORDS=5", "-s", "EXTRACT_FAVOR_RECALL=True", "-s", "EXTRACT_SITE_PROFILES=False",
                 "-s", "EXTRACT_WORKERS=2", "-s", "WARC_OPERATOR=Ops", "-s", "WIRECOPY_JOB=old-files"]
    args = build_parser().parse_args(["import", str(tmp_path / "x.warc.gz"), "--archive", str(tmp_path), *overrides])
    options = _options(args)
    crawl = ExtractionConfig.from_settings(crawl_settings(str(tmp_path), args.set, max_pages=None, quiet=True,
                                                          progress=False))
    assert options.extract_options == crawl.options == ExtractOptions(favor_recall=True, min_words=5)
    assert (options.workers, options.site_profiles, options.job) == (2, None, "old-files")
    assert (options.archive.job, options.archive.info["operator"]) == ("old-files", "Ops")
    assert _options(build_parser().parse_args(["import", "x", "--workers", "3", *overrides])).workers == 3


def test_serve_options_win_over_serve_settings_which_win_over_the_defaults():
    parser = build_parser()
    args = parser.parse_args(["serve", "-s", "SERVE_PORT=9001", "-s", "SERVE_THREADS=8", "--threads", "2"])
    config = serve_config(args)
    assert (config.host, config.port, config.threads, config.allowed_hosts) == ("127.0.0.1", 9001, 2, ())
    args = parser.parse_args(["serve", "--allowed-host", "archive.example", "--host", "::1"])
    assert serve_config(args) == ServeConfig("::1", 8080, 4, ("archive.example",))
