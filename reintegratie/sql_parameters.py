"""Text the database driver cannot encode is stored escaped, instead of failing in the driver.

A Python ``str`` may hold a lone surrogate (``"x\\udfff"``): JSON allows the escape ``"\\udfff"``, and
Rasa's HTTP API and channels decode it into such a string. UTF-8 cannot encode it, so sqlite3 and psycopg2
raise ``UnicodeEncodeError`` for a sender id like that. Every lone surrogate in a statement parameter is
written as its backslash escape (``"x\\\\udfff"``, the same text ``json.dumps`` gives for the event data).
The result always contains a backslash, which no id our channels accept has, so such an id can never
address another client's conversation; reading it back uses the same escape, so it finds its own events.
No Rasa imports: the handoff package may use this too.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def encodable(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings replaced by its backslash escape."""
    if isinstance(value, str):
        if value.isascii():  # the common case (event data is ASCII JSON): no copy
            return value
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {key: encodable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(encodable(item) for item in value)
    return value


def _encodable_parameters(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    return statement, encodable(parameters)


def escape_lone_surrogates_in_parameters(engine: Engine) -> None:
    """Every parameter ``engine`` sends has its lone surrogates escaped (any database)."""
    event.listen(engine, "before_cursor_execute", _encodable_parameters, retval=True)
