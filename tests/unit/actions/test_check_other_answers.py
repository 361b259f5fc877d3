"""Issue 19 §2: what the user already said counts in a check.

- An entity in the message that starts a check fills the check's slot (the ``from_entity`` mappings with
  ``intent: *starts_a_check`` in domain.yml, run by Rasa's own ``action_extract_slots``), and the form does
  not ask it again.
- An answer that fits another open question ("20 uur per week" when the check asks about a written
  contract) is kept for that question; the question asked comes again, and it is no failure.

Real rasa_sdk Trackers and Rasa's own DialogueStateTracker; no trained model.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import SlotSet
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.checks import ValidateCheckForm, entity_slots, required_for
from tests.support.trackers import domain, rasa_tracker, slot, tracker, user

DOMAIN = domain().as_dict()
JOBCOACH_WW = {"check": "jobcoach", "uitkering": "ww", "contract_maanden": 12.0}


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value), "extractor": "PatternEntityExtractor"}


def in_check(
    slots: dict[str, Any], asked: str, text: str, entities: list[dict[str, Any]], intent: str = "inform"
) -> Tracker:
    """The check asks ``asked``; the user says ``text``; Rasa mapped the text to the slot asked (from_text)."""
    events = [user(text, intent, entities=entities), slot(asked, text)]
    return tracker(events, active_loop="check_form", **{**slots, "requested_slot": asked, asked: text})


async def validate(t: Tracker) -> tuple[dict[str, Any], list[str | None]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateCheckForm().run(dispatcher, t, DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, [m["response"] for m in dispatcher.messages]


def test_the_entity_slots_come_from_the_domain_mappings() -> None:
    assert entity_slots(DOMAIN) == {
        "uitkering": "uitkering",
        "contractduur": "contract_maanden",
        "uren": "uren_per_week",
        "percentage": "loonwaarde_pct",
    }


async def test_hours_given_for_the_written_contract_question_are_kept_and_the_question_comes_again() -> None:
    t = in_check(JOBCOACH_WW, "schriftelijk_contract", "20 uur per week", [entity("uren", "20 uur")])
    slots, responses = await validate(t)
    assert slots["uren_per_week"] == 20.0
    assert slots["schriftelijk_contract"] is None  # asked again
    assert slots["check_pogingen"] is None  # not counted as a failure
    assert responses == ["utter_check_genoteerd", "utter_check_vraag_opnieuw"]
    after = {**JOBCOACH_WW, "uren_per_week": 20.0}
    assert required_for(after)[-1] == "schriftelijk_contract"  # the next question is the one asked


async def test_an_answer_to_another_question_after_a_failure_does_not_give_up() -> None:
    t = in_check({**JOBCOACH_WW, "check_pogingen": 1}, "schriftelijk_contract", "60%", [entity("percentage", "60%")])
    slots, responses = await validate(t)
    assert slots["loonwaarde_pct"] == 60.0 and slots["check_pogingen"] is None
    assert "utter_check_hulp" not in responses


async def test_an_answer_to_both_keeps_both() -> None:
    t = in_check(JOBCOACH_WW, "schriftelijk_contract", "ja, 32 uur per week", [entity("uren", "32 uur")])
    slots, responses = await validate(t)
    assert slots["schriftelijk_contract"] is True and slots["uren_per_week"] == 32.0
    assert responses == ["utter_check_genoteerd"]


async def test_a_question_already_answered_is_not_changed_silently() -> None:
    t = in_check({**JOBCOACH_WW, "uren_per_week": 24.0}, "schriftelijk_contract", "20 uur", [entity("uren", "20 uur")])
    slots, responses = await validate(t)
    assert "uren_per_week" not in slots
    assert slots["check_pogingen"] == 1 and responses == ["utter_check_niet_begrepen"]


async def test_an_answer_for_a_slot_this_check_does_not_use_is_not_kept() -> None:
    t = in_check({"check": "beschut_werk"}, "uwv_advies", "ik werk 20 uur", [entity("uren", "20 uur")])
    slots, responses = await validate(t)
    assert "uren_per_week" not in slots and responses == ["utter_check_niet_begrepen"]


async def extract(text: str, intent: str, entities: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots Rasa's own ``action_extract_slots`` sets for this first message, with domain.yml's mappings."""
    events = [
        {"event": "action", "name": "action_listen"},
        user(text, {"name": intent, "confidence": 1.0}, entities=entities),
    ]
    rasa = rasa_tracker("gesprek-1", events)
    nlg = TemplatedNaturalLanguageGenerator(domain().responses)
    found = await ActionExtractSlots(None).run(CollectingOutputChannel(), nlg, rasa, domain())
    return {e.key: e.value for e in found if isinstance(e, SlotSet)}


@pytest.mark.parametrize(
    ("text", "intent", "entities", "expected"),
    [
        (
            "mijn werknemer heeft een loonwaarde van 60 procent. Hoeveel subsidie krijg ik?",
            "check_loonkostensubsidie",
            [entity("percentage", "60 procent")],
            {"loonwaarde_pct": "60 procent", "check": "loonkostensubsidie"},
        ),
        (
            "ik heb een jaarcontract en werk 24 uur, kom ik in aanmerking voor een jobcoach?",
            "check_jobcoach",
            [entity("contractduur", "jaarcontract"), entity("uren", "24 uur")],
            {"contract_maanden": "jaarcontract", "uren_per_week": "24 uur", "check": "jobcoach"},
        ),
    ],
)
async def test_entities_in_the_first_message_fill_the_check(
    text: str, intent: str, entities: list[dict[str, Any]], expected: dict[str, Any]
) -> None:
    assert await extract(text, intent, entities) == expected


async def test_a_percentage_in_a_question_does_not_fill_the_check() -> None:
    assert await extract("krijg ik 70 procent subsidie?", "faq", [entity("percentage", "70 procent")]) == {}


async def test_the_form_understands_the_prefilled_slots_and_does_not_ask_them_again() -> None:
    text = "mijn werknemer heeft een loonwaarde van 60 procent. Hoeveel subsidie krijg ik?"
    set_now = {"check": "loonkostensubsidie", "loonwaarde_pct": "60 procent"}
    events = [user(text, "check_loonkostensubsidie", entities=[entity("percentage", "60 procent")])]
    events += [slot(name, value) for name, value in set_now.items()]
    slots, responses = await validate(tracker(events, active_loop="check_form", **set_now))
    assert slots["loonwaarde_pct"] == 60.0 and responses == []
    assert required_for({"check": "loonkostensubsidie", "loonwaarde_pct": 60.0})[-1] == "wml_bedrag"


@pytest.mark.parametrize(
    ("text", "months"), [("een jaarcontract", 12.0), ("jaarcontract", 12.0), ("vaste aanstelling", 999.0)]
)
def test_contract_lengths_in_a_sentence_are_understood(text: str, months: float) -> None:
    from actions.antwoorden import months as parse_months

    assert parse_months(text) == months


async def test_a_place_named_during_a_check_gets_its_local_answer_and_the_question_again() -> None:
    """ "we zitten in emmen trouwens. hoe gaat het daar?" while the no-riskpolis check asks about the register
    (blind13): Emmen is remembered and gets its answer, the question comes again, no failure is counted."""
    check = {"check": "no_riskpolis", "laatste_artikel": "dagbesteding_naar_werk"}
    text = "we zitten in emmen trouwens. hoe gaat het daar?"
    t = in_check(check, "in_doelgroepregister", text, [entity("gemeente", "emmen")], intent="noem_gemeente")
    dispatcher = CollectingDispatcher()
    events = await ValidateCheckForm().run(dispatcher, t, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["in_doelgroepregister"] is None and slots["gemeente"] == "Emmen" and not slots["check_pogingen"]
    said = "\n".join(str(m.get("text") or m.get("response")) for m in dispatcher.messages)
    assert "Emmen" in said and said.endswith("utter_check_vraag_opnieuw")
    assert "utter_check_niet_begrepen" not in said
    # an answer that also names a place is an answer ("bijstand, ik woon in utrecht")
    t = in_check({"check": "jobcoach"}, "uitkering", "bijstand, ik woon in utrecht", [], intent="noem_gemeente")
    slots, responses = await validate(t)
    assert slots["uitkering"] == "bijstand" and "utter_check_vraag_opnieuw" not in responses
