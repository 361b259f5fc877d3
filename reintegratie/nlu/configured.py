"""Base for our small NLU components that learn nothing: what they do is their configuration."""

from __future__ import annotations

from typing import Any, Dict, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

Component = TypeVar("Component", bound="ConfiguredComponent")


class ConfiguredComponent(GraphComponent):
    """Built from its ``get_default_config()`` with the values of config.yml over it."""

    def __init__(self, config: Dict[str, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls: type[Component],
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls({**cls.get_default_config(), **config})


def promote(message: Message, intent: Dict[str, Any]) -> None:
    """Make ``intent`` (name and confidence) the message's intent, first in its ranking, without a second row of it:
    what a guard does when it knows better than the classifier."""
    ranking = [row for row in message.get(INTENT_RANKING_KEY) or [] if row.get("name") != intent.get("name")]
    message.set(INTENT, dict(intent), add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
