"""Review H2: the action server is not a public endpoint. Without ``ACTION_SERVER_TOKEN`` it does not start.

The attacks on the running action server (forged requests, wrong tokens, loopback only):
tests/integration/security/test_action_server.py.
"""

from __future__ import annotations

import pytest


def test_the_action_server_does_not_start_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail closed: without ACTION_SERVER_TOKEN it would have nothing to check, so it refuses to start."""
    from reintegratie import action_server

    monkeypatch.delenv("ACTION_SERVER_TOKEN", raising=False)
    with pytest.raises(SystemExit, match="ACTION_SERVER_TOKEN is not set"):
        action_server.main(["--port", "5999"])


def test_the_action_server_registers_exactly_the_domains_custom_actions() -> None:
    """What the action server does at start-up: rasa_sdk registers every non-abstract ``Action`` subclass of the
    ``actions`` package. A base class it cannot name (``CountingFormValidationAction`` once) stops the server, and
    an action missing from domain.yml would never be called."""
    import yaml
    from rasa_sdk.executor import ActionExecutor

    from tests.conftest import ROOT

    executor = ActionExecutor()
    executor.register_package("actions")
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    custom = {name for name in domain["actions"] if name.startswith(("action_", "validate_"))}
    assert set(executor.actions) == custom
