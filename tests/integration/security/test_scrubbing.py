"""Review M3 against the running stack: Rasa's warning with the user's text reached the log file raw.

``raise_warning`` calls ``warnings.warn``; warnings are written to stderr (the log file) without passing through
Python's logging, so the log scrubbing never saw them. The scrubbing itself (M2, M3, L1), without a server:
tests/unit/common/test_scrubbing.py.
"""

from __future__ import annotations

import time
import uuid

import requests

from common.privacy import BSN_PLACEHOLDER, EMAIL_PLACEHOLDER


def test_the_running_assistant_logs_the_warning_without_personal_data(stack: dict) -> None:
    """The review's attack on the running stack: the user's text in Rasa's warning reached the log raw."""
    marker = uuid.uuid4().hex[:8]
    text = f"/onbekend{marker} mijn bsn is 111222333 en mail jan@example.nl"
    reply = requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook",
        json={"sender": f"warning-{marker}", "message": text},
        timeout=30,
    )
    assert reply.status_code == 200
    # the log is read as the stack writes it; on the shared CI machine under load that took over 15 s once (2026-12-07)
    deadline = time.monotonic() + 45
    while not (lines := [line for line in stack["log"].read_text().splitlines() if marker in line]):
        assert time.monotonic() < deadline, "the warning never reached the log"
        time.sleep(0.5)
    assert any("Failed to parse arguments" in line for line in lines), lines
    for line in lines:
        assert "111222333" not in line and "jan@example.nl" not in line, line
        assert BSN_PLACEHOLDER in line and EMAIL_PLACEHOLDER in line, line
