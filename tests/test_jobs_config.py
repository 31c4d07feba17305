"""The jobs file: its documented shape, and mistakes reported with their line and field."""

from __future__ import annotations

import pytest

from crawler.jobs.config import JobsFileError, key_lines, parse_duration, parse_jobs
from crawler.jobs.history import RunFigures
from jobs_support import run_jobs

# --------------------------------------------------------------------------------------
# the jobs file
# --------------------------------------------------------------------------------------

GOOD = """
[defaults]
delay = 1.5
contact = "https://example.org/crawler"

[jobs.world-news]
seeds = ["https://example.com/world/rss.xml", "https://example.com/sitemap-news.xml"]
schedule = "0 * * * *"
depth = 2
archive = "archives/world-news"

[jobs.world-news.settings]
WARC_MAX_SIZE = 500_000_000

[jobs.world-news.recrawl]
max_age = "7d"

[jobs."local.sport"]
seeds = ["https://example.com/sport/"]
every = "1h30m"
archive = "archives/sport"
max_pages = 500
same_domain = false
concurrency = 2
user_agent = "wirecopy-test (+https://example.org)"
misfire_grace = "2h"
"""


def test_jobs_file_documented_shape_loads(tmp_path):
    jobs = parse_jobs(GOOD, tmp_path / "wirecopy-jobs.toml")
    world, sport = jobs.job("world-news"), jobs.job("local.sport")
    assert world.seeds == ("https://example.com/world/rss.xml", "https://example.com/sitemap-news.xml")
    assert world.schedule == "0 * * * *" and world.every is None and world.depth == 2
    assert world.archive == tmp_path / "archives" / "world-news"
    overrides = dict(world.setting_overrides())
    assert overrides == {"WIRECOPY_JOB": "world-news", "DOWNLOAD_DELAY": 1.5,
                         "CONTACT_URL": "https://example.org/crawler", "RECRAWL_MAX_AGE": "7d",
                         "WARC_MAX_SIZE": 500_000_000}
    assert sport.every == 5400 and sport.max_pages == 500 and sport.same_domain is False
    assert sport.misfire_grace == 7200 and sport.depth == 2
    assert dict(sport.setting_overrides())["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert str(world.trigger()).startswith("cron[") and str(sport.trigger()) == "interval[1:30:00]"


def test_key_lines_follow_tables_dotted_and_quoted_keys():
    text = '[jobs."a.b"]\nseeds = [\n  "https://x/?q=1",\n]\ndepth = 1\n\n[jobs.c]\nsettings.FOO = 1\n'
    lines = key_lines(text)
    assert lines[("jobs", "a.b")] == 1
    assert lines[("jobs", "a.b", "seeds")] == 2
    assert lines[("jobs", "a.b", "depth")] == 5
    assert lines[("jobs", "c", "settings", "FOO")] == 8


@pytest.mark.parametrize("text, line, field, problem", [
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndepth = "two"\n',
     4, "jobs.a.depth", "expected an integer, got string 'two'"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndepth = -1\n',
     4, "jobs.a.depth", "expected an integer >= 0, got -1"),
    ('[jobs.a]\nseeds = ["https://x/", "ftp://y/"]\narchive = "a"\n',
     2, "jobs.a.seeds", "entry 2 is not an http(s) URL: string 'ftp://y/'"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nschedule = "0 * * *"\n',
     4, "jobs.a.schedule", "expected a cron expression of 5 fields"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nschedule = "61 * * * *"\n',
     4, "jobs.a.schedule", "invalid cron expression '61 * * * *'"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nevery = "30 minutes"\n',
     4, "jobs.a.every", 'expected a duration like "30m"'),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nschedule = "0 * * * *"\nevery = "1h"\n',
     5, "jobs.a.every", "either schedule (cron) or every (interval), not both"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndpeth = 2\n',
     4, "jobs.a.dpeth", "unknown key (did you mean 'depth'?)"),
    ('[jobs.a]\nseeds = ["https://x/"]\n',
     1, "jobs.a", "a job needs archive"),
    ('[jobs.a]\narchive = "a"\n',
     1, "jobs.a", "a job needs seeds"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\n\n[jobs.a.settings]\ndownload_delay = 2\n',
     6, "jobs.a.settings.download_delay", "setting names are UPPER_CASE"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nsame_domain = "yes"\n',
     4, "jobs.a.same_domain", "expected true or false, got string 'yes'"),
    ('[defaults]\ndelay = "slow"\n\n[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\n',
     2, "defaults.delay", "expected a number, got string 'slow'"),
    ('[jobs."a b"]\nseeds = ["https://x/"]\narchive = "a"\n',
     1, 'jobs.a b', "job names are letters, digits"),
    ('[jobs.a]\nseeds = ["https://x/"\narchive = "a"\n',
     3, None, "not valid TOML"),
])
def test_jobs_file_errors_name_line_and_field(tmp_path, text, line, field, problem):
    path = tmp_path / "jobs.toml"
    with pytest.raises(JobsFileError) as caught:
        parse_jobs(text, path)
    error = caught.value
    assert (error.line, error.field) == (line, field), str(error)
    assert problem in error.problem
    assert str(error).startswith(f"{path}:{line}: ")


def test_durations():
    assert parse_duration("30m") == 1800
    assert parse_duration("1h30m") == 5400
    assert parse_duration("2d") == 172800
    assert parse_duration(45) == 45
    for bad in ("", "30", "m", "1x", "0s", -5, True):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_run_figures_read_recrawl_and_retry_stats():
    figures = RunFigures.from_stats({
        "wirecopy/pages": 10, "warc/articles": 7, "warc/captures/revisit": 3, "recrawl/changed_articles": 2,
        "fetch/failed/TimeoutError": 1, "fetch/failed/IgnoreRequest": 4, "fetch/http_error/503": 2,
        "fetch/http_error/404": 5, "retry/skipped_hosts": ["a.example:80"],
    })
    assert (figures.pages, figures.new_articles, figures.revisits, figures.changed_articles) == (10, 5, 3, 2)
    assert figures.errors == 3 and figures.skipped_hosts == ("a.example:80",)


def test_cli_reports_a_bad_jobs_file(tmp_path):
    jobs_file = tmp_path / "wirecopy-jobs.toml"
    jobs_file.write_text('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndepth = "two"\n')
    proc = run_jobs(jobs_file, "run", "a")
    assert proc.returncode == 2
    assert f"{jobs_file}:4: jobs.a.depth: expected an integer" in proc.stderr
    proc = run_jobs(jobs_file.with_name("missing.toml"), "status")
    assert proc.returncode == 2 and "no such jobs file" in proc.stderr


def test_seeds_file_is_relative_to_the_jobs_file(tmp_path):
    (tmp_path / "seeds.txt").write_text("https://example.com/\n")
    jobs = parse_jobs('[jobs.a]\nseeds_file = "seeds.txt"\narchive = "a"\n', tmp_path / "jobs.toml")
    assert jobs.job("a").seeds_file == tmp_path / "seeds.txt"
    with pytest.raises(JobsFileError) as caught:
        parse_jobs('[jobs.a]\nseeds_file = "missing.txt"\narchive = "a"\n', tmp_path / "jobs.toml")
    assert (caught.value.line, caught.value.field) == (2, "jobs.a.seeds_file")
    with pytest.raises(JobsFileError, match="no job named 'other'; jobs: a"):
        jobs.job("other")
    typo = parse_jobs('[jobs.herald]\nseeds = ["https://x/"]\narchive = "h"\n', tmp_path / "jobs.toml")
    with pytest.raises(JobsFileError, match="no job named 'herlad' \\(did you mean 'herald'\\?\\)"):
        typo.job("herlad")
