"""The outbox worker against a real local HTTP receiver: retries, backoff, outages and a killed worker.

``python -m handoff.worker`` runs as a process where only a process shows it: killed with SIGKILL, stopped with
SIGINT. Its loop (``handoff.worker.run``) otherwise runs in this process.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from urllib3.util.retry import Retry

from handoff import worker
from handoff.db import VERSION_TABLE
from handoff.service import HandoffService
from handoff.webhook import make_session
from handoff.worker import Backoff, deliver_pending
from tests.conftest import ROOT

FAST = Backoff(base=0.05, cap=0.2)


class Receiver:
    """A webhook receiver on 127.0.0.1: answers 503 to the first ``failures`` POSTs, then 200 after ``delay`` s."""

    def __init__(self, port: int = 0, *, failures: int = 0, delay: float = 0.0) -> None:
        self.failures, self.delay = failures, delay
        self.accepted: list[tuple[str, dict]] = []  # (Idempotency-Key, body) of every 2xx answer
        self.rejected = 0
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver.lock:
                    receiver.headers.append(dict(self.headers))
                    fail = receiver.rejected < receiver.failures
                    if fail:
                        receiver.rejected += 1
                    else:
                        receiver.in_flight += 1
                if fail:
                    self.send_response(503)
                    self.end_headers()
                    self.wfile.write(b"even niet")
                    return
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.accepted.append((self.headers["Idempotency-Key"], body))
                    receiver.in_flight -= 1
                try:
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the worker was killed mid-request

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        # a short poll: shutdown() waits up to one poll interval (0.5 s by default) for every receiver
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def keys(self) -> Counter[str]:
        with self.lock:
            return Counter(key for key, _ in self.accepted)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(port: int = 0, **options: Any) -> Receiver:
        started.append(Receiver(port, **options))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def service(tmp_path: Path) -> Iterator[HandoffService]:
    handoff = HandoffService(f"sqlite:///{tmp_path / 'handoff.db'}")
    yield handoff
    handoff.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HandoffService]:
    """The service on SQLite, and on PostgreSQL when HANDOFF_TEST_POSTGRES_URL is set (emptied first)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'handoff.db'}"
    else:
        url = os.environ.get("HANDOFF_TEST_POSTGRES_URL", "")
        if not url:
            pytest.skip("HANDOFF_TEST_POSTGRES_URL not set: the PostgreSQL variant of the delivery test is skipped")
        engine = sa.create_engine(url, future=True)
        with engine.begin() as connection:
            for table in ("handoff_outbox", "handoff_requests", VERSION_TABLE):
                connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
        engine.dispose()
    handoff = HandoffService(url)
    yield handoff
    handoff.dispose()


def create(service: HandoffService, n: int) -> list[int]:
    return [
        service.create(
            conversation_id=f"gesprek-{i}",
            audience="werkgever",
            topic="loonkostensubsidie",
            reason="op verzoek",
            summary={"turns": [{"who": "user", "text": "mens graag"}], "slots": {}},
            callback={"wanted": True, "email": "piet@voorbeeld.nl"} if i == 0 else None,
        ).id
        for i in range(n)
    ]


def outbox(service: HandoffService) -> list[dict[str, Any]]:
    with service.engine.connect() as connection:
        rows = (
            connection.exec_driver_sql(
                "SELECT handoff_id, attempts, delivered_at, last_error FROM handoff_outbox ORDER BY id"
            )
            .mappings()
            .all()
        )
    return [dict(row) for row in rows]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def keys(ids: list[int]) -> set[str]:
    return {f"handoff-{i}" for i in ids}


# --- the payload and the HTTP session -------------------------------------------------------------


def test_the_payload_is_generic_json_with_a_chat_line(
    service: HandoffService, receiver: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSOLE_PUBLIC_URL", "https://console.voorbeeld.nl")
    monkeypatch.delenv("HANDOFF_WEBHOOK_CONTACT", raising=False)
    [first, _] = create(service, 2)
    hook = receiver()
    assert deliver_pending(service, make_session(), hook.url) == 2
    key, body = hook.accepted[0]
    assert key == f"handoff-{first}"
    assert hook.headers[0]["Content-Type"] == "application/json"
    assert set(body) == {
        "type",
        "id",
        "conversation_id",
        "created_at",
        "audience",
        "topic",
        "reason",
        "summary",
        "callback",
        "console_url",
        "text",
    }
    assert body["type"] == "handoff.requested" and body["id"] == first and body["conversation_id"] == "gesprek-0"
    assert body["created_at"] == service.get(first).created_at.isoformat()
    assert body["summary"] == {"turns": [{"who": "user", "text": "mens graag"}], "slots": {}}
    assert body["callback"] == {"wanted": True}  # contact details only with HANDOFF_WEBHOOK_CONTACT=true
    assert body["console_url"] == f"https://console.voorbeeld.nl/verzoeken/{first}"
    assert body["text"] == (
        f"Nieuw verzoek om een medewerker (#{first}): werkgever, onderwerp: loonkostensubsidie, reden: op verzoek, "
        f"wil contact via e-mail of telefoon. Bekijk het in de console: https://console.voorbeeld.nl/verzoeken/{first}"
    )
    assert "piet@voorbeeld.nl" not in body["text"]  # contact details stay out of the team chat line


def test_the_session_retries_posts_on_429_and_5xx() -> None:
    retry = make_session().get_adapter("https://hooks.example/x").max_retries
    assert isinstance(retry, Retry)
    assert (retry.total, retry.backoff_factor, retry.raise_on_status) == (3, 0.5, False)
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert retry.allowed_methods == frozenset({"POST"})


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [Backoff(10, 300).delay(n) for n in range(1, 8)] == [10, 20, 40, 80, 160, 300, 300]
    assert Backoff(10, 300).delay(1000) == 300


# --- failures and recovery ------------------------------------------------------------------------


def test_after_503s_every_request_is_delivered_exactly_once(
    service: HandoffService, receiver: Callable[..., Receiver]
) -> None:
    ids = create(service, 6)
    hook = receiver(failures=10)
    session = make_session(backoff_factor=0)
    wait_for(
        lambda: (
            (deliver_pending(service, session, hook.url, backoff=FAST) or True)
            and all(row["delivered_at"] for row in outbox(service))
        ),
        20,
        "all deliveries",
    )
    assert hook.rejected == 10
    assert hook.keys() == Counter(keys(ids))  # each request once, none missing
    rows = outbox(service)
    assert all(row["last_error"] is None for row in rows)
    assert max(row["attempts"] for row in rows) > 1  # some needed more than one round
    assert deliver_pending(service, session, hook.url, backoff=FAST) == 0  # nothing left


def test_workers_side_by_side_deliver_each_request_once(
    any_service: HandoffService, receiver: Callable[..., Receiver]
) -> None:
    ids = create(any_service, 20)
    hook = receiver(delay=0.02)
    delivered: list[int] = []

    def work() -> None:
        service = HandoffService(any_service.url)
        delivered.append(deliver_pending(service, make_session(), hook.url, limit=100))
        service.dispose()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(delivered) == len(ids) and len(delivered) == 3
    assert hook.keys() == Counter(keys(ids))  # claimed by one worker each: no duplicates at all


def test_a_rejected_message_waits_for_its_backoff(service: HandoffService, receiver: Callable[..., Receiver]) -> None:
    create(service, 1)
    hook = receiver(failures=100)
    session = make_session(retries=0)
    assert deliver_pending(service, session, hook.url, backoff=Backoff(60, 300)) == 0
    assert deliver_pending(service, session, hook.url, backoff=Backoff(60, 300)) == 0
    assert hook.rejected == 1  # the second round did not try again: next attempt in 60 s
    [row] = outbox(service)
    assert row["attempts"] == 1 and row["delivered_at"] is None and row["last_error"].startswith("HTTP 503")


def test_receiver_down_keeps_messages_pending_then_delivers_them(
    service: HandoffService, receiver: Callable[..., Receiver]
) -> None:
    ids = create(service, 3)
    port = free_port()
    url = f"http://127.0.0.1:{port}/hook"
    session = make_session(backoff_factor=0)
    for _ in range(3):  # one attempt per round while nothing answers
        assert deliver_pending(service, session, url, backoff=FAST) == 0
    rows = outbox(service)
    assert all(row["delivered_at"] is None and row["attempts"] > 0 for row in rows)
    assert all("ConnectionError" in row["last_error"] for row in rows)
    hook = receiver(port)
    wait_for(
        lambda: (
            (deliver_pending(service, session, url, backoff=FAST) or True)
            and all(row["delivered_at"] for row in outbox(service))
        ),
        20,
        "delivery after the receiver came up",
    )
    assert hook.keys() == Counter(keys(ids))


def test_database_down_raises_unavailable(tmp_path: Path) -> None:
    from handoff.service import HandoffUnavailable

    blocker = tmp_path / "bestand"
    blocker.write_text("geen map")
    with pytest.raises(HandoffUnavailable):
        deliver_pending(HandoffService(f"sqlite:///{blocker}/handoff.db"), make_session(), "http://127.0.0.1:9/")


# --- the worker process ---------------------------------------------------------------------------


class Worker:
    """``python -m handoff.worker`` as a subprocess; its log is collected while it runs."""

    def __init__(self, env: dict[str, str], *arguments: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "handoff.worker", *arguments],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True)
        self.reader.start()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_log(self, text: str, seconds: float = 30) -> None:
        wait_for(lambda: text in self.output or self.process.poll() is not None, seconds, f"log line {text!r}")
        assert text in self.output, self.output

    def stop(self, sig: int = signal.SIGTERM) -> int:
        self.process.send_signal(sig)
        code = self.process.wait(timeout=20)
        self.reader.join(5)
        return code


def worker_env(url: str, database: str, **extra: str) -> dict[str, str]:
    return {
        "HANDOFF_WEBHOOK_URL": url,
        "HANDOFF_DATABASE_URL": database,
        "HANDOFF_WORKER_INTERVAL": "0.1",
        "HANDOFF_RETRY_BASE": "0.1",
        "HANDOFF_RETRY_MAX": "0.5",
        "HANDOFF_WORKER_LEASE": "1",
        **extra,
    }


class Loop:
    """The worker's loop (``handoff.worker.run``, what ``python -m handoff.worker`` runs) in a thread of this
    process, with the worker's environment; ``stop()`` ends it as SIGTERM does and returns its exit code."""

    def __init__(self, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        self.halt = threading.Event()
        self.codes: list[int] = []
        interval = float(env["HANDOFF_WORKER_INTERVAL"])
        self.thread = threading.Thread(
            target=lambda: self.codes.append(
                worker.run(env["HANDOFF_WEBHOOK_URL"], once=False, interval=interval, stop=self.halt)
            )
        )
        self.thread.start()

    def stop(self) -> int | None:
        self.halt.set()
        self.thread.join(20)
        return self.codes[0] if self.codes else None


@pytest.fixture
def loops(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dict[str, str]], Loop]]:
    started: list[Loop] = []

    def start(env: dict[str, str]) -> Loop:
        started.append(Loop(env, monkeypatch))
        return started[-1]

    yield start
    for loop in started:
        loop.stop()


def test_a_killed_worker_loses_nothing(
    service: HandoffService, receiver: Callable[..., Receiver], loops: Callable[[dict[str, str]], Loop]
) -> None:
    """A worker process killed mid-request; another worker (here the loop in this process) delivers the rest once
    the killed one's lease has run out."""
    ids = create(service, 8)
    hook = receiver(delay=0.3)
    env = worker_env(hook.url, service.url)
    first = Worker(env)
    wait_for(lambda: len(hook.accepted) >= 2 and hook.in_flight > 0, 30, "the first worker mid-way")
    assert first.stop(signal.SIGKILL) == -signal.SIGKILL  # no cleanup at all
    assert sum(1 for row in outbox(service) if row["delivered_at"]) < len(ids)
    second = loops(env)
    wait_for(lambda: all(row["delivered_at"] for row in outbox(service)), 30, "the second worker to finish")
    assert second.stop() == 0
    assert set(hook.keys()) == keys(ids)  # every request, duplicates only under the same key
    assert all(key == f"handoff-{body['id']}" for key, body in hook.accepted)


def test_worker_once_delivers_what_is_due_and_exits(
    service: HandoffService, receiver: Callable[..., Receiver], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--once`` (the loop with ``once=True``): everything due, more than one batch, then it returns 0."""
    ids = create(service, 25)  # more than one batch
    hook = receiver()
    for name, value in worker_env(hook.url, service.url).items():
        monkeypatch.setenv(name, value)
    assert worker.run(hook.url, once=True, interval=0.1, stop=threading.Event()) == 0
    assert hook.keys() == Counter(keys(ids))


def test_worker_without_webhook_only_waits_and_stops_on_sigint(tmp_path: Path) -> None:
    waiting = Worker(worker_env("", f"sqlite:///{tmp_path / 'handoff.db'}"))
    waiting.wait_for_log("geen webhook ingesteld")
    time.sleep(0.5)
    assert waiting.process.poll() is None
    assert waiting.stop(signal.SIGINT) == 0, waiting.output
    assert waiting.output.count("geen webhook ingesteld") == 1 and "gestopt" in waiting.output
    assert worker.run("", once=True, interval=0.1, stop=threading.Event()) == 0  # --once: returns at once


def test_worker_survives_a_database_outage(
    tmp_path: Path,
    receiver: Callable[..., Receiver],
    loops: Callable[[dict[str, str]], Loop],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The database is away when the worker starts: it logs that once, keeps going, and delivers when it is back."""
    hook = receiver()
    place = tmp_path / "db"
    place.write_text("een bestand waar de map hoort: de database is weg")
    url = f"sqlite:///{place / 'handoff.db'}"
    caplog.set_level(logging.INFO, logger="handoff.worker")
    running = loops(worker_env(hook.url, url))
    wait_for(lambda: "niet bereikbaar" in caplog.text, 30, "the outage in the log")
    time.sleep(0.5)
    assert running.thread.is_alive(), caplog.text
    place.unlink()
    place.mkdir()
    service = HandoffService(url)
    ids = create(service, 2)
    wait_for(lambda: set(hook.keys()) == keys(ids), 30, "delivery after the database came back")
    service.dispose()
    assert running.stop() == 0, caplog.text
    assert caplog.text.count("database niet bereikbaar") == 1 and "weer bereikbaar" in caplog.text
