"""rasa-webchat 1.0.1, the standard Rasa Socket.IO client, in a real Chromium against the whole stack.

Issue 15: "Standard Rasa Socket.IO clients keep working". Gemeenten that already run Rasa embed rasa-webchat
(npm ``rasa-webchat``, the README's ``<script>`` tag), not our widget, so a change to our Socket.IO channel
(reintegratie/channels/socketio.py) must not break it. The package is the unmodified npm tarball, pinned with
its integrity under ``testClients`` in web/package.json; scripts/install.sh unpacks it into
web/node_modules/.test-clients/rasa-webchat/ (its lib/index.js bundles React and socket.io-client 3).

The page (tests/integration/fixtures/rasa_webchat.html, the README's embedding) is served by Playwright
(``context.route``)
under /rasa-webchat/ of the demo site's origin, http://localhost:8095, which is in the stack's CORS allowlist
(tests/conftest.py), so the page's Socket.IO requests carry an allowed ``Origin``. Chromium counts a routed page
as a public one, and its Local Network Access rules stop a public page from reaching a server on localhost; the
context grants ``local-network-access``, as if Rasa ran on a public address as in production.

Every Socket.IO event is recorded from both transports (HTTP long-polling first, then the WebSocket it upgrades
to) and printed when a test fails: what rasa-webchat sent is what a channel change has to keep accepting.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import IN_CI, ROOT
from tests.integration.test_widget import CHROMIUM, CHROMIUM_ARGS, in_browser

CLIENT_DIR = (ROOT / "web" / "node_modules" / ".test-clients" / "rasa-webchat").resolve()
PINNED = json.loads((ROOT / "web" / "package.json").read_text())["testClients"]["rasa-webchat"]["version"]
PAGE = Path(__file__).resolve().parent / "fixtures" / "rasa_webchat.html"
#: Where the page is served, under the demo site's origin (in the stack's CORS_ORIGINS).
PAGE_PATH = "/rasa-webchat/"
#: Where rasa-webchat keeps its state with ``params: {storage: "session"}`` (its constant SESSION_NAME).
STORAGE_KEY = "chat_session"
#: The page's ``customData`` (tests/integration/fixtures/rasa_webchat.html).
CUSTOM_DATA = {"language": "nl"}
#: ms. rasa-webchat shows each bot message 0.8 to 3 s after the previous one, and a fresh Rasa server on a slow
#: 2-core machine takes seconds for its first answers.
ANSWER_TIMEOUT = 90_000
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")

GREETING = "computerprogramma"  # utter_greet: "Ik ben een computerprogramma, geen mens."
QUESTION = "hoeveel uur jobcoaching krijg ik per week?"
QUESTION_AFTER_RELOAD = "wat is een jobcoach"


# ---------------------------------------------------------------------------------------------------------------------
# What goes over the wire


@dataclass
class Wire:
    """The Socket.IO events of one page, in both directions, from HTTP long-polling and from the WebSocket.

    Engine.IO 4 (socket.io-client 3 and python-socketio 5): a polling body holds packets separated by U+001E,
    a WebSocket frame holds one packet; ``4`` is a message, and a Socket.IO event in it is ``2[name, data]``
    (``42["user_uttered", {...}]`` in the default namespace).
    """

    events: list[tuple[str, str, Any]] = field(default_factory=list)  # (sent | received, event name, data)
    raw: list[str] = field(default_factory=list)

    def feed(self, direction: str, transport: str, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", "replace")
        for packet in payload.split("\x1e"):
            self.raw.append(f"{direction:8} {transport:9} {packet[:500]}")
            if not packet.startswith("42"):
                continue
            body = packet[2:]
            if body.startswith("/"):  # a namespace other than "/"
                body = body.partition(",")[2]
            body = body.lstrip("0123456789")  # an ack id
            try:
                name, *args = json.loads(body)
            except (ValueError, TypeError):
                continue
            self.events.append((direction, name, args[0] if args else None))

    def sent(self, name: str) -> list[Any]:
        return [data for direction, event, data in self.events if direction == "sent" and event == name]

    def received(self, name: str) -> list[Any]:
        return [data for direction, event, data in self.events if direction == "received" and event == name]

    def names(self, direction: str) -> list[str]:
        return [event for d, event, _ in self.events if d == direction]

    def dump(self) -> str:
        return "\n".join(self.raw)


def record(page, wire: Wire) -> None:
    """Record every Socket.IO packet of the page into ``wire``."""

    def on_websocket(ws) -> None:
        if "/socket.io/" not in ws.url:
            return
        ws.on("framesent", lambda payload: wire.feed("sent", "websocket", payload))
        ws.on("framereceived", lambda payload: wire.feed("received", "websocket", payload))

    def on_request(request) -> None:
        if "/socket.io/" in request.url and request.method == "POST" and request.post_data:
            wire.feed("sent", "polling", request.post_data)

    def on_finished(request) -> None:
        if "/socket.io/" in request.url and request.method == "GET":
            response = request.response()
            if response is not None:
                wire.feed("received", "polling", response.text())

    page.on("websocket", on_websocket)
    page.on("request", on_request)
    page.on("requestfinished", on_finished)


# ---------------------------------------------------------------------------------------------------------------------
# Browser and page


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing in CI: scripts/install.sh should have installed it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def webchat(browser, stack: dict) -> Iterator:
    """A fresh browser context with the page; yields (page, its URL, wire). The wire is printed on failure."""
    if not (CLIENT_DIR / "lib" / "index.js").is_file():
        missing = "rasa-webchat missing: run 'make install' (scripts/install.sh puts it in web/node_modules)"
        if IN_CI:
            pytest.fail(missing)
        pytest.skip(missing)
    installed = json.loads((CLIENT_DIR / "package.json").read_text())["version"]
    assert installed == PINNED, f"web/node_modules has rasa-webchat {installed}, web/package.json pins {PINNED}"
    site = stack["urls"]["web"]
    html = PAGE.read_text().replace("RASA_URL", stack["urls"]["rasa"])

    def serve(route) -> None:
        path = urlsplit(route.request.url).path.removeprefix(PAGE_PATH)
        file = (CLIENT_DIR / path).resolve()
        if path == "":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        elif file.is_relative_to(CLIENT_DIR) and file.is_file():
            route.fulfill(status=200, content_type="text/javascript; charset=utf-8", body=file.read_bytes())
        else:
            route.fulfill(status=404, content_type="text/plain", body="Niet gevonden.")

    context = browser.new_context(locale="nl-NL", permissions=["local-network-access"])
    context.route(lambda url: url.startswith(site + PAGE_PATH), serve)
    context.route(re.compile(r"^https://fonts\.(googleapis|gstatic)\.com/"), lambda route: route.abort())  # its CSS
    page = context.new_page()
    page.set_default_timeout(ANSWER_TIMEOUT)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    console: list[str] = []  # rasa-webchat logs its connection; Chromium logs CORS and network refusals
    page.on("console", lambda message: console.append(f"{message.type}: {message.text[:300]}"))
    page.on("requestfailed", lambda request: console.append(f"failed: {request.url[:200]} {request.failure}"))
    wire = Wire()
    record(page, wire)
    yield page, site + PAGE_PATH, wire
    print(f"Socket.IO packets of rasa-webchat {PINNED} (sent/received, transport, Engine.IO packet):")
    print(wire.dump())
    print("Socket.IO events:", json.dumps(wire.events, ensure_ascii=False, indent=1)[:20_000])
    print("Browser console:", *console, sep="\n  ")
    print("Page text:", page.locator("body").inner_text(timeout=5_000)[-5_000:])
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def open_chat(page, url: str) -> None:
    """Load the page and open the chat with the launcher (shown once the socket is connected)."""
    page.goto(url)
    page.locator(".rw-launcher").click()
    page.locator(".rw-conversation-container").wait_for()


def ask(page, text: str) -> None:
    page.locator(".rw-new-message").fill(text)
    page.locator(".rw-new-message").press("Enter")


def bot(page, text: str):
    return page.locator(".rw-response", has_text=text)


def until(page, condition: Callable[[], bool], what: str) -> None:
    """Wait for something only the recorded wire shows (Playwright delivers its events while the page waits)."""
    deadline = time.monotonic() + ANSWER_TIMEOUT / 1000
    while not condition():
        assert time.monotonic() < deadline, f"no {what} after {ANSWER_TIMEOUT / 1000:.0f} s"
        page.wait_for_timeout(100)


def stored_session_id(page) -> str | None:
    state = page.evaluate(f"() => sessionStorage.getItem('{STORAGE_KEY}')")
    return json.loads(state).get("session_id") if state else None


def user_messages_since(tracker_db: Path, since: float) -> dict[str, list[str]]:
    """Per conversation id in the stack's SQLite tracker store: the user messages stored after ``since``.

    The stack is shared by the whole test session, so a test finds its own conversations by time: the tests
    run one at a time, and only this page talks to the stack meanwhile.
    """
    with sqlite3.connect(f"file:{tracker_db}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT sender_id, data FROM events WHERE type_name = 'user' AND timestamp >= ? ORDER BY id", (since,)
        ).fetchall()
    conversations: dict[str, list[str]] = {}
    for sender_id, data in rows:
        conversations.setdefault(sender_id, []).append(json.loads(data).get("text"))
    return conversations


# ---------------------------------------------------------------------------------------------------------------------


@in_browser
def test_rasa_webchat_greeting_question_buttons_and_reload(webchat, stack: dict) -> None:
    from playwright.sync_api import expect

    page, url, wire = webchat
    started = time.time()
    open_chat(page, url)
    # initPayload "/greet": the greeting with the topic buttons, without a user bubble
    bot(page, GREETING).first.wait_for()
    expect(page.locator(".rw-replies .rw-reply", has_text="Jobcoach")).to_be_visible(timeout=ANSWER_TIMEOUT)
    expect(page.locator(".rw-client")).to_have_count(0, timeout=ANSWER_TIMEOUT)

    ask(page, "hallo")
    expect(page.locator(".rw-client", has_text="hallo")).to_have_count(1, timeout=ANSWER_TIMEOUT)
    expect(bot(page, GREETING)).to_have_count(2, timeout=ANSWER_TIMEOUT)

    ask(page, QUESTION)
    expect(page.locator(".rw-client", has_text=QUESTION)).to_have_count(1, timeout=ANSWER_TIMEOUT)
    bot(page, "Bron:").first.wait_for()
    assert "jobcoach" in " ".join(page.locator(".rw-response").all_inner_texts()).lower()

    # the answer's follow-up buttons: one click sends its payload and shows its title
    reply = page.locator(".rw-replies .rw-reply").first
    reply.wait_for()
    title = reply.inner_text().strip()
    reply.click()
    expect(page.locator(".rw-client", has_text=title)).to_have_count(1, timeout=ANSWER_TIMEOUT)
    expect(bot(page, "Bron:")).to_have_count(2, timeout=ANSWER_TIMEOUT)
    assert not any(text.startswith("/") for text in page.locator(".rw-client").all_inner_texts()), "a payload shown"

    # a reload continues the same conversation: same session id, history shown, one conversation on the server
    session_id = stored_session_id(page)
    assert session_id and SESSION_ID.match(session_id), session_id
    shown = page.locator(".rw-client").all_inner_texts()
    page.reload()
    page.locator(".rw-launcher").wait_for()
    if page.locator(".rw-conversation-container").count() == 0:
        page.locator(".rw-launcher").click()
    expect(page.locator(".rw-client")).to_have_count(len(shown), timeout=ANSWER_TIMEOUT)
    until(page, lambda: len(wire.received("session_confirm")) == 2, "a session_confirm after the reload")
    assert stored_session_id(page) == session_id
    sessions_asked = [data.get("session_id") for data in wire.sent("session_request") if isinstance(data, dict)]
    assert sessions_asked[-1] == session_id, "after the reload rasa-webchat asks for its stored session"

    ask(page, QUESTION_AFTER_RELOAD)
    expect(page.locator(".rw-client", has_text=QUESTION_AFTER_RELOAD)).to_have_count(1, timeout=ANSWER_TIMEOUT)
    expect(bot(page, "Bron:")).to_have_count(3, timeout=ANSWER_TIMEOUT)
    assert stored_session_id(page) == session_id
    # one conversation in the tracker store, with the messages from before and after the reload
    conversations = user_messages_since(stack["tracker_db"], started)
    assert len(conversations) == 1, conversations
    [said] = conversations.values()
    assert [text for text in said if text in ("hallo", QUESTION, QUESTION_AFTER_RELOAD)] == [
        "hallo",
        QUESTION,
        QUESTION_AFTER_RELOAD,
    ], said


@in_browser
def test_rasa_webchat_wire_protocol(webchat, stack: dict) -> None:
    """What rasa-webchat 1.0.1 sends and needs back; a channel that answers differently breaks it.

    - On every connect: ``session_request {"session_id": <stored id or null>}``.
    - It waits for ``session_confirm``, either the id as a string (Rasa) or ``{"session_id": id}``, and stores
      that id (a different id than it asked for replaces its own).
    - Then ``user_uttered {"message", "customData", "session_id"}``: its ``customData`` prop, never ``metadata``.
    - It renders ``bot_uttered`` with ``text`` and ``quick_replies`` (Rasa's buttons) or ``buttons``.
    """
    page, url, wire = webchat
    open_chat(page, url)
    bot(page, GREETING).first.wait_for()
    ask(page, QUESTION_AFTER_RELOAD)
    bot(page, "Bron:").first.wait_for()
    session_id = stored_session_id(page)
    page.reload()
    until(page, lambda: len(wire.received("session_confirm")) == 2, "a session_confirm after the reload")

    # only these two events, and the first is always session_request
    assert set(wire.names("sent")) == {"session_request", "user_uttered"}, wire.names("sent")
    assert wire.names("sent")[0] == "session_request"

    requests_ = wire.sent("session_request")
    assert len(requests_) == 2, requests_  # one per page load
    assert requests_[0] == {"session_id": None}, "a first visit asks for a new session"
    assert requests_[1] == {"session_id": session_id}, "a reload asks for the stored one"

    confirmed = wire.received("session_confirm")
    assert len(confirmed) == 2, confirmed
    ids = [c["session_id"] if isinstance(c, dict) else c for c in confirmed]
    assert ids == [session_id, session_id], (ids, session_id)
    assert SESSION_ID.match(session_id), session_id

    uttered = wire.sent("user_uttered")
    assert [u["message"] for u in uttered] == ["/greet", QUESTION_AFTER_RELOAD], uttered
    for message in uttered:
        assert set(message) == {"message", "customData", "session_id"}, message
        assert message["customData"] == CUSTOM_DATA
        assert message["session_id"] == session_id
    # never a user_uttered before the session is confirmed (the channel drops it: reintegratie/channels/socketio.py)
    order = [(direction, name) for direction, name, _ in wire.events if name in ("session_confirm", "user_uttered")]
    assert order.index(("received", "session_confirm")) < order.index(("sent", "user_uttered")), order

    said = wire.received("bot_uttered")
    assert said and all(isinstance(message, dict) and "text" in message for message in said), said
    greeting = next(message for message in said if GREETING in message["text"])
    buttons = greeting.get("quick_replies") or greeting.get("buttons")
    assert buttons and {"title", "payload"} <= set(buttons[0]), greeting
    assert any("Bron:" in message["text"] for message in said), said
