"""``wirecopy serve`` answers on IPv6 and on every interface, and its Host check (DNS rebinding
protection) holds on every address: real servers, real requests with chosen Host headers."""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager

import pytest

from archive.web.hosts import HostCheck, split_host
from conftest import crawl_env
from web_archive import build_archive


def test_host_headers_are_split_as_rfc_3986_writes_them():
    assert split_host("Example.COM:8080") == "example.com"
    assert split_host("example.com.") == "example.com"
    assert split_host("[::1]:8080") == "::1" and split_host("[::1]") == "::1"
    assert split_host("[FD00::2]:80") == "fd00::2"
    for bad in ("[::1", "[::1]x", "[not-an-ip]:80", "example.com:http", "", ":80"):
        assert split_host(bad) is None, bad


def test_host_check_accepts_its_names_and_this_machines_addresses_only():
    check = HostCheck(["localhost", "::1", "archive.example"])
    assert check.allows("localhost:8080") and check.allows("[::1]:8080") and check.allows("archive.example")
    assert check.allows("127.0.0.1:8080")  # an address of this machine, though not listed
    assert not check.allows("rebound.example:8080") and not check.allows("[2001:db8::1]:80")
    assert not check.allows("192.0.2.250") and not check.allows(None) and not check.allows("[::1")


def get(address: str, port: int, host_header: str) -> int:
    connection = http.client.HTTPConnection(address, port, timeout=30)
    try:
        connection.putrequest("GET", "/", skip_host=True)
        connection.putheader("Host", host_header)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


@contextmanager
def serving(archive, *args: str, stop_signal: int = signal.SIGINT, preexec_fn=None):
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--archive", str(archive),
                             "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=crawl_env(), text=True, preexec_fn=preexec_fn)
    try:
        line = proc.stdout.readline()
        match = re.search(r"at http://(\[[^\]]+\]|[^:/]+):(\d+)/", line)
        assert match, line + proc.stderr.read()
        yield int(match.group(2))
    finally:
        proc.send_signal(stop_signal)
        try:
            assert proc.wait(timeout=30) == 0, proc.stderr.read()[-3000:]
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def own_outward_address() -> str | None:
    """This machine's address on its default route (no packet is sent), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve-hosts") / "archive"
    build_archive(root, encoder="none")
    return root


@pytest.mark.slow
@pytest.mark.skipif(not socket.has_ipv6, reason="no IPv6 on this machine")
def test_serve_on_ipv6_loopback_answers_its_own_address_and_refuses_other_names(archive):
    with serving(archive, "--host", "::1") as port:
        assert get("::1", port, f"[::1]:{port}") == 200
        assert get("::1", port, f"localhost:{port}") == 200
        assert get("::1", port, f"rebound.example:{port}") == 400


@pytest.mark.slow
def test_serve_on_every_interface_keeps_the_host_check(archive):
    with serving(archive, "--host", "0.0.0.0", "--allowed-host", "archive.example") as port:
        assert get("127.0.0.1", port, f"127.0.0.1:{port}") == 200
        assert get("127.0.0.1", port, f"{socket.gethostname()}:{port}") == 200
        assert get("127.0.0.1", port, f"archive.example:{port}") == 200
        assert get("127.0.0.1", port, f"rebound.example:{port}") == 400  # a rebound name
        assert get("127.0.0.1", port, f"192.0.2.250:{port}") == 400  # not an address of this machine
        outward = own_outward_address()
        if outward is not None:
            assert get(outward, port, f"{outward}:{port}") == 200


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_on_a_stop_signal_even_started_with_sigint_ignored(archive, stop_signal):
    """A server started in the background of a script inherits SIGINT ignored; Ctrl-C (or kill
    -INT) and SIGTERM still stop it, with exit code 0."""
    def background_job() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    with serving(archive, stop_signal=stop_signal, preexec_fn=background_job) as port:
        assert get("127.0.0.1", port, f"127.0.0.1:{port}") == 200
