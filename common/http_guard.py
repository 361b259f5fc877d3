"""Request heads that Sanic 21.12 would take, refused with 400 before any handler runs or any body is read.

Sanic 21.12 (pinned by Rasa 3.6) reads ``Content-Length`` with ``int()``, so ``Content-Length: -1`` is accepted.
Reading the body then never ends: with ``-1`` bytes left, its loop asks for no more data and spins at 100% CPU.
One such request hung the Rasa server, the console and the action server for good (the process stays alive,
so no supervisor restarts it; fresh attack of 2026-12-05). Sanic also takes heads that a proxy in front may read
differently (request smuggling): two different lengths, a length together with ``Transfer-Encoding``, a space
before the colon, control characters in a value.

Sanic announces every request head with the signal ``http.lifecycle.read_head`` while it parses it; an exception
there becomes ``400 Bad Request`` and closes the connection without reading a body. ``attach(app_or_blueprint)``
adds ``check`` as a handler: our channels' blueprints do it for the Rasa server, ``console/app.py`` and
``reintegratie/action_server.py`` for theirs.
"""

from __future__ import annotations

import re
from typing import Any

from sanic.exceptions import InvalidUsage

READ_HEAD = "http.lifecycle.read_head"

_DIGITS = re.compile(r"[0-9]{1,18}")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # a header name (RFC 9110 token)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # in a header value; a tab is allowed


def problem(head: bytes) -> str | None:
    """What is wrong with a raw request head (request line and headers, without the blank line), or None."""
    lines = head.decode("latin-1").split("\r\n")[1:]
    lengths: set[str] = set()
    encodings: list[str] = []
    for line in lines:
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name):
            return "a header line without a proper name"
        value = value.strip(" \t")
        if _CONTROL.search(value):
            return "a control character in a header value"
        lowered = name.lower()
        if lowered == "content-length":
            lengths.add(value)
        elif lowered == "transfer-encoding":
            encodings.append(line.partition(":")[2].lstrip())  # as Sanic compares it: exactly "chunked"
    if len(lengths) > 1:
        return "two different Content-Length values"
    if lengths and not _DIGITS.fullmatch(next(iter(lengths))):
        return "a Content-Length that is not a whole number of bytes"
    if lengths and encodings:
        return "Content-Length together with Transfer-Encoding"
    if encodings and encodings != ["chunked"]:  # "Chunked" or "chunked\t" made Sanic look for a missing length
        return "a Transfer-Encoding other than chunked"
    return None


async def check(head: bytes, **_: Any) -> None:
    found = problem(head)
    if found:
        raise InvalidUsage(f"Bad Request: {found}")


def attach(app_or_blueprint: Any) -> None:
    """Run ``check`` on every request head the app (or the app a blueprint joins) reads.

    ``exclusive=False``: a blueprint's signal handler then also runs for Sanic's own dispatch, which names no
    blueprint.
    """
    app_or_blueprint.signal(READ_HEAD, exclusive=False)(check)
