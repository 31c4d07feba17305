"""Alerts for monitors: a job watching outlets posts JSON to a webhook (a real HTTP receiver on
127.0.0.1) and feeds a command when a story gains a copy at one of them."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from archive.demo import DemoWeb
from crawler.jobs.alerts import Alert
from crawler.jobs.config import JobsFileError, parse_jobs
from jobs_support import last_json, run_jobs, write_jobs

WATCHED = "The Northern Ledger"


class Receiver:
    """Collects the JSON bodies POSTed to it; answers ``status``."""

    def __init__(self, status: int = 204):
        self.bodies: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                receiver.bodies.append({"type": self.headers["Content-Type"],
                                        "json": json.loads(self.rfile.read(length))})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        # shutdown() waits for the loop to poll: every 0.05 s, not serve_forever's 0.5 s
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.slow
def test_a_story_gaining_a_copy_at_a_watched_outlet_reaches_the_webhook_and_the_command(tmp_path):
    stdin_copy = tmp_path / "command-input.json"
    command = [sys.executable, "-c", f"import sys; open({str(stdin_copy)!r}, 'w').write(sys.stdin.read())"]
    with DemoWeb() as web, Receiver() as receiver:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.monitor]
seeds = {json.dumps(web.seeds)}
archive = "monitor"
delay = 0
autothrottle = false
concurrency = 8

[jobs.monitor.settings]
STORIES_WIRE_NAMES = ["Aurora Press"]

[jobs.monitor.alert]
outlets = ["{WATCHED}"]
webhook = "{receiver.url}"
command = {json.dumps(command)}
""")
        result = run_jobs(jobs_file, "run", "monitor", "--json")
        assert result.returncode == 0, result.stderr[-3000:]
        run = last_json(result)
        assert len(receiver.bodies) == 1, "one POST per run"
        posted = receiver.bodies[0]
        assert posted["type"] == "application/json"
        payload = posted["json"]
        assert payload["job"] == "monitor" and payload["run"] == run["run"]
        copies = payload["copies"]
        assert copies and run["alerted"] == len(copies) and run["alert_problems"] == []
        assert all(c["copy"]["outlet"] == WATCHED for c in copies)
        assert all(c["origin"]["url"] != c["copy"]["url"] and c["story"].startswith("s") for c in copies)
        assert all(c["copy"]["url"].startswith(web.outlet("ledger").base_url) for c in copies)
        assert json.loads(stdin_copy.read_text()) == payload

        # a second run finds nothing new: nothing is announced again
        again = run_jobs(jobs_file, "run", "monitor", "--json")
        assert again.returncode == 0, again.stderr[-3000:]
        assert last_json(again)["alerted"] == 0 and len(receiver.bodies) == 1


def test_an_undeliverable_alert_is_reported_not_lost(tmp_path):
    from crawler.jobs.alerts import deliver

    with Receiver(status=500) as receiver:
        problems = deliver(Alert(("x",), webhook=receiver.url, command=(sys.executable, "-c", "raise SystemExit(3)")),
                           {"copies": []})
    assert len(problems) == 2
    assert "500" in problems[0] and "exited 3" in problems[1]
    assert receiver.bodies == [{"type": "application/json", "json": {"copies": []}}]


def test_alert_tables_are_validated(tmp_path):
    base = '[jobs.j]\nseeds = ["http://x/"]\narchive = "a"\n[jobs.j.alert]\n'
    job = parse_jobs(base + 'outlets = ["ledger.example"]\nwebhook = "http://127.0.0.1:9/"\n', tmp_path / "f.toml").job("j")
    assert job.alert.watches("Anything", "https://www.ledger.example/x") and not job.alert.watches("A", "https://b.example/")
    assert job.alert.watches("The Northern Ledger", "https://x/") is False
    for text, problem in ((base + 'webhook = "http://h/"\n', "outlets"),
                          (base + 'outlets = ["a"]\n', "webhook URL or a command"),
                          (base + 'outlets = ["a"]\nwebhook = "ftp://h/"\n', r"http\(s\) URL"),
                          (base + 'outlets = ["a"]\ncommand = "x"\nhook = 1\n', "unknown key")):
        with pytest.raises(JobsFileError, match=problem) as info:
            parse_jobs(text, tmp_path / "f.toml")
        assert "jobs.j.alert" in str(info.value)
