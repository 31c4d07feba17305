"""``wirecopy serve``: the archive's web UI on a local address.

Served by waitress, a production WSGI server (pure Python, multi-threaded, maintained by the
Pylons project), so slow clients and large replays do not hold up the rest of the UI.
"""

from __future__ import annotations

import logging
import sys

from .settings import ARCHIVE_DIR

logger = logging.getLogger(__name__)

WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def cmd_serve(args) -> int:
    from waitress import create_server

    from archive.web import create_app
    from archive.web.hosts import LOOPBACK_NAMES, machine_names

    if not 0 <= args.port <= 65535:
        print(f"wirecopy serve: port must be 0-65535, got {args.port}", file=sys.stderr)
        return 2
    if not 1 <= args.threads <= 64:
        print(f"wirecopy serve: threads must be 1-64, got {args.threads}", file=sys.stderr)
        return 2
    # DNS rebinding protection stays on whatever the address: the Host must name this machine
    trusted = set(LOOPBACK_NAMES) | set(args.allowed_host)
    trusted |= machine_names() if args.host in WILDCARD_HOSTS else {args.host}
    try:
        app = create_app(args.archive, trusted_hosts=sorted(trusted))
    except FileNotFoundError as exc:
        print(f"wirecopy serve: {exc}", file=sys.stderr)
        return 2
    try:
        server = create_server(app, host=args.host, port=args.port, threads=args.threads,
                               ident="wirecopy")
    except OSError as exc:
        print(f"wirecopy serve: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    host = server.effective_host
    shown = f"[{host}]" if ":" in str(host) else host
    print(f"Serving {args.archive}/ at http://{shown}:{server.effective_port}/ (Ctrl-C to stop)", flush=True)
    if args.host in WILDCARD_HOSTS:
        print("warning: listening on every interface; anyone who can reach this machine can read "
              "the archive (by this machine's own names and addresses, or an --allowed-host)",
              file=sys.stderr, flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="browse the archive in a web browser")
    serve.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 picks a free one)")
    serve.add_argument("--threads", type=int, default=4, help="worker threads (default 4)")
    serve.add_argument("--allowed-host", action="append", default=[], metavar="NAME",
                       help="a further name the server answers to in the Host header (this machine's"
                            " own names and addresses are accepted); repeatable")
    serve.set_defaults(func=cmd_serve)
