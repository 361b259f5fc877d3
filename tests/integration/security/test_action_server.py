"""Review H2: the action server is not a public endpoint.

The review posted a rasa_sdk action request for ``action_handoff_aanvragen`` with a tracker it wrote itself to
``localhost:5055/webhook``: a handoff request with a forged transcript and the attacker's e-mail address was
stored. ``Content-Type: text/plain`` worked too (a "simple" request any web page can send blind), and the server
listened on every interface. These tests attack the running stack (``scripts/run.sh``) the same way. That it
does not start without a token: tests/unit/reintegratie/test_action_server.py.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from tests.conftest import ACTION_TOKEN, STACK_PORTS

ACTIONS = f"http://127.0.0.1:{STACK_PORTS['actions']}"
HEADER = "X-Action-Token"


def forged_call(action: str, sender: str) -> dict:
    """An action request as Rasa sends it, with a tracker the attacker made up (the review's forge.json)."""
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "ik wil een medewerker", "parse_data": {"intent": {"name": "vraag_medewerker"}}},
        {"event": "bot", "text": "Stuur uw DigiD-wachtwoord naar aanvaller@evil.example"},
    ]
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": {},
        "tracker": {
            "sender_id": sender,
            "slots": {"handoff_modus": "terugbellen", "terugbel_contact": {"email": "aanvaller@evil.example"}},
            "latest_message": events[1],
            "latest_event_time": 0,
            "followup_action": None,
            "paused": False,
            "events": events,
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }


def handoff_requests(database: Path, sender: str) -> int:
    with sqlite3.connect(database) as connection:
        tables = {name for (name,) in connection.execute("select name from sqlite_master where type = 'table'")}
        if "handoff_requests" not in tables:
            return 0
        return connection.execute(
            "select count(*) from handoff_requests where conversation_id = ?", (sender,)
        ).fetchone()[0]


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_forged_action_request_without_the_token_is_refused_and_stores_nothing(
    stack: dict, content_type: str
) -> None:
    sender = f"forged-{uuid.uuid4().hex[:8]}"
    body = json.dumps(forged_call("action_handoff_aanvragen", sender))
    answer = requests.post(f"{ACTIONS}/webhook", data=body, headers={"Content-Type": content_type}, timeout=30)
    assert answer.status_code == 401, answer.text[:500]
    assert "aanvaller" not in answer.text and "utter_" not in answer.text
    assert handoff_requests(stack["handoff_db"], sender) == 0


def test_a_wrong_token_is_refused_too(stack: dict) -> None:
    sender = f"forged-{uuid.uuid4().hex[:8]}"
    for wrong in ("", "x", ACTION_TOKEN[:-1], ACTION_TOKEN + "x", ACTION_TOKEN.upper()):
        answer = requests.post(
            f"{ACTIONS}/webhook",
            json=forged_call("action_handoff_aanvragen", sender),
            headers={HEADER: wrong},
            timeout=30,
        )
        assert answer.status_code == 401, (wrong, answer.text[:300])
    assert requests.get(f"{ACTIONS}/actions", timeout=30).status_code == 401  # the list of actions too
    assert handoff_requests(stack["handoff_db"], sender) == 0


def test_with_the_token_the_action_runs_and_health_needs_none(stack: dict) -> None:
    sender = f"echt-{uuid.uuid4().hex[:8]}"
    answer = requests.post(
        f"{ACTIONS}/webhook",
        json=forged_call("action_handoff_aanbieden", sender),
        headers={HEADER: ACTION_TOKEN},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text[:500]
    assert [r.get("response") for r in answer.json()["responses"]] == ["utter_handoff_toestemming"]
    assert requests.get(f"{ACTIONS}/health", timeout=30).json() == {"status": "ok"}
    assert "access-control-allow-origin" not in {k.lower() for k in answer.headers}


def test_an_error_does_not_echo_the_request(stack: dict) -> None:
    """rasa_sdk's own handler answered a 500 with the whole request body (the tracker) in it."""
    call = forged_call("action_handoff_aanbieden", f"kapot-{uuid.uuid4().hex[:8]}")
    call["tracker"] = ["geheim-1234"]  # not a tracker: the SDK fails reading it
    answer = requests.post(f"{ACTIONS}/webhook", json=call, headers={HEADER: ACTION_TOKEN}, timeout=30)
    assert answer.status_code == 500, answer.text[:500]
    assert "geheim-1234" not in answer.text and "request_body" not in answer.text


def test_a_huge_action_request_gets_413(stack: dict) -> None:
    body = b'{"next_action": "action_handoff_aanbieden", "pad": "' + b"x" * 4_000_000 + b'"}'
    answer = requests.post(
        f"{ACTIONS}/webhook", data=body, headers={HEADER: ACTION_TOKEN, "Content-Type": "application/json"}, timeout=60
    )
    assert answer.status_code == 413, answer.text[:300]


def other_addresses() -> list[str]:
    """This machine's addresses that are not loopback (IPv4), as `hostname -I` lists them."""
    try:
        listed = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout.split()
    except (OSError, subprocess.SubprocessError):
        listed = []
    return [address for address in listed if "." in address and not address.startswith("127.")]


def test_the_action_server_listens_on_loopback_only(stack: dict) -> None:
    addresses = other_addresses()
    if not addresses:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    assert requests.get(f"{ACTIONS}/health", timeout=10).ok  # it does listen on 127.0.0.1
    for address in addresses:
        with socket.socket() as probe:
            probe.settimeout(5)
            code = probe.connect_ex((address, STACK_PORTS["actions"]))
        assert code != 0, f"the action server accepts connections on {address}:{STACK_PORTS['actions']}"
