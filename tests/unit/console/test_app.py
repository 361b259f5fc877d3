"""The console's routes in-process (ASGI), with a fake Rasa that can be switched off and a real handoff
database (SQLite): login and CSRF, and that the database and Rasa stay consistent when Rasa is down."""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sanic import Sanic

import console.auth
from console.app import create_app
from console.auth import Session, hash_password, sign_session
from console.rasa_api import RasaUnavailable
from console.settings import Settings
from handoff.service import HandoffService
from tests.support.asgi import asgi_client as support_asgi_client

Sanic.test_mode = True  # several apps named "console" in one process

PASSWORD = "test-wachtwoord"
SECRET = b"app-test-secret"


class FakeRasa:
    def __init__(self) -> None:
        self.up = True
        self.events: dict[str, list[dict]] = {}
        self.posted: list[list[dict]] = []

    async def tracker(self, conversation_id: str) -> dict:
        if not self.up:
            raise RasaUnavailable("down")
        events = self.events.get(conversation_id, [])
        paused = False
        for event in events:
            paused = {"pause": True, "resume": False}.get(event["event"], paused)
        return {"sender_id": conversation_id, "events": events, "paused": paused}

    async def append_events(self, conversation_id: str, events: list[dict]) -> dict:
        if not self.up:
            raise RasaUnavailable("down")
        self.posted.append(events)
        self.events.setdefault(conversation_id, []).extend({**e, "timestamp": 1_700_000_000} for e in events)
        return {}


@pytest.fixture
def handoff(tmp_path: Path) -> HandoffService:
    service = HandoffService(url=f"sqlite:///{tmp_path / 'handoff.db'}")
    service.create(
        conversation_id="c-1",
        audience="werkzoekende",
        topic="jobcoach",
        reason="gevraagd",
        summary={"turns": [{"who": "user", "text": "<img src=x onerror=alert(1)>"}], "slots": {"uren": 24}},
        callback={"wanted": True, "phone": "0612345678", "moment": "ochtend"},
    )
    return service


@pytest.fixture
def rasa() -> FakeRasa:
    fake = FakeRasa()
    fake.events["c-1"] = [{"event": "user", "text": "<script>alert(1)</script>", "timestamp": 1_700_000_000}]
    return fake


@contextlib.asynccontextmanager
async def asgi_client(app: Sanic) -> AsyncIterator[httpx.AsyncClient]:
    """tests/support/asgi.py's client, on the console's test host name."""
    async with support_asgi_client(app, base_url="http://console.test") as http:
        yield http


def console_settings(tmp_path: Path) -> Settings:
    return Settings(
        host="127.0.0.1",
        port=0,
        secret=SECRET,
        secure_cookie=False,
        rasa_url="http://rasa.invalid",
        rasa_token="t",
        users={"els": hash_password(PASSWORD, 1000), "piet": hash_password(PASSWORD, 1000)},
        tracker_store_url=f"sqlite:///{tmp_path / 'none.db'}",
        handoff_database_url=None,
    )


@pytest.fixture
async def client(handoff: HandoffService, rasa: FakeRasa, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(console_settings(tmp_path), service=handoff, rasa=rasa)  # type: ignore[arg-type]
    async with asgi_client(app) as http:
        yield http


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


async def login(client: httpx.AsyncClient, name: str = "els", password: str = PASSWORD) -> httpx.Response:
    page = await client.get("/login")
    return await client.post("/login", data={"csrf": csrf_of(page.text), "naam": name, "wachtwoord": password})


async def test_every_page_but_health_needs_a_login(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).text == "ok"
    for path in ("/", "/verzoeken/1", "/verzoeken/1/gesprek", "/inzichten"):
        response = await client.get(path)
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path
    for path in ("/verzoeken/1/claimen", "/verzoeken/1/antwoord", "/verzoeken/1/sluiten", "/uitloggen"):
        assert (await client.post(path, data={"csrf": "x"})).status_code == 401, path
    page = await client.get("/login")
    assert page.status_code == 200 and 'for="wachtwoord"' in page.text
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=" in cookie


async def test_login_wrong_password_csrf_and_logout(client: httpx.AsyncClient) -> None:
    wrong = await login(client, password="fout")
    assert wrong.status_code == 401 and "Naam of wachtwoord klopt niet." in wrong.text
    assert (await client.get("/")).status_code == 303
    no_csrf = await client.post("/login", data={"naam": "els", "wachtwoord": PASSWORD})
    assert no_csrf.status_code == 403 and (await client.get("/")).status_code == 303
    ok = await login(client)
    assert (ok.status_code, ok.headers["location"]) == (303, "/")
    queue = await client.get("/")
    assert queue.status_code == 200 and "Ingelogd als <strong>els</strong>" in queue.text
    assert "jobcoach" in queue.text and "Ja: telefoon 0612345678, moment ochtend" in queue.text
    assert (await client.post("/verzoeken/1/claimen")).status_code == 403  # logged in, but no CSRF token
    assert (await client.post("/verzoeken/1/claimen", data={"csrf": "fout"})).status_code == 403
    await client.post("/uitloggen", data={"csrf": csrf_of(queue.text)})
    assert (await client.get("/")).status_code == 303


async def test_two_apps_in_one_process_share_no_sessions(
    client: httpx.AsyncClient, handoff: HandoffService, rasa: FakeRasa, tmp_path: Path
) -> None:
    """The logged-in sessions live on each app's ``app.ctx``: a cookie of one app (same secret) is no login
    for another app in the same process."""
    other_app = create_app(console_settings(tmp_path), service=handoff, rasa=rasa)  # type: ignore[arg-type]
    async with asgi_client(other_app) as other:
        await login(client)
        assert (await client.get("/")).status_code == 200
        other.cookies.set("console_sessie", client.cookies["console_sessie"], domain="console.test")
        assert (await other.get("/")).status_code == 303
        await login(other)
        assert (await other.get("/")).status_code == 200 and (await client.get("/")).status_code == 200


async def test_a_forged_or_expired_cookie_is_no_login(client: httpx.AsyncClient) -> None:
    forged = sign_session(Session.new("els", 3600), b"not the secret")
    expired = sign_session(Session("els", "csrf", 1), SECRET)
    for cookie in (forged, expired):
        client.cookies.set("console_sessie", cookie, domain="console.test")
        assert (await client.get("/")).status_code == 303


async def test_claim_reply_close_send_the_events_and_escape_chat_text(
    client: httpx.AsyncClient, handoff: HandoffService, rasa: FakeRasa
) -> None:
    await login(client)
    page = await client.get("/verzoeken/1")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text and "<img src=x" not in page.text
    claimed = await client.post("/verzoeken/1/claimen", data={"csrf": csrf_of(page.text)}, follow_redirects=True)
    assert "Je hebt het gesprek overgenomen." in claimed.text and 'name="bericht"' in claimed.text
    assert handoff.get(1).status == "claimed" and handoff.get(1).consultant == "els"
    assert rasa.posted[-1][0] == {"event": "pause"} and "Je praat nu met els" in rasa.posted[-1][1]["text"]
    sent = await client.post(
        "/verzoeken/1/antwoord", data={"csrf": csrf_of(page.text), "bericht": "Hallo <b>!"}, follow_redirects=True
    )
    assert rasa.posted[-1] == [{"event": "bot", "text": "Hallo <b>!", "metadata": {"medewerker": "els"}}]
    assert "Hallo &lt;b&gt;!" in sent.text and "Medewerker els" in sent.text
    closed = await client.post("/verzoeken/1/sluiten", data={"csrf": csrf_of(page.text)}, follow_redirects=True)
    assert "Het verzoek is gesloten." in closed.text and handoff.get(1).status == "closed"
    assert rasa.posted[-1][0] == {"event": "resume"}


async def test_only_the_claimer_may_reply_or_close(client: httpx.AsyncClient, handoff: HandoffService) -> None:
    handoff.claim(1, "piet")
    await login(client)
    page = await client.get("/verzoeken/1")
    assert 'name="bericht"' not in page.text and ">Claimen<" not in page.text
    csrf = csrf_of(page.text)
    assert (await client.post("/verzoeken/1/claimen", data={"csrf": csrf})).status_code == 409
    reply = await client.post("/verzoeken/1/antwoord", data={"csrf": csrf, "bericht": "hoi"})
    assert reply.status_code == 409 and handoff.get(1).consultant == "piet"
    assert (await client.post("/verzoeken/1/sluiten", data={"csrf": csrf})).status_code == 409
    assert handoff.get(1).status == "claimed"


async def test_rasa_down_gives_a_dutch_error_and_a_consistent_state(
    client: httpx.AsyncClient, handoff: HandoffService, rasa: FakeRasa, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("console.blueprints.requests.RETRY_DELAY", 0)
    await login(client)
    csrf = csrf_of((await client.get("/")).text)
    rasa.up = False
    page = await client.get("/verzoeken/1")
    assert page.status_code == 200 and "De assistent (Rasa) is nu niet bereikbaar." in page.text
    claim = await client.post("/verzoeken/1/claimen", data={"csrf": csrf})
    assert claim.status_code == 502 and "de gebruiker weet dat nog niet" in claim.text
    assert handoff.get(1).status == "claimed"  # kept, and offered again:
    rasa.up = True
    page = await client.get("/verzoeken/1")
    assert "Opnieuw overnemen" in page.text and "De assistent weet nog niet" in page.text
    await client.post("/verzoeken/1/claimen", data={"csrf": csrf})
    await client.post("/verzoeken/1/claimen", data={"csrf": csrf})  # already paused: nothing sent twice
    assert [events[0]["event"] for events in rasa.posted] == ["pause"]
    rasa.up = False
    reply = await client.post("/verzoeken/1/antwoord", data={"csrf": csrf, "bericht": "Bent u er nog?"})
    assert reply.status_code == 502 and "niet verstuurd" in reply.text and ">Bent u er nog?</textarea>" in reply.text
    close = await client.post("/verzoeken/1/sluiten", data={"csrf": csrf})
    assert close.status_code == 502 and "Het verzoek is niet gesloten" in close.text
    assert handoff.get(1).status == "claimed"  # the bot is still paused, so the request stays claimed


async def test_insights_page_renders_with_and_without_data(client: httpx.AsyncClient, handoff: HandoffService) -> None:
    await login(client)
    page = await client.get("/inzichten")
    assert page.status_code == 200 and "Meest gevraagde onderwerpen" in page.text
    assert "data:image/svg+xml;base64," in page.text and page.text.count("Nog geen gegevens.") == 2
    handoff.close(1, "els")
    handoff.purge_closed(older_than_days=0)
    assert (await client.get("/inzichten")).text.count("Nog geen gegevens.") == 5


async def test_handoff_database_down_is_a_dutch_error_page(tmp_path: Path) -> None:
    settings = Settings(
        host="127.0.0.1",
        port=0,
        secret=SECRET,
        secure_cookie=False,
        rasa_url="http://rasa.invalid",
        rasa_token="t",
        users={"els": hash_password(PASSWORD, 1000)},
        tracker_store_url="sqlite://",
        handoff_database_url=None,
    )
    (tmp_path / "handoff.db").mkdir()  # a directory where the database file should be: cannot be opened
    down = HandoffService(url=f"sqlite:///{tmp_path / 'handoff.db'}")
    async with asgi_client(create_app(settings, service=down, rasa=FakeRasa())) as client:  # type: ignore[arg-type]
        await login(client)
        for path in ("/", "/verzoeken/1", "/inzichten"):
            page = await client.get(path)
            assert page.status_code == 503 and "De database met verzoeken is nu niet bereikbaar." in page.text


# --- the event loop stays free ---------------------------------------------------------------------------

SLOW = 0.4  # seconds that one database call or password check takes in the test below


@pytest.mark.parametrize(
    ("slow_call", "method", "path", "status"),
    [
        ("list", "GET", "/", 200),
        ("get", "GET", "/verzoeken/1", 200),
        ("claim", "POST", "/verzoeken/1/claimen", 303),
        ("close", "POST", "/verzoeken/1/sluiten", 303),
        ("verify_password", "POST", "/login", 303),
    ],
)
async def test_a_slow_database_call_or_password_check_does_not_hold_up_other_requests(
    client: httpx.AsyncClient,
    handoff: HandoffService,
    monkeypatch: pytest.MonkeyPatch,
    slow_call: str,
    method: str,
    path: str,
    status: int,
) -> None:
    """The handoff database (SQLAlchemy) and PBKDF2 are synchronous: called on the event loop, one slow call
    would stop every other request of every consultant. While one request waits ``SLOW`` seconds in such a
    call, /health must be answered, that is before the slow call returns."""
    entered, returned = threading.Event(), threading.Event()

    def slowly(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            entered.set()
            time.sleep(SLOW)  # blocks whatever thread runs it, as a slow query or a hash does
            returned.set()
            return real(*args, **kwargs)

        return call

    if slow_call == "verify_password":
        csrf = csrf_of((await client.get("/login")).text)
        data = {"csrf": csrf, "naam": "els", "wachtwoord": PASSWORD}
        monkeypatch.setattr(console.auth, "verify_password", slowly(console.auth.verify_password))
    else:
        await login(client)
        data = {"csrf": csrf_of((await client.get("/")).text)}
        if slow_call == "close":
            handoff.claim(1, "els")
        monkeypatch.setattr(handoff, slow_call, slowly(getattr(handoff, slow_call)))

    slow = asyncio.create_task(client.request(method, path, data=data if method == "POST" else None))
    assert await asyncio.to_thread(entered.wait, 10), "the slow call was never made"
    health = await client.get("/health")
    assert health.text == "ok"
    assert not returned.is_set(), f"/health had to wait until {slow_call} returned: it ran on the event loop"
    assert (await slow).status_code == status
