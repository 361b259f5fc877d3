"""NLU component: a question for the user's own subsidy at a loonwaarde they give starts the LKS calculator.

"wij hebben een bakkerij en willen iemand aannemen met een loonwaarde van 60 procent. hoeveel subsidie krijg ik?" is
issue 19's example of the calculator, which takes the 60 percent from the question. The classifier made it ``faq``
(0.93): the introduction of the bakery weighs towards the kennisbank questions, and the kennisbank has "hoeveel
loonkostensubsidie krijg je bij een loonwaarde van 50 procent" (the rule in general, "je"). A question that gives the
loonwaarde (a ``percentage`` entity and the word) and asks how much the user gets ("krijg ik", "krijgen wij") is a
question for their own case: ``check_loonkostensubsidie``. The general question keeps its article.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.configured import ConfiguredComponent, promote

logger = logging.getLogger(__name__)

CALCULATOR_INTENT = "check_loonkostensubsidie"
#: The intents such a question is taken from: a kennisbank question, or an introduction that also asks it.
TAKEN_FROM = ("faq", "tell_audience")
#: How much the user gets: "hoeveel subsidie krijg ik", "hoeveel lks krijgen we", "hoeveel krijgen wij dan".
OWN_AMOUNT = re.compile(
    r"\bhoeveel\b(\s+[\w-]+){0,3}?\s+(krijg|krijgen)\s+(ik|we|wij)\b|\bwat\s+(krijg|krijgen)\s+(ik|we|wij)\b",
    re.IGNORECASE,
)
LOONWAARDE = re.compile(r"\bloonwaarde\b", re.IGNORECASE)


def asks_own_amount(text: str, entities: List[Dict[str, Any]]) -> bool:
    """Whether ``text`` gives a loonwaarde (the word and a percentage entity) and asks what the user gets."""
    has_percentage = any(entity.get("entity") == "percentage" for entity in entities)
    return has_percentage and bool(LOONWAARDE.search(text)) and bool(OWN_AMOUNT.search(text))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CalculatorGuard(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = str(intent.get("name") or "")
            if name not in TAKEN_FROM or not asks_own_amount(str(message.get(TEXT) or ""), message.get(ENTITIES) or []):
                continue
            logger.debug("LKS-rekenhulp in plaats van %s", name)
            promote(message, {"name": CALCULATOR_INTENT, "confidence": float(intent.get("confidence") or 0.0)})
        return messages
