"""The outbox worker: POST each new request's payload to ``HANDOFF_WEBHOOK_URL`` until it is accepted.

Run ``python -m handoff.worker`` (a loop; SIGTERM/SIGINT stop it) or ``python -m handoff.worker --once``.
A message is claimed with a lease (its ``next_attempt_at`` moves ahead), so a worker killed mid-way only
delays it; the receiver may then see the same ``Idempotency-Key`` twice, never a lost request.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from common import log_privacy, settings
from handoff.db import writer
from handoff.models import HandoffRequest, OutboxMessage, utcnow
from handoff.service import HandoffService, HandoffUnavailable, database_errors
from handoff.webhook import Delivery, contact_in_webhook, for_delivery, idempotency_key, make_session, post

logger = logging.getLogger("handoff.worker")


@dataclass(frozen=True)
class Backoff:
    """Seconds to wait after failed attempt ``n``: base * 2**(n-1), at most ``cap``."""

    base: float = 10.0
    cap: float = 300.0

    @classmethod
    def from_env(cls) -> Backoff:
        return cls(settings.HANDOFF_RETRY_BASE.value(), settings.HANDOFF_RETRY_MAX.value())

    def delay(self, attempts: int) -> float:
        return min(self.cap, self.base * 2.0 ** max(0, min(attempts - 1, 30)))


@dataclass(frozen=True)
class _Claimed:
    id: int
    handoff_id: int
    payload: dict[str, Any]
    attempts: int
    callback: dict[str, Any] | None = None  # the request's, with contact details: read only when they may go out


def _engine(engine_or_service: Engine | HandoffService) -> Engine:
    if isinstance(engine_or_service, HandoffService):
        engine_or_service._ready()  # migrated (or HandoffUnavailable)
        return engine_or_service.engine
    return engine_or_service


def _due(now: datetime) -> tuple[Any, ...]:
    return (OutboxMessage.delivered_at.is_(None), OutboxMessage.next_attempt_at <= now)


def due_count(engine_or_service: Engine | HandoffService) -> int:
    """How many messages are waiting to be delivered now."""
    engine = _engine(engine_or_service)
    with database_errors(), engine.connect() as connection:
        query = select(func.count()).select_from(OutboxMessage).where(*_due(utcnow()))
        return int(connection.execute(query).scalar_one())


def _claim(engine: Engine, lease: float, *, contact: bool = False) -> _Claimed | None:
    """The oldest due message, leased to this worker for ``lease`` seconds (others skip it meanwhile).

    With ``contact``, the request's callback (e-mail address, phone number) is read too.
    """
    now = utcnow()
    query = (
        select(OutboxMessage.id, OutboxMessage.handoff_id, OutboxMessage.payload, OutboxMessage.attempts)
        .where(*_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
    )
    if engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    with database_errors(), writer(engine).begin() as connection:  # SQLite: BEGIN IMMEDIATE
        row = connection.execute(query).first()
        if row is None:
            return None
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id)
            .values(next_attempt_at=now + timedelta(seconds=lease))
        )
        callback = None
        if contact:
            callback = connection.execute(
                select(HandoffRequest.callback).where(HandoffRequest.id == row.handoff_id)
            ).scalar_one_or_none()
        return _Claimed(row.id, row.handoff_id, row.payload, row.attempts, callback)


def _finish(engine: Engine, message: _Claimed, delivery: Delivery, backoff: Backoff) -> float | None:
    """Record the attempt; the delay before the next one, or None when delivered."""
    now, attempts = utcnow(), message.attempts + 1
    if delivery.ok:
        values: dict[str, Any] = {"attempts": attempts, "delivered_at": now, "last_error": None}
        delay = None
    else:
        delay = backoff.delay(attempts)
        values = {"attempts": attempts, "last_error": delivery.error, "next_attempt_at": now + timedelta(seconds=delay)}
    with database_errors(), writer(engine).begin() as connection:
        connection.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values))
    return delay


def deliver_pending(
    engine_or_service: Engine | HandoffService,
    session: requests.Session,
    url: str,
    *,
    limit: int = 20,
    backoff: Backoff | None = None,
    lease_seconds: float | None = None,
    stop: threading.Event | None = None,
    contact: bool | None = None,
) -> int:
    """Deliver up to ``limit`` due messages; the number delivered.

    A 2xx answer marks a message delivered; anything else counts an attempt and schedules the next one
    (``backoff``, default from ``HANDOFF_RETRY_BASE``/``HANDOFF_RETRY_MAX``). When the receiver does not
    answer at all, the rest waits for the next round. Database trouble raises :class:`HandoffUnavailable`.
    Contact details go out only with ``contact`` (default: ``HANDOFF_WEBHOOK_CONTACT``).
    """
    engine = _engine(engine_or_service)
    backoff = backoff or Backoff.from_env()
    contact = contact_in_webhook() if contact is None else contact
    lease = lease_seconds if lease_seconds is not None else settings.HANDOFF_WORKER_LEASE.value()
    delivered = 0
    for _ in range(limit):
        if stop is not None and stop.is_set():
            break
        message = _claim(engine, lease, contact=contact)
        if message is None:
            break
        body = for_delivery(message.payload, message.callback, contact=contact)
        delivery = post(session, url, body, idempotency_key(message.handoff_id))
        delay = _finish(engine, message, delivery, backoff)
        if delivery.ok:
            delivered += 1
            logger.info("verzoek %s afgeleverd bij de webhook", message.handoff_id)
        else:
            logger.warning(
                "verzoek %s niet afgeleverd (poging %s): %s; opnieuw over %.1f s",
                message.handoff_id,
                message.attempts + 1,
                delivery.error,
                delay,
            )
            if delivery.unreachable:
                break
    return delivered


def run(url: str, *, once: bool, interval: float, stop: threading.Event) -> int:
    """The worker loop; database or receiver trouble is logged and retried, never fatal."""
    if not url:
        logger.info("geen webhook ingesteld (HANDOFF_WEBHOOK_URL is leeg); er wordt niets verstuurd")
        while not once and not stop.wait(3600):
            pass
        return 0
    service = HandoffService()
    session = make_session()
    database_down = False
    try:
        while not stop.is_set():
            try:
                limit = max(1, due_count(service)) if once else 20
                deliver_pending(service, session, url, limit=limit, stop=stop)
                if database_down:
                    logger.info("de handoff-database is weer bereikbaar")
                    database_down = False
            except HandoffUnavailable as error:
                if not database_down:
                    logger.warning("handoff-database niet bereikbaar, ik probeer het later opnieuw: %s", error)
                database_down = True
            except Exception:
                logger.exception("onverwachte fout in de handoff-worker; ik probeer het later opnieuw")
            if once or stop.wait(interval):
                break
    finally:
        session.close()
        service.dispose()
    return 1 if once and database_down else 0


def main(argv: list[str] | None = None) -> int:
    log_privacy.install()
    parser = argparse.ArgumentParser(prog="python -m handoff.worker", description=__doc__.splitlines()[0])
    parser.add_argument("--once", action="store_true", help="deliver what is due now, then exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    interval = settings.HANDOFF_WORKER_INTERVAL.value()
    contact_in_webhook()  # a typo in HANDOFF_WEBHOOK_CONTACT stops the worker here, with its message
    stop = threading.Event()

    def _stop(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    code = run(settings.HANDOFF_WEBHOOK_URL.value(), once=args.once, interval=interval, stop=stop)
    logger.info("handoff-worker gestopt")
    return code


if __name__ == "__main__":
    sys.exit(main())
