"""The console's pure parts: passwords, session cookies, the login throttle, the transcript, the Rasa
events it sends, and the insights queries on a real SQLite tracker file and a real handoff database."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from console.app import templates
from console.auth import (
    ActiveSessions,
    LoginThrottle,
    Session,
    check_login,
    client_key,
    hash_password,
    parse_users,
    read_session,
    sign_session,
    verify_password,
)
from console.insights import build, fallback_per_day, feedback_per_day, tracker_engine, user_events
from console.localtime import TZ
from console.rasa_api import CLOSE_TEXT, claim_events, close_events, reply_events
from console.transcript import is_paused, transcript
from handoff.service import HandoffService

ROOT = Path(__file__).resolve().parents[3]
FAST = 1_000  # iterations for tests; the format carries the count, so verification uses it too

# --- passwords ------------------------------------------------------------------------------------------


def test_a_hash_verifies_its_password_only() -> None:
    encoded = hash_password("correct paard", FAST)
    algorithm, iterations, salt, digest = encoded.split("$")
    assert (algorithm, iterations) == ("pbkdf2_sha256", "1000") and salt and digest
    assert verify_password("correct paard", encoded)
    assert not verify_password("correct paard ", encoded)
    assert hash_password("x", FAST) != hash_password("x", FAST)  # a new salt each time


@pytest.mark.parametrize("bad", ["", "plain", "md5$1$a$b", "pbkdf2_sha256$nope$a$b", "pbkdf2_sha256$0$a$b", "ü$1$2$3"])
def test_malformed_hashes_never_verify(bad: str) -> None:
    assert not verify_password("x", bad)


def test_users_come_from_a_comma_separated_list() -> None:
    anna, bob = hash_password("a", FAST), hash_password("b", FAST)
    users = parse_users(f" anna:{anna}, bob:{bob},kapot:geenhash,:{anna}")
    assert users == {"anna": anna, "bob": bob}
    assert check_login(users, "anna", "a") and not check_login(users, "anna", "b")
    assert not check_login(users, "onbekend", "a") and not check_login({}, "anna", "a")


def test_hash_command_reads_the_password_from_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "console.auth", "hash"],
        input="geheim\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert verify_password("geheim", result.stdout.strip())


# --- session cookies ---------------------------------------------------------------------------------------

SECRET = b"test-secret"


def test_a_signed_session_reads_back() -> None:
    session = Session.new("anna", 3600, now=1000)
    assert read_session(sign_session(session, SECRET), SECRET, now=2000) == session
    assert session.expires == 4600 and len(session.csrf) > 20


def test_a_tampered_cookie_is_refused() -> None:
    cookie = sign_session(Session.new("anna", 3600, now=1000), SECRET)
    payload, mac = cookie.split(".")
    forged = sign_session(Session("admin", "x", 99999), b"other secret").split(".")[0]
    for value in (f"{forged}.{mac}", f"{payload}.{mac[:-2]}AA", f"{payload}x.{mac}", payload, "", None, "a.b.c"):
        assert read_session(value, SECRET, now=2000) is None, value
    assert read_session(cookie, b"another secret", now=2000) is None


def test_an_expired_cookie_is_refused() -> None:
    cookie = sign_session(Session.new("anna", 8 * 3600, now=1000), SECRET)
    assert read_session(cookie, SECRET, now=1000 + 8 * 3600 - 1) is not None
    assert read_session(cookie, SECRET, now=1000 + 8 * 3600) is None


def test_failed_logins_slow_down_and_then_block_one_client_and_name() -> None:
    clock = [0.0]
    throttle = LoginThrottle(limit=3, window=60, step=0.5, max_delay=1, clock=lambda: clock[0])
    assert [throttle.attempt("10.0.0.1", "Anna") for _ in range(3)] == [0.5, 1, 1]
    assert throttle.attempt("10.0.0.1", "anna") is None
    assert throttle.attempt("10.0.0.1", "bob") == 0.5 and throttle.attempt("10.0.0.2", "anna") == 0.5
    clock[0] = 61
    assert throttle.attempt("10.0.0.1", "anna") == 0.5
    throttle.succeeded("10.0.0.1", "ANNA")
    assert throttle.attempt("10.0.0.1", "anna") == 0.5


def test_an_ipv6_client_counts_as_its_slash_64() -> None:
    throttle = LoginThrottle(limit=2)
    throttle.attempt("[2001:db8:1:2::1]", "anna")
    throttle.attempt("2001:db8:1:2:ffff::9", "anna")
    assert throttle.attempt("2001:db8:1:2::77", "anna") is None
    assert throttle.attempt("2001:db8:1:3::1", "anna") is not None
    assert client_key("::ffff:192.0.2.1") == "192.0.2.1" and client_key("") == "onbekend"


def test_the_throttle_table_stays_small_without_forgetting_recent_clients() -> None:
    clock = [0.0]
    throttle = LoginThrottle(limit=1, max_clients=3, window=60, clock=lambda: clock[0])
    throttle.attempt("10.0.0.1", "anna")
    clock[0] = 61
    for client in ("10.0.0.2", "10.0.0.3", "10.0.0.4"):  # 10.0.0.1's attempt is old: it goes first
        throttle.attempt(client, "anna")
    assert all(throttle.attempt(client, "anna") is None for client in ("10.0.0.2", "10.0.0.3", "10.0.0.4"))


def test_a_session_counts_only_while_the_server_knows_it() -> None:
    clock = [1000.0]
    sessions = ActiveSessions(limit=2, clock=lambda: clock[0])
    first, second, third = (Session.new("anna", 3600, now=1000) for _ in range(3))
    sessions.add(first)
    assert sessions.active(first) and not sessions.active(second)
    assert not sessions.active(Session("anna", "csrf", 99999))  # a cookie from before session ids
    sessions.end(first)
    assert not sessions.active(first)
    sessions.add(second)
    sessions.add(third)
    clock[0] = 1000 + 3600
    assert not sessions.active(second)


# --- transcript and events -------------------------------------------------------------------------------


def test_transcript_shows_messages_and_handoff_notes_only() -> None:
    tracker = {
        "paused": True,
        "events": [
            {"event": "action", "name": "action_session_start", "timestamp": 1},
            {"event": "session_started", "timestamp": 1},
            {"event": "action", "name": "action_listen", "timestamp": 2},
            {"event": "user", "text": "<b>hallo</b>", "timestamp": 3, "parse_data": {}},
            {"event": "slot", "name": "audience", "value": "ouder", "timestamp": 4},
            {
                "event": "bot",
                "text": "Hoi!",
                "data": {"buttons": [{"title": "Jobcoach", "payload": "/x"}]},
                "timestamp": 5,
            },
            {"event": "pause", "timestamp": 6},
            {**claim_events("els")[1], "text": "Je praat nu met els.", "timestamp": 6},
            {"event": "bot", "text": "Ik ben Els.", "metadata": {"medewerker": "els"}, "timestamp": 7},
            {"event": "bot", "data": {"custom": {"x": 1}}, "timestamp": 8},
        ],
    }
    lines = transcript(tracker)
    assert [(line.who, line.text) for line in lines] == [
        ("user", "<b>hallo</b>"),
        ("bot", "Hoi!"),
        ("note", "Een medewerker heeft het gesprek overgenomen; de assistent zwijgt."),
        ("medewerker", "Je praat nu met els."),
        ("medewerker", "Ik ben Els."),
    ]
    assert lines[1].buttons == ["Jobcoach"] and lines[4].label == "Medewerker els"
    assert lines[0].time == datetime.fromtimestamp(3, TZ)
    assert is_paused(tracker) and not is_paused({}) and transcript({}) == []


def test_events_for_claim_reply_and_close() -> None:
    pause, hello = claim_events("Els", "werkzoekende")
    assert pause == {"event": "pause"}
    assert hello["text"].startswith("Je praat nu met Els, een medewerker.")
    assert hello["data"] == {"custom": {"data": {"handoff": {"status": "geclaimd", "medewerker": "Els"}}}}
    assert claim_events("Els", "werkgever")[1]["text"].startswith("U praat nu met Els")
    assert reply_events("Els", "Dag!") == [{"event": "bot", "text": "Dag!", "metadata": {"medewerker": "Els"}}]
    resume, bye = close_events()
    assert resume == {"event": "resume"} and bye["text"] == CLOSE_TEXT
    assert bye["data"] == {"custom": {"data": {"handoff": {"status": "gesloten"}}}}


def test_pages_escape_chat_text() -> None:
    lines = transcript({"events": [{"event": "user", "text": "<script>alert(1)</script>", "timestamp": 1}]})
    page = templates().get_template("_transcript.html").render(lines=lines, tracker_error=None)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- insights ---------------------------------------------------------------------------------------------

TODAY = date(2026, 3, 10)


def at(day: date, hour: int = 12) -> float:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ).timestamp()


def rasa_events_table(path: Path, rows: list[tuple]) -> str:
    """A SQLite file with an ``events`` table shaped like Rasa's SQLTrackerStore."""
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255) NOT NULL,"
        " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
    )
    for sender, type_name, timestamp, intent, data in rows:
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data)"
            " VALUES (?, ?, ?, ?, NULL, ?)",
            (sender, type_name, timestamp, intent, json.dumps(data)),
        )
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def feedback(value: str) -> dict:
    return {
        "event": "user",
        "parse_data": {"intent": {"name": "feedback"}, "entities": [{"entity": "waardering", "value": value}]},
    }


@pytest.fixture
def tracker_url(tmp_path: Path) -> str:
    yesterday, old = TODAY - timedelta(days=1), TODAY - timedelta(days=40)
    return rasa_events_table(
        tmp_path / "tracker.db",
        [
            ("a", "user", at(yesterday), "faq", {}),
            ("a", "user", at(yesterday, 13), "nlu_fallback", {}),
            ("a", "bot", at(yesterday, 13), None, {}),
            ("a", "action", at(yesterday, 13), None, {}),
            ("b", "user", at(TODAY), "greet", {}),
            ("b", "user", at(TODAY, 9), "feedback", feedback("goed")),
            ("b", "user", at(TODAY, 10), "feedback", feedback("slecht")),
            ("c", "user", at(TODAY, 11), "feedback", feedback("Goed")),
            ("c", "user", at(TODAY, 11), "feedback", {"parse_data": {"entities": []}}),  # no rating: not counted
            ("d", "user", at(old), "nlu_fallback", {}),  # outside the 30 days
        ],
    )


def test_fallback_and_feedback_per_day_from_a_rasa_events_table(tracker_url: str) -> None:
    events = user_events(tracker_engine(tracker_url), at(TODAY - timedelta(days=30)))
    assert len(events) == 7
    assert fallback_per_day(events) == [(TODAY - timedelta(days=1), 2, 1, 0.5), (TODAY, 5, 0, 0.0)]
    assert feedback_per_day(events) == [(TODAY, 2, 1)]


def test_a_missing_tracker_database_or_table_is_no_data(tmp_path: Path) -> None:
    assert tracker_engine(f"sqlite:///{tmp_path / 'nothing.db'}") is None
    assert not (tmp_path / "nothing.db").exists()  # read-only: nothing is created
    sqlite3.connect(tmp_path / "empty.db").close()
    assert user_events(tracker_engine(f"sqlite:///{tmp_path / 'empty.db'}"), 0) == []
    assert user_events(None, 0) == []


def test_empty_insights_render_as_no_data_yet() -> None:
    data = build([], [], TODAY)
    assert data.charts == {} and all(n == 0 for _, n in data.per_day) and len(data.per_day) == 30
    page = templates().get_template("insights.html").render(data=data, days=30, user="anna", csrf="x")
    assert page.count("Nog geen gegevens.") == 5 and "<img" not in page


def test_insights_from_a_handoff_database_and_a_tracker(tmp_path: Path, tracker_url: str) -> None:
    service = HandoffService(url=f"sqlite:///{tmp_path / 'handoff.db'}")
    summary = {"turns": [{"who": "user", "text": "mens graag"}], "slots": {}}
    for conversation, topic, reason in [
        ("a", "jobcoach", "vraag"),
        ("b", "jobcoach", "niet_begrepen"),
        ("c", "loonkostensubsidie", "vraag"),
    ]:
        service.create(conversation_id=conversation, audience="ouder", topic=topic, reason=reason, summary=summary)
    records = service.list()
    today = datetime.now(timezone.utc).astimezone(TZ).date()
    events = user_events(tracker_engine(tracker_url), 0)
    data = build(records, events, today)
    assert data.per_day[-1] == (today, 3) and sum(n for _, n in data.per_day) == 3
    assert data.topics == [("jobcoach", 2), ("loonkostensubsidie", 1)]
    assert data.reasons == [("vraag", 2), ("niet_begrepen", 1)]
    assert {"per_day", "topics", "reasons"} <= set(data.charts)
    assert data.charts["topics"].startswith("data:image/svg+xml;base64,")
    page = templates().get_template("insights.html").render(data=data, days=30, user="anna", csrf="x")
    assert "loonkostensubsidie" in page and "Meest gevraagde onderwerpen" in page


# --- the Rasa client against a small HTTP server ------------------------------------------------------


async def test_rasa_client_sends_the_token_and_events_and_reports_failures() -> None:
    from aiohttp import web
    from aiohttp.test_utils import TestServer

    from console.rasa_api import RasaClient, RasaUnavailable

    seen: list[tuple[str, dict, object]] = []

    async def tracker_route(request: web.Request) -> web.Response:
        if request.query.get("token") != "geheim":  # what Rasa 3.6 with --auth-token checks
            return web.json_response({"reason": "NotAuthenticated"}, status=401)
        body = await request.json() if request.can_read_body else None
        seen.append((request.path, dict(request.query), body))
        return web.json_response({"events": [], "paused": False})

    app = web.Application()
    app.router.add_get("/conversations/{cid}/tracker", tracker_route)
    app.router.add_post("/conversations/{cid}/tracker/events", tracker_route)
    async with TestServer(app) as server:
        base = str(server.make_url("")).rstrip("/")
        client = RasaClient(base, "geheim", timeout=5)
        assert await client.tracker("web/1 x") == {"events": [], "paused": False}
        await client.append_events("c-1", close_events())
        with pytest.raises(RasaUnavailable):
            await RasaClient(base, "fout").tracker("c-1")
    assert seen[0][0] == "/conversations/web/1 x/tracker" and seen[0][1]["include_events"] == "ALL"
    path, query, body = seen[1]
    assert path == "/conversations/c-1/tracker/events" and body == close_events()
    assert query["execute_side_effects"] == "true" and query["output_channel"] == "latest"
    with pytest.raises(RasaUnavailable):  # nothing listens there any more
        await RasaClient(base, "geheim", timeout=2).tracker("c-1")
