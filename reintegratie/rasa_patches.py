"""Two of Rasa 3.6's steps, done once instead of on every message: the only changes to Rasa's own code.

Timed per step (tools/profile_reply.py, docs/benchmarks.md 2026-12-05), two things cost more than the work they do,
and Rasa has no setting for either:

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

``reintegratie.launch`` installs both before Rasa starts. ``tests/unit/reintegratie/test_rasa_patches.py`` checks
that each gives Rasa's results and fails when Rasa's methods underneath change (another Rasa version).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

#: Rasa's own methods, kept for the tests, for names Rasa alone resolves, and for ``uninstall()``.
RASA_VALIDATE = RemoteAction._validate_action_result
RASA_RESOLVE_EVENT = Event.resolve_by_type

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


def install() -> None:
    """Use both in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_event_type)  # type: ignore[method-assign,assignment]


def uninstall() -> None:
    EVENT_TYPES.clear()
    RemoteAction._validate_action_result = RASA_VALIDATE  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(RASA_RESOLVE_EVENT)  # type: ignore[method-assign,assignment]
