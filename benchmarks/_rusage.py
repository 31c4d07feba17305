"""Run one command and record its resource use (benchmark helper).

``python _rusage.py OUT.json -- COMMAND [ARG ...]`` runs COMMAND, waits for it
and writes to OUT.json: exit code, wall seconds, user/system CPU seconds and
``ru_maxrss`` of the reaped process tree (``getrusage(RUSAGE_CHILDREN)``: the
largest single process, since this wrapper is fresh and has no other child),
plus the peaks of the summed RSS and of the summed PSS (proportional set size:
pages shared between forked workers counted once) of the whole live process
tree, sampled from ``/proc`` every ``--interval`` seconds (worker pools make the
sum matter; PSS is 0 where ``smaps_rollup`` is unavailable).
The command's stdout and stderr are inherited.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def descendants(pid: int) -> list[int]:
    """``pid`` and all its live descendants (via /proc/PID/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return found


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB summed over ``pid`` and its descendants."""
    rss = pss = 0
    for member in descendants(pid):
        try:
            with open(f"/proc/{member}/statm", encoding="ascii") as fh:
                rss += int(fh.read().split()[1]) * PAGE_KB
            with open(f"/proc/{member}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
    return rss, pss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="where to write the JSON figures")
    parser.add_argument("--interval", type=float, default=0.25,
                        help="RSS sampling period in seconds (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="kill the command after this many seconds")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help="-- followed by the command to run")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    peak_rss = peak_pss = 0
    done = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(command)

    def sample() -> None:
        nonlocal peak_rss, peak_pss
        while not done.is_set():
            rss, pss = tree_memory_kb(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            done.wait(args.interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timed_out = False
    try:
        returncode = proc.wait(timeout=args.timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        returncode = proc.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    args.out.write_text(json.dumps({
        "returncode": returncode, "timed_out": timed_out, "wall_seconds": wall,
        "user_seconds": usage.ru_utime, "system_seconds": usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss, "tree_peak_rss_kb": peak_rss,
        "tree_peak_pss_kb": peak_pss,
    }), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
