"""Personal data never reaches the tracker store of the running assistant. Our store on its own (SQLite, and
PostgreSQL in CI): tests/unit/reintegratie/stores/test_tracker_store.py."""

from __future__ import annotations

import uuid

import requests

from common import privacy
from tests.unit.reintegratie.stores.test_tracker_store import FORBIDDEN, MESSAGE, leaked, stored_rows


def test_the_running_assistant_stores_no_personal_data(stack: dict) -> None:
    """Through REST, as a user would send it: the answer does not repeat it, the SQLite tracker does not hold it."""
    sender_id = f"privacy-stack-{uuid.uuid4().hex[:8]}"
    replies = requests.post(
        f"{stack['urls']['rasa']}/webhooks/rest/webhook", json={"sender": sender_id, "message": MESSAGE}, timeout=30
    ).json()
    answer = " ".join(reply.get("text") or "" for reply in replies)
    assert answer, "the assistant stayed silent"
    assert "BSN" in answer, "a message with a BSN gets the warning"
    rows = stored_rows(f"sqlite:///{stack['tracker_db']}", sender_id)
    assert any(privacy.BSN_PLACEHOLDER in row for row in rows)
    stored = "\n".join(rows) + answer
    for fragment in FORBIDDEN:
        assert not leaked(fragment, stored), f"{fragment!r} was stored or repeated"
