"""NLU component: a short message that says which topic the user meant is a follow-up, not that topic's check.

"sorry, ik bedoelde eigenlijk de no-riskpolis", after a question about loonkostensubsidie, was ``check_no_riskpolis``
(0.65): the check intents learn from short messages that name their topic ("no-riskpolis check"). The user asks the
question before again, for the topic meant. So a message of at most ``max_words`` words that says what the user meant
(``kennisbank.context.says_what_was_meant``) and that the classifier took for a check or a kennisbank question becomes
``vervolgvraag``. The FollowUpEntityExtractor after it finds the topic, and ``actions.kennisbank.in_context`` answers
the last question for it. Training examples did the same less well: eight of them lowered the intents' macro-F1 from
0.934 to 0.926 in cross-validation (2026-12-06), because they share their topic words with the checks.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from kennisbank.context import says_what_was_meant
from reintegratie.nlu.configured import ConfiguredComponent

logger = logging.getLogger(__name__)

FOLLOW_UP_INTENT = "vervolgvraag"
#: The intents such a message is taken from: a check of the topic named, or a question about it.
TAKEN_FROM = ("check_", "start_check", "faq")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CorrectionGuard(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"max_words": 8}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self.max_words = int(config["max_words"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = str(intent.get("name") or "")
            if not name.startswith(TAKEN_FROM) or not says_what_was_meant(message.get(TEXT) or "", self.max_words):
                continue
            follow_up = {"name": FOLLOW_UP_INTENT, "confidence": float(intent.get("confidence") or 0.0)}
            logger.debug("bedoeld onderwerp: %s in plaats van %s", FOLLOW_UP_INTENT, name)
            ranking = [row for row in message.get(INTENT_RANKING_KEY) or [] if row.get("name") != FOLLOW_UP_INTENT]
            message.set(INTENT, follow_up, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [follow_up, *ranking], add_to_output=True)
        return messages
