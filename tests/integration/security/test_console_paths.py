"""An attack on the console (unauthenticated): ``GET /static/%00`` gave 500 with a ``ValueError: embedded null
byte`` traceback, ``GET /static/<5000 x a>`` 500 (file name too long); logged in, ``/verzoeken/<id>`` with an id
beyond the database's integer gave 500 (OverflowError). Bad paths must give 400 or 404, without a traceback.

The console runs as a process (``python -m console``) on a free port; the probes go over a raw socket, so the
bytes of the path reach the server exactly as an attacker sends them (an HTTP client would normalise them).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.support.console_server import console_server
from tests.unit.console.test_app import PASSWORD, csrf_of


@dataclass
class Console:
    port: int
    log: Path
    cookie: str  # a logged-in session
    csrf: str

    def get(self, path: bytes, cookie: str | None = None, method: str = "GET", body: bytes = b"") -> tuple[int, bytes]:
        """Status and body of one request with this exact path, over a new connection."""
        request = f"{method} ".encode() + path + b" HTTP/1.1\r\nHost: console.test\r\nConnection: close\r\n"
        if cookie:
            request += f"Cookie: {cookie}\r\n".encode()
        if method == "POST":
            request += b"Content-Type: application/x-www-form-urlencoded\r\n"
            request += f"Content-Length: {len(body)}\r\n".encode()
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(request + b"\r\n" + body)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
        head, _, content = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 "), f"no HTTP answer for {path[:80]!r}: {answer[:200]!r}"
        return int(head.split()[1]), content


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    with console_server(tmp_path_factory.mktemp("console")) as server, httpx.Client(base_url=server.url) as browser:
        page = browser.get("/login")
        browser.post("/login", data={"csrf": csrf_of(page.text), "naam": "medewerker", "wachtwoord": PASSWORD})
        queue = browser.get("/")
        assert queue.status_code == 200, queue.text
        cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        yield Console(server.port, server.log, cookie, csrf_of(queue.text))
        assert server.process.poll() is None, "the console stopped:\n" + server.log.read_text()


BAD_STATIC = [
    b"/static/%00",
    b"/static/a%00b.css",
    b"/static/console.css%00.png",
    b"/static/" + b"a" * 5000,
    b"/static/" + b"a" * 300,
    b"/static/%ff",
    b"/static/%c0%ae%c0%ae/app.py",
    b"/static/%0a",
    b"/static/%1b[31m",
    b"/static/..%2fapp.py",
    b"/static/..%2f..%2fREADME.md",
    b"/static/%2e%2e/app.py",
    b"/static/../app.py",
    b"/static/.%2e/settings.py",
    b"/static/%2fetc%2fpasswd",
    b"/static/",
    b"/static/nope.css",
]


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
@pytest.mark.parametrize("path", BAD_STATIC, ids=lambda path: repr(path[:30]))
def test_a_bad_static_path_is_400_or_404(console: Console, path: bytes, logged_in: bool) -> None:
    status, body = console.get(path, console.cookie if logged_in else None)
    assert status in (400, 404), (path[:80], status, body[:300])
    assert b"create_app" not in body and b"root:" not in body


def test_the_static_files_are_still_served(console: Console) -> None:
    for name in ("console.css", "console.js"):
        status, body = console.get(f"/static/{name}".encode())
        assert status == 200
        assert body == (ROOT / "console" / "static" / name).read_bytes()
    with httpx.Client() as client:
        response = client.get(f"http://127.0.0.1:{console.port}/static/console.css")
        assert response.headers["content-type"].startswith("text/css")
        assert response.headers["x-content-type-options"] == "nosniff"


ODD_IDS = [b"9223372036854775808", b"2147483648", b"1" + b"0" * 30, b"-1", b"0", b"%00", b"1%00", b"%ff", b"a" * 5000]


@pytest.mark.parametrize("request_id", ODD_IDS, ids=lambda request_id: repr(request_id[:20]))
def test_an_odd_request_id_is_404(console: Console, request_id: bytes) -> None:
    for suffix in (b"", b"/gesprek"):
        status, body = console.get(b"/verzoeken/" + request_id + suffix, console.cookie)
        assert status in (400, 404), (request_id[:40], suffix, status, body[:300])
    # A POST to a path no route matches gets 403: Sanic reads no body for it, so the CSRF check finds no token.
    refused = (400, 404) if request_id.lstrip(b"-").isdigit() else (400, 403, 404)
    for action in (b"claimen", b"sluiten", b"antwoord"):
        form = f"csrf={console.csrf}&tekst=hallo".encode()
        status, body = console.get(b"/verzoeken/" + request_id + b"/" + action, console.cookie, "POST", form)
        assert status in refused, (request_id[:40], action, status, body[:300])


@pytest.mark.parametrize("path", [b"/%00", b"/" + b"a" * 5000, b"/%ff", b"/?status=%00", b"/inzichten?x=%ff"])
def test_other_odd_paths_do_not_fail(console: Console, path: bytes) -> None:
    for cookie in (None, console.cookie):
        status, _ = console.get(path, cookie)
        assert status < 500, (path[:80], status)
