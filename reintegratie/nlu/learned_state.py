"""Base for our small trainable NLU components that keep one JSON file of state."""

from __future__ import annotations

from typing import Any, ClassVar

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file


class LearnedStateComponent(GraphComponent):
    """Learns ``state`` from the training data, stores it as JSON in the model, loads it back."""

    FILE_NAME: ClassVar[str]

    def __init__(self, model_storage: ModelStorage, resource: Resource, state: Any) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.state = state

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LearnedStateComponent:
        return cls(model_storage, resource, cls.from_json(None))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LearnedStateComponent:
        with model_storage.read_from(resource) as path:
            return cls(model_storage, resource, cls.from_json(read_json_file(path / cls.FILE_NAME)))

    def train(self, training_data: TrainingData) -> Resource:
        self.state = self.learn(training_data)
        with self._model_storage.write_to(self._resource) as path:
            dump_obj_as_json_to_file(path / self.FILE_NAME, self.to_json(self.state))
        return self._resource

    def learn(self, training_data: TrainingData) -> Any:
        raise NotImplementedError

    @classmethod
    def from_json(cls, raw: Any) -> Any:
        """The state from its JSON form (``None``: the empty state)."""
        return raw

    @staticmethod
    def to_json(state: Any) -> Any:
        return state
