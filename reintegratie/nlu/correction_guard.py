"""NLU component: a short message that only makes sense after an answer is a follow-up (intent ``vervolgvraag``).

"sorry, ik bedoelde eigenlijk de no-riskpolis", after a question about loonkostensubsidie, was ``check_no_riskpolis``
(0.65): the check intents learn from short messages that name their topic ("no-riskpolis check"). The user asks the
question before again, for the topic meant. So a message of at most ``max_words`` words that says what the user meant
(``kennisbank.context.says_what_was_meant``) and that the classifier took for a check or a kennisbank question becomes
``vervolgvraag``. The FollowUpEntityExtractor after it finds the topic, and ``actions.kennisbank.in_context`` answers
the last question for it. Training examples did the same less well: eight of them lowered the intents' macro-F1 from
0.934 to 0.926 in cross-validation (2026-12-06), because they share their topic words with the checks. "nee ik bedoel
hoe lang in totaal, hoeveel jaar" (an aspect meant, not a topic) was ``niet_in_bronnen`` (0.68): it is taken from there
and from ``deny`` too.

A short question for the source ("waar kan ik meer lezen", "waar kan ik kijken") after an answer on Open Hiring was
``out_of_scope`` (0.78 to 0.94): out_of_scope learns "waar kan ik sushi bestellen". It asks where the last answer comes
from, and that answer names its source: a follow-up (``kennisbank.context.asks_for_source``). Without a current topic
the follow-up asks which topic is meant, which is the honest answer to it there too.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from kennisbank.context import asks_for_source, says_what_was_meant, word_count
from reintegratie.nlu.configured import ConfiguredComponent, promote

logger = logging.getLogger(__name__)

FOLLOW_UP_INTENT = "vervolgvraag"
#: The intents a message that says what was meant is taken from: a check of the topic named, a question about it, or
#: "my sources say nothing" and "no" for an aspect meant.
TAKEN_FROM = ("check_", "start_check", "faq", "niet_in_bronnen", "deny")
#: The intents a short question for the source is taken from: questions about something else or about the assistant.
SOURCE_TAKEN_FROM = ("out_of_scope", "ask_capabilities")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class CorrectionGuard(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"max_words": 10}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self.max_words = int(config["max_words"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            name = str(intent.get("name") or "")
            if not self.follow_up(str(message.get(TEXT) or ""), name):
                continue
            logger.debug("vervolgvraag in plaats van %s", name)
            promote(message, {"name": FOLLOW_UP_INTENT, "confidence": float(intent.get("confidence") or 0.0)})
        return messages

    def follow_up(self, text: str, intent: str) -> bool:
        """Whether a message the classifier took for ``intent`` says what the user meant, or asks for the source."""
        if intent.startswith(TAKEN_FROM) and says_what_was_meant(text, self.max_words):
            return True
        return intent in SOURCE_TAKEN_FROM and word_count(text) <= self.max_words and asks_for_source(text)
