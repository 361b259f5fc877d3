"""Security review 2026-12 (../shared/reviews/security-review-2026-12.md): the chat channels.

One test per finding, each an attack as the review made it, against the running stack (``stack``). The rules
without a server are unit tests: tests/unit/common/test_conversation_ids.py (sender and conversation ids),
tests/unit/reintegratie/channels/test_inbound.py (payloads, surrogates) and
tests/unit/reintegratie/channels/test_rest.py (our REST channel in a Sanic app of its own: client addresses, the
per-client limit, the token, other websites).

- C1  a lone surrogate in the REST ``sender`` stopped the whole stack;
- H1  a socket could join another conversation (``session_request`` with its id) and write into it;
- M1  a REST client could write into a widget conversation, divert the consultant's replies, spoof
      ``input_channel``;
- M6  the rate limit was per sender only, and a 5 MB message was stored;
- L1  sender ids with personal data were stored as they were;
- L4  without ``sender`` every client shared the conversation ``default``;
- L6  Socket.IO accepted every origin.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
import requests
import socketio

from common.conversation_ids import client_id, socket_conversation_id
from console.rasa_api import reply_events
from tests.conftest import ALLOWED_ORIGIN, TOKEN
from tests.support import sockets

# ---------- REST, against the running stack ----------


def rest_raw(stack: dict, body: str, content_type: str = "application/json") -> requests.Response:
    return requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook",
        data=body.encode(),
        headers={"Content-Type": content_type},
        timeout=60,
    )


def alive(stack: dict) -> bool:
    answer = requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook",
        json={"sender": uuid.uuid4().hex, "message": "hallo"},
        timeout=60,
    )
    return answer.status_code == 200 and any("computerprogramma" in m.get("text", "") for m in answer.json())


def tracker(stack: dict, conversation_id: str) -> dict:
    answer = requests.get(
        f"{stack['urls']['rasa']}/conversations/{conversation_id}/tracker", params={"token": TOKEN}, timeout=30
    )
    answer.raise_for_status()
    return answer.json()


@pytest.mark.parametrize(
    "sender_json",
    [
        r'"x\udfff"',
        r'"\udfff"',
        r'"a\u0000b"',
        '"' + "a" * 100_000 + '"',
        '{"a": [1]}',
        "true",
        "1e309",
        '"jan@example.nl"',
        '"111222333"',
    ],
)
def test_c1_a_sender_that_does_not_fit_gets_400_and_the_stack_stays_up(stack: dict, sender_json: str) -> None:
    answer = rest_raw(stack, f'{{"sender": {sender_json}, "message": "hallo"}}')
    assert answer.status_code == 400
    assert "gespreksnummer" in answer.json()[0]["text"]
    assert alive(stack)


def test_c1_a_lone_surrogate_in_the_message_is_answered(stack: dict) -> None:
    sender = uuid.uuid4().hex
    answer = rest_raw(stack, f'{{"sender": "{sender}", "message": "hallo \\udfff"}}')
    assert answer.status_code == 200 and answer.json(), answer.text
    assert any(e.get("text") == "hallo \ufffd" for e in tracker(stack, sender)["events"] if e["event"] == "user")


def test_l4_without_a_sender_nothing_is_shared(stack: dict) -> None:
    answer = rest_raw(stack, '{"message": "ik heb een bedrijf"}')
    assert answer.status_code == 400
    assert "sender" in answer.json()[0]["text"]
    events = tracker(stack, "default")["events"]
    assert not [e for e in events if e["event"] == "user"]


def test_m1_input_channel_and_metadata_come_from_the_server(stack: dict) -> None:
    sender = uuid.uuid4().hex
    body = {"sender": sender, "message": "hallo", "input_channel": "socketio", "metadata": {"client": "vals"}}
    assert requests.post(f"{stack['urls']['rasa']}/webhooks/rest/webhook", json=body, timeout=60).ok
    state = tracker(stack, sender)
    assert state["latest_input_channel"] == "rest"
    user = [e for e in state["events"] if e["event"] == "user"][-1]
    assert user["metadata"]["client"] == client_id("127.0.0.1")


def test_m6_a_message_over_the_cap_is_refused_in_dutch_and_not_stored(stack: dict) -> None:
    sender = uuid.uuid4().hex
    answer = requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook",
        json={"sender": sender, "message": "a" * 100_000},
        timeout=60,
    )
    assert answer.status_code == 413
    assert "te lang" in answer.json()[0]["text"] and "1000 tekens" in answer.json()[0]["text"]
    huge = requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook",
        json={"sender": sender, "message": "a" * 5_000_000},
        timeout=60,
    )
    assert huge.status_code == 413, "a body over the server's limit is not even read"
    assert not [e for e in tracker(stack, sender)["events"] if e["event"] == "user"]
    exactly = requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook",
        json={"sender": sender, "message": "a" * 1000},
        timeout=60,
    )
    assert exactly.status_code == 200


# ---------- Socket.IO, against the running stack ----------


@dataclass
class Socket:
    client: socketio.AsyncClient
    confirmed: asyncio.Queue = field(default_factory=asyncio.Queue)
    answers: asyncio.Queue = field(default_factory=asyncio.Queue)

    async def request_session(self, session_id: object) -> str:
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 20)

    async def say(self, text: str, session_id: object) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": session_id})

    async def texts(self, seconds: float) -> list[str]:
        """The bot texts that arrive until none came for ``seconds`` (for "nothing arrives": wait the whole time)."""
        found: list[str] = []
        try:
            while True:
                found.append((await asyncio.wait_for(self.answers.get(), seconds)).get("text", ""))
        except asyncio.TimeoutError:
            return found

    async def texts_until(self, word: str, seconds: float, quiet: float = 1.0) -> list[str]:
        """The bot texts until one holds ``word`` (at most ``seconds``), then those that follow within ``quiet``."""
        found: list[str] = []
        try:
            while not any(word in text for text in found):
                found.append((await asyncio.wait_for(self.answers.get(), seconds)).get("text", ""))
        except asyncio.TimeoutError:
            return found
        return found + await self.texts(quiet)


@asynccontextmanager
async def socket(url: str, origin: str = ALLOWED_ORIGIN) -> AsyncIterator[Socket]:
    client = socketio.AsyncClient()
    connection = Socket(client)
    client.on("session_confirm", lambda data: connection.confirmed.put_nowait(data))
    client.on("bot_uttered", lambda data: connection.answers.put_nowait(data))
    # polling: engineio 4.15 needs a newer aiohttp than Rasa pins for its WebSocket client
    await client.connect(url, socketio_path="/socket.io", transports=["polling"], headers={"Origin": origin})
    try:
        yield connection
    finally:
        await sockets.close(client)


def consultant_says(stack: dict, conversation_id: str, text: str) -> None:
    """What the console does (console/rasa_api.py RasaClient.append_events)."""
    requests.post(
        f"{stack['urls']['rasa']}/conversations/{conversation_id}/tracker/events",
        params={"token": TOKEN, "execute_side_effects": "true", "output_channel": "socketio", "include_events": "NONE"},
        json=reply_events("Els", text),
        timeout=30,
    ).raise_for_status()


async def test_h1_another_socket_can_neither_join_nor_write_into_a_conversation(stack: dict) -> None:
    url = stack["urls"]["rasa"]
    async with socket(url) as victim, socket(url) as attacker:
        session_id = await victim.request_session(uuid.uuid4().hex)
        conversation_id = socket_conversation_id(session_id)
        await victim.say("hallo", session_id)
        assert any("computerprogramma" in t for t in await victim.texts_until("computerprogramma", 20))

        # What the review did: session_request with the id the console and every webhook show ...
        assert await attacker.request_session(conversation_id) != conversation_id
        # ... and with its hex part, which has the shape of a session id.
        hex_part = conversation_id.split(":", 1)[1]
        assert socket_conversation_id(await attacker.request_session(hex_part)) != conversation_id
        consultant_says(stack, conversation_id, "Alleen voor de gebruiker")
        assert "Alleen voor de gebruiker" in await victim.texts_until("Alleen voor de gebruiker", 10)
        assert "Alleen voor de gebruiker" not in await attacker.texts(3)

        # user_uttered naming the victim's session (the attacker's socket asked for another one) is ignored.
        before = len(tracker(stack, conversation_id)["events"])
        await attacker.say("ik heb een bedrijf", session_id)
        await attacker.say("ik heb een bedrijf", conversation_id)
        assert await victim.texts(5) == []
        assert len(tracker(stack, conversation_id)["events"]) == before


async def test_h1_a_socket_without_session_request_cannot_write(stack: dict) -> None:
    url = stack["urls"]["rasa"]
    async with socket(url) as victim, socket(url) as attacker:
        session_id = await victim.request_session(uuid.uuid4().hex)
        await attacker.say("hallo", session_id)
        assert await victim.texts(5) == []
        assert await attacker.texts(1) == []


async def test_m1_rest_cannot_write_into_a_widget_conversation_and_replies_still_arrive(stack: dict) -> None:
    url = stack["urls"]["rasa"]
    async with socket(url) as victim:
        session_id = await victim.request_session(uuid.uuid4().hex)
        conversation_id = socket_conversation_id(session_id)
        await victim.say("hallo", session_id)
        await victim.texts_until("computerprogramma", 15)
        for sender in (conversation_id, session_id):
            answer = requests.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "hallo?"}, timeout=60
            )
            assert answer.status_code in (200, 400)  # the session id is a valid REST name, of another conversation
        assert tracker(stack, conversation_id)["latest_input_channel"] == "socketio"
        consultant_says(stack, conversation_id, "Hier is Els")
        assert "Hier is Els" in await victim.texts_until("Hier is Els", 10)


async def test_l6_socketio_refuses_origins_outside_the_allowlist(stack: dict) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        async with socket(stack["urls"]["rasa"], origin="https://evil.example"):
            pass
    websocket = requests.get(
        f"{stack['urls']['rasa']}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert websocket.status_code == 400
    allowed = requests.get(
        f"{stack['urls']['rasa']}/socket.io/",
        params={"EIO": "4", "transport": "polling"},
        headers={"Origin": ALLOWED_ORIGIN},
        timeout=10,
    )
    assert allowed.status_code == 200
    # once: a browser refuses a response with the header twice (engine.io's and Sanic's CORS)
    assert allowed.raw.headers.getlist("Access-Control-Allow-Origin") == [ALLOWED_ORIGIN]
    async with socket(stack["urls"]["rasa"]) as allowed:
        assert await allowed.request_session(None)


async def test_m6_a_long_socket_message_gets_the_reason(stack: dict) -> None:
    async with socket(stack["urls"]["rasa"]) as user:
        session_id = await user.request_session(uuid.uuid4().hex)
        await user.say("a" * 1001, session_id)
        assert any("te lang" in t for t in await user.texts_until("te lang", 10))
        assert not [e for e in tracker(stack, socket_conversation_id(session_id))["events"] if e["event"] == "user"]
