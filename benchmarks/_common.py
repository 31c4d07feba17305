"""Helpers shared by the wirecopy benchmark scripts (not a benchmark itself).

The scripts are run as ``python benchmarks/NAME.py``, so this module is imported
as a sibling (``from _common import ...``): ``benchmarks/`` is ``sys.path[0]``.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent

#: Proxy variables removed from every crawl subprocess environment so that a
#: developer's own proxy settings never leak into a measurement.
PROXY_VARS = (
    "http_proxy", "https_proxy", "all_proxy", "no_proxy",
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
)


def wirecopy_command(explicit: str | None = None) -> list[str] | None:
    """Return the argv prefix that runs the wirecopy CLI, or None if absent.

    Order: an explicit command line (split on spaces), the ``wirecopy`` console
    script on PATH, then ``python -m crawler.cli`` from this checkout.
    """
    if explicit:
        return explicit.split()
    script = shutil.which("wirecopy")
    if script:
        return [script]
    if (REPO_ROOT / "crawler" / "cli.py").exists():
        return [sys.executable, "-m", "crawler.cli"]
    return None


def clean_env(**extra: str) -> dict[str, str]:
    """The current environment without proxy variables, with the checkout on
    PYTHONPATH (so ``-m crawler.cli`` works uninstalled), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + path if path else "")
    env.update(extra)
    return env


def dir_bytes(path: Path, pattern: str = "**/*") -> int:
    """Total size of the regular files under ``path`` matching ``pattern``."""
    if not path.exists():
        return 0
    return sum(p.stat().st_size for p in path.glob(pattern) if p.is_file())


def last_json_line(text: str) -> dict[str, Any] | None:
    """The last line of ``text`` that parses as a JSON object, if any."""
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = [row[0].ljust(widths[0])]
        parts += [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den in (None, 0):
        return None
    return num / den


def emit_json(payload: dict[str, Any]) -> None:
    """Print ``payload`` as the final single JSON line on stdout."""
    sys.stdout.flush()
    print(json.dumps(payload, sort_keys=True, default=str), flush=True)
