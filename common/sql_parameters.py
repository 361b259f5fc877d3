"""Text the database cannot take is stored changed, instead of failing in the driver (and failing the request).

Two kinds of text reach the stores through ids and messages (a REST sender id, typed text, a handoff reason):

- **A lone surrogate** (``"x\\udfff"``): JSON allows the escape ``"\\udfff"``, and Rasa's HTTP API and channels
  decode it into such a string. UTF-8 cannot encode it, so sqlite3 and psycopg2 raise ``UnicodeEncodeError``.
  It is written as its backslash escape (``"x\\\\udfff"``, the text ``json.dumps`` gives for the event data).
  The result always contains a backslash, which no id our channels accept has, so such an id can never address
  another client's conversation; reading it back uses the same escape, so it finds its own rows.
- **NUL** (``"\\x00"``) on PostgreSQL, whose text type cannot hold it: written as U+FFFD. SQLite keeps it.

``make_parameters_storable(engine)`` applies both to every statement parameter ``engine`` sends. No Rasa imports:
the tracker store and the handoff store both use it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` with ``change`` applied to every string in it (nested dicts, lists and tuples included)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: map_strings(item, change) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(map_strings(item, change) for item in value)
    return value


def escape_lone_surrogates(text: str) -> str:
    if text.isascii():  # the common case (event data is ASCII JSON): no copy
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def escape_lone_surrogates_and_nul(text: str) -> str:
    return escape_lone_surrogates(text).replace("\x00", "\ufffd")


def make_parameters_storable(engine: Engine) -> None:
    """Every parameter ``engine`` sends: lone surrogates escaped, and on PostgreSQL NUL replaced by U+FFFD."""
    change = escape_lone_surrogates_and_nul if engine.dialect.name == "postgresql" else escape_lone_surrogates

    def storable(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> tuple[str, Any]:
        return statement, map_strings(parameters, change)

    event.listen(engine, "before_cursor_execute", storable, retval=True)
