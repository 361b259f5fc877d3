"""The audience keywords back up DIET only when the user says who they are."""

from __future__ import annotations

import pytest
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.audience_keywords import AudienceKeywords, find_audience, keywords_from
from tests.conftest import ROOT

#: From the NLU training data, read as `rasa train nlu` reads it (the NLU importer skips the stories).
KEYWORDS = keywords_from(
    TrainingDataImporter.load_nlu_importer_from_config(
        str(ROOT / "config.yml"), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    ).get_nlu_data()
)


def test_keywords_come_from_the_annotations() -> None:
    assert KEYWORDS["bedrijf"] == "werkgever"
    assert KEYWORDS["mijn zoon"] == "ouder"
    assert KEYWORDS["cliëntenraad"] == "clientenraad"
    assert set(KEYWORDS.values()) == {"werkzoekende", "werkgever", "ouder", "clientenraad"}


def test_longest_whole_word_match_wins() -> None:
    found = find_audience("Ik zit in de Cliëntenraad van Almere", KEYWORDS)
    assert found is not None and found["value"] == "clientenraad" and found["start"] == 13
    assert find_audience("bedrijfsarts gesproken", KEYWORDS) is None


def audiences(message: Message) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in message.get(ENTITIES)]


def test_tell_audience_without_a_diet_entity_gets_the_keyword() -> None:
    component = AudienceKeywords(None, None, KEYWORDS)  # type: ignore[arg-type]
    said = Message({TEXT: "ik heb een bedrijf in almere", INTENT: {"name": "tell_audience"}, ENTITIES: []})
    component.process([said])
    assert audiences(said) == [("audience", "werkgever")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("wij hebben een bedrijf, hoe vragen we lks aan?", [("audience", "werkgever")]),
        ("ik ben werkgever en wil een jobcoach voor een medewerker", [("audience", "werkgever")]),
        ("als ouder wil ik weten wat nazorg is", [("audience", "ouder")]),
        ("mijn zoon zit op het vso, krijgt hij nazorg?", [("audience", "ouder")]),
        # a word about somebody else does not say who is asking
        ("kan een werkgever lks krijgen?", []),
        ("betaalt het bedrijf de jobcoach?", []),
    ],
)
def test_in_a_question_only_the_user_about_themselves_counts(text: str, expected: list) -> None:
    component = AudienceKeywords(None, None, KEYWORDS)  # type: ignore[arg-type]
    asked = Message({TEXT: text, INTENT: {"name": "faq"}, ENTITIES: []})
    component.process([asked])
    assert audiences(asked) == expected


def test_a_diet_span_that_is_no_audience_phrase_is_replaced_by_the_keyword() -> None:
    component = AudienceKeywords(None, None, KEYWORDS)  # type: ignore[arg-type]
    text = "ik ben moeder van een meisje op het pro"
    wrong = {"entity": "audience", "start": 7, "end": 17, "value": "moeder van", "extractor": "DIETClassifier"}
    said = Message({TEXT: text, INTENT: {"name": "tell_audience"}, ENTITIES: [wrong]})
    component.process([said])
    assert audiences(said) == [("audience", "ouder")]
    right = {"entity": "audience", "start": 7, "end": 13, "value": "moeder", "extractor": "DIETClassifier"}
    kept = Message({TEXT: text, INTENT: {"name": "tell_audience"}, ENTITIES: [right]})
    component.process([kept])
    assert audiences(kept) == [("audience", "moeder")]  # the synonym mapper, next in the pipeline, makes it "ouder"
