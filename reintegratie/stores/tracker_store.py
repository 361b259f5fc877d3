"""The tracker store endpoints.yml names, configured by URL from the environment.

It is Rasa's own ``SQLTrackerStore``; only the configuration differs: one URL,
with a default (see ``common.settings``). It also never stops the process (``EnvSQLTrackerStore.session_scope``), scrubs
personal data before writing, and keeps a SQLite file private (mode 0600).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import POSTGRESQL_SCHEMA, SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

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
        make_parameters_storable(self.engine)  # UTF-8 cannot hold "x\udfff", PostgreSQL text cannot hold NUL
        self._check_schema()
        if arguments["dialect"].startswith("sqlite"):
            # WAL, so several Rasa processes (SANIC_WORKERS) can read and write the file at the same time;
            # in the default journal mode a reader waits for a writer and the other way round. The mode is
            # kept in the file, so once is enough. Python's sqlite3 already waits up to 5 s for a lock.
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

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

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The new events, with personal data (common.privacy.scrub) removed before they are written."""
        for event in super()._additional_events(session, tracker):
            data = event.as_dict()
            scrubbed = scrub(data)
            # rebuilding an event costs about 0.1 ms (Rasa looks its class up), so only when something changed
            yield event if scrubbed == data else Event.from_parameters(scrubbed)  # type: ignore[arg-type]
