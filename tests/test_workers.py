"""Worker processes of a crawl: a dead worker is replaced, and none outlives the crawler."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from conftest import crawl_env
from crawler.workers import WorkerPool


def pid_then_wait(marker: str) -> int:
    """In a worker: say who runs the task, then block until killed."""
    written = Path(marker + ".part")  # renamed when whole: the test never reads half a pid
    written.write_text(str(os.getpid()))
    written.rename(marker)
    time.sleep(600)
    return os.getpid()


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)  # observing other processes, not synchronising with them
    return condition()


@pytest.fixture
def pool():
    pool = WorkerPool(1, name="Test")
    pool.start()
    try:
        yield pool
    finally:
        pool.shutdown(wait=False, kill=True)


def test_a_worker_killed_while_idle_is_replaced_at_the_next_task(pool):
    _, first = pool.submit(os.getpid)
    worker = first.result(timeout=60)
    os.kill(worker, signal.SIGKILL)
    assert wait_for(lambda: not alive(worker))
    # the executor notices the death on its own thread: until then a task may still go to it
    for _ in range(3):
        generation, future = pool.submit(os.getpid)
        try:
            replacement = future.result(timeout=60)
            break
        except BrokenProcessPool:
            pool.replace(generation, "test")
    assert replacement != worker
    assert pool.restarts == 1


def test_a_task_whose_worker_dies_fails_with_broken_pool_and_runs_again_on_the_new_one(pool, tmp_path):
    marker = tmp_path / "pid"
    generation, future = pool.submit(pid_then_wait, str(marker))
    assert wait_for(marker.exists, 60)
    os.kill(int(marker.read_text()), signal.SIGKILL)
    with pytest.raises(BrokenProcessPool):
        future.result(timeout=60)
    assert pool.replace(generation, "test")
    assert not pool.replace(generation, "test")  # once per break, however many tasks see it
    _, again = pool.submit(os.getpid)
    assert again.result(timeout=60) > 0
    assert pool.generation == generation + 1


CRAWLER_STAND_IN = """
import os, sys
from crawler.workers import WorkerPool
pools = [WorkerPool(2, name="a"), WorkerPool(1, name="b")]
for pool in pools:
    pool.start()
pids = {f.result() for pool in pools for f in [pool.submit(os.getpid)[1] for _ in range(6)]}
print("ready", flush=True)
sys.stdin.readline()
"""


def test_nothing_outlives_a_crawler_killed_with_sigkill(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", CRAWLER_STAND_IN], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=crawl_env())
    helpers: set[int] = set()
    try:
        assert proc.stdout.readline().strip() == "ready"
        helpers = descendants(proc.pid)
        # the forkserver, the resource tracker and at least one worker of each pool
        assert len(helpers) >= 4
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert wait_for(lambda: not any(alive(p) for p in helpers), 20), \
            [p for p in helpers if alive(p)]
    finally:
        for pid in helpers | descendants(proc.pid):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
