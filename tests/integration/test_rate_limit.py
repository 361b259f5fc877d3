"""The rate limit in a real ``rasa run`` with ``RATE_LIMIT_PER_MINUTE=5`` (tests/support/fault_server.py, the server
shared with tests/integration/test_faults.py), over REST and over Socket.IO: a message over the limit is answered in
Dutch and never reaches the tracker store.

The limiter itself and its configuration: tests/unit/reintegratie/channels/test_rate_limit.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
import uuid

import pytest

from reintegratie.channels.rate_limit import Decision, too_many_messages
from tests.integration.conftest import RATE_LIMIT as LIMIT
from tests.support.fault_server import FaultServer, widget_session


@pytest.fixture
def server(dead_action_server: FaultServer) -> FaultServer:
    """Shared with tests/integration/test_faults.py (tests/integration/conftest.py); each test has its own sender."""
    return dead_action_server


def stored_texts(server: FaultServer) -> str:
    with sqlite3.connect(server.tracker_db) as db:
        return "\n".join(row[0] for row in db.execute("SELECT data FROM events"))


def test_rest_over_the_limit_is_429_and_not_processed(server: FaultServer) -> None:
    sender = f"rl-rest-{uuid.uuid4().hex[:8]}"
    for n in range(LIMIT):
        answer = server.rest(sender, "hallo")
        assert answer.status_code == 200, n
        assert "digitale assistent" in answer.json()[0]["text"]
    secret = f"bericht-{uuid.uuid4().hex}"
    refused = server.rest(sender, secret)
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert refused.json() == [{"recipient_id": sender, "text": too_many_messages(Decision(False, retry_after))}]
    assert server.rest(f"rl-rest-{uuid.uuid4().hex[:8]}", "hallo").status_code == 200, "other senders go on"
    assert secret not in stored_texts(server), "the refused message must not reach the tracker"
    log = server.log.read_text()
    assert "Rate limit: 5 messages per sender per minute, counted per process" in log
    assert "Rate limit: message from sender #" in log and " on rest dropped" in log
    assert secret not in log and sender not in log


async def test_socketio_over_the_limit_gets_the_answer_as_bot_uttered(server: FaultServer) -> None:
    async with widget_session(server.url) as (send, answers):
        for _ in range(LIMIT):
            await send("hallo")
            greeting = await asyncio.wait_for(answers.get(), 60)
            assert "digitale assistent" in greeting["text"]
        secret = f"bericht-{uuid.uuid4().hex}"
        await send(secret)
        refused = await asyncio.wait_for(answers.get(), 30)
        assert refused["text"].startswith("Je stuurt veel berichten snel na elkaar. Wacht ")
        await asyncio.sleep(2)
        assert answers.empty(), "nothing else answers the refused message"
    assert secret not in stored_texts(server)
    assert " on socketio dropped" in server.log.read_text()
