"""Servers shared by several integration modules.

``dead_action_server``: one ``rasa run`` whose action server is down, with a rate limit of ``RATE_LIMIT`` messages
per sender per minute, for tests/integration/test_faults.py and tests/integration/test_rate_limit.py. It used to be
two servers (the same model loaded twice, one of them without a limit); every fault test uses a fresh sender and
one message, so the limit does not touch it. It starts in the background at the start of the session, so it loads
its model while the stack (tests/conftest.py) loads its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.fault_server import FaultServer, Starting, start_fault_server

DEAD_ACTIONS_PORT = 5019
RATE_LIMIT = 5  # messages per sender per minute


def _needs(session: pytest.Session, fixture: str) -> bool:
    return any(fixture in getattr(item, "fixturenames", ()) for item in session.items)


@pytest.fixture(scope="session", autouse=True)
def _dead_action_server_starting(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Starting | None]:
    """Started before the first integration test when a collected test needs ``dead_action_server``."""
    if not os.environ.get("RASA_TEST_MODEL") or not _needs(request.session, "dead_action_server"):
        yield None
        return
    starting = start_fault_server(
        tmp_path_factory.mktemp("dead_actions"), DEAD_ACTIONS_PORT, {"RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT)}
    )
    try:
        yield starting
        starting.assert_running()
    finally:
        starting.stop()


@pytest.fixture(scope="session")
def dead_action_server(_dead_action_server_starting: Starting | None) -> FaultServer:
    if _dead_action_server_starting is None:
        pytest.skip("RASA_TEST_MODEL not set: run through `make test`, which trains the test model")
    return _dead_action_server_starting.ready()
