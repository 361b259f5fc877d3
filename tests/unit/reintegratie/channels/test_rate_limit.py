"""Per-sender rate limiting (reintegratie/channels/rate_limit.py) and its use in the REST and Socket.IO channels.

Unit tests drive the in-memory limiter with an injected clock. The Redis limiter runs against a real Redis
(``SCALE_OUT_REDIS_URL``; scripts/test.sh starts one in CI, locally:
``export SCALE_OUT_REDIS_URL="$(bash scripts/redis_for_tests.sh)"``). A real ``rasa run`` with
``RATE_LIMIT_PER_MINUTE=5``: tests/integration/test_rate_limit.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Iterator

import pytest

from reintegratie.channels import rate_limit
from reintegratie.channels.inbound import Gate
from reintegratie.channels.rate_limit import (
    Decision,
    MemoryLimiter,
    NoLimit,
    RedisLimiter,
    limiter_from_env,
    log_rejected,
    too_many_messages,
)
from reintegratie.channels.rest import RestChannel
from tests.conftest import IN_CI
from tests.support.fault_server import closed_port


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_the_limit_holds_per_sender(clock: Clock) -> None:
    limiter = MemoryLimiter(3, clock=clock)
    assert [limiter.hit("a").allowed for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("b").allowed, "another sender has its own count"


def test_the_window_slides(clock: Clock) -> None:
    limiter = MemoryLimiter(3, clock=clock)
    for moment in (0, 30, 59):
        clock.now = 1000 + moment
        assert limiter.hit("a").allowed
    clock.now = 1059.5
    assert limiter.hit("a") == Decision(allowed=False, retry_after=0.5)  # the message of t=0 leaves at t=60
    clock.now = 1060.0
    assert limiter.hit("a").allowed
    clock.now = 1061.0
    refused = limiter.hit("a")
    assert not refused.allowed and refused.retry_after == pytest.approx(29.0)  # next to leave: t=30, at t=90


def test_refused_messages_do_not_count(clock: Clock) -> None:
    limiter = MemoryLimiter(2, clock=clock)
    limiter.hit("a"), limiter.hit("a")
    for _ in range(100):  # a flood while blocked does not extend the block
        clock.now += 0.1
        assert not limiter.hit("a").allowed
    clock.now = 1000 + 60.0
    assert limiter.hit("a").allowed and limiter.hit("a").allowed
    assert not limiter.hit("a").allowed


def test_idle_senders_are_forgotten(clock: Clock) -> None:
    limiter = MemoryLimiter(5, clock=clock)
    for n in range(1000):
        limiter.hit(f"sender-{n}")
    clock.now += 61
    limiter.hit("new")
    assert list(limiter._accepted) == ["new"]


def test_a_limit_below_one_is_an_error() -> None:
    with pytest.raises(ValueError):
        MemoryLimiter(0)


def test_retry_after_is_whole_seconds_rounded_up() -> None:
    assert Decision(False, 0.2).retry_after_seconds == 1
    assert Decision(False, 29.01).retry_after_seconds == 30
    assert Decision(False, 60.0).retry_after_seconds == 60


def test_the_answer_is_short_dutch_with_the_wait() -> None:
    assert too_many_messages(Decision(False, 0.4)) == (
        "Je stuurt veel berichten snel na elkaar. Wacht 1 seconde en stuur je bericht dan opnieuw."
    )
    assert "Wacht 12 seconden" in too_many_messages(Decision(False, 11.5))


def test_the_log_line_names_no_sender_and_no_text(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="reintegratie.channels.rate_limit"):
        log_rejected("rest", "jan@example.nl", Decision(False, 3.2))
    [record] = caplog.records
    assert "jan@example.nl" not in record.getMessage()
    assert "sender #" in record.getMessage() and "retry after 4 s" in record.getMessage()


# --- configuration -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, MemoryLimiter), ("", MemoryLimiter), ("5", MemoryLimiter), ("0", NoLimit)],
)
def test_limiter_from_env(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: type) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    if value is None:
        monkeypatch.delenv("RATE_LIMIT_PER_MINUTE", raising=False)
    else:
        monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", value)
    limiter = limiter_from_env()
    assert isinstance(limiter, expected)
    if isinstance(limiter, MemoryLimiter):
        assert limiter.limit == int(value or 30)


def test_redis_lock_store_means_a_redis_limiter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", "redis://redis.example:6379/1")
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "7")
    limiter = limiter_from_env()
    assert isinstance(limiter, RedisLimiter) and limiter.limit == 7


@pytest.mark.parametrize("value", ["dertig", "-1", "2.5"])
def test_a_wrong_limit_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", value)
    with pytest.raises(ValueError, match="RATE_LIMIT_PER_MINUTE"):
        limiter_from_env()


async def test_no_limit_allows_everything() -> None:
    assert all([(await NoLimit().check("a")).allowed for _ in range(1000)])


# --- Redis: one count for several servers ----------------------------------------------------------------


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("SCALE_OUT_REDIS_URL")
    if not url:
        if IN_CI:
            pytest.fail("SCALE_OUT_REDIS_URL must be set in CI (scripts/test.sh starts Redis)")
        pytest.skip('no Redis: export SCALE_OUT_REDIS_URL="$(bash scripts/redis_for_tests.sh)" to run this test')
    return url


async def test_redis_limit_holds_across_servers(redis_url: str) -> None:
    sender = f"rl-{uuid.uuid4().hex}"
    server_a, server_b = RedisLimiter(redis_url, 3, window=1.0), RedisLimiter(redis_url, 3, window=1.0)
    allowed = [(await limiter.check(sender)).allowed for limiter in (server_a, server_b, server_a, server_b)]
    assert allowed == [True, True, True, False]
    refused = await server_a.check(sender)
    assert not refused.allowed and 0 < refused.retry_after <= 1.0
    assert (await server_b.check(f"{sender}-other")).allowed
    await asyncio.sleep(refused.retry_after + 0.05)
    assert (await server_b.check(sender)).allowed
    assert server_a.fallback._accepted == {} and server_b.fallback._accepted == {}, "Redis did the counting"


async def test_redis_down_falls_back_to_this_process(caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisLimiter(f"redis://127.0.0.1:{closed_port()}/1", 2)
    with caplog.at_level(logging.WARNING, logger="reintegratie.channels.rate_limit"):
        allowed = [(await limiter.check("a")).allowed for _ in range(3)]
    assert allowed == [True, True, False]
    assert "Redis not reachable" in caplog.text


# --- one count per process, whichever channel a message comes in by -------------------------------------------


@pytest.fixture
def fresh_limiters() -> Iterator[None]:
    """The process's shared limiters made anew from the environment of the test, and forgotten after it."""
    rate_limit.shared_limiter.cache_clear()
    rate_limit.client_limiter.cache_clear()
    yield
    rate_limit.shared_limiter.cache_clear()
    rate_limit.client_limiter.cache_clear()


def channel_gates() -> tuple[Gate, Gate]:
    """The gate our REST channel checks, and the one our Socket.IO channel's blueprint builds (``Gate.shared()``)."""
    return RestChannel().gate, Gate.shared()


async def test_rest_and_socketio_count_a_conversation_together(
    monkeypatch: pytest.MonkeyPatch, fresh_limiters: None
) -> None:
    """A client that spreads its messages over both channels does not get twice the limit."""
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "4")
    monkeypatch.setenv("RATE_LIMIT_PER_CLIENT_PER_MINUTE", "0")
    rest, socketio = channel_gates()
    admitted = [(await gate.admit("gesprek-1", "c:1"))[0].allowed for gate in (rest, socketio) * 3]
    assert admitted == [True] * 4 + [False] * 2
    decision, which = await socketio.admit("gesprek-1", "c:1")
    assert not decision.allowed and which == "conversation"
    assert (await rest.admit("gesprek-2", "c:1"))[0].allowed, "another conversation has its own count"


async def test_rest_and_socketio_count_a_client_together(monkeypatch: pytest.MonkeyPatch, fresh_limiters: None) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "0")
    monkeypatch.setenv("RATE_LIMIT_PER_CLIENT_PER_MINUTE", "3")
    rest, socketio = channel_gates()
    admitted = [(await gate.admit(f"gesprek-{n}", "c:1"))[0].allowed for n, gate in enumerate((rest, socketio) * 2)]
    assert admitted == [True] * 3 + [False]
    decision, which = await rest.admit("gesprek-9", "c:1")
    assert not decision.allowed and which == "client"
    assert (await socketio.admit("gesprek-9", "c:2"))[0].allowed, "another client has its own count"
