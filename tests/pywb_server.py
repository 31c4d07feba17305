"""Serve a pywb configuration on 127.0.0.1, port 0; print the port, then serve until killed.

Run by the Python of pywb's own virtualenv (``.ci/pywb-venv``), not the project's: pywb pins
packages the crawler cannot live with. Usage: ``python pywb_server.py DIR`` where DIR holds
``config.yaml`` (and ``collections/`` for collections made by ``wb-manager``). The server is
pywb's WSGI application on gevent's WSGI server, as pywb's ``wayback`` command runs it.
"""

from gevent.monkey import patch_all

patch_all()

import os  # noqa: E402
import sys  # noqa: E402

from gevent.pywsgi import WSGIServer  # noqa: E402
from pywb.apps.frontendapp import FrontEndApp  # noqa: E402


def main() -> None:
    os.chdir(sys.argv[1])
    app = FrontEndApp(config_file="./config.yaml")
    server = WSGIServer(("127.0.0.1", 0), app, log=None)
    server.start()
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
