"""The audience keywords back up DIET only when the user says who they are."""
from __future__ import annotations

from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.audience_keywords import AudienceKeywords, find_audience, keywords_from
from tests.conftest import ROOT

KEYWORDS = keywords_from(
    TrainingDataImporter.load_from_config(
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


def test_only_tell_audience_without_a_diet_entity_is_touched() -> None:
    component = AudienceKeywords(None, None, KEYWORDS)  # type: ignore[arg-type]
    said = Message({TEXT: "ik heb een bedrijf in almere", INTENT: {"name": "tell_audience"}, ENTITIES: []})
    asked = Message({TEXT: "kan een werkgever lks krijgen voor mijn zoon", INTENT: {"name": "faq"}, ENTITIES: []})
    component.process([said, asked])
    assert [(e["entity"], e["value"]) for e in said.get(ENTITIES)] == [("audience", "werkgever")]
    assert asked.get(ENTITIES) == []
