"""A Sanic app served in this process over ASGI: no port, no server process.

Importing this module sets ``Sanic.test_mode``: several apps are started in one process, and outside test mode
Sanic's start-up rewrites its protocol classes again for each (the second app then fails with a ``KeyError``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
from sanic import Sanic

Sanic.test_mode = True


@contextlib.asynccontextmanager
async def asgi_client(app: Sanic, base_url: str = "http://app.test") -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for ``app`` in this process, after Sanic's ASGI startup."""
    lifespan: asyncio.Queue = asyncio.Queue()
    started = asyncio.Event()

    async def send(message: dict) -> None:
        started.set()

    await lifespan.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, lifespan.get, send))
    await asyncio.wait_for(started.wait(), 10)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    try:
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
            yield http
    finally:
        task.cancel()  # no shutdown listeners to run (and Sanic 21.12 trips over a lifespan shutdown)
        with contextlib.suppress(asyncio.CancelledError):
            await task
