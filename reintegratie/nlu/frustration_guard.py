"""NLU component: a message that says the user is fed up gets the intent ``frustratie``, whatever its topic.

"ik heb al 3 keer de gemeente gebeld over de loonkostensubsidie en niemand weet het. ik word hier gek van": the
classifiers see loonkostensubsidie and pick ``faq``, and the user gets the next article without a word about the
feeling. Issue 19 §5 asks for acknowledgement and the offer of a person (the rule for ``frustratie`` in
data/rules/basis.yml); the action adds what the sources say only when the anger is about a clear subject, not at the
assistant (``actions.kennisbank.feeling_article``). The phrases that say so plainly are the lookup table
``frustratie_signaal`` in data/nlu/toon.yml, and each word of ``frustratie_signaal_gevoel`` after a first-person form
(``FEELING_HEADS``): explicit, so a content editor can read and extend them, and the log shows which one matched.
A message that also asks something (it has a question mark: "wat een onzin allemaal, hoe vraag ik
loonkostensubsidie aan?") keeps the classifiers' intent: the question is answered, after an acknowledgement (the
entity ``toon``).

It runs after the classifiers and before the BSN guard (a BSN is still warned about first) and the
FallbackClassifier.
"""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reintegratie.nlu.learned_state import LearnedStateComponent
from reintegratie.nlu.phrases import phrase_pattern

logger = logging.getLogger(__name__)

FRUSTRATION_INTENT = "frustratie"
#: A question that also says the feeling keeps its intent; the entity ``toon`` (value: the feeling's intent) lets the
#: answer acknowledge it first ("die jobcoach zien we nooit ... waar is dat nou goed voor??").
TONE_ENTITY = "toon"
LOOKUP_TABLE = "frustratie_signaal"
#: Words that may stand inside a phrase without changing it: "ik word echt gek van", "ik ben nu zo boos".
FILLERS = ("echt", "zo", "zó", "nu", "hier", "er", "helemaal", "gewoon", "toch", "best", "wel", "ook", "zeker", "heel")
#: The user saying how they feel, in the first person, followed by a word of the lookup table
#: ``<LOOKUP_TABLE>_gevoel`` ("daar word ik zo kwaad om", "ik voel me echt belazerd", "we voelen ons gepasseerd").
#: Not "wordt" or "is": "mijn zoon wordt snel boos" describes someone else.
FEELING_HEADS = (
    "ik ben",
    "ben ik",
    "word ik",
    "ik word",
    "we zijn",
    "wij zijn",
    "zijn we",
    "worden we",
    "ik voel me",
    "voel ik me",
    "ik voel mij",
    "we voelen ons",
    "wij voelen ons",
    "voelen we ons",
)
#: The learned state: the plain phrases and the feeling words.
State = dict[str, list[str]]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FrustrationGuard(LearnedStateComponent):
    FILE_NAME = "frustratie_signaal.json"
    LOOKUP_TABLE: ClassVar[str] = LOOKUP_TABLE
    INTENT: ClassVar[str] = FRUSTRATION_INTENT

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.pattern = self.compile(self.state)

    @staticmethod
    def compile(state: State) -> re.Pattern[str] | None:
        return phrase_pattern(state["phrases"], FILLERS, heads=FEELING_HEADS, tails=state["gevoel"])

    def learn(self, training_data: TrainingData) -> State:
        phrases = self.lookup(training_data, self.LOOKUP_TABLE)
        if not phrases:
            raise ValueError(f"No lookup table {self.LOOKUP_TABLE!r} in the NLU data (data/nlu/toon.yml)")
        state = {"phrases": phrases, "gevoel": self.lookup(training_data, f"{self.LOOKUP_TABLE}_gevoel")}
        self.pattern = self.compile(state)
        return state

    @staticmethod
    def lookup(training_data: TrainingData, name: str) -> list[str]:
        """The elements of the lookup table ``name``, sorted, each once."""
        tables = [t for t in training_data.lookup_tables if t.get("name") == name]
        return sorted({str(e) for t in tables for e in t.get("elements", [])})

    @classmethod
    def from_json(cls, raw: Any) -> State:
        if isinstance(raw, dict):
            return {"phrases": list(raw.get("phrases") or []), "gevoel": list(raw.get("gevoel") or [])}
        return {"phrases": list(raw or []), "gevoel": []}  # a model trained before the feeling words

    def process(self, messages: list[Message]) -> list[Message]:
        if self.pattern is None:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            found = self.pattern.search(text)
            if found is None:
                continue
            logger.debug("%s: the phrase %r", self.INTENT, found.group(0))
            if "?" in text:
                # the question keeps its intent and is answered; the feeling is marked for the answer to acknowledge
                tone = {
                    ENTITY_ATTRIBUTE_TYPE: TONE_ENTITY,
                    ENTITY_ATTRIBUTE_VALUE: self.INTENT,
                    ENTITY_ATTRIBUTE_START: found.start(),
                    ENTITY_ATTRIBUTE_END: found.end(),
                    EXTRACTOR: type(self).__name__,
                }
                message.set(ENTITIES, [*message.get(ENTITIES, []), tone], add_to_output=True)
                continue
            intent = {"name": self.INTENT, "confidence": 1.0}
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class WorryGuard(FrustrationGuard):
    """The same for worry ("ik maak me echt zorgen, mijn kind zit straks thuis"): intent ``zorgen``, acknowledged
    with other words than anger (utter_zorgen_erkend), and the offer of a person. Phrases: lookup ``zorgen_signaal``.
    It runs before FrustrationGuard: a message that says both is frustration."""

    FILE_NAME = "zorgen_signaal.json"
    LOOKUP_TABLE = "zorgen_signaal"
    INTENT = "zorgen"
