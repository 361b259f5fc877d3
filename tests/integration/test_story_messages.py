"""Every user message in the end-to-end test stories, through the trained model.

`rasa test core` checks the dialogue, but not which kennisbank article the
ResponseSelector picks for a retrieval intent (``faq/<article>``): a story
with the wrong article still passes there. This test closes that gap. For each
``user:`` step it parses the text with the trained model and checks the
intent, the article (for ``faq/...``) and the annotated entities, through the ``/model/parse`` endpoint of the
stack, which runs the same test model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import yaml
from rasa.shared.nlu.training_data import entities_parser

from tests.conftest import ROOT, TOKEN

pytestmark = pytest.mark.integration

STORIES = sorted((ROOT / "tests" / "stories").glob("*.yml"))


def story_messages() -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(story file and name, text, expected intent, expected (entity, value) pairs)."""
    cases = []
    for path in STORIES:
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            for step in story["steps"]:
                if "user" not in step:
                    continue
                example = step["user"].strip()
                if example.startswith("/"):
                    continue  # a button payload: no NLU involved
                entities = [
                    (e["entity"], str(e["value"])) for e in entities_parser.find_entities_in_training_example(example)
                ]
                text = entities_parser.replace_entities(example)
                cases.append((f"{path.name}: {story['story']}", text, step["intent"], entities))
    return cases


CASES = story_messages()


@pytest.fixture(scope="module")
def parse(stack: dict) -> Iterator[Callable[[str], dict[str, Any]]]:
    """The trained test model's parse, through the running stack's ``/model/parse`` (the same ``RASA_TEST_MODEL``,
    already loaded there: no second load of the model in this process)."""
    with requests.Session() as session:

        def parse(text: str) -> dict[str, Any]:
            response = session.post(
                f"{stack['urls']['rasa']}/model/parse", params={"token": TOKEN}, json={"text": text}, timeout=60
            )
            response.raise_for_status()
            return response.json()

        yield parse


def predicted_intent(result: dict[str, Any]) -> str:
    intent = result["intent"]["name"]
    if intent == "faq":
        key = result.get("response_selector", {}).get("faq", {}).get("response", {}).get("intent_response_key")
        return key or "faq/?"
    return intent


def test_story_messages_are_understood(parse: Any) -> None:
    assert len(CASES) >= 60
    failures = []
    for where, text, expected, entities in CASES:
        result = parse(text)
        got = predicted_intent(result)
        got_entities = {(e["entity"], str(e["value"])) for e in result.get("entities", [])}
        if got != expected or not set(entities) <= got_entities:
            failures.append(f"{where}\n    {text!r}: expected {expected} {entities}, got {got} {sorted(got_entities)}")
    assert not failures, f"{len(failures)} of {len(CASES)} messages misunderstood:\n" + "\n".join(failures)


def test_the_check_can_fail(parse: Any) -> None:
    # A wrong article is a failure here, unlike in `rasa test core`.
    assert predicted_intent(parse("wat is een jobcoach")) != "faq/open_hiring_overzicht"


def test_entities_for_answers_and_checks(parse: Any) -> None:
    result = parse("ik heb een Wajong uitkering, werk 24 uur in Almere en mijn loonwaarde is 60%")
    found = {(e["entity"], e["value"].lower()) for e in result["entities"]}
    assert {("uitkering", "wajong"), ("gemeente", "almere"), ("uren", "24 uur"), ("percentage", "60%")} <= found


def form_button_answers() -> list[tuple[str, str]]:
    """Plain-text button payloads of the check questions: they must reach the form as answers."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    answers = []
    for name, variants in domain["responses"].items():
        if name.startswith("utter_ask_"):
            for variant in variants:
                for button in variant.get("buttons") or []:
                    if not button["payload"].startswith("/"):
                        answers.append((name, button["payload"]))
    return answers


def test_check_buttons_are_answers_not_interruptions(parse: Any) -> None:
    """A button such as "nog niet aangevraagd" must not be taken for a kennisbank question or "stop",
    or the form would be interrupted (see not_intent in domain.yml)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    interrupting = set(domain["slots"]["uitkering"]["mappings"][1]["not_intent"])
    answers = form_button_answers()
    assert len(answers) >= 10
    wrong = [(name, text, predicted_intent(parse(text))) for name, text in answers]
    wrong = [case for case in wrong if case[2].split("/")[0] in interrupting]
    assert not wrong, wrong
