from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
#: CI (`CI=true bash .ci/run`): a missing PostgreSQL, Redis or Chromium fails instead of skipping.
IN_CI = os.environ.get("CI") == "true"
sys.path.insert(0, str(ROOT))

#: The seed documents sit next to the project in ../shared/seeds (also in CI).
SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", ROOT.parent / "shared" / "seeds"))

#: Ports of the stack the integration tests start (not the defaults, so a running `make run` is left alone,
#: except the action server: endpoints.yml fixes it at 5055).
STACK_PORTS = {"rasa": 5015, "actions": 5055, "web": 8095, "console": 8096}
TOKEN = "test-token-niet-geheim"
#: The console's test user (tests/integration/test_console.py logs in with it).
CONSOLE_USER, CONSOLE_PASSWORD = "medewerker", "console-test-wachtwoord"
CONSOLE_USERS = (
    "medewerker:pbkdf2_sha256$600000$ec27a2f8015db07c2e3a1ba843994ce9$vd/cE2xyMO7F4jcE917zdmUeN8DvSziTZTBAm0Orj8A="
)
ALLOWED_ORIGIN = "http://gemeente.example"
#: The secret the Rasa server sends the action server (X-Action-Token). endpoints.yml needs the variable set
#: (Rasa refuses an unset ${VAR}): for the servers the tests start and for the tests that read endpoints.yml.
ACTION_TOKEN = "test-actie-token-niet-geheim"
os.environ.setdefault("ACTION_SERVER_TOKEN", ACTION_TOKEN)
#: The key of the widget's derived conversation ids (common/conversation_ids.py), the same for the servers
#: the tests start and for the tests, which compute a widget session's conversation id with it.
os.environ.setdefault("CONVERSATION_ID_KEY", "test-conversation-key-niet-geheim")


#: PostgreSQL for the store tests: scripts/test.sh starts one in CI; locally set HANDOFF_TEST_POSTGRES_URL.
POSTGRES_URL = os.environ.get("HANDOFF_TEST_POSTGRES_URL", "")


@pytest.fixture(params=["sqlite", "postgresql"])
def tracker_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A tracker store URL: a fresh SQLite file, and PostgreSQL (skipped locally without it, required in CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("HANDOFF_TEST_POSTGRES_URL must be set in CI (scripts/test.sh starts PostgreSQL)")
        pytest.skip("HANDOFF_TEST_POSTGRES_URL not set: the PostgreSQL variant runs in CI")
    yield POSTGRES_URL


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS_DIR} (set SEEDS_DIR); anchor check skipped")
    return SEEDS_DIR


def port_open(port: int) -> bool:
    try:
        requests.get(f"http://localhost:{port}/", timeout=1)
        return True
    except requests.ConnectionError:
        return False


class WebhookReceiver(ThreadingHTTPServer):
    """A real local HTTP server that records every JSON body posted to it (a team chat or helpdesk stand-in)."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.received.append({"headers": dict(self.headers), "json": json.loads(body or b"null")})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


@pytest.fixture(scope="session")
def webhook() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, webhook: WebhookReceiver) -> Iterator[dict]:
    """Everything `make run` starts (scripts/run.sh), once per test session, with the test model.

    Teardown is part of the test: Ctrl-C (SIGINT) must stop every server and leave no process behind.
    """
    model = os.environ.get("RASA_TEST_MODEL")
    if not model:
        pytest.skip("RASA_TEST_MODEL not set: run through `make test`, which trains the test model")
    busy = [name for name, port in STACK_PORTS.items() if port_open(port)]
    if busy:
        pytest.fail(f"ports of {busy} are already in use; stop the running assistant first")
    workdir = tmp_path_factory.mktemp("stack")
    log_path = workdir / "run.log"
    env = {
        **os.environ,
        "RASA_MODEL": model,
        "RASA_PORT": str(STACK_PORTS["rasa"]),
        "WEB_PORT": str(STACK_PORTS["web"]),
        "CONSOLE_PORT": str(STACK_PORTS["console"]),
        "RASA_API_TOKEN": TOKEN,
        "ACTION_SERVER_TOKEN": ACTION_TOKEN,
        "CORS_ORIGINS": f"{ALLOWED_ORIGIN} http://localhost:{STACK_PORTS['web']}",
        "PUBLIC_URL": f"http://localhost:{STACK_PORTS['rasa']}",
        "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
        "HANDOFF_DATABASE_URL": f"sqlite:///{workdir / 'handoff.db'}",
        "HANDOFF_WEBHOOK_URL": webhook.url,
        "CONSOLE_USERS": CONSOLE_USERS,
        "HANDOFF_WORKER_INTERVAL": "0.5",
        # every test talks from 127.0.0.1: the per-client limit is tested with several addresses in
        # tests/unit/reintegratie/channels/test_rest.py
        "RATE_LIMIT_PER_CLIENT_PER_MINUTE": "0",
        # the same for open handoff requests per client (tests/integration/security/test_handoff_abuse.py reads it)
        "HANDOFF_MAX_OPEN_PER_CLIENT": "50",
        # always open, so the conversation tests get the "direct" route (closed hours: test_handoff_actions.py)
        "HANDOFF_OPENINGSTIJDEN": "ma-zo 00:00-24:00",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # a shell started in the background ignores SIGINT, and bash cannot trap a signal ignored at its start
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    deadline = time.monotonic() + 300
    while "De assistent draait." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("assistant did not start:\n" + log_path.read_text()[-5000:])
        time.sleep(1)
    yield {
        "process": process,
        "env": env,
        "workdir": workdir,
        "tracker_db": workdir / "tracker.db",
        "handoff_db": workdir / "handoff.db",
        "log": log_path,
        "urls": {name: f"http://localhost:{port}" for name, port in STACK_PORTS.items()},
        "webhook": webhook,
    }
    assert process.poll() is None, "a server stopped during the tests:\n" + log_path.read_text()[-5000:]
    process.send_signal(signal.SIGINT)
    assert_stopped_by_ctrl_c(process, log_path)
    deadline = time.monotonic() + 30
    while any(port_open(port) for port in STACK_PORTS.values()) and time.monotonic() < deadline:
        time.sleep(0.5)
    still_open = [name for name, port in STACK_PORTS.items() if port_open(port)]
    assert not still_open, f"still listening after Ctrl-C: {still_open}"
    leftover = subprocess.run(
        ["pgrep", "-f", "--", f"--port {STACK_PORTS['rasa']}"], capture_output=True, text=True
    ).stdout
    assert leftover.strip() == "", leftover
    assert "Assistent gestopt." in log_path.read_text()


def assert_stopped_by_ctrl_c(process: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    """``scripts/run.sh`` got SIGINT: it must end within ``timeout`` s through its own stop path (``stop 0``: exit
    code 0). A shell killed by the signal itself (-2), a crash on the way out or a hang is a failure."""
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"scripts/run.sh still ran {timeout:g} s after Ctrl-C:\n" + log_path.read_text()[-5000:])
    assert code == 0, f"scripts/run.sh ended with {code} after Ctrl-C:\n" + log_path.read_text()[-5000:]


#: Fixtures that start servers or need the trained test model: a test that uses one is an integration test.
SERVER_FIXTURES = {"stack", "webhook"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/integration/, and every test that starts the stack, is marked ``integration``.

    ``make test-unit`` runs ``tests/unit`` without them; a unit test that asks for a server fixture, or is marked
    ``integration`` by hand (say, for a server of its own), is an error, so the fast loop cannot quietly start a
    server and no server test hides in tests/unit.
    """
    for item in items:
        path = Path(str(item.fspath)).resolve()
        in_unit = (ROOT / "tests" / "unit") in path.parents
        uses_server = SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
        if in_unit and uses_server:
            raise pytest.UsageError(
                f"{item.nodeid} is in tests/unit but uses {sorted(uses_server)}: move it to tests/integration"
            )
        if in_unit and item.get_closest_marker("integration"):
            raise pytest.UsageError(f"{item.nodeid} is marked integration but is in tests/unit: move it")
        if uses_server or (ROOT / "tests" / "integration") in path.parents:
            item.add_marker(pytest.mark.integration)
