"""The linear intent classifier and article selector, trained on a small real slice of data/nlu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from rasa.core.processor import MessageProcessor
from rasa.core.test import _get_full_retrieval_intent
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, RESPONSE_SELECTOR, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reintegratie.nlu.linear_classifier import (
    LinearIntentClassifier,
    LinearResponseSelector,
    Scorer,
    UntrustedModelError,
    build_pipeline,
    class_weights,
    tempered,
    without_addresses,
)
from reintegratie.nlu.phrases import phrase_pattern
from reintegratie.nlu.unknown_words import UnknownWordsGuard
from tests.conftest import ROOT

INTENTS = {"greet", "goodbye", "thankyou", "check_jobcoach", "faq"}
ARTICLES = {"faq/jobcoach_overzicht", "faq/jobcoach_uren", "faq/open_hiring_overzicht", "faq/no_riskpolis"}


def production(name: str) -> dict[str, Any]:
    """A component's settings in config.yml."""
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    config = next(c for c in pipeline if c["name"].endswith(name))
    return {k: v for k, v in config.items() if k != "name"}


@pytest.fixture(scope="module")
def data() -> TrainingData:
    everything = load_data(str(ROOT / "data" / "nlu"), language="nl")
    examples = [
        e
        for e in everything.intent_examples
        if e.get(INTENT) in INTENTS and (e.get(INTENT) != "faq" or e.get_full_intent() in ARTICLES)
    ]
    return TrainingData(training_examples=examples, responses=everything.responses)


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model"))


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


@pytest.fixture(scope="module")
def intents(data: TrainingData, storage: LocalModelStorage) -> LinearIntentClassifier:
    component = LinearIntentClassifier.create(
        {**production("LinearIntentClassifier"), "ranking_length": 0}, storage, Resource("intents"), context()
    )
    component.train(data)
    return component  # type: ignore[return-value]


@pytest.fixture(scope="module")
def selector(data: TrainingData, storage: LocalModelStorage) -> LinearResponseSelector:
    component = LinearResponseSelector.create(
        production("LinearResponseSelector"), storage, Resource("articles"), context()
    )
    component.train(data)
    return component  # type: ignore[return-value]


def parsed(*components: Any, text: str) -> Message:
    message = Message({TEXT: text})
    for component in components:
        component.process([message])
    return message


def test_the_slice_is_real_data(data: TrainingData) -> None:
    assert {e.get(INTENT) for e in data.intent_examples} == INTENTS
    assert {e.get_full_intent() for e in data.intent_examples if e.get(INTENT) == "faq"} == ARTICLES


def test_intent_ranking_is_a_probability_distribution_best_first(intents: LinearIntentClassifier) -> None:
    message = parsed(intents, text="wat doet een jobcoach eigenlijk")
    ranking = message.get(INTENT_RANKING_KEY)
    confidences = [r["confidence"] for r in ranking]
    assert ranking[0]["name"] == "faq" == message.get(INTENT)["name"]
    assert message.get(INTENT)["confidence"] == confidences[0]
    assert confidences == sorted(confidences, reverse=True)
    assert {r["name"] for r in ranking} == INTENTS  # ranking_length 0: every intent
    assert sum(confidences) == pytest.approx(1.0)


def test_ranking_length_cuts_the_ranking(intents: LinearIntentClassifier) -> None:
    cut = LinearIntentClassifier({**intents.config, "ranking_length": 2}, None, None, intents.pipeline)  # type: ignore[arg-type]
    ranking = parsed(cut, text="hallo").get(INTENT_RANKING_KEY)
    assert [r["name"] for r in ranking][:1] == ["greet"] and len(ranking) == 2


def test_confidence_is_high_when_clear_and_spread_when_no_word_is_known(
    intents: LinearIntentClassifier, data: TrainingData
) -> None:
    threshold = production("FallbackClassifier")["threshold"]
    clear = parsed(intents, text="dank je wel").get(INTENT)
    assert clear["name"] == "thankyou" and clear["confidence"] >= 0.9 > threshold
    # words of no intent in the slice: no intent is as sure as for a clear message (the class weights and the
    # character n-grams still lean one way), and the UnknownWordsGuard after the classifiers makes it nlu_fallback
    vague = parsed(intents, text="paraplu schuur regenjas")
    ranking = vague.get(INTENT_RANKING_KEY)
    assert ranking[0]["confidence"] < 0.6 and ranking[1]["confidence"] > 0.2, ranking[:2]
    guard = UnknownWordsGuard(None, None, set())  # type: ignore[arg-type]
    guard.state = guard.learn(data)  # the slice's words, as training would store them
    guard.process([vague])
    assert vague.get(INTENT)["name"] == "nlu_fallback"


def test_selector_fills_response_selector_like_rasas_response_selector(selector: LinearResponseSelector) -> None:
    output = parsed(selector, text="hoeveel uur per week krijg ik een jobcoach").get(RESPONSE_SELECTOR)
    assert output["all_retrieval_intents"] == ["faq"]
    assert set(output) == {"all_retrieval_intents", "faq"}
    response, ranking = output["faq"]["response"], output["faq"]["ranking"]
    assert set(response) == {"responses", "confidence", "intent_response_key", "utter_action"}
    assert response["intent_response_key"] == "faq/jobcoach_uren"
    assert response["utter_action"] == "utter_faq/jobcoach_uren"
    assert response["responses"] and response["responses"][0][TEXT]  # the article's title from the data
    assert all(set(r) == {"confidence", "intent_response_key"} for r in ranking)
    assert ranking[0] == {"confidence": response["confidence"], "intent_response_key": "faq/jobcoach_uren"}
    assert [r["confidence"] for r in ranking] == sorted((r["confidence"] for r in ranking), reverse=True)
    assert {r["intent_response_key"] for r in ranking} == ARTICLES


def test_rasa_reads_the_article_as_the_full_retrieval_intent(
    intents: LinearIntentClassifier, selector: LinearResponseSelector
) -> None:
    result = parsed(intents, selector, text="wat is open hiring").as_dict(only_output_properties=True)
    assert _get_full_retrieval_intent(result) == "faq/open_hiring_overzicht"  # what `rasa test` compares
    MessageProcessor._update_full_retrieval_intent(None, result)  # type: ignore[arg-type]  # what the tracker gets
    assert result[INTENT]["full_retrieval_intent_name"] == "faq/open_hiring_overzicht"


@pytest.mark.parametrize("labels", [INTENTS, {"greet", "goodbye"}])
def test_the_fast_scorer_computes_what_scikit_learn_computes(data: TrainingData, labels: set[str]) -> None:
    examples = [e for e in data.intent_examples if e.get(INTENT) in labels]
    texts, names = [e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples]
    pipeline = build_pipeline({**LinearIntentClassifier.get_default_config(), "class_weight_power": 0.5}, names)
    pipeline.fit(texts, names)
    unseen = ["Hoeveel UUR jobcoaching?", "", "🙂🙂", "qqq zzz", "doei, tot de volgende keer"]
    scorer = Scorer(pipeline)
    ours = np.array([scorer.probabilities(t) for t in texts[:50] + unseen])
    np.testing.assert_allclose(ours, pipeline.predict_proba(texts[:50] + unseen), atol=1e-9)
    assert list(scorer.classes) == sorted(labels)


def test_a_stored_model_loads_and_predicts_the_same(
    intents: LinearIntentClassifier, selector: LinearResponseSelector, storage: LocalModelStorage
) -> None:
    texts = ["wat doet een jobcoach", "tot ziens", "no risk polis voor mijn werknemer"]
    for trained, resource in ((intents, "intents"), (selector, "articles")):
        loaded = type(trained).load(trained.config, storage, Resource(resource), context())
        assert loaded.pipeline is not trained.pipeline
        assert loaded.rankings(texts) == trained.rankings(texts)
    assert loaded.extra == selector.extra and selector.extra["all_retrieval_intents"] == ["faq"]


def test_production_classifiers_read_a_typo_as_the_training_word(
    intents: LinearIntentClassifier, selector: LinearResponseSelector, storage: LocalModelStorage
) -> None:
    for trained, resource in ((intents, "intents"), (selector, "articles")):
        assert trained.config["correct_spelling"] is True
        assert trained.prepare("wat doet een jbocoach") == "wat doet een jobcoach"
        loaded = type(trained).load(trained.config, storage, Resource(resource), context())
        assert loaded.prepare("wat doet een jbocoach") == "wat doet een jobcoach"
    assert parsed(intents, text="wat doet een jbocoach").get(INTENT)["name"] == "faq"


def test_loading_refuses_a_model_with_foreign_types(tmp_path: Path) -> None:
    import skops.io as sio
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    storage = LocalModelStorage(tmp_path)
    with storage.write_to(Resource("evil")) as path:
        sio.dump(make_pipeline(FunctionTransformer(without_addresses)), path / "pipeline.skops")
        (path / "extra.json").write_text("{}")
    with pytest.raises(UntrustedModelError, match="without_addresses"):
        LinearIntentClassifier.load({}, storage, Resource("evil"), context())


def test_an_untrained_component_leaves_messages_alone(tmp_path: Path) -> None:
    component = LinearResponseSelector.load({}, LocalModelStorage(tmp_path), Resource("nothing"), context())
    message = parsed(component, text="wat is een jobcoach")
    assert message.get(RESPONSE_SELECTOR) is None and message.get(INTENT) is None


def test_training_needs_two_labels(storage: LocalModelStorage) -> None:
    component = LinearIntentClassifier.create({}, storage, Resource("one"), context())
    with pytest.raises(ValueError, match="two labels"):
        component.train(TrainingData([Message({TEXT: "hallo", INTENT: "greet"})]))


def test_small_intents_weigh_more_and_power_zero_is_plain() -> None:
    labels = ["faq"] * 90 + ["check_jobcoach"] * 10
    weights = class_weights(labels, 0.5)
    assert weights is not None
    assert weights["check_jobcoach"] == pytest.approx(np.sqrt(50 / 10))
    assert weights["faq"] == pytest.approx(np.sqrt(50 / 90))
    assert class_weights(labels, 0.0) is None


def test_temperature_sharpens_and_keeps_order() -> None:
    probabilities = np.array([[0.6, 0.3, 0.1]])
    sharper = tempered(probabilities, 0.5)
    assert sharper.sum() == pytest.approx(1.0)
    assert list(np.argsort(-sharper[0])) == [0, 1, 2]
    assert sharper[0, 0] == pytest.approx(0.36 / 0.46)
    assert tempered(probabilities, 1.0) is probabilities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail maar naar piet@voorbeeld.nl", "mail maar naar  "),
        ("zie https://www.uwv.nl/jobcoach", "zie  "),
        ("kijk op www.uwv.nl, daar staat het", "kijk op   daar staat het"),
        ("wat kost 1 uur jobcoaching?", "wat kost 1 uur jobcoaching?"),
    ],
)
def test_addresses_are_left_out(text: str, expected: str) -> None:
    assert without_addresses(text) == expected


PLACES = ["utrecht", "rotterdam", "nijmegen", "den bosch", "zeist", "groningen", "capelle aan den ijssel"]


@pytest.fixture(scope="module")
def masked(storage: LocalModelStorage) -> LinearIntentClassifier:
    """Trained on noem_gemeente and faq with a gemeente lookup table; Groningen only in faq questions."""
    said = ["ik woon in utrecht", "ik kom uit rotterdam", "mijn gemeente is nijmegen", "wij wonen in den bosch"]
    asked = ["wat doet een jobcoach in groningen", "onderzoek in groningen naar jobcoaching", "wat is een jobcoach"]
    examples = [Message({TEXT: t, INTENT: "noem_gemeente"}) for t in said]
    examples += [Message({TEXT: t, INTENT: "faq"}) for t in asked]
    data = TrainingData(examples, lookup_tables=[{"name": "gemeente", "elements": PLACES}])
    component = LinearIntentClassifier.create(
        {"mask_lookups": ["gemeente"], "max_word_ngram": 2}, storage, Resource("masked"), context()
    )
    component.train(data)
    return component  # type: ignore[return-value]


def test_masked_place_names_are_one_word_for_the_classifier(masked: LinearIntentClassifier) -> None:
    assert masked.extra["masked_entries"] == sorted(PLACES)
    assert masked.prepare("Ik woon in Capelle aan den IJssel.") == "Ik woon in plaatsnaam."
    assert masked.prepare("groningenstraat") == "groningenstraat"  # whole words only
    # Groningen occurs only in faq questions; as a place named, it is the same as any other place
    assert masked.rankings(["ik woon in groningen"]) == masked.rankings(["ik woon in zeist"])
    assert parsed(masked, text="ik woon in groningen").get(INTENT)["name"] == "noem_gemeente"


def test_a_stored_masked_model_masks_the_same(masked: LinearIntentClassifier, storage: LocalModelStorage) -> None:
    loaded = LinearIntentClassifier.load(masked.config, storage, Resource("masked"), context())
    texts = ["ik woon in groningen", "wat doet een jobcoach in zeist"]
    assert loaded.extra == masked.extra and loaded.rankings(texts) == masked.rankings(texts)


def test_nothing_to_mask_gives_no_pattern() -> None:
    assert phrase_pattern([]) is None and phrase_pattern(["  "]) is None
    pattern = phrase_pattern(["den haag", "den"])
    assert pattern is not None and pattern.sub("X", "en in Den Haag?") == "en in X?"  # longest first
