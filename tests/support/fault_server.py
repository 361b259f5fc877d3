"""One `rasa run` with the test model, the project's credentials.yml and an action server that is down.

For tests/integration/test_faults.py and tests/integration/test_rate_limit.py, which share one (the fixture
``dead_action_server`` in tests/integration/conftest.py, started in the background while the stack starts): the
action endpoint points at a port where nothing listens, and the tracker store is a fresh SQLite file. Start it
under ``flock /tmp/reint-stack.lock`` like every test that starts Rasa.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import ROOT, port_open
from tests.support import sockets
from tools.processes import stop_group

START_TIMEOUT = 600  # loading the model takes 1 to 4 minutes on a busy 2-core machine


@dataclass
class FaultServer:
    url: str
    log: Path
    tracker_db: Path

    def rest(self, sender: str, message: str) -> requests.Response:
        return requests.post(
            f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )


@asynccontextmanager
async def widget_session(url: str) -> AsyncIterator[tuple[Callable[[str], Awaitable[None]], asyncio.Queue[dict]]]:
    """A widget conversation over Socket.IO: ``send(text)``, and a queue of the ``bot_uttered`` answers."""
    client = socketio.AsyncClient()
    answers: asyncio.Queue[dict] = asyncio.Queue()
    confirmed = asyncio.Event()
    session_id = uuid.uuid4().hex

    @client.on("session_confirm")
    async def on_confirm(data: object) -> None:
        confirmed.set()

    @client.on("bot_uttered")
    async def on_bot(data: dict) -> None:
        await answers.put(data)

    async def send(text: str) -> None:
        await client.emit("user_uttered", {"message": text, "session_id": session_id})

    # polling: engineio 4.15 needs a newer aiohttp than Rasa pins for its WebSocket client
    await client.connect(url, socketio_path="/socket.io", transports=["polling"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 10)
        yield send, answers
    finally:
        await sockets.close(client)


def closed_port() -> int:
    """A port nobody listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Starting:
    """A ``rasa run`` that was started and may still be loading its model."""

    server: FaultServer
    process: subprocess.Popen
    port: int
    started: float

    def ready(self, timeout: float = START_TIMEOUT) -> FaultServer:
        """Wait until the server listens (at most ``timeout`` s after it was started)."""
        while not port_open(self.port):
            if self.process.poll() is not None or time.monotonic() - self.started > timeout:
                pytest.fail("rasa run did not start:\n" + self.server.log.read_text()[-5000:])
            time.sleep(1)
        return self.server

    def assert_running(self) -> None:
        assert self.process.poll() is None, "rasa run stopped during the tests:\n" + self.server.log.read_text()[-5000:]

    def stop(self) -> None:
        stop_group(self.process)


def start_fault_server(workdir: Path, port: int, env: dict[str, str]) -> Starting:
    """Start the ``rasa run`` and return at once: the model loads while other servers start or tests run."""
    model = os.environ.get("RASA_TEST_MODEL")
    if not model:
        pytest.skip("RASA_TEST_MODEL not set: run through `make test`, which trains the test model")
    if port_open(port):
        pytest.fail(f"port {port} is already in use")
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{closed_port()}/webhook"\n'
        "tracker_store:\n  type: reintegratie.stores.tracker_store.EnvSQLTrackerStore\n"
        "lock_store:\n  type: reintegratie.stores.lock_store.EnvLockStore\n"
    )
    server = FaultServer(f"http://localhost:{port}", workdir / "rasa.log", workdir / "tracker.db")
    full_env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TRACKER_STORE_URL": f"sqlite:///{server.tracker_db}",
        "LOCK_STORE_URL": "",
        **env,
    }
    with server.log.open("w") as log:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/rasa"),
                "run",
                "--model",
                model,
                "--port",
                str(port),
                "--endpoints",
                str(endpoints),
                "--credentials",
                "credentials.yml",
            ],
            cwd=ROOT,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Starting(server, process, port, time.monotonic())


@contextmanager
def fault_server(workdir: Path, port: int, env: dict[str, str]) -> Iterator[FaultServer]:
    starting = start_fault_server(workdir, port, env)
    try:
        yield starting.ready()
        starting.assert_running()
    finally:
        starting.stop()
