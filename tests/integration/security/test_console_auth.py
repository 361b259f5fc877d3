"""Review findings M5 (console login lockout) and L2 (logout, Secure cookie), against the real console app.

The app runs in this process over ASGI (Sanic's own request handling, routes and middleware); each "client"
is an httpx client with its own address (the ASGI peer address) and its own cookie jar. Passwords are real
PBKDF2 hashes; the throttle's delays are the real ones, so the tests send their wrong guesses in parallel.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sanic import Sanic

import console.auth
from console.app import COOKIE, create_app
from console.auth import LoginThrottle, hash_password
from console.settings import Settings
from handoff.service import HandoffService
from tests.support.console_server import console_server
from tests.unit.console.test_app import PASSWORD, SECRET, FakeRasa, csrf_of

Sanic.test_mode = True
LIMIT = 10  # the console's limit per client and name (README)


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "secret": SECRET,
        "secure_cookie": False,
        "rasa_url": "http://rasa.invalid",
        "rasa_token": "t",
        "users": {"medewerker": hash_password(PASSWORD, 1000)},
        "tracker_store_url": "sqlite://",
        "handoff_database_url": None,
    }
    return Settings(**{**values, **overrides})


@contextlib.asynccontextmanager
async def running_console(config: Settings, tmp_path: Path) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    """The started app, and a factory for clients: ``make("10.0.0.1")`` is a browser at that address."""
    app = create_app(config, service=HandoffService(url=f"sqlite:///{tmp_path / 'handoff.db'}"), rasa=FakeRasa())
    lifespan: asyncio.Queue = asyncio.Queue()
    started = asyncio.Event()

    async def send(message: dict) -> None:
        started.set()

    await lifespan.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}}, lifespan.get, send))
    await asyncio.wait_for(started.wait(), 10)
    clients: list[httpx.AsyncClient] = []

    def make(address: str = "127.0.0.1", base_url: str = "http://console.test", **kwargs: Any) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))  # type: ignore[arg-type]
        clients.append(httpx.AsyncClient(transport=transport, base_url=base_url, **kwargs))
        return clients[-1]

    try:
        yield make
    finally:
        for client in clients:
            await client.aclose()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def login(client: httpx.AsyncClient, password: str = PASSWORD, name: str = "medewerker") -> httpx.Response:
    page = await client.get("/login")
    return await client.post("/login", data={"csrf": csrf_of(page.text), "naam": name, "wachtwoord": password})


async def guess_in_parallel(client: httpx.AsyncClient, count: int, **headers: str) -> list[int]:
    """``count`` wrong passwords at once, with one login page's cookie and CSRF token; the sorted statuses."""
    csrf = csrf_of((await client.get("/login", headers=headers)).text)
    responses = await asyncio.gather(
        *(
            client.post("/login", data={"csrf": csrf, "naam": "medewerker", "wachtwoord": f"fout-{i}"}, headers=headers)
            for i in range(count)
        )
    )
    return sorted(r.status_code for r in responses)


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password check the console does (PBKDF2 runs in worker threads)."""
    checked: list[str] = []
    lock = threading.Lock()
    real = console.auth.verify_password

    def counting(password: str, encoded: str) -> bool:
        with lock:
            checked.append(password)
        return real(password, encoded)

    monkeypatch.setattr(console.auth, "verify_password", counting)
    return checked


# --- M5: the lockout ------------------------------------------------------------------------------------


async def test_wrong_passwords_from_one_client_do_not_lock_out_the_consultant_elsewhere(tmp_path: Path) -> None:
    async with running_console(settings(tmp_path), tmp_path) as make:
        attacker, consultant = make("203.0.113.7"), make("198.51.100.20")
        assert await guess_in_parallel(attacker, LIMIT) == [401] * LIMIT
        blocked = await login(attacker)  # even the right password: this client is paused for this name
        assert blocked.status_code == 429 and "Te veel mislukte pogingen." in blocked.text
        ok = await login(consultant)
        assert (ok.status_code, ok.headers.get("location")) == (303, "/")
        assert "Ingelogd als <strong>medewerker</strong>" in (await consultant.get("/")).text


async def test_parallel_guesses_are_checked_at_most_the_limit(tmp_path: Path, verifications: list[str]) -> None:
    async with running_console(settings(tmp_path), tmp_path) as make:
        statuses = await guess_in_parallel(make("203.0.113.7"), 15)
        assert len(verifications) <= LIMIT, f"{len(verifications)} passwords checked: {statuses}"
        assert statuses == [401] * len(verifications) + [429] * (15 - len(verifications))


async def test_a_spoofed_forwarded_header_does_not_reset_the_count(tmp_path: Path) -> None:
    """Without a configured proxy, X-Forwarded-For and X-Real-IP are the client's own words: ignored."""
    async with running_console(settings(tmp_path), tmp_path) as make:
        attacker = make("203.0.113.7")
        csrf = csrf_of((await attacker.get("/login")).text)

        def spoofed(i: int) -> dict[str, str]:  # a new made-up address for every guess
            return {"X-Forwarded-For": f"10.1.0.{i}", "X-Real-IP": f"10.2.0.{i}", "Forwarded": f"for=10.3.0.{i}"}

        responses = await asyncio.gather(
            *(
                attacker.post(
                    "/login", data={"csrf": csrf, "naam": "medewerker", "wachtwoord": "fout"}, headers=spoofed(i)
                )
                for i in range(LIMIT + 3)
            )
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [401] * LIMIT + [429] * 3


async def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(tmp_path: Path) -> None:
    """CONSOLE_PROXIES_COUNT=1: every request comes from the proxy; X-Forwarded-For tells the clients apart."""
    async with running_console(settings(tmp_path, proxies_count=1), tmp_path) as make:
        attacker = make("10.0.0.2", headers={"X-Forwarded-For": "203.0.113.7"})
        consultant = make("10.0.0.2", headers={"X-Forwarded-For": "198.51.100.20"})
        assert await guess_in_parallel(attacker, LIMIT + 1) == [401] * LIMIT + [429]
        assert (await login(consultant)).status_code == 303


def test_one_address_cannot_spray_many_names() -> None:
    """Per client there is also a limit over all names, so guessing one password for many users stops too."""
    clock = [0.0]
    throttle = LoginThrottle(limit=3, client_limit=5, window=60, clock=lambda: clock[0])
    assert all(throttle.attempt("203.0.113.7", f"naam{i}") is not None for i in range(5))
    assert throttle.attempt("203.0.113.7", "nog-een-naam") is None
    assert throttle.attempt("198.51.100.20", "nog-een-naam") is not None  # another client is not affected
    clock[0] = 61
    assert throttle.attempt("203.0.113.7", "nog-een-naam") is not None


# --- L2: logout and the Secure flag ----------------------------------------------------------------------


async def test_a_cookie_saved_before_logout_no_longer_logs_in(tmp_path: Path) -> None:
    async with running_console(settings(tmp_path), tmp_path) as make:
        browser = make()
        assert (await login(browser)).status_code == 303
        queue = await browser.get("/")
        assert "Ingelogd als" in queue.text
        saved = browser.cookies[COOKIE]
        other_device = make("198.51.100.20")
        assert (await login(other_device)).status_code == 303

        await browser.post("/uitloggen", data={"csrf": csrf_of(queue.text)})
        replay = make("203.0.113.7")
        replay.cookies.set(COOKIE, saved, domain="console.test")
        page = await replay.get("/")
        assert (page.status_code, page.headers.get("location")) == (303, "/login")
        claim = await replay.post("/verzoeken/1/claimen", data={"csrf": csrf_of(queue.text)})
        assert claim.status_code == 401
        assert "Ingelogd als" in (await other_device.get("/")).text  # logging out ends that session only


async def test_the_session_cookie_is_secure_over_https(tmp_path: Path) -> None:
    async with running_console(settings(tmp_path), tmp_path) as make:
        assert "Secure" in (await make(base_url="https://console.test").get("/login")).headers["set-cookie"]
        plain = await make().get("/login", headers={"X-Forwarded-Proto": "https"})  # not from a trusted proxy
        assert "Secure" not in plain.headers["set-cookie"]
    async with running_console(settings(tmp_path, proxies_count=1), tmp_path) as make:
        proxied = make(headers={"X-Forwarded-For": "198.51.100.20", "X-Forwarded-Proto": "https"})
        assert "Secure" in (await proxied.get("/login")).headers["set-cookie"]
    async with running_console(settings(tmp_path, secure_cookie=True), tmp_path) as make:
        assert "Secure" in (await make().get("/login")).headers["set-cookie"]


# --- the same against the console as a process (python -m console), over real HTTP -----------------------


@pytest.fixture
def console_process(tmp_path: Path) -> Iterator[str]:
    """``python -m console`` on a free port behind a (pretend) proxy: CONSOLE_PROXIES_COUNT=1."""
    with console_server(tmp_path, CONSOLE_PROXIES_COUNT="1") as server:
        yield server.url


async def test_the_running_console_counts_per_client_and_ends_sessions(console_process: str) -> None:
    def browser(address: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=console_process, timeout=60, headers={"X-Forwarded-For": address})

    async with browser("203.0.113.7") as attacker, browser("198.51.100.20") as consultant:
        assert await guess_in_parallel(attacker, 15) == [401] * LIMIT + [429] * 5
        assert (await login(attacker)).status_code == 429
        assert (await login(consultant)).status_code == 303
        queue = await consultant.get("/")
        saved = consultant.cookies[COOKIE]
        await consultant.post("/uitloggen", data={"csrf": csrf_of(queue.text)})
    async with browser("198.51.100.20") as replay:
        replay.cookies.set(COOKIE, saved)
        page = await replay.get("/")
        assert (page.status_code, page.headers.get("location")) == (303, "/login")
