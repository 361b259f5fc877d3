"""`make run` end to end: scripts/run.sh with the test model, real HTTP, real SQLite.

The ``stack`` fixture (tests/conftest.py) starts everything exactly as `make run`
does; these tests talk to it over HTTP and read the tracker back from the
SQLite file. Its teardown sends Ctrl-C and checks that nothing is left running.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
import requests

from eligibility.vocabulary import Audience
from kennisbank import loader
from kennisbank.render import render_article
from tests.conftest import ALLOWED_ORIGIN, STACK_PORTS, TOKEN

pytestmark = pytest.mark.integration

RASA_PORT = STACK_PORTS["rasa"]
ACTION_PORT = STACK_PORTS["actions"]
BASE = f"http://localhost:{RASA_PORT}"


def article_text(article_id: str, audience: Audience | None) -> str:
    """What the action server sends for an article: from the kennisbank itself, so a content fix does not break this."""
    return render_article(loader.default(), article_id, audience).text


def say(sender: str, message: str) -> list[dict]:
    response = requests.post(f"{BASE}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60)
    response.raise_for_status()
    return response.json()


def test_hallo_gets_the_disclosure_greeting_with_topic_buttons(stack: dict) -> None:
    [greeting] = say("a", "hallo")
    assert "digitale assistent" in greeting["text"] and "geen mens" in greeting["text"]
    titles = [button["title"] for button in greeting["buttons"]]
    assert greeting["buttons"][0]["payload"] == '/faq{"artikel":"jobcoach_overzicht"}'
    assert titles == ["Jobcoach", "Doelgroepregister", "Loonkostensubsidie", "Open Hiring", "Praat met een medewerker"]


def test_topic_button_gives_a_sourced_answer(stack: dict) -> None:
    # action_kennisbank_antwoord, run inside the Rasa server (endpoints.yml action_endpoint.in_process)
    [answer] = say("b", '/faq{"artikel":"open_hiring_overzicht"}')
    assert answer["text"] == article_text("open_hiring_overzicht", None)
    assert "Bron: Cliëntenraden [Aan de slag], blad van de Landelijke Cliëntenraad (LCR)" in answer["text"]


def test_typed_question_and_audience_change_the_answer(stack: dict) -> None:
    [confirm] = say("c", "ik heb een bedrijf")
    assert "werkgevers" in confirm["text"]
    [answer] = say("c", "wat is loonkostensubsidie")
    assert answer["text"] == article_text("loonkostensubsidie_overzicht", Audience.werkgever)
    assert "Stand: " in answer["text"]


def test_audience_in_the_question_itself_is_used_for_the_answer(stack: dict) -> None:
    [answer, *_] = say("f", "ik heb een bedrijf, hoe vraag ik loonkostensubsidie aan?")
    words = set(answer["text"].lower().replace(".", " ").replace(",", " ").split())
    assert {"u", "uw"} & words and not {"je", "jij", "jouw"} & words, answer["text"]
    assert "Bron: " in answer["text"]


def texts(messages: list[dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def test_jobcoach_check_end_to_end_with_a_correction_and_a_question_in_between(stack: dict) -> None:
    """Through the real action server: form, Dutch answers, a correction, a topic switch and the verdict."""
    sender = "check-1"
    assert "Welke uitkering" in texts(say(sender, "/check_jobcoach"))
    assert "Hoe lang duurt het contract" in texts(say(sender, "ww"))
    reply = texts(say(sender, '/faq{"artikel":"jobcoach_strippenkaart"}'))  # a question in between
    assert "Bron: " in reply and "Hoe lang duurt het contract" in reply  # answered, then back to the check
    assert "schriftelijk contract" in texts(say(sender, "een jaar"))
    assert "Hoeveel uur" in texts(say(sender, "ja hoor"))
    assert "loonwaarde" in texts(say(sender, "twintig uur"))
    reply = texts(say(sender, "nee, 24 uur bedoel ik"))
    assert "Aangepast: uren per week is nu 24." in reply and "loonwaarde" in reply
    assert "Dat begreep ik niet" in texts(say(sender, "ruim de helft"))
    verdict = texts(say(sender, "60%"))  # a bare number is an answer, not a fallback
    assert verdict.startswith("Uitkomst Jobcoach volgens de regels van UWV uit 2017: waarschijnlijk wel.")
    assert "Jaar 1: 2,4 uur." in verdict  # 10% of the corrected 24 hours
    assert "Bron: " in verdict and "Stand: mei 2017" in verdict


def test_check_can_be_stopped_and_dont_know_is_an_answer(stack: dict) -> None:
    sender = "check-2"
    say(sender, "/check_no_riskpolis")
    assert "De check is gestopt" in texts(say(sender, "/stoppen"))
    assert "doelgroepregister" in texts(say(sender, "/start_check"))  # back where it was
    verdict = texts(say(sender, "weet ik niet"))
    assert verdict.startswith("Uitkomst No-riskpolis: dat kan ik nog niet zeggen.")


def test_bsn_gets_a_warning_and_is_not_echoed(stack: dict) -> None:
    [warning] = say("e", "mijn bsn is 123 456 782, wat kan ik krijgen?")
    assert "deel je burgerservicenummer (BSN) niet" in warning["text"]
    assert "782" not in warning["text"]


@pytest.mark.parametrize(
    "message",
    # 1,000 characters is the most a message may have
    # (MAX_MESSAGE_CHARS; longer: tests/integration/security/test_channels.py)
    ["", "   ", "<img src=x onerror=alert(1)>", "'; DROP TABLE events; --", "🙂🙂🙂", "x" * 1000],
)
def test_bad_input_gets_a_polite_dutch_answer(stack: dict, message: str) -> None:
    replies = say("g", message)
    assert replies, "the assistant stayed silent"
    texts = " ".join(reply.get("text") or "" for reply in replies)
    assert "<img" not in texts and "DROP TABLE" not in texts
    # the honest fallback or "not in my sources", never a random article
    assert "Bron:" not in texts, texts
    assert any(word in texts for word in ("Sorry", "begrijp", "bronnen", "Hallo")), texts


def test_conversation_is_stored_in_the_sql_tracker_store(stack: dict) -> None:
    say("d", "hallo")
    rows = (
        sqlite3.connect(stack["tracker_db"])
        .execute("select type_name, data from events where sender_id = 'd'")
        .fetchall()
    )
    assert any(kind == "user" and '"hallo"' in data for kind, data in rows)
    assert any(kind == "bot" and "digitale assistent" in data for kind, data in rows)


def test_every_reply_is_stored_before_it_is_returned(stack: dict) -> None:
    """Issue 17's reply path (statements built once in the tracker store, the action server's reply checked without
    re-checking Rasa's schema): each turn is in the database when its reply arrives, and the next turn reads it
    back. The audience question while the audience is unknown, the button's article, then the answer for it."""
    sender = "opgeslagen"
    database = sqlite3.connect(stack["tracker_db"])

    def stored(kind: str) -> list[dict]:
        query = "select data from events where sender_id = ? and type_name = ? order by id"
        return [json.loads(data) for (data,) in database.execute(query, (sender, kind))]

    from kennisbank import loader

    article = next(a for a in loader.default().articles.values() if a.answer.differs_per_audience() and a.follow_up)
    first = f'/faq{{"artikel":"{article.id}"}}'
    answer, question = say(sender, first)
    assert "Bron: " in answer["text"] and "Stand: " in answer["text"] and answer["buttons"], answer
    assert "Wie ben je?" in question["text"] and len(question["buttons"]) == 4, question
    assert [event["text"] for event in stored("user")] == [first]
    assert [event["text"] for event in stored("bot")][-2:] == [answer["text"], question["text"]]

    assert say(sender, '/tell_audience{"audience":"werkgever"}')
    assert {"name": "audience", "value": "werkgever"}.items() <= stored("slot")[-1].items()

    payload = answer["buttons"][0]["payload"]
    assert payload.startswith('/faq{"artikel":')
    follow_up = say(sender, payload)
    assert "Bron: " in follow_up[0]["text"] and "Wie ben je?" not in texts(follow_up), follow_up
    assert len(stored("user")) == 3 and stored("bot")[-1]["text"] == follow_up[-1]["text"]
    assert [event["name"] for event in stored("action")].count("action_kennisbank_antwoord") == 2
    # Rasa's HTTP API reads the conversation back from the same rows
    api = requests.get(f"{BASE}/conversations/{sender}/tracker", params={"token": TOKEN}, timeout=30)
    api.raise_for_status()
    assert [e.get("text") for e in api.json()["events"] if e["event"] == "user"] == [e["text"] for e in stored("user")]
    assert api.json()["slots"]["audience"] == "werkgever"


def test_question_list_downloads_as_markdown(stack: dict) -> None:
    ok = requests.get(f"{BASE}/webhooks/kennisbank/vragen/jobcoach_vragen_clientenraad.md", timeout=30)
    assert ok.status_code == 200
    assert ok.headers["Content-Type"].startswith("text/markdown")
    assert ok.text.startswith("# ") and "\nBron: " in ok.text and "Stand: " in ok.text
    missing = requests.get(f"{BASE}/webhooks/kennisbank/vragen/jobcoach_overzicht.md", timeout=30)
    assert missing.status_code == 404 and "bestaat niet" in missing.text


def test_http_api_needs_the_token(stack: dict) -> None:
    assert requests.get(f"{BASE}/conversations/a/tracker", timeout=30).status_code == 401
    ok = requests.get(f"{BASE}/conversations/a/tracker", params={"token": TOKEN}, timeout=30)
    assert ok.status_code == 200 and ok.json()["sender_id"] == "a"


def test_cors_only_for_configured_origins(stack: dict) -> None:
    allowed = requests.options(
        f"{BASE}/webhooks/rest/webhook",
        headers={"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    other = requests.options(
        f"{BASE}/webhooks/rest/webhook",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert other.headers.get("Access-Control-Allow-Origin") != "http://evil.example"
