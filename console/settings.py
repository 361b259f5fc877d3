"""The console's view of its configuration; every value comes from ``common.settings``.

The console reads ``CONSOLE_HOST``, ``CONSOLE_PORT``, ``CONSOLE_USERS``, ``CONSOLE_SECRET``,
``CONSOLE_SECURE_COOKIE``, ``CONSOLE_PROXIES_COUNT``, ``CONSOLE_REAL_IP_HEADER``, ``RASA_URL`` (default
``http://localhost:$RASA_PORT``), ``RASA_API_TOKEN``, ``TRACKER_STORE_URL`` and ``HANDOFF_DATABASE_URL``; their
defaults and meanings are in common/settings.py and docs/configuration.md. Two come from files when unset:
the cookie secret (``var/console_secret``, made on first start) and the API token (``var/api_token``, made by
scripts/run.sh).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from common import settings as shared
from console.auth import parse_users

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
SESSION_HOURS = 8


def read_or_create_secret(path: Path) -> str:
    """The secret in ``path``; a new random one (file mode 0600) when the file is missing or empty."""
    if path.is_file() and path.read_text().strip():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as file:
        file.write(secret + "\n")
    return secret


def api_token(var: Path = VAR) -> str:
    token = shared.RASA_API_TOKEN.value()
    if not token and (var / "api_token").is_file():
        token = (var / "api_token").read_text().strip()
    return token


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    users: dict[str, str]
    secret: bytes
    secure_cookie: bool
    rasa_url: str
    rasa_token: str
    tracker_store_url: str
    handoff_database_url: str | None
    session_seconds: int = SESSION_HOURS * 3600
    proxies_count: int = 0
    real_ip_header: str = ""

    @classmethod
    def from_env(cls, port: int | None = None, var: Path = VAR) -> Settings:
        return cls(
            host=shared.CONSOLE_HOST.value(),
            port=port or shared.CONSOLE_PORT.value(),
            users=parse_users(shared.CONSOLE_USERS.value()),
            secret=(shared.CONSOLE_SECRET.value() or read_or_create_secret(var / "console_secret")).encode(),
            secure_cookie=shared.CONSOLE_SECURE_COOKIE.value(),
            rasa_url=shared.RASA_URL.value(),
            rasa_token=api_token(var),
            tracker_store_url=shared.TRACKER_STORE_URL.value(),
            handoff_database_url=shared.HANDOFF_DATABASE_URL.value(),
            proxies_count=shared.CONSOLE_PROXIES_COUNT.value(),
            real_ip_header=shared.CONSOLE_REAL_IP_HEADER.value(),
        )
