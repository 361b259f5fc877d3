"""NLU component: when a user says who they are, make sure the audience is found.

No learned extractor finds ``audience`` (config.yml has no DIET). When the
intent is ``tell_audience``, this component looks for the words the training
data annotates as an audience ("bedrijf", "mijn zoon", "cliëntenraad", ...)
and adds the entity. In other messages (a question) it only does so when the
user describes themselves:
"wij hebben een bedrijf, hoe ...", "ik ben werkgever en ...", "mijn zoon zit
op het vso". In "kan een werkgever loonkostensubsidie krijgen?" the word
"werkgever" does not say who is asking, so nothing is added there.
An audience span of another extractor that is no annotated phrase ("moeder van" for
"moeder") is replaced by the keyword, so the synonym mapper can name it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reintegratie.nlu.learned_state import LearnedStateComponent

ENTITY = "audience"
INTENT_NAME = "tell_audience"
#: "ik ben (een) werkgever", "wij hebben een bedrijf", "als ouder", "mijn zoon": the user about themselves.
SELF = r"(?:\b(?:ik|wij|we)\s+(?:ben|zijn|heb|hebben)\s+(?:zelf\s+)?(?:een\s+|de\s+|eigen\s+)*|\bals\s+)"


def keywords_from(training_data: TrainingData) -> dict[str, str]:
    """Annotated audience phrases (lower case) -> their value, from every training example."""
    keywords: dict[str, str] = {}
    for example in training_data.nlu_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES) or []:
            if entity.get("entity") == ENTITY:
                phrase = text[entity["start"] : entity["end"]].lower()
                keywords.setdefault(phrase, str(entity["value"]))
    return keywords


def find_audience(text: str, keywords: dict[str, str], about_self: bool = False) -> dict[str, Any] | None:
    """The longest keyword in ``text`` (whole words), as a Rasa entity."""
    lowered = text.lower()
    for phrase in sorted(keywords, key=len, reverse=True):
        prefix = SELF if about_self and not phrase.startswith("mijn ") else ""
        match = re.search(rf"{prefix}(?<!\w)({re.escape(phrase)})(?!\w)", lowered)
        if match:
            return {
                "entity": ENTITY,
                "start": match.start(1),
                "end": match.end(1),
                "value": keywords[phrase],
                "extractor": "AudienceKeywords",
            }
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class AudienceKeywords(LearnedStateComponent):
    FILE_NAME = "audience_keywords.json"

    def learn(self, training_data: TrainingData) -> dict[str, str]:
        keywords = keywords_from(training_data)
        if not keywords:
            raise ValueError(f"No '{ENTITY}' annotations in the NLU data")
        return keywords

    @classmethod
    def from_json(cls, raw: Any) -> dict[str, str]:
        return dict(raw or {})

    def known(self, entity: dict[str, Any]) -> bool:
        """An audience span DIET found is kept only when it is an annotated phrase or value ("moeder van" is not)."""
        value = str(entity.get("value") or "").lower()
        return value in self.state or value in self.state.values()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            about_self = (message.get(INTENT) or {}).get("name") != INTENT_NAME
            original = message.get(ENTITIES) or []
            entities = [e for e in original if e.get("entity") != ENTITY or self.known(e)]
            if not any(entity.get("entity") == ENTITY for entity in entities):
                found = find_audience(message.get(TEXT) or "", self.state, about_self=about_self)
                entities = [*entities, found] if found else entities
            if entities != original:
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
