"""actions/forms.py: the one rule for answers a form does not understand, as both forms use it.

The forms run as Rasa runs them (``FormValidationAction.run`` with real rasa_sdk Trackers), so the events are the
ones the assistant gets: after one answer not understood the form asks again; after two in a row the check form
offers help (and keeps asking), and the callback form stores the request without contact details.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import forms
from actions.checks import COUNTER, PARSERS, ValidateCheckForm
from actions.forms import CountingFormValidationAction
from actions.handoff import CONTACT, CONTACT_FAILURES, ValidateTerugbelForm
from tests.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml")).as_dict()
JOBCOACH_WW = {"check": "jobcoach", "uitkering": "ww", "contract_maanden": 12.0, "schriftelijk_contract": True}


def form_tracker(form: str, slots: dict[str, Any], slot: str, text: str) -> Tracker:
    """A tracker in ``form`` asking ``slot``, whose latest user message ``text`` filled it (as Rasa's extraction)."""
    all_slots: dict[str, Any] = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots, requested_slot=slot)
    all_slots[slot] = text
    message = {"text": text, "intent": {"name": "inform"}}
    events = [{"event": "user", "text": text, "parse_data": message}, {"event": "slot", "name": slot, "value": text}]
    return Tracker(
        sender_id="test",
        slots=all_slots,
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": form},
        latest_action_name="action_listen",
    )


async def answer(
    action: CountingFormValidationAction, form: str, slots: dict[str, Any], slot: str, text: str
) -> tuple[list[tuple[str, Any]], list[str | None]]:
    """(the slot events, in order; the responses said)"""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, form_tracker(form, slots, slot, text), DOMAIN)
    return [(e["name"], e["value"]) for e in events], [m.get("response") for m in dispatcher.messages]


async def test_check_form_asks_again_then_offers_help_and_keeps_asking() -> None:
    first = await answer(ValidateCheckForm(), "check_form", JOBCOACH_WW, "uren_per_week", "ruim de helft")
    assert first == (
        [("uren_per_week", None), (COUNTER, 1), ("requested_slot", "uren_per_week")],
        ["utter_check_niet_begrepen"],
    )
    second = await answer(ValidateCheckForm(), "check_form", {**JOBCOACH_WW, COUNTER: 1}, "uren_per_week", "bla")
    assert second == (
        [("uren_per_week", None), (COUNTER, 2), ("requested_slot", "uren_per_week")],
        ["utter_check_hulp"],
    )
    third = await answer(ValidateCheckForm(), "check_form", {**JOBCOACH_WW, COUNTER: 2}, "uren_per_week", "hmm")
    assert third == ([("uren_per_week", None), (COUNTER, 3), ("requested_slot", "uren_per_week")], ["utter_check_hulp"])


async def test_an_understood_answer_resets_the_check_form_count() -> None:
    events, said = await answer(
        ValidateCheckForm(), "check_form", {**JOBCOACH_WW, COUNTER: 1}, "uren_per_week", "24 uur"
    )
    assert events == [("uren_per_week", 24.0), (COUNTER, None), ("requested_slot", "loonwaarde_pct")]
    assert said == []


async def test_callback_form_asks_again_then_keeps_the_request_without_contact() -> None:
    first = await answer(ValidateTerugbelForm(), "terugbel_form", {}, CONTACT, "hmm morgen misschien")
    assert first == ([(CONTACT, None), (CONTACT_FAILURES, 1)], ["utter_terugbel_contact_niet_begrepen"])
    second = await answer(ValidateTerugbelForm(), "terugbel_form", {CONTACT_FAILURES: 1}, CONTACT, "hmm")
    assert second == ([(CONTACT, "geen"), (CONTACT_FAILURES, None)], [])


async def test_an_understood_contact_resets_the_callback_form_count() -> None:
    events, said = await answer(
        ValidateTerugbelForm(), "terugbel_form", {CONTACT_FAILURES: 1}, CONTACT, "mail naar piet@voorbeeld.nl"
    )
    assert events == [(CONTACT, {"email": "piet@voorbeeld.nl"}), (CONTACT_FAILURES, None)]
    assert said == []


async def test_both_forms_follow_the_one_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forms, "MAX_FAILURES", 3)
    _, said = await answer(ValidateCheckForm(), "check_form", {**JOBCOACH_WW, COUNTER: 1}, "uren_per_week", "bla")
    assert said == ["utter_check_niet_begrepen"]
    events, said = await answer(ValidateTerugbelForm(), "terugbel_form", {CONTACT_FAILURES: 1}, CONTACT, "hmm")
    assert (events, said) == ([(CONTACT, None), (CONTACT_FAILURES, 2)], ["utter_terugbel_contact_niet_begrepen"])


def test_the_check_form_has_one_written_out_validator_per_parser() -> None:
    """Written in the class body, so a grep for ``validate_uren_per_week`` finds it (not made with setattr)."""
    written = re.findall(r"\n    async def validate_(\w+)\(", inspect.getsource(ValidateCheckForm))
    assert sorted(written) == sorted(PARSERS)


@pytest.mark.parametrize("slot", sorted(PARSERS))
async def test_each_validator_validates_its_own_slot(slot: str) -> None:
    dispatcher = CollectingDispatcher()
    validate = getattr(ValidateCheckForm(), f"validate_{slot}")
    tracker = form_tracker("check_form", {}, slot, "qqq")
    assert await validate("qqq", dispatcher, tracker, DOMAIN) == {slot: None, COUNTER: 1}
