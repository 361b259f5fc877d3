"""config.yml is the linear NLU pipeline, and the only config: the tests train it too (under a minute)."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import ROOT

REQUIRED_PIPELINE = [
    "reintegratie.nlu.spacy_nlp.SpacyNLP",
    "SpacyTokenizer",
    "reintegratie.nlu.pattern_entities.PatternEntityExtractor",
    "reintegratie.nlu.linear_classifier.LinearIntentClassifier",
    "reintegratie.nlu.audience_keywords.AudienceKeywords",
    "reintegratie.nlu.linear_classifier.LinearResponseSelector",
    "reintegratie.nlu.unknown_words.UnknownWordsGuard",
    "reintegratie.nlu.frustration_guard.WorryGuard",
    "reintegratie.nlu.frustration_guard.FrustrationGuard",
    "reintegratie.nlu.bsn_guard.BSNGuard",
    "FallbackClassifier",
    "reintegratie.nlu.question_guard.QuestionGuard",
    "reintegratie.nlu.calculator_guard.CalculatorGuard",
    "reintegratie.nlu.correction_guard.CorrectionGuard",
    "reintegratie.nlu.pattern_entities.FollowUpEntityExtractor",
    "EntitySynonymMapper",
]


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_there_is_one_config() -> None:
    # Training takes under a minute, so the tests use the production model's config (issue 17).
    assert sorted(path.name for path in ROOT.glob("config*.yml")) == ["config.yml"]


def test_pipeline_is_the_dutch_pipeline_the_design_asks_for() -> None:
    config = load("config.yml")
    assert config["language"] == "nl"
    assert [c["name"] for c in config["pipeline"]] == REQUIRED_PIPELINE
    # No neural network: DIET and the ResponseSelector took about 14 minutes to train (issue 17).
    names = {c["name"] for c in config["pipeline"] + config["policies"]}
    assert names.isdisjoint({"DIETClassifier", "ResponseSelector", "TEDPolicy"})
    selector = next(c for c in config["pipeline"] if c["name"].endswith("LinearResponseSelector"))
    assert selector["retrieval_intent"] == "faq"  # actions/kennisbank.py reads response_selector.faq
    # Rules and memorised stories; no TEDPolicy (measured slower, and no test story needs it).
    assert [p["name"] for p in config["policies"]] == ["MemoizationPolicy", "RulePolicy"]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in readme and "make run" in readme
    assert any(line.strip() == "make test" for line in ci.splitlines())


def test_lock_file_pins_every_package_with_hashes() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = [line.split(" ")[0] for line in lock.splitlines() if line and not line.startswith((" ", "#"))]
    assert "rasa==3.6.21" in pins and "sqlalchemy==1.4.54" in pins
    assert all("==" in pin for pin in pins)
    assert lock.count("--hash=sha256:") >= len(pins)


def test_paths_exist() -> None:
    for name in [
        "config.yml",
        "domain.yml",
        "data",
        "actions",
        "kennisbank",
        "endpoints.yml",
        "credentials.yml",
        "Makefile",
        "pyproject.toml",
        "requirements.lock",
    ]:
        assert Path(ROOT / name).exists(), name


def test_credentials_use_our_channels_not_rasas() -> None:
    """Our REST and Socket.IO channels (reintegratie/channels/) instead of Rasa's: the fault and rate-limit tests
    against a real ``rasa run`` (tests/support/fault_server.py) only mean something with them."""
    credentials = (ROOT / "credentials.yml").read_text()
    assert "reintegratie.channels.rest.RestChannel:" in credentials
    assert "reintegratie.channels.socketio.SocketIOChannel:" in credentials
    assert "\nrest:" not in credentials and "\nsocketio:" not in credentials
