"""The handoff actions with real rasa_sdk Trackers, a CollectingDispatcher and a real SQLite handoff store."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff as actions
from handoff.service import HandoffService
from tests.conftest import ROOT
from tests.support.trackers import action, bot, tracker, user

DOMAIN = Domain.load(str(ROOT / "domain.yml")).as_dict()
TUESDAY_NOON = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)  # 12:00 in Amsterdam
SATURDAY = datetime(2026, 11, 28, 11, 0, tzinfo=timezone.utc)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "handoff.db"
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("HANDOFF_OPENINGSTIJDEN", "ma-vr 09:00-17:00")
    return path


def at(moment: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "now", lambda: moment)


ASKED_AFTER_FALLBACK = [
    user("qwrtzp", "nlu_fallback"),
    action("utter_fallback_suggesties"),
    bot("Dat begrijp ik niet goed."),
    user("xkcd", "nlu_fallback"),
    action("utter_fallback_weet_niet"),
    bot("Sorry, dat weet ik niet."),
    user("/request_human", "request_human"),
    action("action_handoff_aanbieden"),
]


async def run(action_class: type, events: list[dict[str, Any]], **slots: Any) -> tuple[list, list]:
    dispatcher = CollectingDispatcher()
    result = await action_class().run(dispatcher, tracker(events, **slots), DOMAIN)
    return result, dispatcher.messages


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def test_offer_within_opening_hours_asks_consent_and_says_what_is_shared(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(TUESDAY_NOON, monkeypatch)
    events, messages = await run(actions.ActionHandoffAanbieden, [user("ik wil een mens", "request_human")])
    assert slot_events(events) == {"handoff_modus": "direct"}
    [message] = messages
    assert message["response"] == "utter_handoff_toestemming"
    assert message["openingstijden"] == "maandag tot en met vrijdag van 9.00 tot 17.00 uur"


async def test_offer_outside_opening_hours_offers_a_request_for_later(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(SATURDAY, monkeypatch)
    events, [message] = await run(actions.ActionHandoffAanbieden, [user("ik wil een mens", "request_human")])
    assert slot_events(events) == {"handoff_modus": "terugbellen"}
    assert message["response"] == "utter_handoff_toestemming_gesloten"
    assert message["volgende_opening"] == "maandag om 9.00 uur"


async def test_consent_stores_a_scrubbed_request_with_reason_topic_and_audience(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(TUESDAY_NOON, monkeypatch)
    history = [
        user(
            "wat is een jobcoach",
            "faq",
            response_selector={"faq": {"response": {"intent_response_key": "faq/jobcoach_overzicht"}}},
        ),
        action("action_kennisbank_antwoord"),
        bot("Een jobcoach helpt je op je werk."),
        user("mijn bsn is 123456782 en mail me op jan@voorbeeld.nl", "deel_geen_bsn"),
        action("utter_bsn_waarschuwing"),
        *ASKED_AFTER_FALLBACK,
        user("ja", "affirm"),
    ]
    events, [message] = await run(actions.ActionHandoffAanvragen, history, handoff_modus="direct", audience="ouder")
    assert message["response"] == "utter_handoff_aangevraagd"
    assert slot_events(events) == {"handoff_modus": None, "terugbel_contact": None, "terugbel_pogingen": None}
    [record] = HandoffService().list()
    assert (record.conversation_id, record.status, record.audience) == ("gesprek-1", "open", "ouder")
    assert record.reason == "niet begrepen"
    assert record.topic == "jobcoach"
    assert record.callback is None
    texts = [turn["text"] for turn in record.summary["turns"]]
    assert any("Een jobcoach helpt je" in text for text in texts)
    raw = "\n".join(str(row) for row in sqlite3.connect(database).execute("select * from handoff_requests"))
    assert "123456782" not in raw and "jan@voorbeeld.nl" not in raw


@pytest.mark.parametrize(
    ("last_bot_action", "reason"),
    [
        ("utter_niet_in_bronnen", "niet in de bronnen"),
        ("action_check_uitslag", "na een check"),
        ("utter_greet", "op verzoek"),
    ],
)
def test_the_reason_is_what_happened_just_before_the_request(last_bot_action: str, reason: str) -> None:
    events = [
        user("iets", "faq"),
        action(last_bot_action),
        bot("..."),
        user("/request_human", "request_human"),
        action("action_handoff_aanbieden"),
        user("ja", "affirm"),
    ]
    assert actions.handoff_reason(events) == reason


def test_a_worried_user_who_accepts_the_offer_is_stored_as_zorgen() -> None:
    events = [
        user("ik maak me echt zorgen", "zorgen"),
        action("action_zorgen_erkend"),
        action("action_handoff_aanbieden"),
        user("ja", "affirm"),
    ]
    assert actions.handoff_reason(events) == "zorgen"


def test_a_frustrated_user_who_accepts_the_offer_is_stored_as_ontevreden() -> None:
    events = [
        user("iets", "faq"),
        action("action_kennisbank_antwoord"),
        user("dit slaat nergens op", "frustratie"),
        action("action_frustratie_erkend"),
        action("action_handoff_aanbieden"),
        user("ja", "affirm"),
    ]
    assert actions.handoff_reason(events) == "ontevreden"
    # a later request for a person has its own reason
    later = [*events, action("action_handoff_aanvragen"), user("/request_human", "request_human")]
    assert actions.handoff_reason(later) == "op verzoek"


async def test_a_second_request_while_one_is_open_is_not_stored_twice(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(TUESDAY_NOON, monkeypatch)
    await run(actions.ActionHandoffAanvragen, [*ASKED_AFTER_FALLBACK, user("ja", "affirm")], handoff_modus="direct")
    events, [message] = await run(actions.ActionHandoffAanbieden, [user("ik wil een mens", "request_human")])
    assert message["response"] == "utter_handoff_loopt_al"
    assert events == []
    assert len(HandoffService().list()) == 1


async def test_database_down_gives_a_polite_message_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map")
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{blocker}/handoff.db")
    at(TUESDAY_NOON, monkeypatch)
    events, [message] = await run(
        actions.ActionHandoffAanvragen, [*ASKED_AFTER_FALLBACK, user("ja", "affirm")], handoff_modus="direct"
    )
    assert message["response"] == "utter_handoff_mislukt"
    assert slot_events(events)["handoff_modus"] is None


async def test_outside_opening_hours_the_request_keeps_the_contact_the_user_offered(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(SATURDAY, monkeypatch)
    contact = {"email": "piet@voorbeeld.nl"}
    _, [message] = await run(
        actions.ActionHandoffAanvragen,
        [*ASKED_AFTER_FALLBACK, user("ja", "affirm")],
        handoff_modus="terugbellen",
        terugbel_contact=contact,
    )
    assert message["response"] == "utter_handoff_verzoek_opgeslagen"
    assert message["volgende_opening"] == "maandag om 9.00 uur"
    [record] = HandoffService().list()
    assert record.callback == {"wanted": True, "email": "piet@voorbeeld.nl"}


async def test_outside_opening_hours_without_contact_says_the_reply_comes_only_in_the_chat(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(SATURDAY, monkeypatch)
    _, [message] = await run(
        actions.ActionHandoffAanvragen,
        [*ASKED_AFTER_FALLBACK, user("ja", "affirm")],
        handoff_modus="terugbellen",
        terugbel_contact="geen",
    )
    assert message["response"] == "utter_handoff_verzoek_zonder_contact"
    [record] = HandoffService().list()
    assert record.callback == {"wanted": False}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("mail maar naar piet@voorbeeld.nl", {"email": "piet@voorbeeld.nl"}),
        ("bel me op 06 12345678", {"phone": "06 12345678"}),
        ("geen", "geen"),
        ("nee hoor", "geen"),
    ],
)
def test_contact_details_are_understood(text: str, value: Any) -> None:
    dispatcher = CollectingDispatcher()
    result = actions.ValidateTerugbelForm().validate_terugbel_contact(text, dispatcher, tracker([]), DOMAIN)
    assert result["terugbel_contact"] == value
    assert not dispatcher.messages


def test_contact_not_understood_is_asked_once_more_then_left_out() -> None:
    form = actions.ValidateTerugbelForm()
    dispatcher = CollectingDispatcher()
    first = form.validate_terugbel_contact("hmm morgen misschien", dispatcher, tracker([]), DOMAIN)
    assert first == {"terugbel_contact": None, "terugbel_pogingen": 1}
    assert dispatcher.messages[0]["response"] == "utter_terugbel_contact_niet_begrepen"
    second = form.validate_terugbel_contact("hmm", dispatcher, tracker([], terugbel_pogingen=1), DOMAIN)
    assert second == {"terugbel_contact": "geen", "terugbel_pogingen": None}
