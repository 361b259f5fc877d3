"""Fresh attack of 2026-12-05, N1 and N10: malformed request heads against every Sanic server of the stack.

``Content-Length: -1`` made Sanic 21.12 spin at 100% CPU for good: the Rasa server, the console and the action
server stopped answering anyone, and no supervisor noticed (the process stayed alive). Heads that a proxy may
read differently (two lengths, a length with ``Transfer-Encoding``, a space before the colon, NUL in a value)
were accepted. Each must now get ``400`` at once, and the server must go on answering (common/http_guard.py).
The check itself, without a server: tests/unit/common/test_http_guard.py.
"""

from __future__ import annotations

import socket

import pytest
import requests

from tests.conftest import STACK_PORTS
from tests.unit.common.test_http_guard import MALFORMED

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
