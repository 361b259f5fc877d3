"""Retention (`make purge`): real tracker and handoff databases, the command run on them, rows read back.

The command is ``retention.main`` in this process with the environment `make purge` gives it; a few tests run
``python -m ops.retention`` as a process too (exit codes, output, and that nothing else leaks into stderr).
SQLite files always; PostgreSQL too when HANDOFF_TEST_POSTGRES_URL is set (CI), in a schema of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain
from sqlalchemy.engine import make_url

from handoff.models import HandoffRequest
from handoff.service import HandoffService
from ops import retention
from reintegratie.stores.tracker_store import EnvSQLTrackerStore
from tests.conftest import ROOT
from tests.support.trackers import action, rasa_tracker, user

POSTGRES_URL = os.environ.get("HANDOFF_TEST_POSTGRES_URL", "")
SCHEMA = "retention_purge"  # its own schema: other tests' tables in the same database are left alone
DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Stores:
    tracker_url: str
    handoff_url: str

    def sqlite_files(self) -> list[Path]:
        return [
            Path(make_url(url).database)
            for url in (self.tracker_url, self.handoff_url)
            if make_url(url).get_backend_name() == "sqlite"
        ]


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stores]:
    monkeypatch.delenv("POSTGRESQL_SCHEMA", raising=False)
    if request.param == "sqlite":
        yield Stores(f"sqlite:///{tmp_path / 'var' / 'tracker.db'}", f"sqlite:///{tmp_path / 'var' / 'handoff.db'}")
        return
    if not POSTGRES_URL:
        pytest.skip("HANDOFF_TEST_POSTGRES_URL not set: the PostgreSQL variant of the retention tests is skipped")
    engine = sa.create_engine(POSTGRES_URL, future=True)
    with engine.begin() as connection:  # every test starts from an empty schema
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        connection.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
    engine.dispose()
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    yield Stores(url.render_as_string(hide_password=False), url.render_as_string(hide_password=False))


# --- building the databases --------------------------------------------------------------------------------


def days_ago(days: float) -> float:
    return time.time() - days * DAY


def save_conversation(stores: Stores, monkeypatch: pytest.MonkeyPatch, sender_id: str, *ages: float) -> None:
    """A conversation with one user message per age (days ago), saved by our tracker store (Rasa's schema)."""
    monkeypatch.setenv("TRACKER_STORE_URL", stores.tracker_url)
    store = EnvSQLTrackerStore(domain=Domain.empty())
    events = [action("action_listen", timestamp=days_ago(max(ages)) - 1)]
    events += [user(f"bericht van {sender_id} {age} dagen geleden", "greet", timestamp=days_ago(age)) for age in ages]
    asyncio.run(store.save(rasa_tracker(sender_id, events)))
    store.engine.dispose()


def handoff(stores: Stores, conversation_id: str, *, status: str, age: float, reason: str = "op verzoek") -> int:
    """A handoff request created (and claimed, closed) ``age`` days ago."""
    service = HandoffService(stores.handoff_url)
    record = service.create(
        conversation_id=conversation_id,
        audience="werkzoekende",
        topic="jobcoach",
        reason=reason,
        summary={"turns": [], "slots": {}},
    )
    if status in ("claimed", "closed"):
        service.claim(record.id, "anna")
    if status == "closed":
        service.close(record.id, "anna")
    moment = datetime.now(timezone.utc) - timedelta(days=age)
    values = {"created_at": moment}
    values.update({"claimed_at": moment} if status != "open" else {})
    values.update({"closed_at": moment} if status == "closed" else {})
    with service.engine.begin() as connection:
        connection.execute(sa.update(HandoffRequest).where(HandoffRequest.id == record.id).values(**values))
    service.dispose()
    return record.id


def rows(url: str, query: str) -> list[tuple]:
    engine = sa.create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.exec_driver_sql(query)]
    finally:
        engine.dispose()


def conversations(stores: Stores) -> dict[str, int]:
    """Sender id -> number of stored events."""
    return dict(rows(stores.tracker_url, "SELECT sender_id, COUNT(*) FROM events GROUP BY sender_id"))


def handoffs(stores: Stores) -> set[int]:
    return {row[0] for row in rows(stores.handoff_url, "SELECT id FROM handoff_requests")}


def outbox(stores: Stores) -> set[int]:
    return {row[0] for row in rows(stores.handoff_url, "SELECT handoff_id FROM handoff_outbox")}


def run(
    stores: Stores,
    *arguments: str,
    days: str | None = None,
    handoff_url: str | None = None,
    schema: str | None = None,
    process: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``python -m ops.retention`` as `make purge` runs it, on these databases: ``retention.main`` in this process
    with that environment, or with ``process`` the command itself."""
    env = {
        "TRACKER_STORE_URL": stores.tracker_url,
        "HANDOFF_DATABASE_URL": handoff_url or stores.handoff_url,
        "RETENTION_DAYS": days,
        "POSTGRESQL_SCHEMA": schema,
    }
    if process:
        full = {**os.environ, "PYTHONWARNINGS": "ignore"}
        full.update({name: value for name, value in env.items() if value is not None})
        for name in (name for name, value in env.items() if value is None):
            full.pop(name, None)
        return subprocess.run(
            [sys.executable, "-m", "ops.retention", *arguments],
            cwd=ROOT,
            env=full,
            capture_output=True,
            text=True,
            timeout=120,
        )
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        for name, value in env.items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        try:
            code = retention.main(list(arguments))
        except SystemExit as stop:  # argparse refuses an argument as the command does: exit code 2
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(
        ["python", "-m", "ops.retention", *arguments], code, out.getvalue(), err.getvalue()
    )


@dataclass(frozen=True)
class Scenario:
    open_id: int
    claimed_id: int
    old_closed_id: int
    recent_closed_id: int


def scenario(stores: Stores, monkeypatch: pytest.MonkeyPatch) -> Scenario:
    """Conversations and handoff requests on both sides of 90 days."""
    save_conversation(stores, monkeypatch, "oud", 200, 100)
    save_conversation(stores, monkeypatch, "oud-met-gesloten-verzoek", 150, 121)
    save_conversation(stores, monkeypatch, "net-te-oud", 91)
    save_conversation(stores, monkeypatch, "net-binnen-termijn", 89)
    save_conversation(stores, monkeypatch, "lang-maar-levend", 300, 200, 1)  # old events of a live conversation
    save_conversation(stores, monkeypatch, "oud-met-open-verzoek", 150)
    save_conversation(stores, monkeypatch, "oud-met-geclaimd-verzoek", 150)
    return Scenario(
        open_id=handoff(stores, "oud-met-open-verzoek", status="open", age=150),
        claimed_id=handoff(stores, "oud-met-geclaimd-verzoek", status="claimed", age=150),
        old_closed_id=handoff(stores, "oud-met-gesloten-verzoek", status="closed", age=120),
        recent_closed_id=handoff(stores, "net-binnen-termijn", status="closed", age=89),
    )


# --- the command -------------------------------------------------------------------------------------------


def test_default_is_90_days_whole_conversations_and_active_handoffs_kept(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = scenario(stores, monkeypatch)
    before = conversations(stores)

    result = run(stores, process=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "verwijderd: 3 gesprekken, 1 overdrachtsverzoek ouder dan 90 dagen",
        "bewaard: 2 oude gesprekken met een open of geclaimd overdrachtsverzoek",
    ]
    after = conversations(stores)
    assert set(after) == {"net-binnen-termijn", "lang-maar-levend", "oud-met-open-verzoek", "oud-met-geclaimd-verzoek"}
    assert after == {sender: before[sender] for sender in after}  # kept whole, old events included
    assert after["lang-maar-levend"] == 4
    assert handoffs(stores) == {ids.open_id, ids.claimed_id, ids.recent_closed_id}
    assert outbox(stores) == {ids.open_id, ids.claimed_id, ids.recent_closed_id}

    again = run(stores)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == "verwijderd: 0 gesprekken, 0 overdrachtsverzoeken ouder dan 90 dagen"
    assert conversations(stores) == after


def test_days_option_and_retention_days(stores: Stores, monkeypatch: pytest.MonkeyPatch) -> None:
    save_conversation(stores, monkeypatch, "vijftig-dagen", 50)
    save_conversation(stores, monkeypatch, "twintig-dagen", 20)
    old_closed = handoff(stores, "vijftig-dagen", status="closed", age=50)

    result = run(stores, "--days", "60", days="30")  # the option wins over the environment
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "verwijderd: 0 gesprekken, 0 overdrachtsverzoeken ouder dan 60 dagen"
    assert set(conversations(stores)) == {"vijftig-dagen", "twintig-dagen"}

    result = run(stores, days="30")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "verwijderd: 1 gesprek, 1 overdrachtsverzoek ouder dan 30 dagen"
    assert set(conversations(stores)) == {"twintig-dagen"}
    assert old_closed not in handoffs(stores)

    result = run(stores, "--days", "10")
    assert result.returncode == 0, result.stderr
    assert conversations(stores) == {}


def test_dry_run_counts_and_deletes_nothing(stores: Stores, monkeypatch: pytest.MonkeyPatch) -> None:
    scenario(stores, monkeypatch)
    tracker_before = rows(stores.tracker_url, "SELECT * FROM events ORDER BY id")
    handoff_before = rows(stores.handoff_url, "SELECT * FROM handoff_requests ORDER BY id")
    outbox_before = outbox(stores)

    result = run(stores, "--dry-run")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "proef (--dry-run), niets verwijderd. Zou verwijderen: 3 gesprekken, 1 overdrachtsverzoek ouder dan 90 dagen",
        "bewaard: 2 oude gesprekken met een open of geclaimd overdrachtsverzoek",
    ]
    assert rows(stores.tracker_url, "SELECT * FROM events ORDER BY id") == tracker_before
    assert rows(stores.handoff_url, "SELECT * FROM handoff_requests ORDER BY id") == handoff_before
    assert outbox(stores) == outbox_before
    # the real run deletes what the dry run counted
    assert run(stores).stdout.splitlines()[0] == "verwijderd: 3 gesprekken, 1 overdrachtsverzoek ouder dan 90 dagen"


@pytest.mark.parametrize("dry_run", [False, True])
def test_fresh_install_without_databases_or_tables(stores: Stores, dry_run: bool) -> None:
    if stores.sqlite_files():  # an empty SQLite file (the tables not made yet) next to a missing one
        stores.sqlite_files()[0].parent.mkdir(parents=True)
        stores.sqlite_files()[0].touch()
    arguments = ["--dry-run"] if dry_run else []

    result = run(stores, *arguments)

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip().endswith("0 gesprekken, 0 overdrachtsverzoeken ouder dan 90 dagen")
    if stores.sqlite_files():
        assert not stores.sqlite_files()[1].exists(), "the purge created a database"
        assert stores.sqlite_files()[0].stat().st_size == 0, "the purge created tables"
    else:
        tables = rows(POSTGRES_URL, f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{SCHEMA}'")
        assert tables == [], "the purge created tables"


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "90 dagen"])
def test_a_bad_retention_days_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setenv("RETENTION_DAYS", value)
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("HANDOFF_DATABASE_URL", f"sqlite:///{tmp_path / 'handoff.db'}")
    assert retention.main([]) == 2
    output = capsys.readouterr()
    assert output.out == ""
    assert f"fout: RETENTION_DAYS={value!r} is geen geldig aantal dagen" in output.err
    assert "whole number" in output.err


def test_bad_days_as_a_subprocess_deletes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stores = Stores(f"sqlite:///{tmp_path / 'tracker.db'}", f"sqlite:///{tmp_path / 'handoff.db'}")
    save_conversation(stores, monkeypatch, "oud", 400)
    for arguments, days, process in ((["--dry-run"], "negentig", False), (["--days", "0"], None, True)):
        result = run(stores, *arguments, days=days, process=process)
        assert result.returncode == 2
        assert "geen geldig aantal dagen" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert set(conversations(stores)) == {"oud"}
    assert run(stores, days=" ").stdout.startswith("verwijderd: 1 gesprek,")  # empty: the default


def test_an_unreachable_handoff_database_means_nothing_is_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the handoff database it is unknown which old conversations a consultant still needs."""
    stores = Stores(f"sqlite:///{tmp_path / 'tracker.db'}", f"sqlite:///{tmp_path / 'handoff.db'}")
    save_conversation(stores, monkeypatch, "oud", 400)
    result = run(stores, handoff_url="postgresql://niemand:geheim@127.0.0.1:9/handoff", process=True)
    assert result.returncode == 1
    assert "fout: een database is niet bereikbaar" in result.stderr
    assert "Traceback" not in result.stderr and "geheim" not in result.stderr
    assert set(conversations(stores)) == {"oud"}


# --- details -----------------------------------------------------------------------------------------------


HOLD_OPEN = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("SELECT COUNT(*) FROM handoff_requests").fetchall()
print("open", flush=True)
sys.stdin.readline()
"""


def test_sqlite_overwrites_what_it_deletes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The deleted text is gone from the files, the write-ahead log included, not only from the tables.

    Another process keeps the handoff database open meanwhile, as the running console does; SQLite then
    keeps its log file, with the text of the deleted request in it, unless the purge empties it.
    """
    stores = Stores(f"sqlite:///{tmp_path / 'tracker.db'}", f"sqlite:///{tmp_path / 'handoff.db'}")
    HandoffService(stores.handoff_url).dispose()
    console = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(tmp_path / "handoff.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert console.stdout is not None and console.stdout.readline() == "open\n"
        save_conversation(stores, monkeypatch, "weg-gesprek-xq", 200)
        save_conversation(stores, monkeypatch, "blijft-gesprek-xq", 2)
        handoff(stores, "weg-gesprek-xq", status="closed", age=200, reason="reden-die-weg-moet-xq")
        handoff(stores, "blijft-gesprek-xq", status="open", age=2, reason="reden-die-blijft-xq")

        def raw(name: str) -> bytes:
            return b"".join(path.read_bytes() for path in tmp_path.glob(f"{name}*"))

        assert b"reden-die-weg-moet-xq" in (tmp_path / "handoff.db-wal").read_bytes()
        assert run(stores).returncode == 0
        assert b"blijft-gesprek-xq" in raw("tracker.db") and b"reden-die-blijft-xq" in raw("handoff.db")
        assert b"weg-gesprek-xq" not in raw("tracker.db")
        assert b"reden-die-weg-moet-xq" not in raw("handoff.db")
    finally:
        console.communicate("\n", timeout=30)


def test_a_conversation_that_came_back_to_life_is_not_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Selected as old, then a new message arrives before the delete: the delete itself checks again."""
    stores = Stores(f"sqlite:///{tmp_path / 'tracker.db'}", f"sqlite:///{tmp_path / 'handoff.db'}")
    for number in range(5):
        save_conversation(stores, monkeypatch, f"oud-{number}", 100)
    save_conversation(stores, monkeypatch, "terug", 100, 0)
    monkeypatch.setattr(retention, "BATCH", 2)
    engine = retention.tracker_engine(stores.tracker_url)
    assert engine is not None
    deleted = retention.delete_conversations(
        engine, ["oud-0", "oud-1", "terug", "oud-2", "oud-3", "oud-4"], days_ago(90)
    )
    engine.dispose()
    assert deleted == 5
    assert conversations(stores) == {"terug": 3}


@pytest.mark.parametrize("stores", ["postgresql"], indirect=True)  # a PostgreSQL setting only
def test_rasas_postgresql_schema_setting_is_followed(stores: Stores, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rasa puts the tracker store in POSTGRESQL_SCHEMA when that is set; the purge looks there too."""
    monkeypatch.setenv("POSTGRESQL_SCHEMA", SCHEMA)
    plain = Stores(POSTGRES_URL, stores.handoff_url)  # no search_path in the URL: only the setting leads there
    save_conversation(plain, monkeypatch, "oud-in-schema", 120)
    save_conversation(plain, monkeypatch, "nieuw-in-schema", 3)
    assert rows(stores.tracker_url, "SELECT COUNT(DISTINCT sender_id) FROM events") == [(2,)]

    result = run(plain, schema=SCHEMA)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "verwijderd: 1 gesprek, 0 overdrachtsverzoeken ouder dan 90 dagen"
    assert set(conversations(stores)) == {"nieuw-in-schema"}
