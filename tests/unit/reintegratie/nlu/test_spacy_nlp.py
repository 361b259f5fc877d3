"""The Dutch spaCy pipeline: which one is chosen, that Rasa's graph wires it in, and that it lemmatises Dutch.

Loading a spaCy pipeline takes seconds, so the component is made once for the module (with a model that is not
installed first, so its fallback is what gets loaded).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from rasa.engine import validation
from rasa.engine.recipes.recipe import Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.model import InvalidModelError
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.data import TrainingType
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.io import read_model_configuration

from reintegratie.nlu import spacy_nlp as nlp
from tests.conftest import ROOT


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def fallback() -> Iterator[tuple[nlp.SpacyNLP, str, str]]:
    """The component made as Rasa makes it, asked for a model that is not installed; (component, model, log)."""
    installed = nlp.installed_dutch_model()
    assert installed is not None
    logger = logging.getLogger("reintegratie.nlu.spacy_nlp")
    captured, level = Captured(), logger.level
    logger.addHandler(captured)
    logger.setLevel(logging.INFO)
    try:
        component = nlp.SpacyNLP.create(
            {"model": "nl_not_installed_model", "fallback": installed},
            None,
            None,
            None,  # type: ignore[arg-type]
        )
    finally:
        logger.removeHandler(captured)
        logger.setLevel(level)
    yield component, installed, "\n".join(captured.lines)


def test_a_dutch_model_is_installed() -> None:
    assert nlp.installed_dutch_model() in nlp.PREFERRED_MODELS


def test_component_falls_back_and_logs_which_model(fallback: tuple[nlp.SpacyNLP, str, str]) -> None:
    component, installed, log = fallback
    assert component.provide().model_name == installed
    assert f"Dutch spaCy model in use: {installed}" in log
    assert "nl_not_installed_model" in log  # the warning names what is missing


def test_component_without_any_model_says_what_to_do() -> None:
    with pytest.raises(InvalidModelError, match="make install"):
        nlp.SpacyNLP.create({"model": "nl_missing_a", "fallback": "nl_missing_b"}, None, None, None)  # type: ignore[arg-type]


def test_the_pipeline_rasa_uses_lemmatises_dutch(fallback: tuple[nlp.SpacyNLP, str, str]) -> None:
    """Our component's spaCy doc, tokenised by Rasa's SpacyTokenizer, as in the NLU pipeline of config.yml."""
    component, installed, _ = fallback
    [message] = component.process([Message({TEXT: "werkgevers vroegen subsidies aan"})], component.provide())
    SpacyTokenizer(SpacyTokenizer.get_default_config()).process([message])
    lemmas = [token.lemma.lower() for token in message.get(TOKENS_NAMES[TEXT])]
    assert lemmas[:3] == ["werkgever", "vragen", "subsidie"], installed


def test_load_dutch_pipeline_loads_the_installed_model_without_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """tools/bench_lemma.py's loader: the model of the component, the same ``disable`` (spaCy's loading is not
    repeated here: the pipeline itself is tested above)."""
    import spacy

    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(spacy, "load", lambda name, disable: calls.append((name, disable)) or "pipeline")
    assert nlp.load_dutch_pipeline() == ("pipeline", nlp.installed_dutch_model())
    assert nlp.load_dutch_pipeline("nl_ander_model") == ("pipeline", "nl_ander_model")
    assert calls == [(nlp.installed_dutch_model(), ["parser"]), ("nl_ander_model", ["parser"])]
    monkeypatch.setattr(nlp, "installed_dutch_model", lambda *args: None)
    with pytest.raises(InvalidModelError, match="make install"):
        nlp.load_dutch_pipeline()


def test_rasas_graph_gets_the_spacy_model_from_our_component() -> None:
    """Rasa finds the model provider of a spaCy component by the class name "SpacyNLP" (``model_from``): the
    graph built from config.yml must feed our component's ``provide`` node into its ``process`` node, put our
    component before Rasa's SpacyTokenizer, and pass Rasa's own validation (a component without its model, or
    SpacyTokenizer without a SpacyNLP before it, is an error there)."""
    config = read_model_configuration(ROOT / "config.yml")
    graph = Recipe.recipe_for_name(config["recipe"]).graph_config_for_recipe(
        config, {}, training_type=TrainingType.BOTH
    )
    validation.validate(graph)
    for schema in (graph.train_schema, graph.predict_schema):
        ours = {name: node for name, node in schema.nodes.items() if node.uses is nlp.SpacyNLP}
        [provider] = [name for name, node in ours.items() if node.fn == "provide"]
        [runner] = [node for node in ours.values() if node.fn != "provide"]
        assert runner.needs["model"] == provider
        [tokenizer] = [node for node in schema.nodes.values() if node.uses is SpacyTokenizer]
        assert set(tokenizer.needs.values()) & set(ours), "SpacyTokenizer reads what our component made"
