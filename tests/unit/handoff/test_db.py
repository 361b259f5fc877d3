"""Review L7: ``var/handoff.db`` was created mode 0644 (readable by every user of the machine).

The tracker database: tests/unit/reintegratie/stores/test_tracker_store.py.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The usual umask 022, under which SQLite made the files 0644 (run.sh sets 077, these tests do not)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


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
