"""python -m console [--port 8081] [--host 127.0.0.1]: the consultant console (see console/settings.py)."""

from __future__ import annotations

import argparse
import logging

from common import log_privacy
from console.app import create_app
from console.settings import Settings


def main() -> None:
    log_privacy.install()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None, help="default: CONSOLE_PORT or 8081")
    parser.add_argument("--host", default=None, help="default: CONSOLE_HOST or 127.0.0.1")
    args = parser.parse_args()
    settings = Settings.from_env(port=args.port)
    if not settings.users:
        logging.warning("CONSOLE_USERS is leeg: niemand kan inloggen (zie README, python -m console.auth hash)")
    app = create_app(settings)
    app.run(host=args.host or settings.host, port=settings.port, access_log=False, debug=False)


if __name__ == "__main__":
    main()
