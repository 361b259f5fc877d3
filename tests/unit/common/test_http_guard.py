"""Fresh attack of 2026-12-05, N1 and N10: the check common/http_guard.py makes of a request head, without a server.

``Content-Length: -1`` made Sanic 21.12 spin at 100% CPU for good, and heads that a proxy may read differently (two
lengths, a length with ``Transfer-Encoding``, a space before the colon, NUL in a value) were accepted. Every
server of the stack refusing them: tests/integration/security/test_http_heads.py (which uses ``MALFORMED``).
"""

from __future__ import annotations

import pytest

from common.http_guard import problem

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


@pytest.mark.parametrize("header", MALFORMED.values(), ids=MALFORMED.keys())
def test_the_check_refuses_the_malformed_heads(header: bytes) -> None:
    assert problem(b"POST / HTTP/1.1\r\nHost: x\r\n" + header)


@pytest.mark.parametrize(
    "header",
    [
        b"Content-Length: 2",
        b"Transfer-Encoding: chunked",
        b"content-length:2",
        b"X-Long: " + b"a" * 4000,
        b"User-Agent: Mozilla/5.0 (X11; Linux x86_64)\tAppleWebKit",
    ],
)
def test_the_check_lets_ordinary_heads_through(header: bytes) -> None:
    assert problem(b"POST / HTTP/1.1\r\nHost: x\r\n" + header) is None
