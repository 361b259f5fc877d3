"""reintegratie.action_reply_check: the same check of the action server's replies as Rasa's, without checking the
schema itself every time; and Rasa sends the domain only to the actions that read it (endpoints.yml).

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

from reintegratie import action_reply_check
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
    action_reply_check.install()
    try:
        yield
    finally:
        action_reply_check.uninstall()


def outcome(validate: Any, reply: dict[str, Any]) -> tuple[bool, str]:
    try:
        return validate(RemoteAction("action_kennisbank_antwoord", None), reply), ""
    except ValidationError as error:
        return False, error.message


def test_rasas_method_underneath_is_the_one_this_module_replaces() -> None:
    """Fails when a Rasa upgrade changes the check or its schema: then compare it with action_reply_check again."""
    source = inspect.getsource(action_reply_check.RASA_VALIDATE)
    assert "validate(result, self.action_response_format_spec())" in source
    assert hashlib.sha256(source.encode()).hexdigest() == (
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"
    ), "Rasa's RemoteAction._validate_action_result changed: check reintegratie/action_reply_check.py"
    assert hashlib.sha256(inspect.getsource(RemoteAction.action_response_format_spec).encode()).hexdigest() == (
        "091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46"
    ), "Rasa's reply schema changed: check reintegratie/action_reply_check.py"
    assert "self._validate_action_result(response)" in inspect.getsource(RemoteAction.run)


@pytest.mark.parametrize("reply", GOOD_REPLIES + BAD_REPLIES)
def test_the_same_result_and_the_same_error_as_rasas_own_check(reply: dict[str, Any]) -> None:
    ours, rasas = (
        outcome(action_reply_check.validate_action_result, reply),
        outcome(action_reply_check.RASA_VALIDATE, reply),
    )
    assert ours == rasas
    assert ours[0] is (reply in GOOD_REPLIES)
    if not ours[0]:
        assert "Failed to validate Action server response from API" in ours[1]


def test_install_replaces_only_that_method_and_uninstall_restores_it(installed: None) -> None:
    assert RemoteAction._validate_action_result is action_reply_check.validate_action_result
    action_reply_check.install()  # twice is harmless
    assert RemoteAction._validate_action_result is action_reply_check.validate_action_result
    with pytest.raises(ValidationError):
        RemoteAction("action_kennisbank_antwoord", None)._validate_action_result(BAD_REPLIES[0])
    action_reply_check.uninstall()
    assert RemoteAction._validate_action_result is action_reply_check.RASA_VALIDATE


def test_the_launcher_installs_it_before_rasa_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.__main__

    from reintegratie import launch

    seen: list[Any] = []
    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.append(RemoteAction._validate_action_result))
    monkeypatch.setattr("sys.argv", ["launch"])
    try:
        launch.main(["--version"])
    finally:
        action_reply_check.uninstall()
    assert seen == [action_reply_check.validate_action_result]


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
