"""Configuration from environment variables, each with a working default.

Rasa's ``${VAR}`` substitution in endpoints.yml has no defaults, so the stores
in endpoints.yml are small classes that read these variables. An unset
variable means the default below; the README lists them all.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULTS = {
    # SQLAlchemy URL of the tracker store. PostgreSQL: postgresql://user:pw@host:5432/rasa
    "TRACKER_STORE_URL": "sqlite:///var/tracker.db",
    # Empty: Rasa's in-memory lock store (one Rasa process). redis://host:6379/1 for several.
    "LOCK_STORE_URL": "",
    # Public address of the Rasa server, for links in answers (question-list downloads).
    "PUBLIC_URL": "http://localhost:5005",
    # Messages per sender (conversation) per rolling minute on the REST and Socket.IO channels; 0 = off.
    # Counted in Redis when LOCK_STORE_URL is a Redis URL, else per Rasa process (reintegratie/channels/rate_limit.py).
    "RATE_LIMIT_PER_MINUTE": "30",
    # Messages per client address per rolling minute, over all its conversations; 0 = off. Behind a reverse
    # proxy set SANIC_PROXIES_COUNT so the address is the visitor's (reintegratie/channels/inbound.py).
    "RATE_LIMIT_PER_CLIENT_PER_MINUTE": "120",
    # Longer messages are not processed or stored; the sender is told (the widget sends at most 1,000).
    "MAX_MESSAGE_CHARS": "1000",
    # Set: the REST channel needs "Authorization: Bearer <token>" (reintegratie/channels/rest.py). Empty: open.
    "REST_CHANNEL_TOKEN": "",
}


def get(name: str) -> str:
    """The environment variable ``name``, or its default when unset or empty."""
    return os.environ.get(name, "").strip() or DEFAULTS[name]


def whole_number(name: str, minimum: int = 0, meaning_of_zero: str = "") -> int:
    """``get(name)`` as a whole number of at least ``minimum``; a clear error for anything else."""
    value = get(name)
    zero = f" ({meaning_of_zero})" if meaning_of_zero else ""
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number{zero}, not {value!r}") from None
    if number < minimum:
        raise ValueError(f"{name} must be {minimum}{zero} or more, not {number}")
    return number


@dataclass(frozen=True)
class StoreSettings:
    tracker_store_url: str
    lock_store_url: str

    @classmethod
    def from_env(cls) -> StoreSettings:
        return cls(tracker_store_url=get("TRACKER_STORE_URL"), lock_store_url=get("LOCK_STORE_URL"))
