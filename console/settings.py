"""The console's configuration, from environment variables with working defaults.

    CONSOLE_PORT          8081
    CONSOLE_HOST          127.0.0.1
    CONSOLE_USERS         name:pbkdf2_sha256$<iterations>$<salt>$<hash>, comma-separated
                          (``python -m console.auth hash``; scripts/run.sh makes one when unset)
    CONSOLE_SECRET        signs the session cookie; default: a random secret kept in var/console_secret
    CONSOLE_SECURE_COOKIE 1: always set the cookie's Secure flag (it is set anyway for a request over https,
                          or with X-Forwarded-Proto: https from a trusted proxy)
    CONSOLE_PROXIES_COUNT number of proxies in front of the console that add to X-Forwarded-For (0: none;
                          then the client's address is the connection's, and proxy headers are ignored)
    CONSOLE_REAL_IP_HEADER or: the header a trusted proxy sets to the client's address (e.g. X-Real-IP)
    RASA_URL              http://localhost:$RASA_PORT (RASA_PORT default 5005)
    RASA_API_TOKEN        default: the contents of var/api_token (written by scripts/run.sh)
    TRACKER_STORE_URL     as for the Rasa server (common/settings.py: sqlite:///var/tracker.db)
    HANDOFF_DATABASE_URL  read by handoff.service (default sqlite:///var/handoff.db)
"""
from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from common import settings as shared
from console.auth import parse_users

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
SESSION_HOURS = 8


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


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


def count(name: str) -> int:
    """A whole number of 0 or more from the environment; anything else stops the start with a clear message."""
    value = env(name, "0")
    if not value.isdigit():
        raise SystemExit(f"{name} moet een heel getal van 0 of meer zijn, niet {value!r}.")
    return int(value)


def header_name(name: str) -> str:
    """An HTTP header name from the environment (letters, digits and dashes), or ""."""
    value = env(name)
    if value and not re.fullmatch(r"[A-Za-z0-9-]{1,64}", value):
        raise SystemExit(f"{name} moet de naam van een header zijn, zoals X-Real-IP, niet {value!r}.")
    return value


def api_token(var: Path = VAR) -> str:
    token = env("RASA_API_TOKEN")
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
            host=env("CONSOLE_HOST", "127.0.0.1"),
            port=port or int(env("CONSOLE_PORT", "8081")),
            users=parse_users(env("CONSOLE_USERS")),
            secret=(env("CONSOLE_SECRET") or read_or_create_secret(var / "console_secret")).encode(),
            secure_cookie=env("CONSOLE_SECURE_COOKIE") in {"1", "true", "yes"},
            rasa_url=env("RASA_URL", f"http://localhost:{env('RASA_PORT', '5005')}").rstrip("/"),
            rasa_token=api_token(var),
            tracker_store_url=shared.get("TRACKER_STORE_URL"),
            handoff_database_url=env("HANDOFF_DATABASE_URL") or None,
            proxies_count=count("CONSOLE_PROXIES_COUNT"),
            real_ip_header=header_name("CONSOLE_REAL_IP_HEADER"),
        )
