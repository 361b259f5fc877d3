"""EnvSQLTrackerStore reads a conversation's latest session with statements built once (issue 17): the same
tracker and the same new events as Rasa's own ``SQLTrackerStore`` on the same database, on SQLite and PostgreSQL.

Through the running stack, with the trained model: tests/integration/test_server.py
(``test_every_reply_is_stored_before_it_is_returned``).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from reintegratie.stores.tracker_store import EnvSQLTrackerStore
from tests.support import trackers
from tests.support.trackers import action, bot, rasa_tracker, slot, user


def session_start(timestamp: float) -> dict[str, Any]:
    return {"event": "session_started", "timestamp": timestamp}


def at(event: dict[str, Any], timestamp: float) -> dict[str, Any]:
    return {**event, "timestamp": timestamp}


#: Conversations as they are stored: without a session start (Rasa's "no session" branch), one session, two
#: sessions (an event with the same timestamp as the second start belongs to it, as in Rasa's ``>=``).
CONVERSATIONS: dict[str, list[dict[str, Any]]] = {
    "no-session": [at(action("action_listen"), 1.0), at(user("hallo", "greet"), 2.0), at(bot("Hallo!"), 3.0)],
    "one-session": [
        session_start(10.0),
        at(action("action_listen"), 10.1),
        at(user("ik ben werkgever", "tell_audience"), 11.0),
        at(slot("audience", "werkgever"), 11.1),
        at(bot("Dank u."), 11.2),
    ],
    "two-sessions": [
        session_start(20.0),
        at(action("action_listen"), 20.1),
        at(user("wat is een jobcoach?", "faq"), 21.0),
        at(slot("audience", "werkzoekende"), 21.5),
        session_start(30.0),
        at(slot("audience", "werkzoekende"), 30.0),
        at(action("action_listen"), 30.1),
        at(user("wat is open hiring?", "faq"), 31.0),
    ],
}


def conversation(sender: str, events: Sequence[dict[str, Any]]) -> DialogueStateTracker:
    return rasa_tracker(sender, events)


def state(tracker: DialogueStateTracker | None) -> Any:
    return None if tracker is None else tracker.current_state(EventVerbosity.ALL)


@pytest.fixture
def store(tracker_store_url: str, monkeypatch: pytest.MonkeyPatch) -> EnvSQLTrackerStore:
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_store_url)
    return EnvSQLTrackerStore(domain=trackers.domain())


async def test_the_latest_session_reads_back_as_rasa_reads_it(store: EnvSQLTrackerStore) -> None:
    run = uuid.uuid4().hex[:8]
    for name, events in CONVERSATIONS.items():  # saved interleaved: each read must keep to its own sender
        await store.save(conversation(f"{name}-{run}", events[:2]))
    for name, events in CONVERSATIONS.items():
        await store.save(conversation(f"{name}-{run}", events))
    for name in CONVERSATIONS:
        sender = f"{name}-{run}"
        ours = await store.retrieve(sender)
        rasas = await SQLTrackerStore.retrieve(store, sender)
        assert ours is not None and state(ours) == state(rasas), name
        # the full conversation (all sessions) is Rasa's own read
        assert state(await store.retrieve_full_tracker(sender)) == state(
            await SQLTrackerStore.retrieve_full_tracker(store, sender)
        )
    latest = await store.retrieve(f"two-sessions-{run}")
    assert latest is not None and [e.get("text") for e in state(latest)["events"] if e["event"] == "user"] == [
        "wat is open hiring?"
    ]
    assert await store.retrieve(f"nobody-{run}") is None


async def test_only_the_new_events_are_written_as_in_rasa(store: EnvSQLTrackerStore) -> None:
    run = uuid.uuid4().hex[:8]
    for name, events in CONVERSATIONS.items():
        sender = f"{name}-{run}"
        await store.save(conversation(sender, events[:-1]))
        # any tracker: the same new events as Rasa's count gives (also for one that holds older sessions)
        grown = conversation(sender, [*events, at(bot("Nog een vraag?"), 99.0)])
        with store.session_scope() as session:
            ours = [event.as_dict() for event in store._additional_events(session, grown)]
            rasas = [event.as_dict() for event in SQLTrackerStore._additional_events(store, session, grown)]
        assert ours == rasas and ours, name
        # as Rasa handles a message: read the latest session, add the turn's events, save
        tracker = await store.retrieve(sender)
        assert tracker is not None
        for event in conversation(sender, [events[-1], at(bot("Nog een vraag?"), 99.0)]).events:
            tracker.update(event)
        await store.save(tracker)
        full = await store.retrieve_full_tracker(sender)
        await store.save(tracker)  # saving the same tracker again writes nothing
        again = await store.retrieve_full_tracker(sender)
        assert full is not None and again is not None and len(again.events) == len(full.events) == len(events) + 1
        assert state(await store.retrieve(sender)) == state(tracker), name


def stored_rows(store: SQLTrackerStore, sender: str) -> list[tuple[Any, ...]]:
    table = store.SQLEvent.__table__
    with store.session_scope() as session:
        rows = session.execute(
            sa.select(table.c.type_name, table.c.timestamp, table.c.intent_name, table.c.action_name, table.c.data)
            .where(table.c.sender_id == sender)
            .order_by(table.c.id)
        )
        return [tuple(row) for row in rows]


async def test_a_save_writes_the_rows_rasas_save_writes(store: EnvSQLTrackerStore) -> None:
    run = uuid.uuid4().hex[:8]
    for name, events in CONVERSATIONS.items():
        ours, rasas = f"ours-{name}-{run}", f"rasa-{name}-{run}"
        for sender, save in ((ours, store.save), (rasas, lambda t: SQLTrackerStore.save(store, t))):
            await save(conversation(sender, events[:2]))
            await save(conversation(sender, events))
        assert stored_rows(store, ours) == stored_rows(store, rasas) and len(stored_rows(store, ours)) == len(events)


async def test_the_database_work_of_a_save_runs_outside_the_event_loop(
    store: EnvSQLTrackerStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the commit waits for the disk; meanwhile the event loop must be free for other conversations
    threads: list[int] = []
    scope = store.session_scope

    @contextlib.contextmanager
    def recorded() -> Iterator[Any]:
        threads.append(threading.get_ident())
        with scope() as session:
            yield session

    monkeypatch.setattr(store, "session_scope", recorded)
    await store.save(conversation(f"thread-{uuid.uuid4().hex[:8]}", CONVERSATIONS["one-session"]))
    assert threads and threading.get_ident() not in threads


async def test_sqlite_keeps_its_connections_between_messages(store: EnvSQLTrackerStore) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL: Rasa's engine already pools its connections")
    opened: list[object] = []
    sa.event.listen(store.engine, "connect", lambda connection, record: opened.append(connection))
    sender = f"pool-{uuid.uuid4().hex[:8]}"
    events = CONVERSATIONS["one-session"]
    for end in range(2, len(events) + 1):  # a message: read the conversation, then save it
        await store.retrieve(sender)
        await store.save(conversation(sender, events[:end]))
    assert len(opened) <= 2, f"{len(opened)} connections opened for {2 * (len(events) - 1)} reads and saves"


async def test_concurrent_conversations_all_land(store: EnvSQLTrackerStore) -> None:
    # ten conversations save at the same time, five rounds each: every event stored once, in order
    run = uuid.uuid4().hex[:8]
    events = CONVERSATIONS["one-session"]
    senders = [f"busy-{i}-{run}" for i in range(10)]
    for end in range(1, len(events) + 1):
        await asyncio.gather(*(store.save(conversation(sender, events[:end])) for sender in senders))
    for sender in senders:
        assert [row[0] for row in stored_rows(store, sender)] == [e["event"] for e in events]
