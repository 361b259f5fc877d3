"""SQLite database files readable by their owner only (mode 0600).

The tracker store (``var/tracker.db``) and the handoff store (``var/handoff.db``) hold conversations and
contact details. SQLite creates a new file with mode 0666 minus the umask, usually 0644: readable by every
user of the machine. SQLite gives the ``-wal`` and ``-shm`` files the mode of the database file, so the
database file is created 0600 here, before SQLite opens it, and a file left by an older version is
tightened. ``scripts/run.sh`` also sets ``umask 077`` for everything else it starts. No Rasa imports: the
handoff package uses this too.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)

PRIVATE = 0o600
#: The files SQLite keeps next to a database in WAL mode.
COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_database_file(path: Path) -> None:
    """Create ``path`` (and its directory) mode 0600 if it is missing; make it and its companions 0600.

    An empty file is a valid new SQLite database. A failure (not the owner, read-only disk) is logged,
    not raised: opening the database will then say what is wrong, or work as before.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT, PRIVATE))
    except OSError as error:
        logger.warning("cannot create %s with mode 0600: %s", path, error)
        return
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        try:
            if stat.S_IMODE(companion.stat().st_mode) & ~PRIVATE:
                companion.chmod(PRIVATE)
                logger.info("%s was readable by others: now mode 0600", companion)
        except FileNotFoundError:
            continue
        except OSError as error:
            logger.warning("cannot make %s mode 0600: %s", companion, error)
