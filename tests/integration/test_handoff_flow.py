"""The handoff through the running stack: consent in the chat, a stored request, a webhook notification.

The console side (claim, reply, close, the bot silent meanwhile) is in tests/integration/test_console.py.
"""

from __future__ import annotations

import time

import pytest
import requests

from handoff.service import HandoffService

pytestmark = pytest.mark.integration


def say(stack: dict, sender: str, message: str) -> str:
    response = requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
    )
    response.raise_for_status()
    return "\n".join(reply.get("text") or "" for reply in response.json())


def test_request_with_consent_is_stored_and_posted_to_the_webhook(stack: dict) -> None:
    offer = say(stack, "h-1", "ik wil graag met een echt mens praten")
    assert "Ik kan je vraag doorgeven aan een medewerker" in offer and "Wil je dat?" in offer
    assert HandoffService(stack["env"]["HANDOFF_DATABASE_URL"]).active_for("h-1") is None  # nothing before consent
    assert "Je vraag staat klaar voor een medewerker" in say(stack, "h-1", "ja graag")
    record = HandoffService(stack["env"]["HANDOFF_DATABASE_URL"]).active_for("h-1")
    assert record is not None and record.status == "open" and record.reason == "op verzoek"
    deadline = time.monotonic() + 30
    while not [r for r in stack["webhook"].received if r["json"]["conversation_id"] == "h-1"]:
        assert time.monotonic() < deadline, "the webhook never got the request"
        time.sleep(0.5)
    [delivery] = [r for r in stack["webhook"].received if r["json"]["conversation_id"] == "h-1"]
    assert delivery["json"]["id"] == record.id and delivery["json"]["type"] == "handoff.requested"
    assert "Je vraag staat al klaar" in say(stack, "h-1", "ik wil een medewerker spreken")


def test_declined_request_stores_nothing_and_the_bot_goes_on(stack: dict) -> None:
    say(stack, "h-2", "kan ik iemand spreken")
    assert "Goed, dan help ik je verder" in say(stack, "h-2", "nee hoor")
    assert HandoffService(stack["env"]["HANDOFF_DATABASE_URL"]).active_for("h-2") is None
    assert "Bron: " in say(stack, "h-2", "wat doet een jobcoach")
