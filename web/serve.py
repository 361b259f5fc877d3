"""Serve the demo website with the chat widget (web/public/).

    .venv/bin/python web/serve.py --port 8080 --rasa-url http://localhost:5005

- ``/``, ``/index.html``: the demo page of a fictional gemeente, with ``data-server`` set to ``--rasa-url``;
- ``/privacy.html``, ``/widget/widget.js``, ``/widget/widget.css``: files from web/public/;
- ``/widget/vendor/socket.io.min.js``: the Socket.IO client that ``npm ci`` put in web/node_modules/.

The pages get a Content-Security-Policy (this site, plus the Rasa server for the connection) and may not be
framed; a path that cannot name a file (NUL, a bad escape, too long) gets 400, an unknown one 404.
A connection that sends nothing for ``--timeout`` seconds (default 30) is closed, and at most
``--max-connections`` (default 100) are served at once: a further one is closed straight away, so idle
sockets cannot pile up threads.

Standard library only; the widget files are static, so any web server (or CDN) can serve them in production.
"""

from __future__ import annotations

import argparse
import functools
import html
import ipaddress
import mimetypes
import re
import socket
import threading
from collections.abc import Callable
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
#: Longest URL path looked at; real paths here are short, and a file name has at most 255 bytes anyway.
MAX_PATH = 1024
HOST = re.compile(r"[A-Za-z0-9.-]{1,253}")
#: For answers that are not pages (errors): nothing may load, nothing may frame them.
ERROR_POLICY = "default-src 'none'; frame-ancestors 'none'"
NOT_FOUND = "Niet gevonden."
BAD_PATH = "Dit adres klopt niet."
#: Seconds a connection may stay silent (between or within requests); a browser reconnects when needed.
DEFAULT_TIMEOUT = 30.0
#: Connections served at once (one thread each); a page load needs a handful per visitor.
DEFAULT_MAX_CONNECTIONS = 100


def rasa_origins(rasa_url: str) -> list[str]:
    """The origins the widget talks to for ``rasa_url``: Socket.IO polls over http(s) and upgrades to ws(s).

    Only a plain http(s) URL with a host name or IP address gives origins; anything else (a typo, quotes or
    a ``;`` that would add a directive) gives none, so the widget can then reach the site itself only.
    """
    try:
        parts = urlsplit(rasa_url.strip())
        port = parts.port
    except ValueError:
        return []
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or parts.username or parts.password:
        return []
    if ":" in host:
        try:
            host = f"[{ipaddress.IPv6Address(host)}]"
        except ValueError:
            return []
    elif not HOST.fullmatch(host):
        return []
    authority = host + (f":{port}" if port is not None else "")
    socket_scheme = "wss" if parts.scheme == "https" else "ws"
    return [f"{parts.scheme}://{authority}", f"{socket_scheme}://{authority}"]


@functools.lru_cache(maxsize=8)
def page_policy(rasa_url: str) -> str:
    """The Content-Security-Policy of the demo pages.

    Scripts and styles come from this site only (widget.js, the Socket.IO client, widget.css, site.css; the
    widget sets its colour through the CSSOM, which style-src does not restrict). connect-src adds the Rasa
    server. Images: the bot may send https images. frame-ancestors: no other site may frame the pages.
    The widget's own files get no such policy: they are embedded in other sites' pages, which set their own.
    """
    origins = rasa_origins(rasa_url)
    http_origins = [origin for origin in origins if origin.startswith("http")]
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            " ".join(["img-src 'self' data: https:", *http_origins]),
            " ".join(["connect-src 'self'", *origins]),
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def url_path(target: str) -> str | None:
    """The decoded path of a request target, or None when it cannot name a file here: too long, a NUL or
    other control character, a percent escape that is not UTF-8, or a target urlsplit cannot read."""
    try:
        raw = urlsplit(target).path
        if len(raw) > MAX_PATH:
            return None
        path = unquote(raw, errors="strict")
    except (ValueError, UnicodeDecodeError):
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return None
    return path


def resolve(path: str) -> Path | None:
    """The file for a URL path, or None (also for anything outside web/public/ and for a bad path)."""
    decoded = url_path(path)
    if decoded is None:
        return None
    if decoded in VENDOR:
        return VENDOR[decoded]
    if decoded.endswith("/"):
        decoded += "index.html"
    try:
        candidate = (PUBLIC / decoded.lstrip("/")).resolve()
        if not candidate.is_relative_to(PUBLIC) or not candidate.is_file():
            return None
    except (OSError, ValueError):  # a name too long for the file system, for one
        return None
    return candidate


class Handler(BaseHTTPRequestHandler):
    server_version = "widget-demo"

    def __init__(self, *args, rasa_url: str, timeout: float = DEFAULT_TIMEOUT, **kwargs) -> None:
        self.rasa_url = rasa_url
        self.timeout = timeout  # StreamRequestHandler.setup() puts it on the socket: no thread waits forever
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        try:
            self.answer(send_body)
        except (BrokenPipeError, ConnectionResetError):  # the browser went away
            self.close_connection = True
        except Exception as error:  # last resort: one log line, a short answer, and the server lives on
            self.log_error("fout bij %r: %s: %s", self.path[:200], type(error).__name__, str(error)[:200])
            self.send(HTTPStatus.INTERNAL_SERVER_ERROR, b"Er ging iets mis.", "text/plain", send_body)

    def answer(self, send_body: bool) -> None:
        if url_path(self.path) is None:
            self.send(HTTPStatus.BAD_REQUEST, BAD_PATH.encode(), "text/plain", send_body)
            return
        file = resolve(self.path)
        if file is None:
            missing_vendor = url_path(self.path) in VENDOR
            body = (
                "socket.io-client ontbreekt: voer 'npm ci --prefix web' uit (of make install)."
                if missing_vendor
                else NOT_FOUND
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
        if content_type == "text/html":
            self.send_header("Content-Security-Policy", page_policy(self.rasa_url))
            self.send_header("X-Frame-Options", "DENY")
        elif status >= 400:
            self.send_header("Content-Security-Policy", ERROR_POLICY)
            self.send_header("X-Frame-Options", "DENY")
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

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (414 for a request line over 64 KB, 400 for a broken request, 501 for
        other methods): a short plain text with the same headers as ours, instead of its HTML page."""
        self.log_error("code %d, %s", code, message or "")
        self.close_connection = True
        try:
            status = HTTPStatus(code)
        except ValueError:
            status = HTTPStatus.BAD_REQUEST
        self.send(
            status,
            f"Dat verzoek kan niet (fout {code}).".encode(),
            "text/plain",
            send_body=self.command != "HEAD" and code >= 200 and code not in (204, 304),
        )

    def log_message(self, format: str, *args: object) -> None:
        """One line per message, at most 300 characters, control characters escaped (no forged log lines)."""
        line = (format % args)[:300].encode("unicode_escape", "backslashreplace").decode("ascii")
        super().log_message("%s", line)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log only failed requests; a page load is many files."""
        if not isinstance(code, int) or code >= 400:
            super().log_request(code, size)


class BoundedServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer with at most ``max_connections`` threads: one more connection is closed at once
    (the client sees a reset and may retry) instead of getting a thread of its own."""

    daemon_threads = True
    request_queue_size = 128  # the listen backlog (socketserver's default is 5): a burst waits, not fails

    def __init__(self, address: tuple[str, int], handler: partial, max_connections: int) -> None:
        self.slots = threading.BoundedSemaphore(max_connections)
        super().__init__(address, handler)

    def process_request(self, request: socket.socket, client_address: tuple) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:  # no thread started (out of threads): give the slot back
            self.slots.release()
            raise

    def process_request_thread(self, request: socket.socket, client_address: tuple) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


def positive(kind: type[int] | type[float]) -> Callable[[str], int | float]:
    """An argparse type: a number above 0 (a zero timeout or limit would refuse every visitor)."""

    def parse(value: str) -> int | float:
        number = kind(value)
        if not number > 0:
            raise argparse.ArgumentTypeError(f"{value!r} moet groter dan 0 zijn")
        return number

    return parse


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a demo site, like the Rasa server
    parser.add_argument("--rasa-url", default="http://localhost:5005", help="where the widget finds Rasa")
    parser.add_argument(
        "--timeout",
        type=positive(float),
        default=DEFAULT_TIMEOUT,
        help="seconds a connection may stay silent before it is closed",
    )
    parser.add_argument(
        "--max-connections",
        type=positive(int),
        default=DEFAULT_MAX_CONNECTIONS,
        help="connections served at once; a further one is closed",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = options(argv)
    if not (SOCKET_IO_DIST / "socket.io.min.js").is_file():
        print("Let op: web/node_modules ontbreekt; voer 'npm ci --prefix web' uit (of make install).")
    if not rasa_origins(args.rasa_url):
        print(f"Let op: --rasa-url {args.rasa_url!r} is geen http(s)-adres; de widget kan Rasa dan niet bereiken.")
    handler = partial(Handler, rasa_url=args.rasa_url, timeout=args.timeout)
    server = BoundedServer((args.host, args.port), handler, args.max_connections)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
