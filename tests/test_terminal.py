"""What a person sees at an 80x24 terminal: ``wirecopy demo`` driven in a pseudo-terminal and
its output replayed through a terminal emulator (pyte), line by line as it was drawn."""

from __future__ import annotations

import os
import re
import sys

import pexpect
import pyte
import pytest
from rich.cells import cell_len

from archive.demo import DemoWeb
from conftest import REPO_ROOT, crawl_env
from crawler.tables import Column, fitting

COLUMNS, ROWS = 80, 24
LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.]+\] (DEBUG|INFO|WARNING|ERROR)")
PANEL_LABELS = ("queued", "rate now", "rate avg", "articles", "written")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def run_in_terminal(args: list[str], cwd, program: list[str] | None = None) -> bytes:
    env = {k: v for k, v in crawl_env().items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    program = program or [sys.executable, "-m", "crawler.cli"]
    child = pexpect.spawn(program[0], [*program[1:], *args], cwd=str(cwd), env=env,
                          dimensions=(ROWS, COLUMNS), timeout=240)
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output[-2000:].decode(errors="replace")
    return output


def completed_lines(before: bytes, output: bytes) -> list[str]:
    """Every line of ``output`` as it stood on the screen when the cursor left it with a line
    feed (``before`` was drawn first)."""
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.ByteStream(screen)
    stream.feed(before)
    lines = []
    for chunk in re.split(rb"(\n)", output):
        stream.feed(chunk)
        if chunk == b"\n":
            row = screen.cursor.y - 1 if screen.cursor.y > 0 else 0
            lines.append(screen.display[row].rstrip())
    return lines


@pytest.mark.slow
def test_demo_at_80x24_keeps_log_lines_out_of_the_panel_and_fits_its_tables(tmp_path):
    output = run_in_terminal(["demo", "--archive", "demo-archive", "-s", "LOG_LEVEL=INFO"], tmp_path)
    (tmp_path / "demo.typescript").write_bytes(output)
    text = output.decode("utf-8", errors="replace")
    assert "wirecopy crawl" in text and "rate now" in text, "the live panel was drawn"

    # from the panel's first frame on (lines logged before it are wrapped by the terminal)
    panel_up = output.index(b"rate now")
    panel_up = output.rindex(b"\n", 0, panel_up) + 1
    during = output[panel_up:]
    written = len(LOG_LINE.findall(ANSI.sub("", during.decode("utf-8", errors="replace"))))
    assert written > 20, "the crawl logged at INFO while the panel was up"
    lines = completed_lines(output[:panel_up], during)
    log_lines = [line for line in lines if LOG_LINE.search(line)]
    assert len(log_lines) == written, "every log line stands on the screen, none drawn over"
    for line in log_lines:
        assert LOG_LINE.match(line), f"a log line written into another line: {line!r}"
        assert not any(line.startswith(label) for label in PANEL_LABELS), line
    for line in lines:
        if any(line.startswith(label) for label in PANEL_LABELS):
            assert not LOG_LINE.search(line), f"a panel line with a log line in it: {line!r}"

    plain = [ANSI.sub("", line).rstrip("\r") for line in text.split("\n")]
    start = next(i for i, line in enumerate(plain) if "Stories:" in line)
    table = plain[start + 1:]
    end = next(i for i, line in enumerate(table) if line.startswith("└"))
    table = table[:end + 1]
    assert table[0].startswith("┌") and table[0].endswith("┐"), table[0]
    assert all(cell_len(line) <= COLUMNS for line in table), max(table, key=cell_len)
    assert all(line.endswith(("│", "┐", "┤", "┘")) for line in table), "no column cut off"
    header = table[1]
    for name in ("story", "origin", "copies", "relations"):
        assert name in header
    assert re.search(r"│ s[0-9a-f]{10} │", "\n".join(table)), "story ids are shown whole"
    assert "…" not in "\n".join(table), "nothing abbreviated with an ellipsis"


@pytest.mark.slow
def test_demo_quiet_prints_only_the_summary(tmp_path):
    output = run_in_terminal(["demo", "--archive", "demo-archive", "--quiet"], tmp_path)
    text = ANSI.sub("", output.decode("utf-8", errors="replace"))
    assert "wirecopy demo: done" in text and "stories with copies across outlets:" in text
    assert "rate now" not in text and "Articles archived" not in text and "Serving" not in text
    assert not LOG_LINE.search(text)


@pytest.mark.slow
def test_scrapy_crawl_shows_the_same_panel_and_summary(tmp_path):
    with DemoWeb() as web:
        output = run_in_terminal(
            ["crawl", "news", "-a", f"seeds={' '.join(web.seeds)}", "-a", "depth=1",
             "-s", f"ARCHIVE_DIR={tmp_path / 'archive'}", "-s", "AUTOTHROTTLE_ENABLED=False",
             "-s", "DOWNLOAD_DELAY=0"],
            REPO_ROOT, program=[sys.executable, "-m", "scrapy"])
    text = ANSI.sub("", output.decode("utf-8", errors="replace"))
    assert "rate now" in text and "queued" in text, "the live panel"
    done = text[text.index("wirecopy crawl: done"):]
    assert re.search(r"pages\s+\d+", done) and re.search(r"articles\s+[1-9]", done)
    assert "skipped by robots.txt:" in done
    # a component a setting turns off is an INFO line, not a WARNING
    assert "INFO: Disabled crawler.replay.ReplayMiddleware: REPLAY_ARCHIVE is not set" in text
    assert "WARNING: Disabled" not in text


def test_columns_are_dropped_by_priority_until_the_rest_fit():
    columns = [Column("id", 1, 10), Column("title", 1, 20), Column("when", 3, 16), Column("who", 2, 12)]
    assert [c.header for c in fitting(columns, 200)] == ["id", "title", "when", "who"]
    # 10+20+16+12 plus 3 per column and the edge: 71 wide
    assert [c.header for c in fitting(columns, 71)] == ["id", "title", "when", "who"]
    assert [c.header for c in fitting(columns, 70)] == ["id", "title", "who"]
    assert [c.header for c in fitting(columns, 40)] == ["id", "title"]
    assert [c.header for c in fitting(columns, 5)] == ["id"]
