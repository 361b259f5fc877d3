"""``python -m console`` as its own process on a free port, for the security tests that need real HTTP."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from console.auth import hash_password
from tests.conftest import ROOT
from tests.unit.console.test_app import PASSWORD


@dataclass
class ConsoleServer:
    url: str
    port: int
    log: Path
    process: subprocess.Popen


@contextlib.contextmanager
def console_server(tmp_path: Path, **extra_env: str) -> Iterator[ConsoleServer]:
    """The console with user ``medewerker`` (tests.unit.console.test_app.PASSWORD), stopped afterwards.

    After it stopped, its log must hold no traceback: every bad request is answered, not raised.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "CONSOLE_USERS": f"medewerker:{hash_password(PASSWORD, 1000)}",
        "CONSOLE_SECRET": "s",
        "HANDOFF_DATABASE_URL": f"sqlite:///{tmp_path / 'handoff.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "RASA_URL": "http://127.0.0.1:9",
        "RASA_API_TOKEN": "t",
        **extra_env,
    }
    log = tmp_path / "console.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "console", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "/health", timeout=2).text == "ok":
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.3)
    try:
        yield ConsoleServer(url, port, log, process)
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert "Traceback" not in log.read_text(), log.read_text()
