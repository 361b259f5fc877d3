"""QuestionGuard: an introduction with a question mark is the question it asks (issue 19 §2); real Messages.

The trained pipeline, end to end: tests/stories/ and `make eval` (said.yml, "wij zijn een schoonmaakbedrijf, welke
subsidies zijn er?").
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.linear_classifier import question_text
from reintegratie.nlu.question_guard import QuestionGuard
from tests.conftest import ROOT

GUARD = QuestionGuard(QuestionGuard.get_default_config())


def parsed(text: str, *ranking: tuple[str, float]) -> Message:
    rows = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message({TEXT: text, INTENT: dict(rows[0]), INTENT_RANKING_KEY: rows})


def after(message: Message) -> tuple[str, list[str]]:
    (out,) = GUARD.process([message])
    return out.get(INTENT)["name"], [row["name"] for row in out.get(INTENT_RANKING_KEY)]


def test_an_introduction_with_a_question_is_the_question() -> None:
    text = "wij zijn een schoonmaakbedrijf, welke subsidies zijn er?"
    assert after(parsed(text, ("tell_audience", 0.54), ("faq", 0.45), ("vervolgvraag", 0.0))) == (
        "faq",
        ["faq", "tell_audience", "vervolgvraag"],
    )


@pytest.mark.parametrize(
    ("text", "ranking", "kept"),
    [
        ("wij zijn een schoonmaakbedrijf", [("tell_audience", 0.9), ("faq", 0.05)], "tell_audience"),  # no question
        ("ik ben werkgever?", [("tell_audience", 0.8), ("faq", 0.1)], "tell_audience"),  # no question beside it
        ("mijn zoon?", [("tell_audience", 0.6), ("nlu_fallback", 0.5), ("faq", 0.2)], "tell_audience"),
        ("wat is een jobcoach? ik ben ouder", [("faq", 0.7), ("tell_audience", 0.3)], "faq"),  # already a question
        ("eh mijn dochter?", [("nlu_fallback", 0.5), ("tell_audience", 0.45), ("faq", 0.4)], "nlu_fallback"),
    ],
)
def test_anything_else_keeps_its_intent(text: str, ranking: list[tuple[str, float]], kept: str) -> None:
    assert after(parsed(text, *ranking))[0] == kept


def test_no_introduction_in_the_nlu_data_has_a_question_mark() -> None:
    """The guard's premise: if an example like this is added, the guard would overrule the data."""
    data = load_data(str(ROOT / "data" / "nlu"))
    questions: list[Any] = [
        e.get(TEXT) for e in data.intent_examples if e.get(INTENT) == "tell_audience" and "?" in e.get(TEXT)
    ]
    assert not questions


def test_it_runs_after_the_fallback_classifier() -> None:
    names = [c["name"].rsplit(".", 1)[-1] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert names.index("FallbackClassifier") < names.index("QuestionGuard")


def test_the_article_of_an_introduction_is_chosen_without_the_self_description() -> None:
    text = "wij zijn een schoonmaakbedrijf, welke subsidies zijn er?"
    entity = {"entity": "audience", "start": 13, "end": 30, "value": "werkgever", "extractor": "AudienceKeywords"}
    introduction = Message({TEXT: text, INTENT: {"name": "tell_audience"}, ENTITIES: [entity]})
    assert question_text(introduction) == "wij zijn een  , welke subsidies zijn er?"
    # in a question the audience word stays: there it helps to pick the employer's article
    question = Message({TEXT: text, INTENT: {"name": "faq"}, ENTITIES: [entity]})
    assert question_text(question) == text
    other = Message({TEXT: text, INTENT: {"name": "tell_audience"}, ENTITIES: [{**entity, "extractor": "Other"}]})
    assert question_text(other) == text


@pytest.mark.parametrize(
    "text",
    ["mijn dochter zit op het vso en wordt 18, wat nu?", "mijn zoon zit op het vso, laatste jaar. wat nu eigenlijk"],
)
def test_a_narrow_introduction_the_fallback_took_is_still_the_question_it_asks(text: str) -> None:
    # the introduction won narrowly, under the fallback threshold: the question is not lost to "Dat begrijp ik niet"
    ranking = [("nlu_fallback", 0.5), ("tell_audience", 0.49), ("faq", 0.42)]
    assert after(parsed(text, *ranking))[0] == "faq"


def test_an_unsure_message_whose_best_guess_is_no_introduction_stays_unsure() -> None:
    ranking = [("nlu_fallback", 0.5), ("faq", 0.45), ("tell_audience", 0.4)]
    assert after(parsed("wat nu dan met die jobcoach", *ranking))[0] == "nlu_fallback"


def introduction(text: str, audience: bool, *ranking: tuple[str, float]) -> Message:
    message = parsed(text, *ranking)
    message.set(ENTITIES, [{"entity": "audience", "value": "werkgever"}] if audience else [])
    return message


def test_an_unsure_introduction_with_a_greeting_is_the_introduction() -> None:
    """blind11: "goedemiddag, ik heb een tuincentrum met 15 medewerkers" got "Dat begrijp ik niet goed"."""
    text = "goedemiddag, ik heb een tuincentrum met 15 medewerkers"
    ranking = [("nlu_fallback", 0.5), ("tell_audience", 0.51), ("greet", 0.46)]
    assert after(introduction(text, True, *ranking)) == ("tell_audience", ["tell_audience", "nlu_fallback", "greet"])
    # the greeting first (2026-12-07: greet 0.50, tell_audience 0.44): the introduction all the same
    greeting_first = [("nlu_fallback", 0.5), ("greet", 0.50), ("tell_audience", 0.44)]
    assert after(introduction(text, True, *greeting_first))[0] == "tell_audience"
    # no audience found, another second intent, or a question: it stays unsure
    assert after(introduction(text, False, *ranking))[0] == "nlu_fallback"
    other = [("nlu_fallback", 0.5), ("tell_audience", 0.51), ("faq", 0.46)]
    assert after(introduction(text, True, *other))[0] == "nlu_fallback"
