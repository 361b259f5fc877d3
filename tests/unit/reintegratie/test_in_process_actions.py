"""reintegratie.in_process_actions: the kennisbank answer without the HTTP round trip, and the same answer as before.

Rasa's real ``RemoteAction`` runs against an endpoint whose URL is a closed port: an action named in ``in_process``
still answers (so it did not use HTTP), any other action fails as it does when the action server is down. The same
answer through the real action server (``python -m reintegratie.action_server``) gives the same events.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from pathlib import Path
from typing import Any

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config

from reintegratie import in_process_actions
from reintegratie.in_process_actions import InProcessActionEndpoint
from tests.support.fault_server import closed_port
from tools.processes import ROOT, free_port, process, wait_until_ready

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
KENNISBANK = {"package": "actions.kennisbank", "actions": ["action_kennisbank_antwoord"]}
FIXTURES = {
    "package": "tests.unit.reintegratie.in_process_fixture_actions",
    "actions": ["action_test_rejects", "action_test_fails"],
}


def dead_url() -> str:
    return f"http://127.0.0.1:{closed_port()}/webhook"


def question_tracker(article: str = "jobcoach_overzicht", audience: str | None = "werkgever") -> DialogueStateTracker:
    """A conversation whose last message asked a kennisbank question, as the NLU pipeline leaves it."""
    tracker = DialogueStateTracker.from_events("s1", [], slots=DOMAIN.slots)
    selector = {"faq": {"response": {"intent_response_key": f"faq/{article}", "confidence": 0.93}, "ranking": []}}
    events: list[Event] = [ActionExecuted("action_listen")]
    if audience:
        events.append(SlotSet("audience", audience))
    events.append(
        UserUttered(
            "wat doet een jobcoach?",
            intent={"name": "faq", "confidence": 0.95},
            parse_data={"response_selector": selector},
        )
    )
    for event in events:
        tracker.update(event)
    return tracker


async def run(name: str, endpoint: EndpointConfig, tracker: DialogueStateTracker) -> list[Event]:
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return await RemoteAction(name, endpoint).run(CollectingOutputChannel(), nlg, tracker, DOMAIN)


def summary(events: list[Event]) -> list[tuple[Any, ...]]:
    """Events without their timestamps."""
    return [
        ("bot", e.text, e.data.get("buttons")) if isinstance(e, BotUttered) else ("slot", e.key, e.value)
        for e in events
        if isinstance(e, (BotUttered, SlotSet))
    ]


async def test_the_kennisbank_answer_comes_without_the_action_server() -> None:
    endpoint = InProcessActionEndpoint(dead_url(), in_process=KENNISBANK)
    events = await run("action_kennisbank_antwoord", endpoint, question_tracker())
    texts = [e.text for e in events if isinstance(e, BotUttered)]
    assert texts and "jobcoach" in texts[0].lower() and "Bron:" in texts[0]
    assert ("slot", "laatste_artikel", "jobcoach_overzicht") in summary(events)


async def test_other_actions_still_go_to_the_action_server() -> None:
    endpoint = InProcessActionEndpoint(dead_url(), in_process=KENNISBANK)
    with pytest.raises(RasaException, match="action_handoff_aanvragen"):
        await run("action_handoff_aanvragen", endpoint, question_tracker())


async def test_a_rejection_and_an_error_reach_rasa_as_the_action_servers_400_and_500() -> None:
    endpoint = InProcessActionEndpoint(dead_url(), in_process=FIXTURES)
    with pytest.raises(ActionExecutionRejection) as rejected:
        await run("action_test_rejects", endpoint, question_tracker())
    assert rejected.value.action_name == "action_test_rejects" and rejected.value.message == "niet nu"
    with pytest.raises(RasaException, match="Failed to execute custom action 'action_test_fails'"):
        await run("action_test_fails", endpoint, question_tracker())


@pytest.mark.parametrize(
    ("article", "audience"), [("jobcoach_overzicht", "werkgever"), ("loonkostensubsidie_hoogte", None)]
)
def test_the_same_events_as_through_the_action_server(tmp_path: Path, article: str, audience: str | None) -> None:
    token, port = secrets.token_urlsafe(16), free_port()
    url = f"http://127.0.0.1:{port}/webhook"
    command = [str(ROOT / ".venv/bin/python"), "-m", "reintegratie.action_server", "--actions", "actions"]
    log = tmp_path / "actions.log"
    env = {"ACTION_SERVER_TOKEN": token}
    with process("action server", [*command, "--port", str(port)], log, env=env) as server:
        asyncio.run(wait_until_ready([f"http://127.0.0.1:{port}/health"], server, log, limit=120))
        over_http = EndpointConfig(url, headers={"X-Action-Token": token})
        in_process = InProcessActionEndpoint(url, headers={"X-Action-Token": token}, in_process=KENNISBANK)
        remote = asyncio.run(run("action_kennisbank_antwoord", over_http, question_tracker(article, audience)))
        local = asyncio.run(run("action_kennisbank_antwoord", in_process, question_tracker(article, audience)))
    assert summary(local) == summary(remote) and summary(local)


def test_endpoints_yml_runs_exactly_the_kennisbank_actions_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTION_SERVER_URL", dead_url())  # deploy/endpoints.yml reads both
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "t")
    in_process_actions.install()
    try:
        for path in ("endpoints.yml", "deploy/endpoints.yml"):
            endpoint = read_endpoint_config(str(ROOT / path), "action_endpoint")
            assert isinstance(endpoint, InProcessActionEndpoint), path
            assert endpoint.actions == {
                "action_kennisbank_antwoord",
                "action_niet_begrepen",
                "action_frustratie_erkend",
                "action_zorgen_erkend",
                "action_niet_in_bronnen",
            }, path
        assert type(read_endpoint_config(str(ROOT / "endpoints.yml"), "tracker_store")) is EndpointConfig
    finally:
        in_process_actions.uninstall()
    assert type(read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")) is EndpointConfig


def test_an_unknown_action_name_stops_the_start() -> None:
    with pytest.raises(ValueError, match="action_bestaat_niet"):
        InProcessActionEndpoint(
            dead_url(), in_process={"package": "actions.kennisbank", "actions": ["action_bestaat_niet"]}
        )


def test_the_actions_in_the_rasa_server_still_log_why_they_chose_an_article() -> None:
    """issue 19 §1: 'log why an article was chosen'; the Rasa server itself logs at WARNING."""
    logging.getLogger(in_process_actions.ACTIONS_LOGGER).setLevel(logging.WARNING)
    in_process_actions.install()
    try:
        assert logging.getLogger("actions.kennisbank").isEnabledFor(logging.INFO)
    finally:
        in_process_actions.uninstall()
