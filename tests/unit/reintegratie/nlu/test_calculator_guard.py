"""CalculatorGuard: a question for the user's own subsidy at a loonwaarde they give starts the LKS calculator.

The trained pipeline, end to end: `make eval` plays eigen-werkgever-02 (issue 19's example) and the check's answers.
"""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.calculator_guard import CalculatorGuard

GUARD = CalculatorGuard(CalculatorGuard.get_default_config())
PERCENTAGE = [{"entity": "percentage", "value": "60 procent", "start": 0, "end": 10}]


def after(text: str, intent: str, entities: list[dict] = PERCENTAGE) -> tuple[str, list[str]]:
    rows = [{"name": intent, "confidence": 0.93}, {"name": "check_loonkostensubsidie", "confidence": 0.06}]
    message = Message({TEXT: text, INTENT: dict(rows[0]), INTENT_RANKING_KEY: rows, ENTITIES: entities})
    (out,) = GUARD.process([message])
    return out.get(INTENT)["name"], [row["name"] for row in out.get(INTENT_RANKING_KEY)]


@pytest.mark.parametrize(
    "text",
    [
        "wij hebben een bakkerij, willen iemand aannemen met een loonwaarde van 60 procent. hoeveel subsidie krijg ik?",
        "loonwaarde 60 procent, hoeveel lks krijgen we dan",
        "onze medewerker heeft een loonwaarde van 60%. wat krijgen wij?",
    ],
)
def test_the_users_own_amount_at_a_given_loonwaarde_is_the_calculator(text: str) -> None:
    assert after(text, "faq") == ("check_loonkostensubsidie", ["check_loonkostensubsidie", "faq"])


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        ("hoeveel loonkostensubsidie krijg je bij een loonwaarde van 50 procent", PERCENTAGE),  # the rule in general
        ("mijn dochter heeft een loonwaarde van 60 procent, hoeveel lks krijgt haar baas", PERCENTAGE),
        ("hoeveel subsidie krijg ik?", []),  # no loonwaarde given: the article on the amount
        ("mijn werknemer werkt 60 procent, hoeveel subsidie krijg ik", PERCENTAGE),  # a percentage, not a loonwaarde
    ],
)
def test_other_questions_keep_their_article(text: str, entities: list[dict]) -> None:
    assert after(text, "faq", entities)[0] == "faq"


def test_an_answer_in_a_check_or_an_unsure_message_is_left_alone() -> None:
    text = "een loonwaarde van 60 procent. hoeveel krijg ik?"
    assert after(text, "inform")[0] == "inform"
    assert after(text, "nlu_fallback")[0] == "nlu_fallback"
