"""PostgreSQL text cannot hold NUL (U+0000); psycopg2 raises ValueError on it before anything is sent.

A REST sender id, a typed message or an intent payload may contain NUL. Both the tracker store and the
handoff store replace it by U+FFFD in every statement parameter, so such a message is stored instead of
failing the turn (and, for Rasa's SQLTrackerStore, instead of stopping the server: it takes that
ValueError for a missing schema). No Rasa imports: the handoff package uses this too.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def without_nul(value: Any) -> Any:
    """``value`` with every NUL character in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {key: without_nul(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(without_nul(item) for item in value)
    return value


def _parameters_without_nul(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    return statement, without_nul(parameters)


def replace_nul_in_parameters(engine: Engine) -> None:
    """On PostgreSQL, every parameter ``engine`` sends has NUL replaced by U+FFFD. Other databases: nothing."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "before_cursor_execute", _parameters_without_nul, retval=True)
