"""Review C1 (the tracker store part) and L7: a bad sender id never stops Rasa; database files are private.

C1: Rasa's ``SQLTrackerStore.session_scope`` turned every ``ValueError`` into ``sys.exit`` (it meant a missing
PostgreSQL schema), and a lone surrogate in a sender id (``"x\\udfff"``) makes the database driver raise
``UnicodeEncodeError``, a ``ValueError``. One REST request stopped the server. These tests use the real
``EnvSQLTrackerStore`` on SQLite (and on PostgreSQL when HANDOFF_TEST_POSTGRES_URL is set).

L7: ``var/tracker.db`` and ``var/handoff.db`` were created mode 0644 (readable by every user of the machine).
"""
from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from reintegratie.stores.tracker_store import EnvSQLTrackerStore
from tests.conftest import IN_CI, ROOT

POSTGRES_URL = os.environ.get("HANDOFF_TEST_POSTGRES_URL", "")
#: Sender ids no channel of ours accepts any more, but Rasa's HTTP API (with the token) and other code can
#: still hand to the store: a lone surrogate (the review's attack), NUL, and both.
BAD_SENDERS = ["x\udfff", "\ud800", "x\x00y", "a\udfff\x00b"]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def conversation(sender_id: str, text: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender_id,
        [ActionExecuted("action_listen"), UserUttered(text, {"name": "greet"}, parse_data={"text": text})],
    )


@pytest.mark.parametrize("bad", BAD_SENDERS, ids=["surrogate", "only-surrogate", "nul", "surrogate-and-nul"])
async def test_a_sender_id_the_database_cannot_encode_never_stops_the_process(
    bad: str, tracker_store_url: str, domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", tracker_store_url)
    store = EnvSQLTrackerStore(domain=domain)
    unique = uuid.uuid4().hex[:8]
    sender = f"{bad}-{unique}"
    neighbour = sender.replace("\udfff", "").replace("\ud800", "").replace("\x00", "")  # a plain id next to it
    try:
        await store.save(conversation(neighbour, "van de buurman"))
        await store.save(conversation(sender, "hallo"))
        stored = await store.retrieve(sender)
        full = await store.retrieve_full_tracker(sender)
        keys = list(await store.keys())
    except SystemExit as stop:  # what Rasa's session_scope did: print_error_and_exit
        pytest.fail(f"the tracker store stopped the process (SystemExit {stop.code}) for sender {sender!r}")
    # Stored and read back under its own id, never mixed with the plain id next to it.
    assert stored is not None and full is not None
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["hallo"]
    neighbours = await store.retrieve(neighbour)
    assert neighbours is not None and [e.text for e in neighbours.events if isinstance(e, UserUttered)] == [
        "van de buurman"
    ]
    assert neighbour in keys and len([key for key in keys if unique in key]) == 2


async def test_a_failing_database_raises_an_ordinary_error(
    tmp_path: Path, domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any ValueError inside a session (here: from the driver) fails that call; Rasa's code made it sys.exit."""
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    store = EnvSQLTrackerStore(domain=domain)

    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("the driver refused a parameter")

    sa.event.listen(store.engine, "before_cursor_execute", refuse)
    with pytest.raises(ValueError, match="the driver refused a parameter"):
        await store.save(conversation("gewoon-id", "hallo"))
    with pytest.raises(ValueError, match="the driver refused a parameter"):
        await store.retrieve("gewoon-id")


async def test_a_missing_postgresql_schema_is_a_clear_error_at_start(
    domain: Domain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What Rasa's sys.exit was for: POSTGRESQL_SCHEMA names a schema that does not exist. Now at start-up."""
    if not POSTGRES_URL:
        if IN_CI:
            pytest.fail("HANDOFF_TEST_POSTGRES_URL must be set in CI (scripts/test.sh starts PostgreSQL)")
        pytest.skip("HANDOFF_TEST_POSTGRES_URL not set: the PostgreSQL variant runs in CI")
    monkeypatch.setenv("TRACKER_STORE_URL", POSTGRES_URL)
    monkeypatch.setenv("POSTGRESQL_SCHEMA", f"bestaat_niet_{uuid.uuid4().hex[:8]}")
    with pytest.raises(ValueError, match="POSTGRESQL_SCHEMA"):
        EnvSQLTrackerStore(domain=domain)


# --- L7: file modes ----------------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The usual umask 022, under which SQLite made the files 0644 (run.sh sets 077, these tests do not)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


async def test_a_new_tracker_database_is_readable_by_its_owner_only(
    tmp_path: Path, domain: Domain, monkeypatch: pytest.MonkeyPatch, usual_umask: None
) -> None:
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'var' / 'tracker.db'}")
    store = EnvSQLTrackerStore(domain=domain)
    with store.engine.connect() as connection:  # SQLite removes -wal and -shm when the last connection closes
        connection.exec_driver_sql("select count(*) from events").all()
        await store.save(conversation("modus-1", "hallo"))
        files = sorted((tmp_path / "var").glob("tracker.db*"))
        assert {path.name for path in files} >= {"tracker.db", "tracker.db-wal", "tracker.db-shm"}
        assert {path.name: oct(mode(path)) for path in files} == {path.name: oct(0o600) for path in files}


async def test_an_existing_tracker_database_is_made_private(
    tmp_path: Path, domain: Domain, monkeypatch: pytest.MonkeyPatch, usual_umask: None
) -> None:
    """A file made by an older version (0644) is tightened when the store starts."""
    database = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{database}")
    EnvSQLTrackerStore(domain=domain)
    database.chmod(0o644)
    EnvSQLTrackerStore(domain=domain)
    assert mode(database) == 0o600


def test_a_new_handoff_database_is_readable_by_its_owner_only(tmp_path: Path, usual_umask: None) -> None:
    from handoff.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'handoff.db'}")
    try:
        migrate(engine)
        with engine.connect() as connection:  # keeps -wal and -shm while it is open
            connection.exec_driver_sql("select count(*) from sqlite_master").all()
            files = sorted((tmp_path / "var").glob("handoff.db*"))
            assert {path.name for path in files} >= {"handoff.db", "handoff.db-wal", "handoff.db-shm"}
            assert {path.name: oct(mode(path)) for path in files} == {path.name: oct(0o600) for path in files}
    finally:
        engine.dispose()
