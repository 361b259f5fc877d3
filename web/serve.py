"""Serve the demo website with the chat widget (web/public/).

    .venv/bin/python web/serve.py --port 8080 --rasa-url http://localhost:5005

- ``/``, ``/index.html``: the demo page of a fictional gemeente, with ``data-server`` set to ``--rasa-url``;
- ``/privacy.html``, ``/widget/widget.js``, ``/widget/widget.css``: files from web/public/;
- ``/widget/vendor/socket.io.min.js``: the Socket.IO client that ``npm ci`` put in web/node_modules/.

Standard library only; the widget files are static, so any web server (or CDN) can serve them in production.
"""
from __future__ import annotations

import argparse
import html
import mimetypes
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

WEB = Path(__file__).resolve().parent
PUBLIC = WEB / "public"
SOCKET_IO_DIST = WEB / "node_modules" / "socket.io-client" / "dist"
VENDOR = {
    "/widget/vendor/socket.io.min.js": SOCKET_IO_DIST / "socket.io.min.js",
    "/widget/vendor/socket.io.min.js.map": SOCKET_IO_DIST / "socket.io.min.js.map",
}
#: The value index.html carries; replaced by --rasa-url when served.
DEFAULT_SERVER_ATTR = 'data-server="http://localhost:5005"'
TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".map": "application/json"}


def resolve(path: str) -> Path | None:
    """The file for a URL path, or None (also for anything outside web/public/)."""
    path = unquote(urlsplit(path).path)
    if path in VENDOR:
        return VENDOR[path]
    if path.endswith("/"):
        path += "index.html"
    candidate = (PUBLIC / path.lstrip("/")).resolve()
    if not candidate.is_relative_to(PUBLIC) or not candidate.is_file():
        return None
    return candidate


class Handler(BaseHTTPRequestHandler):
    server_version = "widget-demo"

    def __init__(self, *args, rasa_url: str, **kwargs) -> None:
        self.rasa_url = rasa_url
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        file = resolve(self.path)
        if file is None:
            missing_vendor = urlsplit(self.path).path in VENDOR
            body = (
                "socket.io-client ontbreekt: voer 'npm ci --prefix web' uit (of make install)."
                if missing_vendor
                else "Niet gevonden."
            ).encode()
            self.send(HTTPStatus.NOT_FOUND, body, "text/plain", send_body)
            return
        body = file.read_bytes()
        if file == PUBLIC / "index.html":
            attr = f'data-server="{html.escape(self.rasa_url, quote=True)}"'
            body = body.decode().replace(DEFAULT_SERVER_ATTR, attr).encode()
        content_type = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.send(HTTPStatus.OK, body, content_type, send_body)

    def send(self, status: HTTPStatus, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(status)
        if content_type.startswith("text/") or content_type == "application/json":
            content_type += "; charset=utf-8"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log only failed requests; a page load is many files."""
        if not isinstance(code, int) or code >= 400:
            super().log_request(code, size)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a demo site, like the Rasa server
    parser.add_argument("--rasa-url", default="http://localhost:5005", help="where the widget finds Rasa")
    args = parser.parse_args(argv)
    if not (SOCKET_IO_DIST / "socket.io.min.js").is_file():
        print("Let op: web/node_modules ontbreekt; voer 'npm ci --prefix web' uit (of make install).")
    server = ThreadingHTTPServer((args.host, args.port), partial(Handler, rasa_url=args.rasa_url))
    server.daemon_threads = True
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
