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
