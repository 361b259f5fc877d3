"""The consultant console end to end: scripts/run.sh (the ``stack`` fixture), real Rasa, real databases.

A user chats over REST, a handoff request is stored for the conversation, and a consultant claims it,
answers and closes it in the console over HTTP, while the tracker shows what Rasa did.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.conftest import CONSOLE_PASSWORD, CONSOLE_USER, STACK_PORTS, TOKEN

pytestmark = pytest.mark.integration

RASA = f"http://localhost:{STACK_PORTS['rasa']}"
CONSOLE = f"http://localhost:{STACK_PORTS['console']}"
SENDER = "c-1"
XSS = "<script>alert(1)</script>"


def say(sender: str, message: str) -> list[dict]:
    response = requests.post(f"{RASA}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
    response.raise_for_status()
    return response.json()


def tracker(sender: str) -> dict:
    response = requests.get(f"{RASA}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30)
    response.raise_for_status()
    return response.json()


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    assert match, page[:2000]
    return match.group(1)


def logged_in(password: str = CONSOLE_PASSWORD) -> tuple[requests.Session, requests.Response]:
    session = requests.Session()
    page = session.get(f"{CONSOLE}/login", timeout=30)
    response = session.post(
        f"{CONSOLE}/login", data={"csrf": csrf_of(page.text), "naam": CONSOLE_USER, "wachtwoord": password}, timeout=30
    )
    return session, response


def test_console_pages_and_actions_need_a_login(stack: dict) -> None:
    assert requests.get(f"{CONSOLE}/health", timeout=10).text == "ok"
    for path in ("/", "/verzoeken/1", "/inzichten"):
        response = requests.get(CONSOLE + path, allow_redirects=False, timeout=10)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    for path in ("/verzoeken/1/claimen", "/verzoeken/1/antwoord", "/verzoeken/1/sluiten"):
        assert requests.post(CONSOLE + path, data={"bericht": "x"}, timeout=10).status_code == 401, path
    session, wrong = logged_in("niet het wachtwoord")
    assert wrong.status_code == 401 and "Naam of wachtwoord klopt niet." in wrong.text
    assert session.get(f"{CONSOLE}/", allow_redirects=False, timeout=10).status_code == 303
    session, ok = logged_in()
    assert ok.status_code == 200 and ok.url == f"{CONSOLE}/" and "Verzoeken om een medewerker" in ok.text
    assert session.post(f"{CONSOLE}/verzoeken/1/claimen", timeout=10).status_code == 403  # no CSRF token


def test_claim_reply_and_close_a_conversation_through_rasa(stack: dict) -> None:
    from handoff.service import HandoffService

    assert say(SENDER, "hallo")
    say(SENDER, XSS)
    service = HandoffService(stack["env"]["HANDOFF_DATABASE_URL"])
    record = service.create(
        conversation_id=SENDER,
        audience="werkzoekende",
        topic="jobcoach",
        reason="gevraagd",
        summary={
            "turns": [{"who": "user", "text": XSS}, {"who": "bot", "text": "Een medewerker?"}],
            "slots": {"audience": "werkzoekende"},
        },
        callback={"wanted": True, "email": "test@example.org", "phone": None, "moment": "ochtend"},
    )
    session, _ = logged_in()
    queue = session.get(f"{CONSOLE}/", timeout=30).text
    assert f'href="/verzoeken/{record.id}"' in queue and "Ja: e-mail test@example.org" in queue
    detail = session.get(f"{CONSOLE}/verzoeken/{record.id}", timeout=30)
    assert detail.status_code == 200 and "Claimen" in detail.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail.text and XSS not in detail.text
    assert "hallo" in detail.text  # the full transcript from the tracker, not only the summary
    csrf = csrf_of(detail.text)

    claimed = session.post(f"{CONSOLE}/verzoeken/{record.id}/claimen", data={"csrf": csrf}, timeout=60)
    assert claimed.status_code == 200 and "Je hebt het gesprek overgenomen." in claimed.text, claimed.text[-3000:]
    assert service.get(record.id).status == "claimed" and service.get(record.id).consultant == CONSOLE_USER
    assert say(SENDER, "is daar iemand?") == []  # paused: the bot is silent
    state = tracker(SENDER)
    assert state["paused"] is True
    assert any(e["event"] == "user" and e.get("text") == "is daar iemand?" for e in state["events"])
    assert any(
        e["event"] == "bot" and (e.get("text") or "").startswith(f"Je praat nu met {CONSOLE_USER}")
        for e in state["events"]
    )
    assert "is daar iemand?" in session.get(f"{CONSOLE}/verzoeken/{record.id}/gesprek", timeout=30).text

    reply = "Hallo, ik ben een medewerker. Waarmee kan ik helpen?"
    sent = session.post(f"{CONSOLE}/verzoeken/{record.id}/antwoord", data={"csrf": csrf, "bericht": reply}, timeout=60)
    assert sent.status_code == 200 and "Je bericht is verstuurd." in sent.text
    assert any(e["event"] == "bot" and e.get("text") == reply for e in tracker(SENDER)["events"])

    closed = session.post(f"{CONSOLE}/verzoeken/{record.id}/sluiten", data={"csrf": csrf}, timeout=60)
    assert closed.status_code == 200 and "Het verzoek is gesloten." in closed.text
    assert service.get(record.id).status == "closed"
    state = tracker(SENDER)
    assert state["paused"] is False and any(e["event"] == "resume" for e in state["events"])
    assert say(SENDER, "hallo")  # the assistent answers again


def test_insights_render_with_data(stack: dict) -> None:
    from handoff.service import HandoffService

    say("c-inzicht", "hallo")
    HandoffService(stack["env"]["HANDOFF_DATABASE_URL"]).create(
        conversation_id="c-inzicht",
        audience="werkgever",
        topic="loonkostensubsidie",
        reason="gevraagd",
        summary={"turns": [], "slots": {}},
    )
    session, _ = logged_in()
    page = session.get(f"{CONSOLE}/inzichten", timeout=60)
    assert page.status_code == 200 and "Verzoeken om een medewerker per dag" in page.text
    assert "data:image/svg+xml;base64," in page.text and "loonkostensubsidie" in page.text
    assert "<caption>Niet begrepen berichten per dag</caption>" in page.text  # from the tracker's events table
