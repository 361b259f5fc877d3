"""Review M4 and M6 (handoff queue spam): what a user controls never becomes chat markup, contact details stay
out of the webhook unless configured, and one client cannot fill the consultants' queue.

M4: ``/tell_audience{"audience":"<!channel> <https://evil.example|klik> <svg onload=alert(3)>"}`` set the
categorical ``audience`` slot to that string (Rasa keeps a value outside the slot's ``values``), and the handoff
action copied it into the request and into the webhook's ``text``: a Slack ``@channel`` and a link in the team
chat. The payload also carried the callback e-mail address and phone number.

M6: three conversations from one client made three open requests; there was no limit per client.

Every conversation here is a real Rasa ``DialogueStateTracker``: button payloads are parsed by Rasa's own
``/intent{...}`` reader and slots are filled by Rasa's ``action_extract_slots``, as in the server. The actions get
the rasa_sdk ``Tracker`` the action server would get (``current_state(EventVerbosity.ALL)``), their events are
applied back, the request goes into a real SQLite handoff store, and the worker POSTs the outbox to a real HTTP
receiver (a thread of this process). The same attacks through the running stack:
tests/integration/security/test_handoff_abuse.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff as actions
from handoff.service import HandoffService
from handoff.webhook import AUDIENCES, build_payload
from handoff.worker import Backoff, deliver_pending
from tests.support import trackers

DOMAIN = trackers.domain()
EVIL = "<!channel> <https://evil.example|klik> <svg onload=alert(3)>"
TUESDAY_NOON = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=timezone.utc)
CLIENT_A, CLIENT_B = "c:00000000000000aa", "c:00000000000000bb"


# --- a conversation the way Rasa builds it -----------------------------------------------------------


class Conversation:
    """A Rasa tracker fed with button payloads; the handoff actions run against it like on the action server."""

    def __init__(self, sender: str, client: str | None = CLIENT_A) -> None:
        self.client = client
        self.tracker = DialogueStateTracker.from_events(
            sender, [ActionExecuted("action_session_start"), ActionExecuted("action_listen")], DOMAIN.slots
        )

    async def say(self, payload: str) -> None:
        """A user message as Rasa's processor logs it (metadata from the channel), then ``action_extract_slots``."""
        parsed = YAMLStoryReader.unpack_regex_message(Message(data={TEXT: payload}), DOMAIN)
        parse_data = {TEXT: payload, INTENT: {"name": None, "confidence": 0.0}, ENTITIES: []}
        parse_data.update(parsed.as_dict(only_output_properties=True))
        metadata = {"client": self.client} if self.client else {}
        self.tracker.update(
            UserUttered(
                payload, parse_data[INTENT], parse_data[ENTITIES], parse_data, input_channel="rest", metadata=metadata
            ),
            DOMAIN,
        )
        extracted = await ActionExtractSlots(None).run(
            CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses), self.tracker, DOMAIN
        )
        self.tracker.update_with_events([ActionExecuted("action_extract_slots"), *extracted], DOMAIN)

    async def run(self, action: Any) -> list[dict[str, Any]]:
        """Run an SDK action on the tracker the action server would receive; apply its events; its messages."""
        sdk_tracker = Tracker.from_dict(self.tracker.current_state(EventVerbosity.ALL))
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, sdk_tracker, DOMAIN.as_dict())
        self.tracker.update_with_events(
            [ActionExecuted(action.name()), *[Event.from_parameters(event) for event in events]], DOMAIN
        )
        for message in dispatcher.messages:
            self.tracker.update(BotUttered(message.get("text") or message.get("response")), DOMAIN)
        self.tracker.update(ActionExecuted("action_listen"), DOMAIN)
        return dispatcher.messages

    async def ask_for_a_person(self) -> list[dict[str, Any]]:
        """``/request_human``, the offer, ``/affirm`` and the request: the messages of the last action run."""
        await self.say("/request_human")
        offer = await self.run(actions.ActionHandoffAanbieden())
        if self.tracker.get_slot(actions.MODE) is None:  # nothing was offered
            return offer
        await self.say("/affirm")
        return await self.run(actions.ActionHandoffAanvragen())


# --- a store, a clock and a webhook receiver ---------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HandoffService]:
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'handoff.db'}")
    monkeypatch.setenv("HANDOFF_OPENINGSTIJDEN", "ma-vr 09:00-17:00")
    monkeypatch.delenv("HANDOFF_MAX_OPEN_PER_CLIENT", raising=False)
    monkeypatch.delenv("HANDOFF_WEBHOOK_CONTACT", raising=False)
    monkeypatch.setattr(actions, "now", lambda: TUESDAY_NOON)
    service = HandoffService()
    yield service
    service.dispose()


class Receiver:
    """A webhook receiver on 127.0.0.1 that keeps every JSON body."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                receiver.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        # a short poll: shutdown() waits up to one poll interval (0.5 s by default) for every receiver
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


def delivered(store: HandoffService, receiver: Receiver) -> list[dict[str, Any]]:
    """What the worker POSTs for everything in the outbox."""
    import requests

    with requests.Session() as session:
        deliver_pending(store, session, receiver.url, backoff=Backoff(0.01, 0.01))
    return receiver.bodies


def outbox_payloads(store: HandoffService) -> list[str]:
    with store.engine.connect() as connection:
        return [row[0] for row in connection.exec_driver_sql("SELECT payload FROM handoff_outbox ORDER BY id")]


# --- M4: the audience slot and other user input in the webhook text -------------------------------------


async def test_an_injected_audience_never_reaches_the_webhook(store: HandoffService, receiver: Receiver) -> None:
    conversation = Conversation("sio:" + "a" * 32)
    await conversation.say(f'/tell_audience{{"audience":"{EVIL}"}}')
    assert conversation.tracker.get_slot("audience") == EVIL  # Rasa itself keeps it: the attack is real
    [message] = await conversation.ask_for_a_person()
    assert message["response"] == "utter_handoff_aangevraagd"

    [record] = store.list()
    assert record.audience is None
    assert "audience" not in record.summary["slots"]
    [stored] = outbox_payloads(store)
    [body] = delivered(store, receiver)
    for text in (stored, json.dumps(body, ensure_ascii=False), body["text"]):
        assert "<!channel>" not in text and "<https://" not in text and "evil.example" not in text
        assert "<svg" not in text and "onload" not in text
    assert body["audience"] is None
    assert "doelgroep onbekend" in body["text"]


async def test_an_audience_outside_the_domain_is_unknown(store: HandoffService) -> None:
    conversation = Conversation("rest-onbekend")
    await conversation.say('/tell_audience{"audience":"manager"}')
    await conversation.say('/tell_audience{"audience":"Werkgever "}')
    await conversation.ask_for_a_person()
    [record] = store.list()
    assert record.audience is None


def test_the_known_audiences_are_the_slot_values_in_the_domain() -> None:
    [slot] = [slot for slot in DOMAIN.slots if slot.name == "audience"]
    domain_values = {value for value in slot.values if value != "__other__"}
    assert set(actions.AUDIENCES) == domain_values
    assert set(AUDIENCES) == domain_values


async def test_a_check_name_typed_as_free_text_is_no_topic(store: HandoffService) -> None:
    """The ``check`` slot takes free text while the form asks for it; only a real check is a topic."""
    conversation = Conversation("rest-check")
    conversation.tracker.update_with_events(
        [
            UserUttered("@here kijk op https://evil.example", {"name": "inform", "confidence": 1.0}),
            ActionExecuted("action_extract_slots"),
            SlotSet("check", "@here kijk op https://evil.example"),
            ActionExecuted("validate_check_form"),
            SlotSet("check", None),
        ],
        DOMAIN,
    )
    sdk_tracker = Tracker.from_dict(conversation.tracker.current_state(EventVerbosity.ALL))
    assert actions.handoff_topic(sdk_tracker) is None
    conversation.tracker.update(SlotSet("laatste_uitslag", "jobcoach: waarschijnlijk"), DOMAIN)
    sdk_tracker = Tracker.from_dict(conversation.tracker.current_state(EventVerbosity.ALL))
    assert actions.handoff_topic(sdk_tracker) == "check jobcoach"


@pytest.mark.parametrize(
    "evil",
    [
        EVIL,
        "@channel @here @everyone @all",
        "<at>Iedereen</at> [klik](https://evil.example) **vet** `code`",
        "x & y <b>",
        "https://evil.example/pad?a=1",
        "evil.example",
    ],
)
def test_the_chat_line_has_no_markup_from_any_field(evil: str) -> None:
    """Defence in depth: even if a caller passes raw input, ``text`` has no mention, link or markup in it."""
    payload = build_payload(
        handoff_id=7,
        conversation_id=evil,
        created_at=TUESDAY_NOON,
        audience=evil,
        topic=evil,
        reason=evil,
        summary={"turns": [{"who": "user", "text": evil}], "slots": {"audience": evil}},
        callback=None,
    )
    text = payload["text"]
    assert text.startswith("Nieuw verzoek om een medewerker (#7): doelgroep onbekend, onderwerp: ")
    assert text.endswith("Bekijk het in de console: http://localhost:8081/verzoeken/7")
    values = text.removesuffix("http://localhost:8081/verzoeken/7")
    for forbidden in ("<", ">", "@", "[", "](", "`", "*", "://", "evil.example", "|"):
        assert forbidden not in values, (forbidden, text)
    assert payload["audience"] is None
    # the JSON fields keep what was given, for a receiver that reads JSON (and escapes for its own output)
    assert payload["summary"]["turns"][0]["text"] == evil


def test_an_outbox_message_written_before_the_fix_goes_out_clean(store: HandoffService, receiver: Receiver) -> None:
    """Messages still waiting in the outbox at the upgrade: the worker makes ``text`` again from checked values."""
    record = store.create(
        conversation_id="oud",
        audience=None,
        topic=None,
        reason="op verzoek",
        summary={"turns": [], "slots": {}},
        callback={"wanted": True, "email": "piet@voorbeeld.nl"},
    )
    old = {
        "type": "handoff.requested",
        "id": record.id,
        "conversation_id": "oud",
        "audience": EVIL,
        "topic": "@here",
        "reason": "op verzoek",
        "summary": {"turns": [], "slots": {}},
        "callback": {"wanted": True, "email": "piet@voorbeeld.nl"},
        "console_url": f"http://localhost:8081/verzoeken/{record.id}",
        "text": f"Nieuw verzoek om een medewerker (#{record.id}): {EVIL}, onderwerp: @here",
    }
    with store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE handoff_outbox SET payload = ?", (json.dumps(old),))
    [body] = delivered(store, receiver)
    assert body["audience"] is None and body["callback"] == {"wanted": True}
    assert "<" not in body["text"] and "@here" not in body["text"] and "piet@" not in json.dumps(body)
    assert body["text"].startswith(f"Nieuw verzoek om een medewerker (#{record.id}): doelgroep onbekend, ")


def test_a_typo_in_the_contact_setting_stops_the_worker_with_a_clear_error(
    store: HandoffService, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOFF_WEBHOOK_CONTACT", "misschien")
    with pytest.raises(ValueError, match="HANDOFF_WEBHOOK_CONTACT"):
        delivered(store, receiver)


# --- M4: contact details only when configured ----------------------------------------------------------


async def leave_a_request_with_contact(store: HandoffService, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "now", lambda: SATURDAY)
    conversation = Conversation("rest-contact")
    await conversation.say("/request_human")
    await conversation.run(actions.ActionHandoffAanbieden())
    assert conversation.tracker.get_slot(actions.MODE) == actions.CALLBACK
    await conversation.say("/affirm")
    conversation.tracker.update(SlotSet(actions.CONTACT, {"email": "piet@voorbeeld.nl", "phone": "0612345678"}), DOMAIN)
    [message] = await conversation.run(actions.ActionHandoffAanvragen())
    assert message["response"] == "utter_handoff_verzoek_opgeslagen"


async def test_contact_details_stay_out_of_the_webhook_by_default(
    store: HandoffService, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    await leave_a_request_with_contact(store, monkeypatch)
    [record] = store.list()
    assert record.callback == {"wanted": True, "email": "piet@voorbeeld.nl", "phone": "0612345678"}  # console
    [stored] = outbox_payloads(store)
    [body] = delivered(store, receiver)
    for text in (stored, json.dumps(body)):
        assert "piet@voorbeeld.nl" not in text and "0612345678" not in text
    assert body["callback"] == {"wanted": True}
    assert "wil contact via e-mail of telefoon" in body["text"]


async def test_contact_details_go_to_the_webhook_when_configured(
    store: HandoffService, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    await leave_a_request_with_contact(store, monkeypatch)
    monkeypatch.setenv("HANDOFF_WEBHOOK_CONTACT", "true")  # the worker's setting
    [stored] = outbox_payloads(store)
    assert "piet@voorbeeld.nl" not in stored  # the outbox keeps no copy: the worker adds them when it posts
    [body] = delivered(store, receiver)
    assert body["callback"] == {"wanted": True, "email": "piet@voorbeeld.nl", "phone": "0612345678"}
    assert "piet@voorbeeld.nl" not in body["text"]


# --- M6: open requests per client ------------------------------------------------------------------


async def test_one_client_gets_at_most_two_open_requests_other_clients_are_not_affected(
    store: HandoffService,
) -> None:
    for n in (1, 2):
        [message] = await Conversation(f"spam-{n}", CLIENT_A).ask_for_a_person()
        assert message["response"] == "utter_handoff_aangevraagd"
    third = Conversation("spam-3", CLIENT_A)
    [message] = await third.ask_for_a_person()
    assert "al vragen klaar voor een medewerker" in message["text"]
    assert third.tracker.get_slot(actions.MODE) is None  # no consent asked for a request that cannot be stored
    assert sorted(record.conversation_id for record in store.list()) == ["spam-1", "spam-2"]

    [message] = await Conversation("ander-1", CLIENT_B).ask_for_a_person()
    assert message["response"] == "utter_handoff_aangevraagd"
    assert len(store.list()) == 3


async def test_the_limit_also_holds_when_the_request_comes_without_an_offer(store: HandoffService) -> None:
    """``/affirm`` straight after an old offer, or a second tab: the store refuses, politely, in the chat."""
    for n in (1, 2):
        await Conversation(f"spam-{n}", CLIENT_A).ask_for_a_person()
    sneaky = Conversation("spam-3", CLIENT_A)
    sneaky.tracker.update(SlotSet(actions.MODE, actions.DIRECT), DOMAIN)
    await sneaky.say("/affirm")
    [message] = await sneaky.run(actions.ActionHandoffAanvragen())
    assert "al vragen klaar voor een medewerker" in message["text"] and "je" in message["text"].split()
    assert len(store.list()) == 2
    assert sneaky.tracker.get_slot(actions.MODE) is None


async def test_a_claimed_request_no_longer_counts_and_the_limit_is_configurable(
    store: HandoffService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HANDOFF_MAX_OPEN_PER_CLIENT", "1")
    await Conversation("spam-1", CLIENT_A).ask_for_a_person()
    formal = Conversation("spam-2", CLIENT_A)
    await formal.say('/tell_audience{"audience":"werkgever"}')
    [message] = await formal.ask_for_a_person()
    assert "al vragen klaar" in message["text"] and "uw" in message["text"].split()  # "u" for an employer
    [first] = store.list()
    store.claim(first.id, "medewerker")  # a consultant helps that one now
    [message] = await Conversation("spam-3", CLIENT_A).ask_for_a_person()
    assert message["response"] == "utter_handoff_aangevraagd"
    monkeypatch.setenv("HANDOFF_MAX_OPEN_PER_CLIENT", "0")  # 0: no limit
    for n in (4, 5, 6):
        await Conversation(f"spam-{n}", CLIENT_A).ask_for_a_person()
    assert len(store.list()) == 5


async def test_without_client_metadata_the_conversation_is_the_client(store: HandoffService) -> None:
    conversation = Conversation("zonder-client", client=None)
    for _ in range(2):
        await conversation.say("/affirm")
        conversation.tracker.update(SlotSet(actions.MODE, actions.DIRECT), DOMAIN)
        await conversation.run(actions.ActionHandoffAanvragen())
    conversation.tracker.update(SlotSet(actions.MODE, actions.DIRECT), DOMAIN)
    [message] = await conversation.run(actions.ActionHandoffAanvragen())
    assert "al vragen klaar" in message["text"]
    assert [record.conversation_id for record in store.list()] == ["zonder-client"] * 2
    [message] = await Conversation("ander-zonder-client", client=None).ask_for_a_person()
    assert message["response"] == "utter_handoff_aangevraagd"
