"""Rasa's Redis lock store, with each change of a conversation's lock made atomic in Redis.

Rasa 3.6's ``RedisLockStore`` reads a conversation's ticket lock, changes it in Python and writes it
back. Inside one Rasa process that is safe (one event loop), but two Rasa servers can both read the
same lock, both issue ticket 0 and both handle a message of the same conversation at once; the SQL
tracker store then silently drops the events of one of them (RasaHQ/rasa#9213; an upstream fix was
reverted, RasaHQ/rasa#11428). tests/integration/test_scale_out.py showed it: 2 of 13 concurrent messages were
missing from the tracker.

Here every read-change-write runs as one Redis transaction (WATCH the key, MULTI, EXEC; redis-py
retries it when another server changed the key in between). Waiting for the lock is Rasa's own code.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, LockStore, RedisLockStore
from rasa.core.utils import number_of_sanic_workers

from common.settings import StoreSettings

logger = logging.getLogger(__name__)

T = TypeVar("T")
#: A change: the current lock (None when there is none) -> (result, the lock to store or None to delete).
Change = Callable[[TicketLock | None], tuple[T, TicketLock | None]]


class AtomicRedisLockStore(RedisLockStore):
    def _change(self, conversation_id: str, change: Change[T]) -> T:
        key = self.key_prefix + conversation_id

        def transaction(pipe: Any) -> T:
            raw = pipe.get(key)  # watched: EXEC fails, and redis-py retries, if another server wrote the key
            result, lock = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            return result

        return self.red.transaction(transaction, key, value_from_callable=True)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: TicketLock | None) -> tuple[int, TicketLock]:
            lock = lock or TicketLock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # as Rasa's LockStore.issue_ticket
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give up the ticket, and delete the lock in the same step when no one else holds a ticket."""

        def release(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return None, lock if lock.is_someone_waiting() else None

        self._change(conversation_id, release)


def redis_lock_store(url: str) -> RedisLockStore:
    parts = urlsplit(url)
    database = parts.path.lstrip("/")
    return AtomicRedisLockStore(  # Rasa's RedisLockStore, atomic across servers (above)
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        db=int(database) if database else 1,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_ssl=parts.scheme == "rediss",
    )


class EnvLockStore(LockStore):
    """Factory: Redis when ``LOCK_STORE_URL`` is set, else in memory.

    Rasa instantiates lock-store classes named in endpoints.yml; ``__new__``
    returns the real store, so no wrapper sits between Rasa and the lock.
    """

    def __new__(cls, endpoint_config: Any = None) -> LockStore:  # type: ignore[misc]
        url = StoreSettings.from_env().lock_store_url
        if not url:
            workers = number_of_sanic_workers(endpoint_config)  # Rasa's own reading of SANIC_WORKERS
            if workers > 1:
                # Rasa would start the workers, each with its own in-memory lock: two messages of one
                # conversation could then be handled at the same time and their events interleave.
                raise ValueError(f"SANIC_WORKERS={workers} needs a shared lock store: set LOCK_STORE_URL (Redis).")
            logger.info("Lock store: in memory (one Rasa process)")
            return InMemoryLockStore()
        logger.info("Lock store: Redis at %s", urlsplit(url).hostname)
        return redis_lock_store(url)
