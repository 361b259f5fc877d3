"""Every response speaks to employers and cliëntenraad members with "u", to everyone else with "je".

Checked through Rasa's own response generator with a tracker per audience, as the assistant picks them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = Domain.load(str(ROOT / "domain.yml"))
JE = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.IGNORECASE)
U = re.compile(r"\b(u|uw)\b", re.IGNORECASE)
#: Asked only while the audience is unknown ("Wie ben je?"), so it has no "u" variant.
AUDIENCE_UNKNOWN_ONLY = {"utter_vraag_doelgroep"}


async def text_for(response: str, audience: str | None) -> str:
    tracker = DialogueStateTracker.from_events(
        "domain-test", [SlotSet("audience", audience)] if audience else [], slots=DOMAIN.slots
    )
    generated = await TemplatedNaturalLanguageGenerator(DOMAIN.responses).generate(response, tracker, "rest")
    assert generated is not None, response
    return " ".join([generated.get("text") or ""] + [b["title"] for b in generated.get("buttons") or []])


def informal_responses() -> list[str]:
    return sorted(
        name
        for name, variants in DOMAIN.responses.items()
        if any(JE.search(variant.get("text") or "") for variant in variants) and name not in AUDIENCE_UNKNOWN_ONLY
    )


def test_the_check_sees_the_informal_responses() -> None:
    assert {"utter_greet", "utter_fallback_suggesties", "utter_out_of_scope"} <= set(informal_responses())


@pytest.mark.parametrize("response", informal_responses())
@pytest.mark.parametrize("audience", ["werkgever", "clientenraad"])
async def test_employers_and_clientenraad_get_u(response: str, audience: str) -> None:
    text = await text_for(response, audience)
    assert not JE.search(text), text


@pytest.mark.parametrize("response", informal_responses())
@pytest.mark.parametrize("audience", [None, "werkzoekende", "ouder"])
async def test_job_seekers_parents_and_unknown_get_je(response: str, audience: str | None) -> None:
    text = await text_for(response, audience)
    assert not U.search(text), text


def variants_with_buttons() -> list[tuple[str, int]]:
    return [
        (name, number)
        for name, variants in sorted(DOMAIN.responses.items())
        for number, variant in enumerate(variants)
        if variant.get("buttons")
    ]


def test_the_button_check_sees_the_check_questions() -> None:
    assert ("utter_ask_uwv_advies", 0) in variants_with_buttons()


@pytest.mark.parametrize(("response", "number"), variants_with_buttons())
@pytest.mark.parametrize("audience", [None, "werkgever"])
async def test_every_button_has_its_own_title_and_a_payload(response: str, number: int, audience: str | None) -> None:
    """A flow mapping like `{title: Ja, positief, payload: p}` is YAML for the title "Ja" plus a stray key:
    the user then saw "Ja | Ja". Each button has exactly a title and a payload, and titles differ."""
    buttons = DOMAIN.responses[response][number]["buttons"]
    assert all(set(button) == {"title", "payload"} for button in buttons), buttons
    assert all(str(button["title"]).strip() and str(button["payload"]).strip() for button in buttons), buttons
    titles = [str(button["title"]).strip().lower() for button in buttons]
    assert len(set(titles)) == len(titles), titles
    tracker = DialogueStateTracker.from_events(
        "domain-test", [SlotSet("audience", audience)] if audience else [], slots=DOMAIN.slots
    )
    generated = await TemplatedNaturalLanguageGenerator(DOMAIN.responses).generate(response, tracker, "rest")
    shown = [button["title"] for button in (generated or {}).get("buttons") or []]
    assert len(set(shown)) == len(shown), shown
