"""Base for our small NLU components that learn nothing: what they do is their configuration."""

from __future__ import annotations

from typing import Any, Dict, TypeVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

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
