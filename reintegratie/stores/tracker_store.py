"""The tracker store endpoints.yml names, configured by URL from the environment.

It is Rasa's own ``SQLTrackerStore``; only the configuration differs: one URL,
with a default (see ``common.settings``). It also never stops the process (``EnvSQLTrackerStore.session_scope``), scrubs
personal data before writing, keeps a SQLite file private (mode 0600), writes in a worker thread (one for SQLite,
which also keeps its connections: ``EnvSQLTrackerStore._keep_sqlite_connections``; ``EnvSQLTrackerStore.save``).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import json
import logging
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import POSTGRESQL_SCHEMA, SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from common import log_privacy
from common.privacy import scrub
from common.settings import StoreSettings
from common.sql_parameters import make_parameters_storable
from common.sqlite_files import private_database_file

logger = logging.getLogger(__name__)


def sql_store_arguments(url: str) -> dict[str, Any]:
    """Split a SQLAlchemy URL into the arguments ``SQLTrackerStore`` takes."""
    parsed = make_url(url)
    arguments: dict[str, Any] = {
        "dialect": parsed.drivername,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database or "rasa.db",
        "username": parsed.username,
        "password": parsed.password,
    }
    if parsed.query:
        arguments["query"] = dict(parsed.query)
    return arguments


class EnvSQLTrackerStore(SQLTrackerStore):
    """SQL tracker store whose database comes from ``TRACKER_STORE_URL``."""

    def __init__(
        self,
        domain: Domain | None = None,
        host: str | None = None,
        event_broker: EventBroker | None = None,
        **kwargs: Any,
    ) -> None:
        log_privacy.install()  # also when Rasa was started without reintegratie.launch (rasa shell, rasa run)
        url = StoreSettings.from_env().tracker_store_url
        arguments = sql_store_arguments(url)
        if arguments["dialect"].startswith("sqlite"):
            private_database_file(Path(arguments["db"]))  # mode 0600, before SQLite creates it 0644
        logger.info("Tracker store: %s", make_url(url).render_as_string(hide_password=True))
        super().__init__(domain=domain, event_broker=event_broker, **{**kwargs, **arguments})
        #: where the writes run: a thread of their own for SQLite (below), else asyncio's default executor
        self._writer: ThreadPoolExecutor | None = None
        if arguments["dialect"].startswith("sqlite"):
            self._keep_sqlite_connections()
        make_parameters_storable(self.engine)  # UTF-8 cannot hold "x\udfff", PostgreSQL text cannot hold NUL
        self._check_schema()
        if arguments["dialect"].startswith("sqlite"):
            # WAL, so several Rasa processes (SANIC_WORKERS) can read and write the file at the same time;
            # in the default journal mode a reader waits for a writer and the other way round. The mode is
            # kept in the file, so once is enough. Python's sqlite3 already waits up to 5 s for a lock.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    def _keep_sqlite_connections(self) -> None:
        """SQLite: keep connections open between messages, and write from one thread.

        SQLAlchemy 1.4 opens a new SQLite connection for every session of a file database (``NullPool``): under 10
        users that was 30% of reading a conversation, on the event loop (py-spy, docs/benchmarks.md 2026-12-05).
        ``QueuePool`` is what SQLAlchemy 2.0 uses for SQLite files; a connection then serves one thread at a time,
        so it may move between threads (``check_same_thread``). SQLite lets one writer at a time in; the writes of
        concurrent conversations in several threads made all but one wait in SQLite's busy handler, which sleeps in
        steps of milliseconds. One writer thread queues them instead.
        """
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=QueuePool, pool_size=4, max_overflow=8, connect_args={"check_same_thread": False}
        )
        self.sessionmaker = sessionmaker(bind=self.engine)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-tracker-writer")

    def _check_schema(self) -> None:
        """At start-up: the schema POSTGRESQL_SCHEMA names exists (what Rasa checked in every session)."""
        with self.sessionmaker() as session:
            try:
                ensure_schema_exists(session)
            except ValueError as missing:
                raise ValueError(
                    f"{POSTGRESQL_SCHEMA}={missing}: this schema does not exist in the tracker database. "
                    f"Create it (CREATE SCHEMA {missing};) or unset {POSTGRESQL_SCHEMA}."
                ) from None

    @contextlib.contextmanager
    def session_scope(self) -> Generator[Session, None, None]:
        """A session; an error in it is raised to the caller, like any other error.

        Rasa's own ``session_scope`` turns every ``ValueError`` raised inside it into ``sys.exit``, because it
        takes one for a missing PostgreSQL schema. But the database driver raises ``ValueError`` for data
        too (``UnicodeEncodeError`` for a lone surrogate, NUL on PostgreSQL), so one REST message stopped
        the server. The schema is now checked once, at start-up (``_check_schema``). A failed read or write
        raises here and fails only that call: the agent's ``FailSafeTrackerStore`` logs it and carries on
        with a tracker in memory for that turn; anything that still fails the turn gets the channels' "er
        ging iets mis" message (``reintegratie.channels.action_fallback``). The process stays up.
        """
        session = self.sessionmaker()
        try:
            yield session
        finally:
            session.close()

    @cached_property
    def current_session_queries(self) -> tuple[sa.sql.Select, sa.sql.Select]:
        """The data of a conversation's events since its latest ``session_started``, in order, and their number.

        The same rows as Rasa's ``SQLTrackerStore._event_query`` (latest session), built once as SQLAlchemy Core
        statements that read only the ``data`` column. Rasa builds its ORM query anew for every read and every save
        and loads each row as an ORM object; on SQLite its form also needs a temporary table and a sort (0.15 ms
        against 0.04 ms for the statement alone), and in one run on a busy machine the count before a save took
        6.5 ms p50 through Rasa's query against 1.0 ms here (docs/benchmarks.md, 2026-12-05 15:36).
        """
        events = self.SQLEvent.__table__
        sender = sa.bindparam("sender_id")
        session_start = (
            sa.select(sa.func.max(events.c.timestamp))
            .where(events.c.sender_id == sender, events.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        current = sa.and_(
            events.c.sender_id == sender, sa.or_(events.c.timestamp >= session_start, session_start.is_(None))
        )
        return (
            sa.select(events.c.data).where(current).order_by(events.c.id),
            sa.select(sa.func.count()).select_from(events).where(current),
        )

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa's ``_retrieve``; the latest session (what every message reads) with the statement built once."""
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            rows = session.execute(self.current_session_queries[0], {"sender_id": sender_id}).scalars().all()
        events = [json.loads(data) for data in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The new events, with personal data (common.privacy.scrub) removed before they are written.

        Which events are new: those after the number stored for the latest session, as in Rasa.
        """
        return (event for event, _ in self._new_events(session, tracker.sender_id, list(tracker.events)))

    def _new_events(self, session: Any, sender_id: str, events: list[Event]) -> Iterator[tuple[Event, dict[str, Any]]]:
        """The events not yet stored, scrubbed, each with its ``as_dict()`` (the row's data)."""
        stored = session.execute(self.current_session_queries[1], {"sender_id": sender_id}).scalar_one()
        for event in events[stored:]:
            data = event.as_dict()
            scrubbed = scrub(data)
            if scrubbed == data:
                yield event, data
            else:  # rebuilding an event costs about 0.1 ms (Rasa looks its class up), so only when something changed
                rebuilt = Event.from_parameters(scrubbed)  # type: ignore[arg-type]
                yield rebuilt, rebuilt.as_dict()

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Rasa's ``save``, with the database work in a worker thread.

        The write ends in a commit that waits for the disk (SQLite's ``fsync``; on PostgreSQL the server's). In
        Rasa's ``save`` that wait blocks the event loop, so no other conversation moves meanwhile: 5 to 8 ms of each
        message (docs/benchmarks.md, 2026-12-05 15:36). In a thread the loop serves other conversations while this
        one waits. The reply still goes out only after the commit: the processor awaits this call. The lock store
        lets one message per conversation through at a time, so nothing changes the tracker while it is written;
        the events are copied first all the same.
        """
        await self.stream_events(tracker)
        # as asyncio.to_thread, with this task's context (log filters read it), in the store's own executor
        write = functools.partial(contextvars.copy_context().run, self._write, tracker.sender_id, list(tracker.events))
        await asyncio.get_running_loop().run_in_executor(self._writer, write)

    def _write(self, sender_id: str, events: list[Event]) -> None:
        """Insert the events not yet stored (scrubbed) and commit; the rows Rasa's ``save`` writes."""
        with self.session_scope() as session:
            rows = []
            for event, data in self._new_events(session, sender_id, events):
                rows.append(
                    {
                        "sender_id": sender_id,
                        "type_name": event.type_name,
                        "timestamp": data.get("timestamp"),
                        "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                        "action_name": data.get("name"),
                        "data": json.dumps(data),
                    }
                )
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()
        logger.debug("Tracker with sender_id '%s' stored to database", sender_id)
