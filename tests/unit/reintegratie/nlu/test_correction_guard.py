"""CorrectionGuard: a short message that says which topic the user meant is a follow-up, not that topic's check.

The trained pipeline, end to end: `make eval` plays
blind7-clientenraad-11 ("sorry, ik bedoelde eigenlijk de no-riskpolis") and tests/unit/actions/test_context.py
resolves such a follow-up.
"""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.correction_guard import CorrectionGuard

GUARD = CorrectionGuard(CorrectionGuard.get_default_config())


def after(text: str, *ranking: tuple[str, float]) -> tuple[str, list[str]]:
    rows = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    (out,) = GUARD.process([Message({TEXT: text, INTENT: dict(rows[0]), INTENT_RANKING_KEY: rows})])
    return out.get(INTENT)["name"], [row["name"] for row in out.get(INTENT_RANKING_KEY)]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("sorry, ik bedoelde eigenlijk de no-riskpolis", "check_no_riskpolis"),
        ("nee ik bedoel loonkostensubsidie", "check_loonkostensubsidie"),
        ("doelgroepregister bedoel ik", "faq"),
    ],
)
def test_what_the_user_meant_is_a_follow_up(text: str, intent: str) -> None:
    assert after(text, (intent, 0.65), ("vervolgvraag", 0.2), ("faq", 0.15)) == (
        "vervolgvraag",
        ["vervolgvraag", intent, "faq"],
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("kom ik in aanmerking voor de no-riskpolis", "check_no_riskpolis"),  # no correction
        ("ik bedoel 30 uur", "inform"),  # an answer in a check stays an answer
        ("ik bedoel eigenlijk: kan mijn werkgever de no-riskpolis krijgen als ik vaak ziek ben?", "check_no_riskpolis"),
        ("ik bedoel dat ik boos ben", "frustratie"),
    ],
    ids=["no-correction", "inform", "long-question", "other-intent"],
)
def test_other_messages_keep_their_intent(text: str, intent: str) -> None:
    assert after(text, (intent, 0.7), ("faq", 0.2))[0] == intent


def test_an_aspect_meant_is_a_follow_up_not_no_sources() -> None:
    # blind9-clientenraad-07 after UWV's hours per year: the total duration, not "mijn bronnen zeggen er niets over"
    text = "nee ik bedoel hoe lang in totaal, hoeveel jaar"
    assert after(text, ("niet_in_bronnen", 0.68), ("deny", 0.1))[0] == "vervolgvraag"


@pytest.mark.parametrize("text", ["waar kan ik kijken", "waar kan ik meer lezen?", "waar kan ik daar meer over lezen"])
def test_a_short_question_for_the_source_is_a_follow_up(text: str) -> None:
    # blind8-ouder-10, blind9-ouder-08, blind9-werkzoekende-04: after Open Hiring, whose answer names openhiring.nl
    assert after(text, ("out_of_scope", 0.94), ("ask_capabilities", 0.02))[0] == "vervolgvraag"


@pytest.mark.parametrize("text", ["waar kan ik sushi bestellen", "waar kan ik lekker uit eten in utrecht"])
def test_other_questions_about_where_stay_out_of_scope(text: str) -> None:
    assert after(text, ("out_of_scope", 0.94), ("faq", 0.02))[0] == "out_of_scope"
