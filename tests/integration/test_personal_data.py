"""Personal data never reaches the tracker store: the real database is read back (SQLite, and PostgreSQL in CI)."""
from __future__ import annotations

import uuid

import pytest
import requests
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from common import privacy
from reintegratie.stores.tracker_store import EnvSQLTrackerStore
from tests.conftest import ROOT

#: One value of each kind the issue names, as a user would type it.
PERSONAL = {
    privacy.BSN_PLACEHOLDER: "111222333",
    privacy.IBAN_PLACEHOLDER: "NL91 ABNA 0417 1643 00",
    privacy.EMAIL_PLACEHOLDER: "jan.jansen@voorbeeld.nl",
    privacy.PHONE_PLACEHOLDER: "06-12345678",
    privacy.ADDRESS_PLACEHOLDER: "1234 AB 12",
}
MESSAGE = (
    f"mijn bsn is {PERSONAL[privacy.BSN_PLACEHOLDER]}, rekening {PERSONAL[privacy.IBAN_PLACEHOLDER]}, "
    f"mail {PERSONAL[privacy.EMAIL_PLACEHOLDER]} of bel {PERSONAL[privacy.PHONE_PLACEHOLDER]}, "
    f"ik woon op {PERSONAL[privacy.ADDRESS_PLACEHOLDER]}"
)
#: Fragments that must not be in any stored row (the digits of each value, the mailbox name).
FORBIDDEN = ("111222333", "0417", "1643", "jan.jansen", "12345678", "1234 AB")


def stored_rows(url: str, sender_id: str) -> list[str]:
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return [
                f"{intent} {action} {data}"
                for intent, action, data in connection.execute(
                    sa.text("select intent_name, action_name, data from events where sender_id = :s order by id"),
                    {"s": sender_id},
                )
            ]
    finally:
        engine.dispose()


async def test_every_kind_of_personal_data_is_scrubbed_before_storage(
    tracker_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_store_url)
    store = EnvSQLTrackerStore(domain=Domain.load(str(ROOT / "domain.yml")))
    sender_id = f"privacy-{uuid.uuid4().hex}"
    tracker = DialogueStateTracker.from_events(
        sender_id,
        [
            ActionExecuted("action_listen"),
            UserUttered(MESSAGE, {"name": "inform"}, parse_data={"text": MESSAGE, "intent": {"name": "inform"}}),
            SlotSet("uitkering", f"adres {PERSONAL[privacy.ADDRESS_PLACEHOLDER]}"),
            BotUttered(f"Je schreef {PERSONAL[privacy.EMAIL_PLACEHOLDER]}"),
        ],
    )
    await store.save(tracker)

    rows = stored_rows(tracker_store_url, sender_id)
    assert len(rows) == 4
    stored = "\n".join(rows)
    for fragment in FORBIDDEN:
        assert fragment not in stored, f"{fragment!r} reached the database"
    for placeholder in PERSONAL:
        assert placeholder in stored
    reloaded = await store.retrieve(sender_id)
    assert reloaded is not None
    assert reloaded.latest_message.text == privacy.scrub_text(MESSAGE)
    assert reloaded.get_slot("uitkering") == f"adres {privacy.ADDRESS_PLACEHOLDER}"


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
        assert fragment not in stored, f"{fragment!r} was stored or repeated"
