"""Security review 2026-12 (../shared/reviews/security-review-2026-12.md): our REST channel
(reintegratie/channels/rest.py) in a Sanic app of its own, in this process, so each request can come from another
client address:

- M1  ``input_channel`` and ``metadata`` come from the server, not from the body;
- M6  the rate limit was per sender only: rotating senders from one address hit the per-client limit;
- N3  (fresh attack) a text/plain POST from another website needs no preflight: it is refused by origin;
- the optional ``REST_CHANNEL_TOKEN``, and ``?stream=true`` refused in Dutch.

The same channel in the running stack: tests/integration/security/test_channels.py.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

from common.conversation_ids import client_id
from reintegratie.channels.inbound import Gate
from reintegratie.channels.rate_limit import MemoryLimiter
from reintegratie.channels.rest import RestChannel
from tests.support.asgi import asgi_client


@contextlib.asynccontextmanager
async def rest_app(gate: Gate | None = None) -> AsyncIterator[tuple[Callable[..., Awaitable[httpx.Response]], list]]:
    """Our REST channel in a real Sanic app (ASGI, in this process); ``post(body, address=...)`` and the messages."""
    received: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)
        await message.output_channel.send_text_message(message.sender_id, "ok")

    app = Sanic(f"rest_{uuid.uuid4().hex[:8]}")
    channel = RestChannel(gate or Gate(MemoryLimiter(100), MemoryLimiter(100)))
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/rest")
    async with asgi_client(app) as _:
        pass  # started once, so the routes are finalised

    async def post(
        body: object, address: str = "10.0.0.1", headers: dict | None = None, path: str = "/webhooks/rest/webhook"
    ) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://rasa.test") as http:
            return await http.post(path, json=body, headers=headers or {})

    yield post, received


async def test_m6_rotating_senders_do_not_get_around_the_client_limit() -> None:
    async with rest_app(Gate(MemoryLimiter(100), MemoryLimiter(4))) as (post, received):
        statuses = [(await post({"sender": uuid.uuid4().hex, "message": "hallo"})).status_code for _ in range(6)]
        assert statuses == [200] * 4 + [429] * 2
        refused = await post({"sender": uuid.uuid4().hex, "message": "hallo"})
        assert int(refused.headers["Retry-After"]) >= 1 and "Wacht" in refused.json()[0]["text"]
        assert (await post({"sender": uuid.uuid4().hex, "message": "hallo"}, address="10.0.0.2")).status_code == 200
        assert len(received) == 5


async def test_metadata_names_the_client_by_a_keyed_hash_of_its_address() -> None:
    async with rest_app() as (post, received):
        await post({"sender": "a", "message": "hallo", "metadata": {"client": "vals", "x": 1}}, address="10.1.2.3")
        await post({"sender": "a", "message": "hallo", "input_channel": "socketio"}, address="10.1.2.4")
    assert [m.metadata for m in received] == [{"client": client_id("10.1.2.3")}, {"client": client_id("10.1.2.4")}]
    assert {m.input_channel for m in received} == {"rest"}


async def test_with_a_rest_channel_token_only_systems_with_it_get_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REST_CHANNEL_TOKEN", "sleutel-voor-de-helpdesk")
    async with rest_app() as (post, received):
        assert (await post({"sender": "a", "message": "hallo"})).status_code == 401
        wrong = await post({"sender": "a", "message": "hallo"}, headers={"Authorization": "Bearer fout"})
        assert wrong.status_code == 401 and "sleutel" in wrong.json()[0]["text"]
        right = await post(
            {"sender": "a", "message": "hallo"}, headers={"Authorization": "Bearer sleutel-voor-de-helpdesk"}
        )
        assert right.status_code == 200
    assert len(received) == 1


async def test_n3_another_website_cannot_chat_from_its_visitors_browsers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fresh attack N3: a text/plain POST from any web page needs no preflight, so CORS alone did not stop it."""
    monkeypatch.setenv("CORS_ORIGINS", "https://www.gemeente.example http://localhost:8080")
    body = {"sender": "a", "message": "/request_human"}
    async with rest_app() as (post, received):
        evil = await post(body, headers={"Origin": "https://evil.example", "Content-Type": "text/plain"})
        assert evil.status_code == 403 and "website" in evil.json()[0]["text"]
        assert received == []
        assert (await post(body, headers={"Origin": "https://www.gemeente.example"})).status_code == 200
        assert (await post(body)).status_code == 200, "no Origin: not a web page (curl, a helpdesk system)"
    assert len(received) == 2


async def test_a_streamed_request_is_refused_in_dutch() -> None:
    """Helper G's fuzzing: with ?stream=true a failing turn never ended Rasa's streamed answer (the request hung)."""
    async with rest_app() as (post, received):
        answer = await post({"sender": "a", "message": "hallo"}, path="/webhooks/rest/webhook?stream=true")
        assert answer.status_code == 400 and "stream" in answer.json()[0]["text"]
    assert received == []
