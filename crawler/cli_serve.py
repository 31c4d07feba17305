"""``wirecopy serve``: the archive's web UI on a local address.

Served by waitress, a production WSGI server (pure Python, multi-threaded, maintained by the
Pylons project), so slow clients and large replays do not hold up the rest of the UI.
"""

from __future__ import annotations

import logging
import signal
import sys
from dataclasses import dataclass

from .settings import ARCHIVE_DIR

logger = logging.getLogger(__name__)

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


@dataclass(frozen=True)
class ServeConfig:
    host: str  # SERVE_HOST
    port: int  # SERVE_PORT (0: a free one)
    threads: int  # SERVE_THREADS
    allowed_hosts: tuple[str, ...]  # SERVE_ALLOWED_HOSTS: further names accepted in the Host header

    @classmethod
    def from_settings(cls, settings) -> "ServeConfig":
        from .config import with_defaults

        s = with_defaults(settings)
        return cls(str(s.get("SERVE_HOST")), s.getint("SERVE_PORT"), s.getint("SERVE_THREADS"),
                   tuple(s.getlist("SERVE_ALLOWED_HOSTS")))


def serve_config(args) -> ServeConfig:
    """The ``SERVE_*`` settings (``-s``), under the options given on the command line."""
    options = [("SERVE_HOST", args.host), ("SERVE_PORT", args.port), ("SERVE_THREADS", args.threads)]
    settings = dict(args.set) | {name: value for name, value in options if value is not None}
    if args.allowed_host:
        settings["SERVE_ALLOWED_HOSTS"] = list(args.allowed_host)
    return ServeConfig.from_settings(settings)


def cmd_serve(args) -> int:
    from waitress import create_server

    from archive.web import create_app
    from archive.web.hosts import LOOPBACK_NAMES, machine_names

    try:
        config = serve_config(args)
    except ValueError as exc:
        print(f"wirecopy serve: {exc}", file=sys.stderr)
        return 2
    if not 0 <= config.port <= 65535:
        print(f"wirecopy serve: port must be 0-65535, got {config.port}", file=sys.stderr)
        return 2
    if not 1 <= config.threads <= 64:
        print(f"wirecopy serve: threads must be 1-64, got {config.threads}", file=sys.stderr)
        return 2
    # DNS rebinding protection stays on whatever the address: the Host must name this machine
    trusted = set(LOOPBACK_NAMES) | set(config.allowed_hosts)
    trusted |= machine_names() if config.host in WILDCARD_HOSTS else {config.host}
    try:
        app = create_app(args.archive, trusted_hosts=sorted(trusted))
    except FileNotFoundError as exc:
        print(f"wirecopy serve: {exc}", file=sys.stderr)
        return 2
    try:
        server = create_server(app, host=config.host, port=config.port, threads=config.threads,
                               ident="wirecopy")
    except OSError as exc:
        print(f"wirecopy serve: cannot listen on {config.host}:{config.port}: {exc}", file=sys.stderr)
        return 2
    host = server.effective_host
    shown = f"[{host}]" if ":" in str(host) else host
    print(f"Serving {args.archive}/ at http://{shown}:{server.effective_port}/ (Ctrl-C to stop)", flush=True)
    if config.host in WILDCARD_HOSTS:
        print("warning: listening on every interface; anyone who can reach this machine can read "
              "the archive (by this machine's own names and addresses, or an --allowed-host)",
              file=sys.stderr, flush=True)
    # SIGINT (Ctrl-C) and SIGTERM stop it cleanly, whatever the signals' handling inherited: a
    # server started in the background of a script has SIGINT ignored, and Python leaves it so
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, _stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def register(subparsers) -> None:
    from .cli import _setting
    from .settings import SERVE_HOST, SERVE_PORT, SERVE_THREADS

    serve = subparsers.add_parser("serve", help="browse the archive in a web browser")
    serve.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    serve.add_argument("--host", help=f"address to listen on (SERVE_HOST, default {SERVE_HOST})")
    serve.add_argument("--port", type=int, help=f"port (SERVE_PORT, default {SERVE_PORT}; 0 picks a free one)")
    serve.add_argument("--threads", type=int, help=f"worker threads (SERVE_THREADS, default {SERVE_THREADS})")
    serve.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                       help="a further name the server answers to in the Host header (this machine's"
                            " own names and addresses are accepted); repeatable")
    serve.add_argument("-s", dest="set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                       help="a SERVE_* setting (the options above win)")
    serve.set_defaults(func=cmd_serve)
