"""reintegratie.rasa_patches: the same check of the action server's replies as Rasa's, without checking the schema
itself every time; the same event classes as Rasa's ``Event.resolve_by_type``, from a map built once; and Rasa sends
the domain only to the actions that read it (endpoints.yml).

The kennisbank answers through the running stack (with both): tests/integration/test_server.py and
tests/integration/test_story_messages.py.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet, UserUttered, deserialise_events
from rasa.shared.core.trackers import EventVerbosity
from rasa.shared.utils.common import all_subclasses

from reintegratie import rasa_patches
from tests.support.trackers import action, domain, rasa_tracker, user

#: Replies as the action server sends them (a kennisbank answer, a check with slots, a form validator), and
#: replies that break Rasa's schema in different places.
GOOD_REPLIES: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {},
    {
        "events": [],
        "responses": [
            {
                "text": "Een jobcoach helpt je op het werk.\nBron: Handreiking, mei 2017 (r. 11)\nStand: mei 2017",
                "buttons": [{"title": "Wie betaalt de jobcoach?", "payload": '/faq{"artikel":"jobcoach_wie"}'}],
                "elements": [],
                "quick_replies": [],
                "custom": {},
                "template": None,
                "response": None,
                "image": None,
                "attachment": None,
            },
            {"response": "utter_vraag_doelgroep", "text": None, "buttons": []},
        ],
    },
    {
        "events": [
            {"event": "slot", "timestamp": None, "name": "uren_per_week", "value": 20},
            {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None},
            {"event": "active_loop", "name": None, "timestamp": None},
            {"event": "followup", "name": "action_check_uitslag", "timestamp": None},
        ],
        "responses": [{"response": "utter_check_uitslag"}],
    },
]
BAD_REPLIES: list[dict[str, Any]] = [
    {"events": "geen lijst", "responses": []},
    {"events": [{"name": "uren_per_week", "value": 20}], "responses": []},  # an event without "event"
    {"events": [{"event": "slot", "name": 3, "value": 20}], "responses": []},
    {"events": [], "responses": "geen lijst"},
    {"events": [], "responses": ["geen object"]},
    {"events": [{"event": "bestaat_niet"}], "responses": []},
]


@pytest.fixture
def installed() -> Iterator[None]:
    rasa_patches.install()
    try:
        yield
    finally:
        rasa_patches.uninstall()


def outcome(validate: Any, reply: dict[str, Any]) -> tuple[bool, str]:
    try:
        return validate(RemoteAction("action_kennisbank_antwoord", None), reply), ""
    except ValidationError as error:
        return False, error.message


def test_rasas_method_underneath_is_the_one_this_module_replaces() -> None:
    """Fails when a Rasa upgrade changes the check or its schema: then compare it with action_reply_check again."""
    source = inspect.getsource(rasa_patches.RASA_VALIDATE)
    assert "validate(result, self.action_response_format_spec())" in source
    assert hashlib.sha256(source.encode()).hexdigest() == (
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"
    ), "Rasa's RemoteAction._validate_action_result changed: check reintegratie/rasa_patches.py"
    assert hashlib.sha256(inspect.getsource(RemoteAction.action_response_format_spec).encode()).hexdigest() == (
        "091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46"
    ), "Rasa's reply schema changed: check reintegratie/rasa_patches.py"
    assert "self._validate_action_result(response)" in inspect.getsource(RemoteAction.run)
    resolve = inspect.getsource(rasa_patches.RASA_RESOLVE_EVENT)
    assert hashlib.sha256(resolve.encode()).hexdigest() == (
        "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968"
    ), "Rasa's Event.resolve_by_type changed: check reintegratie/rasa_patches.py"
    assert "Event.resolve_by_type(event_name, default)" in inspect.getsource(Event.from_parameters)


@pytest.mark.parametrize("reply", GOOD_REPLIES + BAD_REPLIES)
def test_the_same_result_and_the_same_error_as_rasas_own_check(reply: dict[str, Any]) -> None:
    ours, rasas = (
        outcome(rasa_patches.validate_action_result, reply),
        outcome(rasa_patches.RASA_VALIDATE, reply),
    )
    assert ours == rasas
    assert ours[0] is (reply in GOOD_REPLIES)
    if not ours[0]:
        assert "Failed to validate Action server response from API" in ours[1]


def test_every_event_type_resolves_to_rasas_class(installed: None) -> None:
    """Every event class Rasa knows, its default and its errors; and events read from JSON, as the tracker store
    and the action server's replies are read."""
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "session_started", "active_loop", "followup"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is rasa_patches.RASA_RESOLVE_EVENT(name), name
    assert Event.resolve_by_type("topic") is None  # Rasa's backwards compatibility
    assert Event.resolve_by_type("bestaat_niet", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'bestaat_niet'"):
        Event.resolve_by_type("bestaat_niet")
    conversation = rasa_tracker("gesprek-1", [action("action_listen"), user("ik ben werkgever", "tell_audience")])
    dumped = conversation.current_state(EventVerbosity.ALL)["events"]
    assert [e.as_dict() for e in deserialise_events(dumped)] == [e.as_dict() for e in conversation.events]


def test_an_event_class_imported_later_is_found(installed: None) -> None:
    assert Event.resolve_by_type("user") is UserUttered  # the map is built

    class LaterEvent(SlotSet):
        type_name = "later_event_for_this_test"

    assert Event.resolve_by_type("later_event_for_this_test") is LaterEvent


def test_install_replaces_only_these_methods_and_uninstall_restores_them(installed: None) -> None:
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result
    assert Event.resolve_by_type is rasa_patches.resolve_event_type
    rasa_patches.install()  # twice is harmless
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result
    with pytest.raises(ValidationError):
        RemoteAction("action_kennisbank_antwoord", None)._validate_action_result(BAD_REPLIES[0])
    rasa_patches.uninstall()
    assert RemoteAction._validate_action_result is rasa_patches.RASA_VALIDATE
    assert Event.resolve_by_type is rasa_patches.RASA_RESOLVE_EVENT


def test_the_launcher_installs_it_before_rasa_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.__main__

    from reintegratie import launch

    seen: list[Any] = []
    monkeypatch.setattr(
        rasa.__main__, "main", lambda: seen.extend([RemoteAction._validate_action_result, Event.resolve_by_type])
    )
    monkeypatch.setattr("sys.argv", ["launch"])
    try:
        launch.main(["--version"])
    finally:
        rasa_patches.uninstall()
    assert seen == [rasa_patches.validate_action_result, rasa_patches.resolve_event_type]


def test_rasa_sends_the_domain_only_to_the_form_validators(monkeypatch: pytest.MonkeyPatch) -> None:
    """endpoints.yml enables Rasa's selective domain: a kennisbank answer's request has no domain (36 KB), the
    form validators (validate_*, which read the form's slots from it) still get it."""
    from rasa.core.utils import AvailableEndpoints

    from tests.conftest import ROOT

    monkeypatch.setenv("ACTION_SERVER_TOKEN", "test")
    endpoint = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml")).action
    conversation = rasa_tracker("gesprek-1", [action("action_listen"), user("wat is een jobcoach?", "faq")])
    for name in ("action_kennisbank_antwoord", "action_check_uitslag", "action_handoff_aanvragen"):
        body = RemoteAction(name, endpoint)._action_call_format(conversation, domain())
        assert "domain" not in body and body["tracker"]["events"], name
    for name in ("validate_check_form", "validate_terugbel_form"):
        body = RemoteAction(name, endpoint)._action_call_format(conversation, domain())
        assert body["domain"]["slots"], name
