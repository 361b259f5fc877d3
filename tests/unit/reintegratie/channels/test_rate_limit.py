"""Per-sender rate limiting (reintegratie/channels/rate_limit.py) and its use in the REST and Socket.IO channels.

Unit tests drive the in-memory limiter with an injected clock. The Redis limiter runs against a real Redis
(``SCALE_OUT_REDIS_URL``; scripts/test.sh starts one in CI, locally:
``export SCALE_OUT_REDIS_URL="$(bash scripts/redis_for_tests.sh)"``). The integration tests start a separate
``rasa run`` with ``RATE_LIMIT_PER_MINUTE=5`` (tests/support/fault_server.py).
"""
from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import uuid
from collections.abc import Iterator

import pytest

from reintegratie.channels import rate_limit
from reintegratie.channels.rate_limit import (
    Decision,
    MemoryLimiter,
    NoLimit,
    RedisLimiter,
    limiter_from_env,
    log_rejected,
    too_many_messages,
)
from tests.conftest import IN_CI
from tests.support.fault_server import FaultServer, closed_port, fault_server, widget_session


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


# --- a real Rasa server with RATE_LIMIT_PER_MINUTE=5 ------------------------------------------------------

PORT = 5021
LIMIT = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultServer]:
    with fault_server(tmp_path_factory.mktemp("rate_limit"), PORT, {"RATE_LIMIT_PER_MINUTE": str(LIMIT)}) as running:
        yield running


def stored_texts(server: FaultServer) -> str:
    with sqlite3.connect(server.tracker_db) as db:
        return "\n".join(row[0] for row in db.execute("SELECT data FROM events"))


@pytest.mark.integration
def test_rest_over_the_limit_is_429_and_not_processed(server: FaultServer) -> None:
    sender = f"rl-rest-{uuid.uuid4().hex[:8]}"
    for n in range(LIMIT):
        answer = server.rest(sender, "hallo")
        assert answer.status_code == 200, n
        assert "digitale assistent" in answer.json()[0]["text"]
    secret = f"bericht-{uuid.uuid4().hex}"
    refused = server.rest(sender, secret)
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert refused.json() == [{"recipient_id": sender, "text": too_many_messages(Decision(False, retry_after))}]
    assert server.rest(f"rl-rest-{uuid.uuid4().hex[:8]}", "hallo").status_code == 200, "other senders go on"
    assert secret not in stored_texts(server), "the refused message must not reach the tracker"
    log = server.log.read_text()
    assert "Rate limit: 5 messages per sender per minute, counted per process" in log
    assert "Rate limit: message from sender #" in log and " on rest dropped" in log
    assert secret not in log and sender not in log


@pytest.mark.integration
async def test_socketio_over_the_limit_gets_the_answer_as_bot_uttered(server: FaultServer) -> None:
    async with widget_session(server.url) as (send, answers):
        for _ in range(LIMIT):
            await send("hallo")
            greeting = await asyncio.wait_for(answers.get(), 60)
            assert "digitale assistent" in greeting["text"]
        secret = f"bericht-{uuid.uuid4().hex}"
        await send(secret)
        refused = await asyncio.wait_for(answers.get(), 30)
        assert refused["text"].startswith("Je stuurt veel berichten snel na elkaar. Wacht ")
        await asyncio.sleep(2)
        assert answers.empty(), "nothing else answers the refused message"
    assert secret not in stored_texts(server)
    assert " on socketio dropped" in server.log.read_text()


def test_shared_limiter_is_one_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    rate_limit.shared_limiter.cache_clear()
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "4")
    try:
        assert rate_limit.shared_limiter() is rate_limit.shared_limiter()
    finally:
        rate_limit.shared_limiter.cache_clear()
