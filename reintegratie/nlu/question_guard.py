"""NLU component: a message that says who the user is and also asks something is a question.

"wij zijn een schoonmaakbedrijf, welke subsidies zijn er?" and "mijn dochter zit op het vso en wordt 18, wat nu?"
are classified ``tell_audience`` (the self-description weighs most), and the user got "Dank u. Ik geef u de
antwoorden voor werkgevers. Waar gaat uw vraag over?": the question was dropped (issue 19 §2). No ``tell_audience``
example in the NLU data has a question mark. So when such a message has one, and the classifier's next intent
(``faq``, a check, ...) is at least ``min_confidence``, that intent is taken; the audience entity stays, so the
answer is worded for that audience. The FrustrationGuard reads a question mark the same way.

It runs after the FallbackClassifier: a message the classifier was unsure about stays ``nlu_fallback``, and the
question's own confidence (often under the fallback threshold, because the self-description took its share) does
not send it to the fallback.

The other way round: an introduction without a question that the FallbackClassifier took only because the
greeting in it scored nearly as high ("goedemiddag, ik heb een tuincentrum met 15 medewerkers": tell_audience 0.51,
greet 0.46, blind11) is the introduction, when an audience was found in it.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.audience_keywords import ENTITY as AUDIENCE_ENTITY
from reintegratie.nlu.audience_keywords import INTENT_NAME as INTRODUCTION_INTENT
from reintegratie.nlu.configured import ConfiguredComponent, promote

logger = logging.getLogger(__name__)

#: Intents a question is never promoted to: the fallback, and the introduction itself.
NOT_A_QUESTION = {INTRODUCTION_INTENT, "nlu_fallback"}
#: A clause that starts with a question word: "..., wat nu?", "mijn zoon zit op het vso. wat nu eigenlijk".
QUESTION_CLAUSE = re.compile(
    r"(^|[.,!?;:]\s*)(wat|hoe|hoeveel|welke|wie|waar|wanneer|waarom|kan|kunnen|mag|mogen|moet|moeten)\b", re.IGNORECASE
)


def asks(text: str, unsure: bool) -> bool:
    """Whether a message asks something besides the introduction: a clause that starts with a question word; when
    the introduction won outright, a question mark is enough ("wij zijn een bakkerij, subsidies?")."""
    return bool(QUESTION_CLAUSE.search(text)) or (not unsure and "?" in text)


def greeted_introduction(message: Message, ranking: List[Dict[str, Any]]) -> bool:
    """Whether an unsure message is an introduction with a greeting: the fallback took it, the introduction and the
    greeting are the classifier's first two (either first: "goedemiddag, ik heb een tuincentrum met 15 medewerkers"
    was greet 0.50, tell_audience 0.44), and an audience was found in it."""
    names = [row.get("name") for row in ranking if row.get("name") != "nlu_fallback"][:2]
    found = any(entity.get("entity") == AUDIENCE_ENTITY for entity in message.get(ENTITIES) or [])
    unsure = (message.get(INTENT) or {}).get("name") == "nlu_fallback"
    return unsure and set(names) == {INTRODUCTION_INTENT, "greet"} and found


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class QuestionGuard(ConfiguredComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"min_confidence": 0.25}

    def __init__(self, config: Dict[str, Any]) -> None:
        super().__init__(config)
        self.min_confidence = float(config["min_confidence"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = message.get(INTENT_RANKING_KEY) or []
            # the introduction won, or it won narrowly and the FallbackClassifier took over (eval 2026-12-06:
            # "mijn dochter zit op het vso en wordt 18, wat nu?" was tell_audience 0.49, faq 0.42)
            first = next((row.get("name") for row in ranking if row.get("name") != "nlu_fallback"), None)
            if intent.get("name") not in NOT_A_QUESTION:
                continue
            asked = asks(message.get(TEXT) or "", unsure=intent.get("name") == "nlu_fallback")
            if not asked and greeted_introduction(message, ranking):
                logger.debug("voorstellen met groet: %s in plaats van %s", INTRODUCTION_INTENT, intent)
                promote(message, next(row for row in ranking if row.get("name") == INTRODUCTION_INTENT))
                continue
            if first != INTRODUCTION_INTENT or not asked:
                continue
            question = next((row for row in ranking if row.get("name") not in NOT_A_QUESTION), None)
            if question is None or float(question.get("confidence") or 0.0) < self.min_confidence:
                continue
            logger.debug(
                "vraag na voorstellen: %s (%.2f) in plaats van %s", question["name"], question["confidence"], intent
            )
            promote(message, question)
        return messages
