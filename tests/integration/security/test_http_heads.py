"""Fresh attack of 2026-12-05, N1 and N10: malformed request heads against every Sanic server of the stack.

``Content-Length: -1`` made Sanic 21.12 spin at 100% CPU for good: the Rasa server, the console and the action
server stopped answering anyone, and no supervisor noticed (the process stayed alive). Heads that a proxy may
read differently (two lengths, a length with ``Transfer-Encoding``, a space before the colon, NUL in a value)
were accepted. Each must now get ``400`` at once, and the server must go on answering (common/http_guard.py).
"""
from __future__ import annotations

import socket

import pytest
import requests

from common.http_guard import problem
from tests.conftest import STACK_PORTS

MALFORMED = {
    "negative length": b"Content-Length: -1",
    "two lengths": b"Content-Length: 2\r\nContent-Length: 3",
    "length and chunked": b"Content-Length: 2\r\nTransfer-Encoding: chunked",
    "space before the colon": b"Transfer-Encoding : chunked",
    "NUL in a value": b"X-Test: a\x00b\r\nContent-Length: 2",
    "plus sign": b"Content-Length: +2",
    "unknown encoding": b"Transfer-Encoding: gzip, chunked",
    "capital Chunked": b"Transfer-Encoding: Chunked",
    "chunked and a tab": b"Transfer-Encoding: chunked\t",
}
#: server -> (a POST path, a GET path that answers 200)
SERVERS = {
    "rasa": ("/webhooks/rest/webhook", "/"),
    "actions": ("/webhook", "/health"),
    "console": ("/login", "/health"),
}


def raw_answer(port: int, head: bytes) -> bytes:
    """The first bytes the server answers to ``head`` plus a 2-byte body (b"" when it does not answer in 10 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(head + b"\r\n\r\n{}")
        try:
            return connection.recv(64)
        except TimeoutError:
            return b""


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_check_refuses_the_malformed_heads(header: bytes) -> None:
    assert problem(b"POST / HTTP/1.1\r\nHost: x\r\n" + header)


@pytest.mark.parametrize(
    "header",
    [b"Content-Length: 2", b"Transfer-Encoding: chunked", b"content-length:2", b"X-Long: " + b"a" * 4000,
     b"User-Agent: Mozilla/5.0 (X11; Linux x86_64)\tAppleWebKit"],
)
def test_the_check_lets_ordinary_heads_through(header: bytes) -> None:
    assert problem(b"POST / HTTP/1.1\r\nHost: x\r\n" + header) is None


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_every_server_refuses_a_malformed_head_and_keeps_answering(stack: dict, server: str, header: bytes) -> None:
    post, health = SERVERS[server]
    port = STACK_PORTS[server]
    answer = raw_answer(port, b"POST " + post.encode() + b" HTTP/1.1\r\nHost: localhost\r\n" + header)
    # 400; the action server answers 401: Sanic runs request middleware (its token check) for an error answer too,
    # with an empty request. Either way the head is refused at once and no body is read.
    assert answer.startswith(b"HTTP/1.1 401" if server == "actions" else b"HTTP/1.1 400"), answer
    assert requests.get(f"http://localhost:{port}{health}", timeout=10).status_code == 200
