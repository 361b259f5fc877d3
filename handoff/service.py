"""Store and change handoff requests; a new request and its outbox message are written in one transaction."""

from __future__ import annotations

import builtins
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from common import settings
from common.privacy import scrub, scrub_text
from handoff.db import database_url, make_engine, migrate, writer
from handoff.models import CLAIMED, CLOSED, OPEN, STATUSES, HandoffRequest, OutboxMessage, utcnow
from handoff.webhook import build_payload

logger = logging.getLogger(__name__)


#: Open (not yet claimed) requests one client may have at a time; 0 means no limit.
MAX_OPEN_ENV = settings.HANDOFF_MAX_OPEN_PER_CLIENT.name
DEFAULT_MAX_OPEN_PER_CLIENT = int(settings.HANDOFF_MAX_OPEN_PER_CLIENT.default)
_CLIENT_LOCK = 72_657_011  # any constant: PostgreSQL advisory lock namespace for counting a client's requests


class HandoffUnavailable(Exception):
    """The database could not be reached; the request is NOT stored."""


class TooManyOpen(Exception):
    """The client already has ``limit`` open requests; this one is NOT stored."""

    def __init__(self, client: str, open_requests: int, limit: int) -> None:
        super().__init__(f"{open_requests} open requests for client {client} (limit {limit})")
        self.client, self.open_requests, self.limit = client, open_requests, limit


def max_open_per_client() -> int:
    """``HANDOFF_MAX_OPEN_PER_CLIENT`` (default 2; 0 = no limit). A bad value raises ValueError."""
    return settings.HANDOFF_MAX_OPEN_PER_CLIENT.value()


@dataclass(frozen=True)
class HandoffRecord:
    id: int
    conversation_id: str
    created_at: datetime
    audience: str | None
    topic: str | None
    reason: str
    summary: dict[str, Any]
    status: str
    consultant: str | None
    callback: dict[str, Any] | None
    claimed_at: datetime | None
    closed_at: datetime | None
    client: str | None = None


def _record(row: HandoffRequest) -> HandoffRecord:
    return HandoffRecord(
        id=row.id,
        conversation_id=row.conversation_id,
        created_at=row.created_at,
        audience=row.audience,
        topic=row.topic,
        reason=row.reason,
        summary=row.summary,
        status=row.status,
        consultant=row.consultant,
        callback=row.callback,
        claimed_at=row.claimed_at,
        closed_at=row.closed_at,
        client=row.client,
    )


def _open_count(client: str) -> Any:
    return (
        select(func.count())
        .select_from(HandoffRequest)
        .where(HandoffRequest.client == client, HandoffRequest.status == OPEN)
    )


@contextmanager
def database_errors() -> Iterator[None]:
    """Turn "the database is not there" into :class:`HandoffUnavailable`."""
    try:
        yield
    except (DBAPIError, PoolTimeout, OSError) as error:
        raise HandoffUnavailable(f"handoff database unavailable: {type(error).__name__}: {error}") from error


class HandoffService:
    """Handoff requests in the database at ``url`` (default ``HANDOFF_DATABASE_URL``).

    With ``migrate`` the tables are brought up to date first; when the database is down then,
    that is retried by the next call (which raises :class:`HandoffUnavailable` until it works).
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self._migrated = not migrate
        self._lock = threading.Lock()
        if migrate:
            try:
                self._ready()
            except HandoffUnavailable as error:
                logger.warning("%s; retried on the next call", error)

    def _ready(self) -> None:
        if self._migrated:
            return
        with self._lock, database_errors():
            if not self._migrated:
                migrate(self.engine)
                self._migrated = True

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        """A session in one transaction (committed at the end, rolled back on any error)."""
        self._ready()
        with database_errors(), Session(writer(self.engine) if write else self.engine, future=True) as session:
            with session.begin():
                yield session

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    def create(
        self,
        *,
        conversation_id: str,
        audience: str | None,
        topic: str | None,
        reason: str,
        summary: dict[str, Any],
        callback: dict[str, Any] | None = None,
        client: str | None = None,
        max_open: int | None = None,
    ) -> HandoffRecord:
        """Store a request (summary scrubbed of personal data) and its outbox message, in one transaction.

        The callback's e-mail address and phone number were given on purpose and are kept (the outbox message
        leaves them out). With ``client`` and a ``max_open`` above 0, a client that already has ``max_open`` open
        requests gets :class:`TooManyOpen` and nothing is stored; the count and the insert are one transaction
        (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: an advisory lock per client), so parallel requests cannot pass.
        """
        now = utcnow()
        with self._session(write=True) as session:
            if client is not None and max_open:
                self._check_open(session, client, max_open)
            row = HandoffRequest(
                conversation_id=conversation_id,
                created_at=now,
                audience=audience,
                topic=topic,
                reason=scrub_text(reason),
                summary=scrub(summary),
                status=OPEN,
                callback=callback,
                client=client,
            )
            session.add(row)
            session.flush()
            payload = build_payload(
                handoff_id=row.id,
                conversation_id=row.conversation_id,
                created_at=now,
                audience=audience,
                topic=topic,
                reason=row.reason,
                summary=row.summary,
                callback=callback,
            )
            session.add(
                OutboxMessage(handoff_id=row.id, payload=payload, created_at=now, attempts=0, next_attempt_at=now)
            )
            session.flush()
            return _record(row)

    @staticmethod
    def _check_open(session: Session, client: str, max_open: int) -> None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(
                text("SELECT pg_advisory_xact_lock(:space, hashtext(:client))"),
                {"space": _CLIENT_LOCK, "client": client},
            )
        open_requests = session.execute(_open_count(client)).scalar_one()
        if open_requests >= max_open:
            raise TooManyOpen(client, open_requests, max_open)

    def open_for_client(self, client: str) -> int:
        """How many open (not yet claimed) requests ``client`` has."""
        with self._session() as session:
            return int(session.execute(_open_count(client)).scalar_one())

    def get(self, handoff_id: int) -> HandoffRecord | None:
        with self._session() as session:
            row = session.get(HandoffRequest, handoff_id)
            return _record(row) if row else None

    def list(self, status: str | None = None) -> builtins.list[HandoffRecord]:
        """All requests, or those with ``status``, newest first."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"onbekende status {status!r}; kies uit {', '.join(STATUSES)}")
        query = select(HandoffRequest).order_by(HandoffRequest.created_at.desc(), HandoffRequest.id.desc())
        if status is not None:
            query = query.where(HandoffRequest.status == status)
        with self._session() as session:
            return [_record(row) for row in session.scalars(query)]

    def active_for(self, conversation_id: str) -> HandoffRecord | None:
        """The latest open or claimed request of a conversation."""
        query = (
            select(HandoffRequest)
            .where(HandoffRequest.conversation_id == conversation_id, HandoffRequest.status.in_((OPEN, CLAIMED)))
            .order_by(HandoffRequest.created_at.desc(), HandoffRequest.id.desc())
            .limit(1)
        )
        with self._session() as session:
            row = session.scalars(query).first()
            return _record(row) if row else None

    def claim(self, handoff_id: int, consultant: str) -> HandoffRecord:
        """Claim an open request; only one consultant can (raises ``ValueError("al geclaimd")`` otherwise)."""
        return self._transition(handoff_id, (OPEN,), status=CLAIMED, consultant=consultant, claimed_at=utcnow())

    def close(self, handoff_id: int, consultant: str) -> HandoffRecord:
        """Close an open or claimed request; the consultant is kept if it had one, else ``consultant``."""
        return self._transition(
            handoff_id,
            (OPEN, CLAIMED),
            status=CLOSED,
            closed_at=utcnow(),
            consultant=func.coalesce(HandoffRequest.consultant, consultant),
        )

    def _transition(self, handoff_id: int, allowed: tuple[str, ...], **values: Any) -> HandoffRecord:
        """One atomic status change (``UPDATE ... WHERE status IN allowed``); ValueError says why it could not."""
        with self._session(write=True) as session:
            changed = session.execute(
                update(HandoffRequest)
                .where(HandoffRequest.id == handoff_id, HandoffRequest.status.in_(allowed))
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount
            row = session.get(HandoffRequest, handoff_id, populate_existing=True)
            if row is None:
                raise ValueError("verzoek niet gevonden")
            if not changed:
                raise ValueError("al geclaimd" if row.status == CLAIMED else "al gesloten")
            return _record(row)

    def purge_closed(self, older_than_days: int) -> int:
        """Delete requests closed more than ``older_than_days`` days ago, with their outbox messages."""
        if older_than_days < 0:
            raise ValueError("older_than_days must be 0 or more")
        old = (HandoffRequest.status == CLOSED, HandoffRequest.closed_at < utcnow() - timedelta(days=older_than_days))
        with self._session(write=True) as session:
            session.execute(
                delete(OutboxMessage)
                .where(OutboxMessage.handoff_id.in_(select(HandoffRequest.id).where(*old)))
                .execution_options(synchronize_session=False)
            )
            return int(
                session.execute(
                    delete(HandoffRequest).where(*old).execution_options(synchronize_session=False)
                ).rowcount
            )
