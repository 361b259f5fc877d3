"""HandoffService on a real SQLite file (and PostgreSQL when HANDOFF_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import make_url

from handoff import db
from handoff.models import Base
from handoff.service import HandoffRecord, HandoffService, HandoffUnavailable, TooManyOpen, max_open_per_client

POSTGRES_URL = os.environ.get("HANDOFF_TEST_POSTGRES_URL", "")
TABLES = ("handoff_outbox", "handoff_requests", db.VERSION_TABLE)

PERSONAL = {
    "bsn": "111222333",
    "iban": "NL91ABNA0417164300",
    "email": "jan.jansen@voorbeeld.nl",
    "phone": "06-12345678",
    "postcode": "1234 AB 12",
}
SUMMARY = {
    "turns": [
        {"who": "user", "text": f"mijn bsn is {PERSONAL['bsn']} en mijn rekening {PERSONAL['iban']}"},
        {"who": "bot", "text": "Deel je BSN niet."},
        {"who": "user", "text": f"mail {PERSONAL['email']} of bel {PERSONAL['phone']}, adres {PERSONAL['postcode']}"},
    ],
    "slots": {
        "audience": "werkzoekende",
        "uren_per_week": 24,
        "notitie": f"bsn {PERSONAL['bsn']}",
        "notities": [f"rekening {PERSONAL['iban']}", {"adres": PERSONAL["postcode"]}],
    },
}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'var' / 'handoff.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("HANDOFF_TEST_POSTGRES_URL not set: the PostgreSQL variant of the service tests is skipped")
    engine = sa.create_engine(POSTGRES_URL, future=True)
    with engine.begin() as connection:  # every test starts from an empty database
        for table in TABLES:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS handoff_test_fail() CASCADE")
    engine.dispose()
    yield POSTGRES_URL


@pytest.fixture
def service(url: str) -> Iterator[HandoffService]:
    handoff = HandoffService(url)
    yield handoff
    handoff.dispose()


def new(service: HandoffService, conversation_id: str = "gesprek-1", **fields: object) -> HandoffRecord:
    arguments: dict = {"audience": "werkzoekende", "topic": "jobcoach", "reason": "op verzoek", "summary": SUMMARY}
    arguments.update(fields)
    return service.create(conversation_id=conversation_id, **arguments)  # type: ignore[arg-type]


def raw_rows(service: HandoffService, table: str) -> str:
    """Every stored value of ``table`` as text, read around SQLAlchemy (sqlite3 for SQLite)."""
    if service.engine.dialect.name == "sqlite":
        connection = sqlite3.connect(make_url(service.url).database)
        try:
            return "\n".join(str(row) for row in connection.execute(f"SELECT * FROM {table}"))
        finally:
            connection.close()
    with service.engine.connect() as connection:
        return "\n".join(str(tuple(row)) for row in connection.exec_driver_sql(f"SELECT * FROM {table}"))


def count(service: HandoffService, table: str) -> int:
    with service.engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- schema ---------------------------------------------------------------------------------------


def test_migration_from_empty_matches_the_models(service: HandoffService) -> None:
    with service.engine.connect() as connection:
        assert set(TABLES) <= set(sa.inspect(connection).get_table_names())
        # only the handoff tables: the database may hold others (Rasa's events, when it is shared)
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "version_table": db.VERSION_TABLE,
                "include_name": lambda name, kind, _parents: kind != "table" or name in Base.metadata.tables,
            },
        )
        assert compare_metadata(context, Base.metadata) == []
        assert connection.exec_driver_sql(f"SELECT version_num FROM {db.VERSION_TABLE}").scalar_one() == "0002"
        # the comparison does see a difference when there is one
        changed = sa.MetaData()
        for table in Base.metadata.tables.values():
            table.to_metadata(changed)
        changed.tables["handoff_requests"].append_column(sa.Column("extra", sa.Integer()))
        assert [diff[0] for diff in compare_metadata(context, changed)] == ["add_column"]
    db.migrate(service.engine)  # a second run is a no-op
    assert HandoffService(service.url).list() == []


def test_sqlite_is_shared_safely_wal_and_busy_timeout(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'nieuw' / 'dir' / 'handoff.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one() == db.SQLITE_BUSY_SECONDS * 1000
    assert (tmp_path / "nieuw" / "dir").is_dir()


def test_three_processes_starting_at_once_migrate_once(url: str) -> None:
    errors: list[BaseException] = []
    services: list[HandoffService] = []

    def start() -> None:
        try:
            service = HandoffService(url)
            services.append(service)
            new(service, f"gesprek-{threading.get_ident()}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(services[0].list()) == 3
    for service in services:
        service.dispose()


def test_a_database_at_revision_0001_gets_the_client_column_and_keeps_its_requests(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'handoff.db'}"
    engine = db.make_engine(url)
    with db.writer(engine).begin() as connection:
        command.upgrade(db.alembic_config(connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO handoff_requests (conversation_id, created_at, reason, summary, status) "
            "VALUES ('oud', '2026-11-30 10:00:00', 'op verzoek', '{\"turns\": [], \"slots\": {}}', 'open')"
        )
    engine.dispose()
    service = HandoffService(url)  # migrates to head at first use, as every process does at start
    with service.engine.connect() as connection:
        assert connection.exec_driver_sql(f"SELECT version_num FROM {db.VERSION_TABLE}").scalar_one() == "0002"
        indexes = {index["name"] for index in sa.inspect(connection).get_indexes("handoff_requests")}
    assert "ix_handoff_requests_client" in indexes
    [old] = service.list()
    assert (old.conversation_id, old.client) == ("oud", None)
    new(service, "nieuw", client="c:1", max_open=2)
    assert service.open_for_client("c:1") == 1
    service.dispose()


def test_the_open_request_limit_per_client(service: HandoffService) -> None:
    for n in range(2):
        new(service, f"g-{n}", client="c:1", max_open=2)
    with pytest.raises(TooManyOpen) as refused:
        new(service, "g-2", client="c:1", max_open=2)
    assert (refused.value.open_requests, refused.value.limit) == (2, 2)
    new(service, "g-3", client="c:2", max_open=2)  # another client
    new(service, "g-4", client="c:1")  # no max_open (the console, tests): no limit
    service.close(service.active_for("g-0").id, "anna")
    new(service, "g-5", client="c:1", max_open=3)
    assert service.open_for_client("c:1") == 3 and service.open_for_client("c:2") == 1
    assert sorted(r.conversation_id for r in service.list()) == ["g-0", "g-1", "g-3", "g-4", "g-5"]


def test_parallel_requests_of_one_client_stay_within_the_limit(url: str) -> None:
    services = [HandoffService(url) for _ in range(6)]
    barrier = threading.Barrier(len(services))
    outcomes: list[str] = []

    def create(service: HandoffService, n: int) -> None:
        barrier.wait()
        try:
            new(service, f"parallel-{n}", client="c:1", max_open=2)
            outcomes.append("stored")
        except TooManyOpen:
            outcomes.append("refused")

    threads = [threading.Thread(target=create, args=(s, n)) for n, s in enumerate(services)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["refused"] * 4 + ["stored"] * 2
    assert services[0].open_for_client("c:1") == 2
    for service in services:
        service.dispose()


def test_max_open_per_client_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOFF_MAX_OPEN_PER_CLIENT", raising=False)
    assert max_open_per_client() == 2
    for value, limit in (("5", 5), (" 0 ", 0), ("", 2)):
        monkeypatch.setenv("HANDOFF_MAX_OPEN_PER_CLIENT", value)
        assert max_open_per_client() == limit
    for bad in ("twee", "-1", "1.5"):
        monkeypatch.setenv("HANDOFF_MAX_OPEN_PER_CLIENT", bad)
        with pytest.raises(ValueError, match="HANDOFF_MAX_OPEN_PER_CLIENT"):
            max_open_per_client()


def test_default_url_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOFF_DATABASE_URL", raising=False)
    assert db.database_url() == "sqlite:///var/handoff.db"
    monkeypatch.setenv("HANDOFF_DATABASE_URL", "postgresql://u@db/handoff")
    assert db.database_url() == "postgresql://u@db/handoff"


# --- the life of a request ------------------------------------------------------------------------


def test_create_get_list_and_active_for(service: HandoffService) -> None:
    before = datetime.now(timezone.utc)
    callback = {"wanted": True, "email": "piet@voorbeeld.nl", "phone": None, "moment": "ochtend"}
    first = new(service, "a", callback=callback)
    second = new(service, "b", audience=None, topic=None)
    third = new(service, "a", reason="niet begrepen")

    assert first.status == "open" and first.consultant is None and first.claimed_at is None
    assert first.created_at.tzinfo is not None and first.created_at.utcoffset() == timedelta(0)
    assert before <= first.created_at <= datetime.now(timezone.utc)
    stored = service.get(first.id)
    assert stored == first
    assert stored.created_at.tzinfo is not None
    assert stored.callback == callback
    assert service.get(second.id).audience is None
    assert service.get(10_000) is None

    assert [r.id for r in service.list()] == [third.id, second.id, first.id]  # newest first
    assert service.active_for("a").id == third.id
    assert service.active_for("onbekend") is None
    service.close(third.id, "anna")
    assert service.active_for("a").id == first.id
    service.claim(first.id, "piet")
    assert service.active_for("a").status == "claimed"
    service.close(first.id, "piet")
    assert service.active_for("a") is None
    assert [r.id for r in service.list("open")] == [second.id]
    assert {r.id for r in service.list("closed")} == {first.id, third.id}
    with pytest.raises(ValueError, match="status"):
        service.list("weg")


def test_create_writes_the_request_and_its_outbox_message(
    service: HandoffService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSOLE_PUBLIC_URL", "https://console.voorbeeld.nl/")
    record = new(service)
    with service.engine.connect() as connection:
        [(handoff_id, attempts, delivered)] = connection.exec_driver_sql(
            "SELECT handoff_id, attempts, delivered_at FROM handoff_outbox"
        ).all()
    assert (handoff_id, attempts, delivered) == (record.id, 0, None)
    assert f"https://console.voorbeeld.nl/verzoeken/{record.id}" in raw_rows(service, "handoff_outbox")


def test_claim_is_for_one_consultant_only(service: HandoffService) -> None:
    record = new(service)
    claimed = service.claim(record.id, "anna")
    assert (claimed.status, claimed.consultant) == ("claimed", "anna")
    assert claimed.claimed_at is not None and claimed.claimed_at >= record.created_at
    with pytest.raises(ValueError, match="al geclaimd"):
        service.claim(record.id, "piet")
    assert service.get(record.id).consultant == "anna"
    service.close(record.id, "anna")
    with pytest.raises(ValueError):
        service.claim(record.id, "piet")
    with pytest.raises(ValueError):
        service.claim(10_000, "piet")


def test_claims_at_the_same_moment_have_one_winner(url: str) -> None:
    services = [HandoffService(url) for _ in range(4)]
    record = new(services[0])
    barrier = threading.Barrier(len(services))
    outcomes: list[str] = []

    def claim(service: HandoffService, name: str) -> None:
        barrier.wait()
        try:
            service.claim(record.id, name)
            outcomes.append(name)
        except ValueError as error:
            outcomes.append(str(error))

    threads = [threading.Thread(target=claim, args=(s, f"medewerker-{i}")) for i, s in enumerate(services)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    winners = [o for o in outcomes if o.startswith("medewerker-")]
    assert len(winners) == 1 and outcomes.count("al geclaimd") == 3
    assert services[0].get(record.id).consultant == winners[0]
    for service in services:
        service.dispose()


def test_close_from_open_or_claimed_once(service: HandoffService) -> None:
    open_one, claimed_one = new(service, "a"), new(service, "b")
    service.claim(claimed_one.id, "anna")
    closed = service.close(open_one.id, "piet")
    assert (closed.status, closed.consultant) == ("closed", "piet") and closed.closed_at is not None
    closed = service.close(claimed_one.id, "piet")
    assert (closed.status, closed.consultant) == ("closed", "anna")  # who claimed it stays on record
    with pytest.raises(ValueError, match="al gesloten"):
        service.close(open_one.id, "piet")
    with pytest.raises(ValueError):
        service.close(10_000, "piet")


def test_purge_deletes_only_old_closed_requests_with_their_outbox(service: HandoffService) -> None:
    old, recent, still_open = new(service, "a"), new(service, "b"), new(service, "c")
    service.close(old.id, "anna")
    service.close(recent.id, "anna")
    with service.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE handoff_requests SET closed_at = :moment WHERE id = :id"),
            {"moment": (datetime.now(timezone.utc) - timedelta(days=40)).replace(tzinfo=None), "id": old.id},
        )
    assert service.purge_closed(30) == 1
    assert service.get(old.id) is None
    assert {r.id for r in service.list()} == {recent.id, still_open.id}
    with service.engine.connect() as connection:
        outbox = {row[0] for row in connection.exec_driver_sql("SELECT handoff_id FROM handoff_outbox")}
    assert outbox == {recent.id, still_open.id}
    assert service.purge_closed(0) == 1  # the recently closed one
    assert [r.id for r in service.list()] == [still_open.id]


# --- privacy --------------------------------------------------------------------------------------


def test_the_summary_is_scrubbed_in_the_database(service: HandoffService) -> None:
    callback = {"wanted": True, "email": "piet@voorbeeld.nl", "phone": "0612345678", "moment": "ochtend"}
    record = new(service, callback=callback)
    assert "[BSN verwijderd]" in record.summary["turns"][0]["text"]
    assert record.summary["slots"]["uren_per_week"] == 24
    for table in ("handoff_requests", "handoff_outbox"):
        raw = raw_rows(service, table)
        for kind, value in PERSONAL.items():
            assert value not in raw, f"{kind} survived in {table}"
        for placeholder in (
            "[BSN verwijderd]",
            "[IBAN verwijderd]",
            "[e-mail verwijderd]",
            "[telefoon verwijderd]",
            "[adres verwijderd]",
        ):
            assert placeholder in raw, f"{placeholder} missing in {table}"
    # contact details for a callback were given on purpose: kept with the request, for the console; the outbox
    # message has no copy (the worker adds them only with HANDOFF_WEBHOOK_CONTACT=true)
    assert "piet@voorbeeld.nl" in raw_rows(service, "handoff_requests") and "0612345678" in raw_rows(
        service, "handoff_requests"
    )
    assert "piet@voorbeeld.nl" not in raw_rows(service, "handoff_outbox")
    assert "0612345678" not in raw_rows(service, "handoff_outbox")
    assert service.get(record.id).callback == callback


# --- the database is not there ---------------------------------------------------------------------


def test_nul_characters_are_stored_not_lost(service: HandoffService) -> None:
    """A REST sender id or typed text may hold NUL, which PostgreSQL text refuses: stored as U+FFFD there.

    Before, psycopg2's ValueError failed the handoff action, and the request was not stored.
    """
    summary = {"turns": [{"who": "user", "text": "a\x00b"}], "slots": {"notitie": "x\x00"}}
    callback = {"wanted": True, "email": None, "phone": None, "moment": "ochtend\x00"}
    record = new(service, "nul\x00gesprek", reason="op\x00verzoek", summary=summary, callback=callback)
    stored = service.get(record.id)
    assert stored is not None and [r.id for r in service.list()] == [record.id]
    nul = "\x00" if service.engine.dialect.name == "sqlite" else "\ufffd"
    assert stored.conversation_id == f"nul{nul}gesprek" and stored.reason == f"op{nul}verzoek"
    # JSON columns hold NUL as the escape \u0000, which any text column takes: kept as it was typed
    assert stored.summary["turns"][0]["text"] == "a\x00b" and stored.callback["moment"] == "ochtend\x00"
    assert service.active_for(stored.conversation_id) is not None
    assert count(service, "handoff_outbox") == 1


def test_lone_surrogates_are_stored_escaped_not_lost(service: HandoffService) -> None:
    """A conversation id or reason with a lone surrogate (JSON ``"\\udfff"``) cannot be encoded as UTF-8.

    Before, the driver's UnicodeEncodeError failed the handoff action and nothing was stored (review C1's input).
    """
    record = new(service, "x\udfffgesprek", reason="op\udfffverzoek")
    stored = service.get(record.id)
    assert stored is not None
    assert stored.conversation_id == "x\\udfffgesprek" and stored.reason == "op\\udfffverzoek"
    assert service.active_for("x\udfffgesprek") is not None, "looked up with the same escape"
    assert count(service, "handoff_outbox") == 1


def test_a_database_path_under_a_file_is_unavailable(tmp_path: Path) -> None:
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand")
    service = HandoffService(f"sqlite:///{blocker}/handoff.db")  # does not raise: retried on use
    with pytest.raises(HandoffUnavailable):
        new(service)
    with pytest.raises(HandoffUnavailable):
        service.list()
    with pytest.raises(HandoffUnavailable):
        service.claim(1, "anna")
    # the database comes back: the same service migrates and works
    blocker.unlink()
    blocker.mkdir()
    record = new(service)
    assert [r.id for r in service.list()] == [record.id]


def test_postgres_on_a_closed_port_is_unavailable() -> None:
    service = HandoffService(f"postgresql://handoff:geheim@127.0.0.1:{free_port()}/handoff")
    with pytest.raises(HandoffUnavailable):
        new(service)
    with pytest.raises(HandoffUnavailable):
        service.active_for("gesprek-1")


def test_a_locked_sqlite_database_is_unavailable_then_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 0.2)
    service = HandoffService(f"sqlite:///{tmp_path / 'handoff.db'}")
    other = sqlite3.connect(tmp_path / "handoff.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    with pytest.raises(HandoffUnavailable):
        new(service)
    other.execute("ROLLBACK")
    other.close()
    assert new(service).status == "open"
    assert len(service.list()) == 1


def test_nothing_is_half_written_when_the_outbox_insert_fails(service: HandoffService) -> None:
    with service.engine.begin() as connection:
        if service.engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER handoff_test_fail BEFORE INSERT ON handoff_outbox "
                "BEGIN SELECT RAISE(ABORT, 'outbox weg'); END"
            )
        else:
            connection.exec_driver_sql(
                "CREATE FUNCTION handoff_test_fail() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'outbox weg'; END $$ LANGUAGE plpgsql"
            )
            connection.exec_driver_sql(
                "CREATE TRIGGER handoff_test_fail BEFORE INSERT ON handoff_outbox "
                "FOR EACH ROW EXECUTE FUNCTION handoff_test_fail()"
            )
    with pytest.raises(HandoffUnavailable, match="outbox weg"):
        new(service)
    assert count(service, "handoff_requests") == 0
    assert count(service, "handoff_outbox") == 0
    assert service.list() == []
