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
