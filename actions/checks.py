"""The guided checks: one form (check_form) whose questions depend on the check and the answers so far.

The rules are in ``eligibility`` (pure Python); the answers are understood by ``actions.antwoorden``;
the verdict is worded by ``kennisbank.verdicts``. This module only connects them to Rasa.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable, Dict, List, Mapping

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import antwoorden
from actions.antwoorden import WEET_NIET
from actions.forms import CountingFormValidationAction
from actions.kennisbank import KENNISBANK, audience_of
from actions.lokaal import ActionLokaalGemeente
from eligibility import (
    CHECKS,
    BeschutWerkInput,
    DoelgroepregisterInput,
    JobcoachInput,
    LoonkostensubsidieInput,
    NoRiskpolisInput,
    Outcome,
    UwvAdvies,
    Verdict,
)
from eligibility.vocabulary import Uitkering
from kennisbank.verdicts import getal, render_verdict

logger = logging.getLogger(__name__)

#: A slot answered with "weet ik niet" holds WEET_NIET; the check then gets None for it.
#: Answers not understood in a row are counted in this slot (actions.forms).
COUNTER = "check_pogingen"
#: The intent of a message that names the user's gemeente (actions/lokaal.py).
LOCAL_INTENT = "noem_gemeente"
JOBCOACH_UWV = ["contract_maanden", "schriftelijk_contract", "uren_per_week", "loonwaarde_pct"]
JOBCOACH_GEMEENTE = ["loonkostensubsidie", "uren_per_week"]
INPUT_SLOTS = sorted(
    {
        "uitkering",
        *JOBCOACH_UWV,
        *JOBCOACH_GEMEENTE,
        "vso_pro_schoolverlater",
        "kan_geen_wml_verdienen",
        "wml_bedrag",
        "uwv_advies",
        "in_doelgroepregister",
    }
)
#: Answers with a unit can correct an earlier answer: "nee, 24 uur bedoel ik".
CORRECTIONS = {
    "uren_per_week": antwoorden.hours,
    "contract_maanden": antwoorden.months,
    "loonwaarde_pct": antwoorden.percentage,
}
UNIT_WORDS = {"uren_per_week": r"\buur\b|\d\s*u\b", "contract_maanden": r"maand|jaar", "loonwaarde_pct": r"%|procent"}
LABELS = {
    "uren_per_week": "uren per week",
    "contract_maanden": "duur van het contract (maanden)",
    "loonwaarde_pct": "loonwaarde (%)",
    "uitkering": "uitkering",
}
#: The slots an answer to another question may fill, per check (issue 19 §2): "20 uur per week" while the
#: check asks about a written contract is kept for ``uren_per_week``. Which entity fills which slot is read
#: from the slot mappings (``from_entity``) in domain.yml.
OTHER_SLOTS = {
    "jobcoach": ("uitkering", *JOBCOACH_UWV, *JOBCOACH_GEMEENTE),
    "loonkostensubsidie": ("loonwaarde_pct", "uren_per_week"),
}


#: Words in a typed answer to "Welke check wordt het?", in the order they are tried.
CHECK_WORDS = {
    "loonkostensubsidie": ("loonkosten", "lks"),
    "no_riskpolis": ("no-risk", "no risk", "noriskpolis"),
    "doelgroepregister": ("doelgroep", "banenafspraak", "register"),
    "beschut_werk": ("beschut",),
    "jobcoach": ("jobcoach", "job coach"),
}
ADVIEZEN = {advies.value for advies in UwvAdvies}


def parse_check(text: str) -> str | None:
    lowered = str(text).lower()
    for name, words in CHECK_WORDS.items():
        if any(word in lowered for word in words):
            return name
    return lowered if lowered in CHECKS else None


def parse_wml(text: str) -> Any:
    """{'bedrag': 2070.0, 'jaar': 2025}, 'overslaan' for no amount, WEET_NIET, or None (ask again)."""
    if antwoorden.yes_no(text) is False or "overslaan" in str(text).lower() or "geen bedrag" in str(text).lower():
        return "overslaan"
    amount, year = antwoorden.euros(text)
    if amount == WEET_NIET:
        return WEET_NIET
    if amount is None or year is None:
        return None
    return {"bedrag": amount, "jaar": year}


PARSERS: Dict[str, Callable[[str], Any]] = {
    "check": parse_check,
    "uitkering": antwoorden.uitkering,
    "contract_maanden": antwoorden.months,
    "schriftelijk_contract": antwoorden.yes_no,
    "uren_per_week": antwoorden.hours,
    "loonwaarde_pct": antwoorden.percentage,
    "loonkostensubsidie": antwoorden.yes_no,
    "vso_pro_schoolverlater": antwoorden.yes_no,
    "kan_geen_wml_verdienen": antwoorden.yes_no,
    "wml_bedrag": parse_wml,
    "uwv_advies": antwoorden.uwv_advies,
    "in_doelgroepregister": antwoorden.yes_no,
}


def _number(value: Any) -> float | None:
    """A parsed number; raw text that is not validated yet, or "weet ik niet", counts as unknown."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def build_input(check: str, slots: Mapping[str, Any]) -> Any:
    """The typed input of ``check`` from slot values (raw entity values are parsed again)."""
    number = lambda name: _number(slots.get(name))  # noqa: E731
    boolean = lambda name: _bool(slots.get(name))  # noqa: E731
    if check == "jobcoach":
        raw = slots.get("uitkering")
        benefit = antwoorden.uitkering(raw) if isinstance(raw, str) else None
        months = number("contract_maanden")
        return JobcoachInput(
            uitkering=Uitkering(benefit) if benefit and benefit != WEET_NIET else None,
            contract_maanden=months,
            uren_per_week=number("uren_per_week"),
            loonwaarde_pct=number("loonwaarde_pct"),
            schriftelijk_contract=boolean("schriftelijk_contract"),
            loonkostensubsidie=boolean("loonkostensubsidie"),
        )
    if check == "doelgroepregister":
        return DoelgroepregisterInput(boolean("vso_pro_schoolverlater"), boolean("kan_geen_wml_verdienen"))
    if check == "loonkostensubsidie":
        wml = slots.get("wml_bedrag")
        wml = wml if isinstance(wml, dict) else {}
        return LoonkostensubsidieInput(
            loonwaarde_pct=number("loonwaarde_pct"),
            uren_per_week=number("uren_per_week"),
            wml_bedrag=_number(wml.get("bedrag")),
            wml_datum=str(wml["jaar"]) if wml.get("jaar") else None,
        )
    if check == "beschut_werk":
        advies = slots.get("uwv_advies")
        return BeschutWerkInput(UwvAdvies(advies) if advies in ADVIEZEN else None)
    return NoRiskpolisInput(boolean("in_doelgroepregister"))


def entity_slots(domain: Mapping[str, Any]) -> Dict[str, str]:
    """Entity -> check slot, from the ``from_entity`` mappings of the check's input slots in the domain."""
    found: Dict[str, str] = {}
    for name, slot in (domain.get("slots") or {}).items():
        if name not in INPUT_SLOTS:
            continue
        for mapping in slot.get("mappings") or []:
            if mapping.get("type") == "from_entity" and mapping.get("entity"):
                found.setdefault(str(mapping["entity"]), name)
    return found


def shown(slot: str, value: Any) -> str:
    """A parsed answer as the user reads it back: '20', 'vast', 'WW'."""
    if slot == "contract_maanden" and value == antwoorden.PERMANENT_MONTHS:
        return "vast"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return getal(value)
    return str(value).upper() if slot == "uitkering" and len(str(value)) <= 4 else str(value)


def verdict_for(check: str, slots: Mapping[str, Any]) -> Verdict:
    return CHECKS[check][1](build_input(check, slots))


def required_for(slots: Mapping[str, Any]) -> List[str]:
    """The questions this check still needs, in order; none after an answer that already decides."""
    check = slots.get("check")
    if check not in CHECKS:
        return ["check"]
    if check == "jobcoach":
        needed = ["uitkering"]
        benefit = slots.get("uitkering")
        parsed = antwoorden.uitkering(benefit) if isinstance(benefit, str) else None
        if parsed in (None, WEET_NIET):
            return ["check", *needed]
        follow = JOBCOACH_UWV if Uitkering(parsed).via_uwv else JOBCOACH_GEMEENTE
        for slot in follow:
            needed.append(slot)
            if slots.get(slot) is None:
                break
            if verdict_for(check, slots).outcome is Outcome.onwaarschijnlijk:
                break  # a failed condition decides: ask nothing more
        return ["check", *needed]
    if check == "doelgroepregister":
        needed = ["vso_pro_schoolverlater"]
        if slots.get("vso_pro_schoolverlater") is not True:  # raw text too: it may still be "nee"
            needed.append("kan_geen_wml_verdienen")
        return ["check", *needed]
    if check == "loonkostensubsidie":
        needed = ["loonwaarde_pct"]
        loonwaarde = slots.get("loonwaarde_pct")
        if isinstance(loonwaarde, (int, float)) and not isinstance(loonwaarde, bool) and loonwaarde < 100:
            needed.append("wml_bedrag")
        return ["check", *needed]
    return ["check", "uwv_advies" if check == "beschut_werk" else "in_doelgroepregister"]


def names_a_place(tracker: Tracker) -> bool:
    """Whether the latest message is the user naming a gemeente (intent noem_gemeente, with the entity)."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    return intent == LOCAL_INTENT and any(e.get("entity") == "gemeente" for e in message.get("entities") or [])


class ValidateCheckForm(CountingFormValidationAction):
    """Understand each answer with its parser in ``PARSERS``; one ``validate_<slot>`` method per slot."""

    failure_slot = COUNTER
    ask_again_response = "utter_check_niet_begrepen"

    def name(self) -> str:
        return "validate_check_form"

    async def required_slots(
        self, domain_slots: List[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[str]:
        return required_for(tracker.slots)

    def _validate(
        self,
        slot: str,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict | None = None,
    ) -> Dict[str, Any]:
        if not isinstance(value, str):  # already understood (a correction or a button)
            return self.understood({slot: value})
        correction = self._correction(slot, value, tracker)
        if correction:
            other, parsed = correction
            dispatcher.utter_message(response="utter_check_aangepast", onderdeel=LABELS[other], waarde=getal(parsed))
            return self.understood({other: parsed, slot: None})
        parsed = PARSERS[slot](value)
        # The answer to the question asked is only the text the form mapped to it; an answer it is not may
        # still fit another open question of this check (issue 19 §2).
        asked = tracker.get_slot("requested_slot") == slot
        others = self._other_open_slots(slot, tracker, domain or {}) if asked else {}
        for other, other_value in others.items():
            logger.info(
                "Check %s: the answer to %s also gives %s = %r", tracker.get_slot("check"), slot, other, other_value
            )
            dispatcher.utter_message(
                response="utter_check_genoteerd", onderdeel=LABELS[other], waarde=shown(other, other_value)
            )
        if parsed is not None:
            return self.understood({**others, slot: parsed})
        if others:  # kept for the other question; the question asked comes again, no failure counted
            dispatcher.utter_message(response="utter_check_vraag_opnieuw")
            return self.understood({**others, slot: None})
        if asked and names_a_place(tracker):
            # "we zitten in emmen trouwens. hoe gaat het daar?" (blind13): no answer to the question, but a place with
            # a question of its own; it gets its local answer, then the question comes again, no failure counted
            logger.info("Check %s: a place named instead of an answer to %s", tracker.get_slot("check"), slot)
            events = ActionLokaalGemeente().run(dispatcher, tracker, domain or {})
            dispatcher.utter_message(response="utter_check_vraag_opnieuw")
            return self.understood({**{e["name"]: e["value"] for e in events if e.get("event") == "slot"}, slot: None})
        return self.not_understood(slot, dispatcher, tracker)

    @staticmethod
    def _other_open_slots(slot: str, tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        """Open questions of this check that an entity of the latest message answers: ``{"uren_per_week": 20.0}``.

        Not the slot asked, not a slot that already has an answer, and not one Rasa's own slot mappings filled
        in this turn (that one is validated by its own method).
        """
        candidates = OTHER_SLOTS.get(str(tracker.get_slot("check")), ())
        set_now = tracker.slots_to_validate()
        by_entity = entity_slots(domain)
        found: Dict[str, Any] = {}
        for entity in tracker.latest_message.get("entities") or []:
            other = by_entity.get(str(entity.get("entity")))
            if not other or other == slot or other not in candidates or other in found or other in set_now:
                continue
            if tracker.get_slot(other) is not None:
                continue
            parsed = PARSERS[other](str(entity.get("value") or ""))
            if parsed is not None and parsed != WEET_NIET:
                found[other] = parsed
        return found

    def give_up(self, slot: str, failures: int, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
        """Say that it does not work yet and offer "weet ik niet", stopping or a person; the question stays open."""
        dispatcher.utter_message(response="utter_check_hulp")
        return {slot: None, COUNTER: failures}

    @staticmethod
    def _correction(slot: str, text: str, tracker: Tracker) -> tuple[str, Any] | None:
        if not antwoorden.is_correction(text):
            return None
        for other, parse in CORRECTIONS.items():
            if other == slot or tracker.get_slot(other) is None or not re.search(UNIT_WORDS[other], text.lower()):
                continue
            parsed = parse(text)
            if parsed not in (None, WEET_NIET):
                return other, parsed
        return None

    # One validator per slot in PARSERS (a test checks): Rasa calls ``validate_<slot>`` by name.

    async def validate_check(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("check", value, dispatcher, tracker, domain)

    async def validate_uitkering(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("uitkering", value, dispatcher, tracker, domain)

    async def validate_contract_maanden(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("contract_maanden", value, dispatcher, tracker, domain)

    async def validate_schriftelijk_contract(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("schriftelijk_contract", value, dispatcher, tracker, domain)

    async def validate_uren_per_week(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("uren_per_week", value, dispatcher, tracker, domain)

    async def validate_loonwaarde_pct(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("loonwaarde_pct", value, dispatcher, tracker, domain)

    async def validate_loonkostensubsidie(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("loonkostensubsidie", value, dispatcher, tracker, domain)

    async def validate_vso_pro_schoolverlater(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("vso_pro_schoolverlater", value, dispatcher, tracker, domain)

    async def validate_kan_geen_wml_verdienen(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("kan_geen_wml_verdienen", value, dispatcher, tracker, domain)

    async def validate_wml_bedrag(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("wml_bedrag", value, dispatcher, tracker, domain)

    async def validate_uwv_advies(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("uwv_advies", value, dispatcher, tracker, domain)

    async def validate_in_doelgroepregister(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        return self._validate("in_doelgroepregister", value, dispatcher, tracker, domain)


class ActionCheckUitslag(Action):
    """Give the verdict, then forget the answers of this check (the benefit type is kept)."""

    def name(self) -> str:
        return "action_check_uitslag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        check = tracker.get_slot("check")
        if check not in CHECKS:
            dispatcher.utter_message(response="utter_ask_check")
            return []
        verdict = verdict_for(check, tracker.slots)
        dispatcher.utter_message(
            text=render_verdict(verdict, audience_of(tracker), KENNISBANK),
            buttons=[
                {"title": "Nog een check", "payload": "/start_check"},
                {"title": "Praat met een medewerker", "payload": "/request_human"},
            ],
        )
        reset = [SlotSet(name, None) for name in INPUT_SLOTS if name != "uitkering"]
        return [
            *reset,
            SlotSet("check", None),
            SlotSet(COUNTER, None),
            SlotSet("laatste_uitslag", f"{check}: {verdict.outcome.value}"),
        ]
