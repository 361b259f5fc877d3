"""Stores from endpoints.yml: SQLite by default, PostgreSQL/Redis by environment only."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.core.tracker_store import TrackerStore
from rasa.utils.endpoints import read_endpoint_config

from common.settings import DEFAULTS
from reintegratie.stores.lock_store import EnvLockStore
from reintegratie.stores.tracker_store import EnvSQLTrackerStore, sql_store_arguments
from tests.conftest import ROOT
from tests.support import trackers
from tests.support.trackers import action, rasa_tracker, user

ENDPOINTS = str(ROOT / "endpoints.yml")


def test_default_tracker_store_is_a_sqlite_file() -> None:
    assert DEFAULTS["TRACKER_STORE_URL"].startswith("sqlite:///")
    assert sql_store_arguments(DEFAULTS["TRACKER_STORE_URL"])["dialect"] == "sqlite"


def test_postgres_url_is_split_for_rasa() -> None:
    args = sql_store_arguments("postgresql://rasa:geheim@db.example:5433/tracker?sslmode=require")
    assert args == {
        "dialect": "postgresql",
        "host": "db.example",
        "port": 5433,
        "db": "tracker",
        "username": "rasa",
        "password": "geheim",
        "query": {"sslmode": "require"},
    }


async def test_endpoints_yml_gives_a_sql_tracker_store_that_persists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "sub" / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{database}")
    domain = trackers.domain()
    # Rasa's own factory, as `rasa run` uses it: no silent fallback to memory.
    store = TrackerStore.create(read_endpoint_config(ENDPOINTS, "tracker_store"), domain=domain)
    assert isinstance(store, EnvSQLTrackerStore)

    tracker = rasa_tracker("gesprek-1", [action("action_listen"), user("hallo", "greet")])
    await store.save(tracker)

    rows = sqlite3.connect(database).execute("select sender_id, type_name from events order by id").fetchall()
    assert ("gesprek-1", "user") in rows
    reloaded = await EnvSQLTrackerStore(domain=domain).retrieve("gesprek-1")
    assert reloaded is not None and reloaded.latest_message.text == "hallo"
    # WAL mode (kept in the file), so several Rasa workers can read and write it at the same time.
    assert sqlite3.connect(database).execute("pragma journal_mode").fetchone() == ("wal",)


def strings(value: object) -> list[str]:
    """Every string in a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


async def test_a_bsn_never_reaches_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{database}")
    store = EnvSQLTrackerStore(domain=trackers.domain())
    message = "mijn bsn is 123 456 782, wat nu?"
    tracker = rasa_tracker("gesprek-2", [user(message, "deel_geen_bsn")])
    await store.save(tracker)
    rows = [json.loads(row[0]) for row in sqlite3.connect(database).execute("select data from events")]
    stored = " ".join(strings(rows))  # the texts only: a timestamp such as 1733403418.5637782 is no BSN
    assert "782" not in stored and "[BSN verwijderd]" in stored
    reloaded = await store.retrieve("gesprek-2")
    assert reloaded is not None and reloaded.latest_message.text == "mijn bsn is [BSN verwijderd], wat nu?"


def test_lock_store_is_in_memory_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    store = LockStore.create(read_endpoint_config(ENDPOINTS, "lock_store"))
    assert isinstance(store, InMemoryLockStore)


def test_several_workers_without_redis_refuse_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(ValueError, match="SANIC_WORKERS=2 needs a shared lock store: set LOCK_STORE_URL"):
        LockStore.create(read_endpoint_config(ENDPOINTS, "lock_store"))
    monkeypatch.setenv("LOCK_STORE_URL", "redis://localhost:6379/1")
    assert isinstance(LockStore.create(read_endpoint_config(ENDPOINTS, "lock_store")), RedisLockStore)


def test_lock_store_is_redis_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", "redis://:pw@redis.example:6380/3")
    store = EnvLockStore()
    assert isinstance(store, RedisLockStore)
    kwargs = store.red.connection_pool.connection_kwargs
    assert (kwargs["host"], kwargs["port"], kwargs["db"], kwargs["password"]) == ("redis.example", 6380, 3, "pw")
