"""Faults: when the action server is down the user gets one polite Dutch message, never silence.

A separate ``rasa run`` (tests/support/fault_server.py) with the project's credentials.yml and the action endpoint
on a closed port, over REST and over Socket.IO; tests/integration/test_rate_limit.py uses the same server
(``dead_action_server``, tests/integration/conftest.py), each test with its own sender. The same in one process,
with Rasa's real processor: tests/unit/reintegratie/channels/test_action_fallback.py.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from reintegratie.channels.action_fallback import SORRY
from tests.support.fault_server import FaultServer, widget_session


@pytest.fixture
def server(dead_action_server: FaultServer) -> FaultServer:
    return dead_action_server


def test_rest_kennisbank_question_gets_the_sorry_message(server: FaultServer) -> None:
    answer = server.rest(f"faults-{uuid.uuid4().hex[:8]}", "wat is een jobcoach?")
    assert answer.status_code == 200
    assert [m.get("text") for m in answer.json()] == [SORRY]
    log = server.log.read_text()
    assert "Encountered an exception while running action 'action_kennisbank_antwoord'" in log
    assert "Turn on channel rest failed" in log


def test_rest_answer_without_the_action_server_has_no_sorry_message(server: FaultServer) -> None:
    answer = server.rest(f"faults-{uuid.uuid4().hex[:8]}", "hallo")
    assert answer.status_code == 200
    texts = [m.get("text") for m in answer.json()]
    assert texts and SORRY not in texts and "digitale assistent" in texts[0]


async def socketio_answers(url: str, text: str, quiet: float = 3.0) -> list[dict]:
    """Send ``text`` over the widget's Socket.IO channel; every bot_uttered until ``quiet`` s without one."""
    async with widget_session(url) as (send, answers):
        await send(text)
        collected = [await asyncio.wait_for(answers.get(), 60)]
        while True:
            try:
                collected.append(await asyncio.wait_for(answers.get(), quiet))
            except asyncio.TimeoutError:
                return collected


async def test_socketio_kennisbank_question_gets_the_sorry_message(server: FaultServer) -> None:
    answers = await socketio_answers(server.url, "wat is een jobcoach?")
    assert [a.get("text") for a in answers] == [SORRY]
