"""Faults: when the action server is down the user gets one polite Dutch message, never silence.

Rasa's real ``MessageProcessor._run_action`` runs a ``RemoteAction`` against a closed port inside
``action_fallback.with_fallback`` (reintegratie/channels/action_fallback.py), in this process. A real ``rasa run``
whose action server is down, over REST and Socket.IO: tests/integration/test_faults.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from rasa.core.actions.action import Action, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from reintegratie.channels.action_fallback import SORRY, OnNewMessage, with_fallback
from tests.support.fault_server import closed_port

DOMAIN = Domain.from_dict({"actions": ["action_kennisbank_antwoord", "action_works"]})


class Works(Action):
    def name(self) -> str:
        return "action_works"

    async def run(self, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> list[Event]:
        return [BotUttered("Een jobcoach helpt je op het werk.")]


def remote_action_without_server() -> RemoteAction:
    return RemoteAction("action_kennisbank_antwoord", EndpointConfig(f"http://127.0.0.1:{closed_port()}/webhook"))


def processor() -> MessageProcessor:
    """Rasa's processor without a model: ``_run_action`` needs only the domain."""
    bare = MessageProcessor.__new__(MessageProcessor)
    bare.domain = DOMAIN
    return bare


def turn_running(*actions: Action, tracker: DialogueStateTracker) -> OnNewMessage:
    """Stands in for Rasa's ``on_new_message``: one turn in which the processor runs ``actions``."""
    rasa = processor()
    nlg = TemplatedNaturalLanguageGenerator({})

    async def on_new_message(message: UserMessage) -> None:
        tracker.update(UserUttered(message.text))
        for action in actions:
            await rasa._run_action(action, tracker, message.output_channel, nlg, PolicyPrediction([1.0], "test"))

    return on_new_message


def message(collector: CollectingOutputChannel, sender: str = "s1") -> UserMessage:
    return UserMessage("wat is een jobcoach?", collector, sender, input_channel="rest")


async def test_unreachable_action_server_gives_the_sorry_message_and_keeps_rasas_record(caplog) -> None:
    tracker = DialogueStateTracker("s1", slots=[])
    collector = CollectingOutputChannel()
    with caplog.at_level(logging.ERROR, logger="rasa.core.processor"):
        await with_fallback(turn_running(remote_action_without_server(), tracker=tracker))(message(collector))
    assert [m["text"] for m in collector.messages] == [SORRY]
    # Rasa's own behaviour is unchanged: the failure is logged, the action is on the tracker, no bot event.
    assert "Encountered an exception while running action 'action_kennisbank_antwoord'" in caplog.text
    assert [e.action_name for e in tracker.events if isinstance(e, ActionExecuted)] == ["action_kennisbank_antwoord"]
    assert not [e for e in tracker.events if isinstance(e, BotUttered)]


async def test_one_message_per_failed_turn_however_many_actions_fail() -> None:
    tracker = DialogueStateTracker("s1", slots=[])
    collector = CollectingOutputChannel()
    two_failures = turn_running(remote_action_without_server(), remote_action_without_server(), tracker=tracker)
    handle = with_fallback(two_failures)
    await handle(message(collector))
    assert [m["text"] for m in collector.messages] == [SORRY]
    await handle(message(collector))  # the next failed turn gets its own message
    assert [m["text"] for m in collector.messages] == [SORRY, SORRY]


async def test_a_turn_that_works_gets_no_extra_message() -> None:
    collector = CollectingOutputChannel()
    await with_fallback(turn_running(Works(), tracker=DialogueStateTracker("s1", slots=[])))(message(collector))
    assert [m["text"] for m in collector.messages] == ["Een jobcoach helpt je op het werk."]


async def test_concurrent_turns_do_not_mix() -> None:
    broken, working = CollectingOutputChannel(), CollectingOutputChannel()
    slow_failure = turn_running(remote_action_without_server(), tracker=DialogueStateTracker("a", slots=[]))

    async def broken_turn(msg: UserMessage) -> None:
        await asyncio.sleep(0.05)  # the other turn runs meanwhile
        await slow_failure(msg)

    await asyncio.gather(
        with_fallback(broken_turn)(message(broken, "a")),
        with_fallback(turn_running(Works(), tracker=DialogueStateTracker("b", slots=[])))(message(working, "b")),
    )
    assert [m["text"] for m in broken.messages] == [SORRY]
    assert [m["text"] for m in working.messages] == ["Een jobcoach helpt je op het werk."]


async def test_a_failure_outside_a_chat_turn_sends_nothing() -> None:
    """The HTTP API (/conversations/.../execute, the console) runs actions without a channel wrapper."""
    with_fallback(turn_running(tracker=DialogueStateTracker("x", slots=[])))  # installs the filter
    collector = CollectingOutputChannel()
    await turn_running(remote_action_without_server(), tracker=DialogueStateTracker("s1", slots=[]))(message(collector))
    assert collector.messages == []


async def test_an_error_while_handling_the_message_gets_the_message_and_is_raised_again() -> None:
    async def tracker_store_down(msg: UserMessage) -> None:
        raise ConnectionError("tracker store down")

    collector = CollectingOutputChannel()
    with pytest.raises(ConnectionError):
        await with_fallback(tracker_store_down)(message(collector))
    assert [m["text"] for m in collector.messages] == [SORRY]
