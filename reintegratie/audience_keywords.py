"""NLU component: when a user says who they are, make sure the audience is found.

DIET learns the ``audience`` entity from the examples and usually finds it.
When the intent is ``tell_audience`` but DIET found no audience, this
component looks for the words the training data annotates as an audience
("bedrijf", "mijn zoon", "cliëntenraad", ...) and adds the entity. It only
acts on ``tell_audience``: in a question such as "kan een werkgever
loonkostensubsidie krijgen voor mijn zoon?" the word "werkgever" does not say
who is asking.
"""
from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

ENTITY = "audience"
INTENT_NAME = "tell_audience"
FILE_NAME = "audience_keywords.json"


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


def find_audience(text: str, keywords: dict[str, str]) -> dict[str, Any] | None:
    """The longest keyword in ``text`` (whole words), as a Rasa entity."""
    lowered = text.lower()
    for phrase in sorted(keywords, key=len, reverse=True):
        match = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered)
        if match:
            return {
                "entity": ENTITY,
                "start": match.start(),
                "end": match.end(),
                "value": keywords[phrase],
                "extractor": "AudienceKeywords",
            }
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class AudienceKeywords(GraphComponent):
    def __init__(self, model_storage: ModelStorage, resource: Resource, keywords: dict[str, str]) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.keywords = keywords

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AudienceKeywords:
        return cls(model_storage, resource, {})

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> AudienceKeywords:
        with model_storage.read_from(resource) as path:
            return cls(model_storage, resource, read_json_file(path / FILE_NAME))

    def train(self, training_data: TrainingData) -> Resource:
        self.keywords = keywords_from(training_data)
        if not self.keywords:
            raise ValueError(f"No '{ENTITY}' annotations in the NLU data")
        with self._model_storage.write_to(self._resource) as path:
            dump_obj_as_json_to_file(path / FILE_NAME, self.keywords)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if (message.get(INTENT) or {}).get("name") != INTENT_NAME:
                continue
            entities = message.get(ENTITIES) or []
            if any(entity.get("entity") == ENTITY for entity in entities):
                continue
            found = find_audience(message.get(TEXT) or "", self.keywords)
            if found:
                message.set(ENTITIES, [*entities, found], add_to_output=True)
        return messages
