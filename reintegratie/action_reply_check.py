"""Rasa checks each reply of the action server against its schema once, not the schema itself every time.

Rasa 3.6's ``RemoteAction._validate_action_result`` calls ``jsonschema.validate(result, schema)`` for every
custom action. ``jsonschema.validate`` first checks the schema itself against the JSON Schema metaschema, and
Rasa's schema of all event types is large: that check took 25 ms per action call on this 2-core machine (100 ms
under cProfile), most of what a kennisbank answer cost beyond a plain message (docs/benchmarks.md, 2026-12-05
15:00). There is no setting for it, so ``install()`` replaces that one method: the same reply is checked
against the same schema (``RemoteAction.action_response_format_spec()``), with a validator that is built, and
whose schema is checked, once. A reply that breaks the schema raises the same ``ValidationError`` with the same
message, so Rasa logs and handles it as before.

``reintegratie.launch`` installs it before Rasa starts. ``tests/unit/reintegratie/test_action_reply_check.py``
fails when Rasa's method underneath changes (another Rasa version), so this module is looked at again then.
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

#: Rasa's own method, kept for the tests and for ``uninstall()``.
RASA_VALIDATE = RemoteAction._validate_action_result


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


def install() -> None:
    """Use the validator built once in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


def uninstall() -> None:
    RemoteAction._validate_action_result = RASA_VALIDATE  # type: ignore[method-assign]
