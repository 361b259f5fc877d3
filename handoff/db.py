"""Database URL, engine and migrations for the handoff tables."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, create_engine, make_url

from common import settings
from common.sql_parameters import make_parameters_storable
from common.sqlite_files import private_database_file

logger = logging.getLogger(__name__)

DEFAULT_URL = settings.HANDOFF_DATABASE_URL.default
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Alembic's version table; its own name, so a shared PostgreSQL database can hold other Alembic projects.
VERSION_TABLE = "handoff_alembic_version"
#: How long a SQLite writer waits for another process's lock before giving up.
SQLITE_BUSY_SECONDS = 10.0
#: Execution option: this transaction writes (SQLite takes the write lock at BEGIN IMMEDIATE).
WRITE = "handoff_write"
_MIGRATION_LOCK = 72_657_010  # any constant: the PostgreSQL advisory lock that serialises migrations


def database_url() -> str:
    """``HANDOFF_DATABASE_URL``, default ``sqlite:///var/handoff.db``."""
    return settings.HANDOFF_DATABASE_URL.value()


def is_sqlite(engine: Engine | Connection) -> bool:
    return str(engine.dialect.name) == "sqlite"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url`` (default :func:`database_url`).

    SQLite: the parent directory is created, WAL mode and a busy timeout let the action server, the
    console and the worker share the file, and write transactions start with ``BEGIN IMMEDIATE``.
    """
    parsed = make_url(url or database_url())
    arguments: dict[str, Any] = {"future": True, "pool_pre_ping": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            # the directory, and the file mode 0600 before SQLite creates it 0644; a failure is logged,
            # and the connection will fail and say so
            private_database_file(Path(parsed.database))
        arguments["connect_args"] = {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}
    elif parsed.get_backend_name() == "postgresql":
        arguments["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(parsed, **arguments)
    if is_sqlite(engine):
        _sqlite_events(engine)
    make_parameters_storable(engine)  # a sender id or a summary may hold NUL or a lone surrogate
    return engine


def _sqlite_events(engine: Engine) -> None:
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    event.listen(engine, "connect", _connect)
    event.listen(engine, "begin", _begin)


def writer(engine: Engine) -> Engine:
    """The same engine, for transactions that write (on SQLite they take the write lock at once)."""
    return engine.execution_options(**{WRITE: True})


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code (no alembic.ini needed at runtime)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Alembic ``upgrade head``, one process at a time (SQLite write lock, PostgreSQL advisory lock)."""
    with writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        command.upgrade(alembic_config(connection), "head")
