"""Retention: delete conversations and closed handoff requests older than a number of days.

``python -m ops.retention [--days N] [--dry-run]`` (``make purge``). N comes from
``--days``, else ``RETENTION_DAYS``, else 90.

- A conversation (all events of one ``sender_id`` in Rasa's ``events`` table, ``TRACKER_STORE_URL``) is
  deleted as a whole when its *last* event is older than N days. A conversation with an open or claimed
  handoff request is kept, whatever its age: a consultant still needs it.
- A handoff request closed more than N days ago is deleted with its outbox messages
  (``HandoffService.purge_closed``, ``HANDOFF_DATABASE_URL``).

A database or table that does not exist yet counts as empty; nothing is created. On SQLite, deleted rows
are overwritten (``secure_delete``) and the write-ahead log is emptied, so the text does not linger on
disk. The handoff database is read first: when it cannot be read, nothing is deleted.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from common import log_privacy, settings
from handoff.db import database_url, make_engine
from handoff.models import CLAIMED, CLOSED, OPEN, HandoffRequest, utcnow
from handoff.service import HandoffService, HandoffUnavailable

DEFAULT_DAYS = int(settings.RETENTION_DAYS.default)
#: Conversations deleted per statement (bounded IN list, short transactions next to a running Rasa).
BATCH = 500
DAY_SECONDS = 24 * 60 * 60

EVENTS = sa.table("events", sa.column("sender_id", sa.String), sa.column("timestamp", sa.Float))


class RetentionError(ValueError):
    """A wrong number of days; the message is for the person who runs the purge."""


def parse_days(value: str, source: str = "--days") -> int:
    """A whole number of days, 1 or more; :class:`RetentionError` otherwise."""
    try:
        return settings.days(source, value)
    except ValueError as error:
        raise RetentionError(str(error)) from None


def days_from_env() -> int:
    """``RETENTION_DAYS``, default 90; :class:`RetentionError` for a bad value."""
    try:
        return settings.RETENTION_DAYS.value()
    except ValueError as error:
        raise RetentionError(str(error)) from None


@dataclass(frozen=True)
class Result:
    days: int
    dry_run: bool
    conversations: int  # deleted (or, with dry_run, to delete)
    handoffs: int  # closed handoff requests deleted (or to delete)
    kept: int  # old conversations kept because of an open or claimed handoff request

    def report(self) -> str:
        counts = (
            f"{plural(self.conversations, 'gesprek', 'gesprekken')}, "
            f"{plural(self.handoffs, 'overdrachtsverzoek', 'overdrachtsverzoeken')} ouder dan {self.days} dagen"
        )
        lines = [
            f"proef (--dry-run), niets verwijderd. Zou verwijderen: {counts}"
            if self.dry_run
            else f"verwijderd: {counts}"
        ]
        if self.kept:
            lines.append(
                f"bewaard: {plural(self.kept, 'oud gesprek', 'oude gesprekken')} "
                "met een open of geclaimd overdrachtsverzoek"
            )
        return "\n".join(lines)


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# --- engines ------------------------------------------------------------------------------------------


def _missing_sqlite_file(url: URL) -> bool:
    """A SQLite database whose file is not there (yet): nothing to delete, and nothing to create."""
    if url.get_backend_name() != "sqlite":
        return False
    return not url.database or url.database == ":memory:" or not Path(url.database).is_file()


def _secure_delete(engine: Engine) -> None:
    """SQLite overwrites deleted rows with zeros (new connections of ``engine``)."""
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA secure_delete=ON"))
        engine.dispose()


def _checkpoint(engine: Engine) -> None:
    """SQLite in WAL mode: copy the log into the file and empty it, so deleted text does not stay in the log."""
    if engine.dialect.name != "sqlite":
        return
    connection = engine.raw_connection()
    try:
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        connection.close()


def tracker_engine(url: str) -> Engine | None:
    """An engine on the tracker store as Rasa opens it (None when its SQLite file does not exist)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        parsed = parsed.set(database=parsed.database or "rasa.db")  # Rasa's default, as in stores.py
        if _missing_sqlite_file(parsed):
            return None
        engine = sa.create_engine(parsed, future=True, connect_args={"timeout": 10.0})
        _secure_delete(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = 5
        schema = settings.POSTGRESQL_SCHEMA.value()  # Rasa's own setting for the tracker store
        if schema:
            connect_args["options"] = f"-csearch_path={schema}"
    return sa.create_engine(parsed, future=True, pool_pre_ping=True, connect_args=connect_args)


def handoff_service(url: str, *, dry_run: bool) -> HandoffService | None:
    """The handoff service, or None when its database or table does not exist yet (nothing is created)."""
    if _missing_sqlite_file(make_url(url)):
        return None
    probe = make_engine(url)
    try:
        if not sa.inspect(probe).has_table(HandoffRequest.__tablename__):
            return None
    finally:
        probe.dispose()
    service = HandoffService(url, migrate=not dry_run)
    _secure_delete(service.engine)
    return service


# --- the purge ----------------------------------------------------------------------------------------


def active_conversations(service: HandoffService | None) -> set[str]:
    """Conversation ids with an open or claimed handoff request."""
    if service is None:
        return set()
    query = sa.select(HandoffRequest.conversation_id).where(HandoffRequest.status.in_((OPEN, CLAIMED))).distinct()
    with service.engine.connect() as connection:
        return set(connection.scalars(query))


def old_conversations(connection: Connection, cutoff: float) -> list[str]:
    """Sender ids whose last event is older than ``cutoff`` (epoch seconds)."""
    query = (
        sa.select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
        .order_by(EVENTS.c.sender_id)
    )
    return list(connection.scalars(query))


def delete_conversations(engine: Engine, sender_ids: Sequence[str], cutoff: float) -> int:
    """Delete these conversations, in batches; one that got a new event meanwhile stays. Returns the number gone."""
    recent = EVENTS.alias("recent")
    quiet = ~sa.exists().where(recent.c.sender_id == EVENTS.c.sender_id, recent.c.timestamp >= cutoff)
    deleted = 0
    for start in range(0, len(sender_ids), BATCH):
        batch = list(sender_ids[start : start + BATCH])
        with engine.begin() as connection:
            connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(batch), quiet))
            left = connection.scalars(sa.select(EVENTS.c.sender_id).where(EVENTS.c.sender_id.in_(batch)).distinct())
            deleted += len(batch) - len(list(left))
    return deleted


def purge_conversations(url: str, days: int, keep: set[str], *, dry_run: bool) -> tuple[int, int]:
    """(conversations deleted or to delete, old conversations kept because they are in ``keep``)."""
    engine = tracker_engine(url)
    if engine is None:
        return 0, 0
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0, 0
        cutoff = time.time() - days * DAY_SECONDS
        with engine.connect() as connection:
            old = old_conversations(connection, cutoff)
        to_delete = [sender_id for sender_id in old if sender_id not in keep]
        kept = len(old) - len(to_delete)
        if dry_run:
            return len(to_delete), kept
        deleted = delete_conversations(engine, to_delete, cutoff)
        _checkpoint(engine)
        return deleted, kept
    finally:
        engine.dispose()


def count_closed(service: HandoffService, days: int) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(HandoffRequest)
        .where(HandoffRequest.status == CLOSED, HandoffRequest.closed_at < utcnow() - timedelta(days=days))
    )
    with service.engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def purge(
    days: int, *, dry_run: bool = False, tracker_url: str | None = None, handoff_url: str | None = None
) -> Result:
    """Delete (or with ``dry_run`` count) what is older than ``days`` days. Database errors propagate."""
    if days < 1:
        raise RetentionError(f"days={days}: 1 or more")
    service = handoff_service(handoff_url or database_url(), dry_run=dry_run)
    try:
        keep = active_conversations(service)  # first: unreadable means nothing is deleted
        conversations, kept = purge_conversations(
            tracker_url or settings.TRACKER_STORE_URL.value(), days, keep, dry_run=dry_run
        )
        handoffs = 0
        if service is not None:
            if dry_run:
                handoffs = count_closed(service, days)
            else:
                handoffs = service.purge_closed(days)
                _checkpoint(service.engine)
    finally:
        if service is not None:
            service.dispose()
    return Result(days=days, dry_run=dry_run, conversations=conversations, handoffs=handoffs, kept=kept)


# --- command line -------------------------------------------------------------------------------------


def _days_argument(value: str) -> int:
    try:
        return parse_days(value)
    except RetentionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    log_privacy.install()
    parser = argparse.ArgumentParser(
        prog="python -m ops.retention",
        description="Verwijder gesprekken en gesloten overdrachtsverzoeken ouder dan een aantal dagen.",
    )
    parser.add_argument(
        "--days",
        type=_days_argument,
        default=None,
        help=f"bewaartermijn in dagen (standaard RETENTION_DAYS, anders {DEFAULT_DAYS})",
    )
    parser.add_argument("--dry-run", action="store_true", help="alleen tellen, niets verwijderen")
    arguments = parser.parse_args(argv)
    try:
        days = arguments.days if arguments.days is not None else days_from_env()
    except RetentionError as error:
        print(f"fout: {error}", file=sys.stderr)
        return 2
    try:
        result = purge(days, dry_run=arguments.dry_run)
    except (SQLAlchemyError, HandoffUnavailable, OSError) as error:
        detail = (str(error).strip().splitlines() or [""])[0]
        print(
            f"fout: een database is niet bereikbaar (database unavailable): {type(error).__name__}: {detail}",
            file=sys.stderr,
        )
        return 1
    print(result.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
