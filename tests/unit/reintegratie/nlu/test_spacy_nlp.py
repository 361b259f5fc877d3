"""The Dutch spaCy pipeline: which one is chosen, and that it lemmatises Dutch."""
from __future__ import annotations

import logging

import pytest
from rasa.nlu.model import InvalidModelError

from reintegratie.nlu import spacy_nlp as nlp


def test_a_dutch_model_is_installed() -> None:
    assert nlp.installed_dutch_model() in nlp.PREFERRED_MODELS


def test_pipeline_lemmatises_dutch_words() -> None:
    pipeline, name = nlp.load_dutch_pipeline()
    lemmas = [t.lemma_.lower() for t in pipeline("werkgevers vroegen subsidies aan")]
    assert lemmas[0] == "werkgever", name
    assert lemmas[1] == "vragen", name
    assert lemmas[2] == "subsidie", name


def test_component_falls_back_and_logs_which_model(caplog: pytest.LogCaptureFixture) -> None:
    installed = nlp.installed_dutch_model()
    caplog.set_level(logging.INFO, logger="reintegratie.nlu.spacy_nlp")
    component = nlp.SpacyNLP.create(
        {"model": "nl_not_installed_model", "fallback": installed}, None, None, None  # type: ignore[arg-type]
    )
    assert component.provide().model_name == installed
    assert f"Dutch spaCy model in use: {installed}" in caplog.text
    assert "nl_not_installed_model" in caplog.text  # the warning names what is missing


def test_component_without_any_model_says_what_to_do() -> None:
    with pytest.raises(InvalidModelError, match="make install"):
        nlp.SpacyNLP.create({"model": "nl_missing_a", "fallback": "nl_missing_b"}, None, None, None)  # type: ignore[arg-type]


def test_spacy_tokenizer_finds_our_component_as_model_provider() -> None:
    # Rasa's SpacyTokenizer looks its model provider up by class name.
    assert nlp.SpacyNLP.__name__ == "SpacyNLP"
