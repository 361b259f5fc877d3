"""A message that says plainly that the user is fed up is frustratie, whatever its topic (issue 19 §5)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reintegratie.nlu.frustration_guard import FrustrationGuard, WorryGuard
from reintegratie.nlu.phrases import phrase_pattern
from tests.conftest import ROOT

FAQ = {"name": "faq", "confidence": 0.97}


@pytest.fixture(scope="module")
def guard(tmp_path_factory: pytest.TempPathFactory) -> FrustrationGuard:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    component = FrustrationGuard.create({}, storage, Resource("guard"), ExecutionContext(GraphSchema({}), "test"))
    component.train(load_data(str(ROOT / "data" / "nlu" / "toon.yml"), language="nl"))
    return component  # type: ignore[return-value]


def intent_after(guard: FrustrationGuard, text: str) -> str:
    message = Message({TEXT: text, INTENT: FAQ, INTENT_RANKING_KEY: [FAQ]})
    guard.process([message])
    return str(message.get(INTENT)["name"])


@pytest.mark.parametrize(
    "text",
    [
        "ik heb al 3 keer de gemeente gebeld over de loonkostensubsidie en niemand weet het. ik word hier gek van",
        "Dit slaat NERGENS op, ik vroeg naar de jobcoach",
        "wat een waardeloze uitleg over het doelgroepregister",
        "belachelijk dat beschut werk zo lang duurt",
        "ik   word  hier    gek van",  # spaces between the words
        "ik word echt gek van de gemeente, al maanden wachten op loonkostensubsidie",  # a filler inside a phrase
        "ik ben nu zo boos over het doelgroepregister",
        "als clientenraad zijn we het echt zat met de wethouder",
        "jullie snappen er niks van. ik vroeg naar een vergoeding voor een jobcoach",
        "ik zit al 2 jaar thuis zonder werk en ik ben er echt klaar mee",
        # blind16: 3 jobcoaches of 3 gemeenten with other rules on one shop floor
        "bij ons in de fabriek lopen 3 jobcoaches rond en iedereen heeft andere regels. ik word er knettergek van",
    ],
)
def test_a_topic_with_a_plain_frustration_phrase_is_frustratie(guard: FrustrationGuard, text: str) -> None:
    assert intent_after(guard, text) == "frustratie"


@pytest.mark.parametrize(
    "text",
    [
        "wat is loonkostensubsidie",
        "hoe lang duurt beschut werk",
        "ik vind het moeilijk om werk te vinden",  # a calm question with a feeling word
        "is de waardeloosheidsverklaring een ding",  # the phrase inside a longer word does not count
        "wat een onzin allemaal, hoe vraag ik loonkostensubsidie aan?",  # it also asks: the question is answered
        "ik word niet gek van de jobcoach, hij helpt goed",  # a word that changes the phrase is no filler
        "ik ben echt de weg kwijt in het doelgroepregister",  # a filler alone is nothing
    ],
)
def test_a_calm_question_keeps_its_intent(guard: FrustrationGuard, text: str) -> None:
    assert intent_after(guard, text) == "faq"


def test_the_phrases_come_from_the_lookup_table_and_are_stored(guard: FrustrationGuard, tmp_path: Path) -> None:
    assert "word hier gek van" in guard.state["phrases"] and "slaat nergens op" in guard.state["phrases"]
    assert "belazerd" in guard.state["gevoel"]  # a feeling word, stored once, not in every first-person form
    loaded = FrustrationGuard.load({}, guard._model_storage, guard._resource, ExecutionContext(GraphSchema({}), "t"))
    assert loaded.state == guard.state
    assert intent_after(loaded, "ik word hier gek van") == "frustratie"  # type: ignore[arg-type]
    empty = FrustrationGuard.create(
        {}, LocalModelStorage(tmp_path), Resource("x"), ExecutionContext(GraphSchema({}), "t")
    )
    with pytest.raises(ValueError, match="frustratie_signaal"):
        empty.train(TrainingData([Message({TEXT: "hallo", INTENT: "greet"})]))
    assert phrase_pattern([]) is None


def test_it_runs_after_the_classifiers_and_before_the_bsn_guard_and_the_fallback() -> None:
    names = [c["name"].rsplit(".", 1)[-1] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    guard = names.index("FrustrationGuard")
    assert names.index("LinearIntentClassifier") < guard < names.index("BSNGuard") < names.index("FallbackClassifier")


# ------------------------------------------------------------------------------------------- worry (WorryGuard)


@pytest.fixture(scope="module")
def worry(tmp_path_factory: pytest.TempPathFactory) -> WorryGuard:
    storage = LocalModelStorage(tmp_path_factory.mktemp("model"))
    component = WorryGuard.create({}, storage, Resource("worry"), ExecutionContext(GraphSchema({}), "test"))
    component.train(load_data(str(ROOT / "data" / "nlu" / "toon.yml"), language="nl"))
    return component  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ik maak me echt zorgen, mijn kind zit straks thuis na school en niemand helpt ons", "zorgen"),
        ("ik ben zo bang dat ik dan ontslagen word", "zorgen"),
        # blind11: without "ik" before it
        ("het gaat niet meer zo goed. ben bang dat ik mn baan kwijt raak", "zorgen"),
        ("wij maken ons grote zorgen over de dagbesteding", "zorgen"),
        ("ik heb ook een uitkering en voel me zo machteloos. mijn jobcoach stopt", "zorgen"),  # no "ik" before it
        ("ik maak me zorgen, kan mijn zoon naar beschut werk?", "faq"),  # it also asks: the question is answered
        ("maakt het uit of ze op het vso zit", "faq"),
        ("ik weet het niet meer", "faq"),  # in a check that is an answer
    ],
)
def test_worry_said_plainly_is_zorgen(worry: WorryGuard, text: str, intent: str) -> None:
    assert intent_after(worry, text) == intent


def test_frustration_wins_over_worry_it_runs_after() -> None:
    names = [c["name"].rsplit(".", 1)[-1] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert names.index("WorryGuard") < names.index("FrustrationGuard")


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("wat een onzin allemaal, hoe vraag ik loonkostensubsidie aan?", "frustratie"),
        ("die jobcoach zien we nooit. waar is dat nou goed voor??", "frustratie"),
        ("ik maak me zorgen, kan mijn zoon naar beschut werk?", "zorgen"),
        # blind5-ouder-12: six unpaid months on a werkervaringsplek; the question is answered, the feeling acknowledged
        ("dat voelt als uitbuiting. is dat normaal?", "frustratie"),
        ("hoe lang duurt beschut werk?", None),
    ],
)
def test_a_question_that_says_the_feeling_keeps_its_intent_and_marks_the_tone(
    guard: FrustrationGuard, worry: WorryGuard, text: str, tone: str | None
) -> None:
    message = Message({TEXT: text, INTENT: FAQ, INTENT_RANKING_KEY: [FAQ]})
    worry.process([message])
    guard.process([message])
    assert message.get(INTENT)["name"] == "faq"
    tones = [e["value"] for e in message.get("entities") or [] if e["entity"] == "toon"]
    assert tones == ([tone] if tone else [])


@pytest.mark.parametrize(
    "text",
    [
        "ze is doodsbang om te beginnen",
        "ik trek het niet meer",
        "het groeit me boven het hoofd",
        # blind3-ouder-05: "... ze zit alleen nog op haar kamer. ik weet het echt niet meer"
        "ze zit alleen nog op haar kamer. ik weet het echt niet meer",
    ],
)
def test_distress_said_plainly_is_worry(worry: WorryGuard, text: str) -> None:
    assert intent_after(worry, text) == "zorgen"


@pytest.mark.parametrize(
    "text",
    [
        "ik ben er klaar mee, het gaat steeds mis met de gemeente",
        "ik ben zo kwaad op de gemeente",
        "de ouders zijn hier echt boos over",
        "ik werk maar krijg niks, voelt echt oneerlijk",
        "een half jaar onbetaald werken, dat voelt als uitbuiting",
    ],
)
def test_anger_in_other_plain_words_is_frustratie(guard: FrustrationGuard, text: str) -> None:
    assert intent_after(guard, text) == "frustratie"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("daar word ik zo kwaad om", "frustratie"),  # a feeling word after a first-person form (FEELING_HEADS)
        ("ik voel me echt belazerd door de gemeente", "frustratie"),
        ("we voelen ons gepasseerd door de wethouder", "frustratie"),
        ("ik ben er bang voor dat ik mijn uitkering kwijtraak", "zorgen"),
        ("ik voel me zo onzeker over mijn eerste werkdag", "zorgen"),
        # two fillers between the head and the feeling (blind30)
        ("ik zit al een jaar thuis te wachten op een plek. ik word er echt depri van", "zorgen"),
        ("mijn zoon wordt snel boos als het druk is", "faq"),  # someone else's feeling: a description
        ("ik ben niet bang om te werken", "faq"),  # "niet" is no filler: it changes the phrase
    ],
)
def test_a_feeling_said_in_the_first_person(guard: FrustrationGuard, worry: WorryGuard, text: str, intent: str) -> None:
    message = Message({TEXT: text, INTENT: FAQ, INTENT_RANKING_KEY: [FAQ]})
    worry.process([message])
    guard.process([message])
    assert message.get(INTENT)["name"] == intent


def test_heads_and_tails_match_only_together_and_an_old_state_still_loads() -> None:
    pattern = phrase_pattern(["slaat nergens op"], ["echt"], heads=["ik voel me"], tails=["belazerd", "in de steek"])
    assert pattern is not None
    assert pattern.search("Ik voel me ECHT belazerd") and pattern.search("ik voel me in de steek gelaten")
    assert not pattern.search("ik voel me goed") and not pattern.search("belazerd")
    assert pattern.search("dit slaat echt nergens op")
    assert phrase_pattern([], heads=["ik voel me"]) is None  # a head without tails is no phrase
    # a model trained before the feeling words stored its phrases as a plain list
    assert FrustrationGuard.from_json(["slaat nergens op"]) == {"phrases": ["slaat nergens op"], "gevoel": []}
