"""Rate limiting for the chat channels (REST and Socket.IO), per conversation and per client address.

Each sender (conversation id) may send ``RATE_LIMIT_PER_MINUTE`` messages in any rolling minute
(default 30; ``0`` switches the limit off), and each client address ``RATE_LIMIT_PER_CLIENT_PER_MINUTE``
(default 120), so rotating sender ids does not get around the limit (reintegratie/channels/inbound.py). A message
over a limit is not processed: the channel answers with ``too_many_messages`` and logs one line without the
message text.

The window is a sliding log: the times of the accepted messages of the last minute. Rejected messages
do not count, so a sender who waits ``retry_after`` seconds can always send again.

- ``MemoryLimiter``: per Rasa process, in memory. With several Rasa servers each one counts on its own.
- ``RedisLimiter``: when ``LOCK_STORE_URL`` is a Redis URL (several Rasa servers share that Redis
  already), the log is a sorted set in Redis, updated by one Lua script, so the limit holds across
  servers. Redis' own clock is used, so the servers' clocks do not matter. If Redis fails, the
  process falls back to its own memory count until Redis answers again.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from common import settings

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class Decision:
    allowed: bool
    #: seconds until this sender may send again (0 when allowed)
    retry_after: float = 0.0

    @property
    def retry_after_seconds(self) -> int:
        """``retry_after`` rounded up to whole seconds, at least 1 (for the Retry-After header)."""
        return max(1, math.ceil(self.retry_after))


ALLOWED = Decision(allowed=True)


class Limiter(Protocol):
    async def check(self, sender_id: str) -> Decision: ...


class NoLimit:
    """``RATE_LIMIT_PER_MINUTE=0``: every message is allowed."""

    async def check(self, sender_id: str) -> Decision:
        return ALLOWED


class MemoryLimiter:
    """Sliding-window log per sender, in this process."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window = window
        self.clock = clock
        self._accepted: dict[str, deque[float]] = {}
        self._next_sweep = clock() + window

    def hit(self, sender_id: str) -> Decision:
        """Count a message of ``sender_id`` if it is within the limit."""
        now = self.clock()
        self._sweep(now)
        times = self._accepted.setdefault(sender_id, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return Decision(allowed=False, retry_after=times[0] + self.window - now)
        times.append(now)
        return ALLOWED

    async def check(self, sender_id: str) -> Decision:
        return self.hit(sender_id)

    def _sweep(self, now: float) -> None:
        """Forget senders without messages in the window, once per window (bounded memory)."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.window
        for sender_id in [s for s, times in self._accepted.items() if not times or times[-1] <= now - self.window]:
            del self._accepted[sender_id]


# KEYS[1] = the sender's sorted set; ARGV = limit, window in ms, a unique member.
# Returns 0 when the message is accepted, else the milliseconds until the oldest message leaves the window.
SLIDING_WINDOW_LUA = """
local key = KEYS[1]
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, window)
  return 0
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
"""


class RedisLimiter:
    """The same sliding window, kept in Redis so that every Rasa server sees one count per sender."""

    KEY_PREFIX = "reintegratie:ratelimit:"

    def __init__(self, url: str, limit: int, window: float = WINDOW_SECONDS) -> None:
        self.url = url
        self.limit = limit
        self.window = window
        self.fallback = MemoryLimiter(limit, window)
        self._script: Any = None  # made on first use, inside the server's event loop

    async def check(self, sender_id: str) -> Decision:
        import redis.asyncio
        from redis.exceptions import RedisError

        try:
            if self._script is None:
                self._script = redis.asyncio.Redis.from_url(
                    self.url, socket_timeout=2, socket_connect_timeout=2
                ).register_script(SLIDING_WINDOW_LUA)
            wait_ms = await self._script(
                keys=[self.KEY_PREFIX + sender_id],
                args=[self.limit, int(self.window * 1000), uuid.uuid4().hex],
            )
        except (RedisError, OSError) as error:
            logger.warning("Rate limit: Redis not reachable (%s); counting in this process", type(error).__name__)
            return self.fallback.hit(sender_id)
        if int(wait_ms) == 0:
            return ALLOWED
        return Decision(allowed=False, retry_after=int(wait_ms) / 1000)


def limiter_from_env(variable: str = "RATE_LIMIT_PER_MINUTE", per: str = "sender") -> Limiter:
    limit = settings.whole_number(variable, meaning_of_zero="0 = off")
    if limit == 0:
        logger.info("Rate limit per %s: off (%s=0)", per, variable)
        return NoLimit()
    lock_store_url = settings.get("LOCK_STORE_URL")
    if lock_store_url.startswith(("redis://", "rediss://")):
        logger.info("Rate limit: %d messages per %s per minute, counted in Redis", limit, per)
        return RedisLimiter(lock_store_url, limit)
    logger.info("Rate limit: %d messages per %s per minute, counted per process", limit, per)
    return MemoryLimiter(limit)


@lru_cache(maxsize=1)
def shared_limiter() -> Limiter:
    """The per-conversation limiter of this process, shared by the REST and the Socket.IO channel."""
    return limiter_from_env()


@lru_cache(maxsize=1)
def client_limiter() -> Limiter:
    """The per-client-address limiter (``RATE_LIMIT_PER_CLIENT_PER_MINUTE``), shared by both channels.

    Its keys are ``conversation_ids.client_id`` values ("c:..."), which no conversation id can equal, so one
    Redis key space serves both limiters.
    """
    return limiter_from_env("RATE_LIMIT_PER_CLIENT_PER_MINUTE", per="client")


def too_many_messages(decision: Decision) -> str:
    """The answer to a message over the limit (B1 Dutch)."""
    seconds = decision.retry_after_seconds
    wait = "1 seconde" if seconds == 1 else f"{seconds} seconden"
    return f"Je stuurt veel berichten snel na elkaar. Wacht {wait} en stuur je bericht dan opnieuw."


def log_rejected(channel: str, sender_id: str, decision: Decision, limit: str = "conversation") -> None:
    """One log line per dropped message: the channel, which limit, a short hash of the sender; never the text."""
    sender_hash = hashlib.sha256(sender_id.encode("utf-8", "backslashreplace")).hexdigest()[:12]
    logger.warning(
        "Rate limit: message from sender #%s on %s dropped (over the limit per %s; retry after %d s)",
        sender_hash,
        channel,
        limit,
        decision.retry_after_seconds,
    )
