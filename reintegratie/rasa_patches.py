"""Four of Rasa 3.6's steps, done once or more directly on every message: the only changes to Rasa's own code.

Timed per step (tools/profile_reply.py, docs/benchmarks.md 2026-12-05), four things cost more than the work they do,
and Rasa has no setting for any of them:

1. **The action server's reply.** ``RemoteAction._validate_action_result`` calls ``jsonschema.validate(result,
   schema)`` for every custom action. ``jsonschema.validate`` first checks the schema itself against the JSON
   Schema metaschema, and Rasa's schema of all event types is large: 25 ms per action call on this 2-core machine,
   most of what a kennisbank answer cost beyond a plain message. Here the same reply is checked against the same
   schema (``RemoteAction.action_response_format_spec()``) with a validator built, and its schema checked, once.
   A reply that breaks the schema raises the same ``ValidationError`` with the same message.
2. **Reading events.** ``Event.resolve_by_type`` finds an event's class by walking all subclasses of ``Event``
   (``inspect.isabstract`` on each) for every single event: reading a conversation of 50 events back from the
   tracker store did it 50 times, about two thirds of the read. Here the map from type name to class is built
   once from Rasa's own list (and again when a name is missing, for a subclass imported later); a name Rasa does
   not know goes to Rasa's method, which handles ``default`` and raises as before.

3. **Running the model's graph.** Every message runs the graph three times (NLU, then a prediction per action),
   and each run, ``DaskGraphRunner.run``, works out the part of the graph it needs and hands it to dask's
   scheduler: about 1 ms of a 0.8 ms NLU run or policy prediction. ``SequentialGraphRunner`` works out the order
   of the nodes once per set of targets and calls the same nodes, with the same inputs, in that order (the model
   runs on one thread either way: ``dask.get`` is dask's synchronous scheduler). The processor loads models with
   it; training keeps Rasa's runner.

4. **Copying the slots.** Every tracker Rasa makes (reading a conversation, each state the policies look at, each
   copy before an action) copies every slot of the domain with ``copy.copy``, which goes through
   ``__reduce_ex__`` and ``copyreg``: 2 microseconds a slot, two thirds of ``DialogueStateTracker.init_copy``
   (72 against 25 microseconds), about 6% of a plain message's time on the event loop (py-spy at 10 users).
   ``Slot.__copy__`` does what ``copy.copy`` does for them (a new instance of the same class with a copy of the
   attributes), directly.

``reintegratie.launch`` installs all four before Rasa starts. ``tests/unit/reintegratie/test_rasa_patches.py`` checks
that each gives Rasa's results and fails when Rasa's methods underneath change (another Rasa version).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from graphlib import TopologicalSorter
from typing import Any

import rasa.core.processor
from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.core.slots import Slot
from rasa.shared.utils.common import all_subclasses

#: Rasa's own methods, kept for the tests, for names Rasa alone resolves, and for ``uninstall()``.
RASA_VALIDATE = RemoteAction._validate_action_result
RASA_RESOLVE_EVENT = Event.resolve_by_type
RASA_RUNNER = rasa.core.processor.DaskGraphRunner

#: type name -> event class, as Rasa's first match in ``all_subclasses(Event)``.
EVENT_TYPES: dict[str, type[Event]] = {}


@cache
def reply_validator() -> Validator:
    """The validator of Rasa's reply schema; the schema itself is checked here, once (as jsonschema.validate)."""
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)  # type: ignore[no-any-return]


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with a validator built once; the same result and error."""
    error: ValidationError | None = best_match(reply_validator().iter_errors(result))  # as jsonschema.validate
    if error is None:
        return True
    # the same text as Rasa 3.6 adds (rasa/core/actions/action.py)
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def resolve_event_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """``Event.resolve_by_type`` from a map built once; the same class, default or error."""
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        EVENT_TYPES.clear()  # built again: an event class may have been imported since
        for subclass in reversed(all_subclasses(Event)):  # reversed: the first match wins, as in Rasa
            EVENT_TYPES[subclass.type_name] = subclass
        cls = EVENT_TYPES.get(type_name)
        if cls is None:
            return RASA_RESOLVE_EVENT(type_name, default)  # "topic", the default, or Rasa's ValueError
    return cls


#: A node of a run: its name, the node, and the names of the nodes (or inputs) whose outputs it takes, in order.
Step = tuple[str, GraphNode, tuple[str, ...]]


class SequentialGraphRunner(DaskGraphRunner):
    """``DaskGraphRunner`` without dask: the nodes a run needs, in an order computed once per set of targets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[str, ...], list[Step]] = {}

    def plan(self, targets: Sequence[str]) -> list[Step]:
        """The nodes the targets need (Rasa's ``minimal_graph_schema``), each after the nodes it takes inputs from."""
        key = tuple(targets)
        if key not in self._plans:
            schema = self._graph_schema.minimal_graph_schema(list(targets))
            needs = {name: tuple(node.needs.values()) for name, node in schema.nodes.items()}
            order = TopologicalSorter({name: set(inputs) & needs.keys() for name, inputs in needs.items()})
            self._plans[key] = [(name, self._instantiated_nodes[name], needs[name]) for name in order.static_order()]
        return self._plans[key]

    def run(self, inputs: dict[str, Any] | None = None, targets: list[str] | None = None) -> dict[str, Any]:
        """The targets' outputs, as ``DaskGraphRunner.run`` gives them (and its error for a clashing input)."""
        plan = self.plan(targets or self._graph_schema.target_names)
        outputs: dict[str, Any] = {}
        if inputs:
            self._add_inputs_to_graph(inputs, {name: None for name, _, _ in plan})  # Rasa's check of the names
            outputs.update({name: (name, value) for name, value in inputs.items()})  # as dask passes an input
        try:
            for name, node, needs in plan:
                outputs[name] = node(*(outputs[need] for need in needs))
        except RuntimeError as error:
            raise GraphRunError("Error running runner.") from error
        return dict(outputs[target] for target in targets or self._graph_schema.target_names)


def copy_slot(self: Slot) -> Slot:
    """``copy.copy(slot)``: the same class, the same attributes (a shallow copy, as ``copy.copy`` makes)."""
    new = type(self).__new__(type(self))
    new.__dict__.update(self.__dict__)
    return new


def install() -> None:
    """Use all four in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign,assignment]
    rasa.core.processor.DaskGraphRunner = SequentialGraphRunner  # type: ignore[misc]
    Slot.__copy__ = copy_slot  # type: ignore[attr-defined]


def uninstall() -> None:
    EVENT_TYPES.clear()
    RemoteAction._validate_action_result = RASA_VALIDATE  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(RASA_RESOLVE_EVENT)  # type: ignore[method-assign,assignment]
    rasa.core.processor.DaskGraphRunner = RASA_RUNNER  # type: ignore[misc]
    if "__copy__" in Slot.__dict__:
        del Slot.__copy__  # type: ignore[attr-defined]
