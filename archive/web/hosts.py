"""Which ``Host`` headers the web UI answers: DNS rebinding protection that works for IPv6.

A page of another site whose name an attacker points at this machine sends its own name as the
Host, so only names the server is known by are accepted. An IP address as the Host cannot come
from a rebound name, and is accepted when it is one of this machine's own addresses (a
socket can be bound to it). Werkzeug's ``TRUSTED_HOSTS`` cannot be used for this: it splits
``[::1]:8080`` at its first colon.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache

__all__ = ["HostCheck", "machine_names", "split_host"]

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def split_host(value: str) -> str | None:
    """The host of a ``Host`` header (``name``, ``name:port``, ``[v6]``, ``[v6]:port``),
    lowercased and without brackets; None when it is malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        host, sep, rest = value[1:].partition("]")
        if not sep or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return host if _ip(host) is not None else None
    host, _, port = value.partition(":")
    if port and not port.isdigit():
        return None
    return host.rstrip(".") or None


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=256)
def is_own_address(text: str) -> bool:
    """Whether ``text`` is an IP address of this machine: one a socket can be bound to."""
    address = _ip(text)
    if address is None:
        return False
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True


def machine_names() -> set[str]:
    """This machine's host name, fully qualified name, and the addresses they resolve to."""
    names = {socket.gethostname(), socket.getfqdn()}
    for name in list(names):
        try:
            names.update(info[4][0] for info in socket.getaddrinfo(name, None))
        except OSError:
            continue
    return {n.lower() for n in names if n}


class HostCheck:
    def __init__(self, names: list[str] | set[str]):
        self.names = {h for h in (split_host(n) or split_host(f"[{n}]") for n in names) if h}

    def allows(self, host_header: str | None) -> bool:
        host = split_host(host_header or "")
        if host is None:
            return False
        return host in self.names or is_own_address(host)
