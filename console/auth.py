"""Passwords, signed session cookies and a small login throttle. Standard library only.

A password is stored as ``pbkdf2_sha256$<iterations>$<salt>$<hash>`` (hash: base64 of
PBKDF2-HMAC-SHA256). Users come from CONSOLE_USERS: ``name:<that string>``, comma-separated.

    python -m console.auth hash          # asks for a password (or reads one line from stdin), prints the hash
"""
from __future__ import annotations

import base64
import binascii
import functools
import getpass
import hashlib
import hmac
import json
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000


def hash_password(password: str, iterations: int = ITERATIONS, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"{ALGORITHM}${iterations}${salt}${base64.b64encode(digest).decode()}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        algorithm, iterations, salt, _hash = encoded.split("$")
        rounds = int(iterations)
    except ValueError:
        return False
    if algorithm != ALGORITHM or not 0 < rounds <= 10_000_000:
        return False
    return hmac.compare_digest(hash_password(password, rounds, salt).encode(), encoded.encode())


def parse_users(text: str) -> dict[str, str]:
    """``name:hash,name:hash`` → {name: hash}; entries without a valid-looking hash are ignored."""
    users = {}
    for entry in text.split(","):
        name, _, encoded = entry.strip().partition(":")
        if name and encoded.startswith(ALGORITHM + "$") and encoded.count("$") == 3:
            users[name.strip()] = encoded.strip()
    return users


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when the name is unknown, so both cases take the same time."""
    return hash_password(secrets.token_hex(8))


def check_login(users: dict[str, str], name: str, password: str) -> bool:
    encoded = users.get(name)
    ok = verify_password(password, encoded or _dummy_hash())
    return ok and encoded is not None


# --- session cookie -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """What the signed cookie holds. ``user`` is None before login (the login form needs a CSRF token too)."""

    user: str | None
    csrf: str
    expires: int

    @classmethod
    def new(cls, user: str | None, lifetime: int, now: float | None = None) -> Session:
        return cls(user=user, csrf=secrets.token_urlsafe(24), expires=int((now or time.time()) + lifetime))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())


def sign_session(session: Session, secret: bytes) -> str:
    payload = _b64(json.dumps({"u": session.user, "c": session.csrf, "e": session.expires}).encode())
    return f"{payload}.{_mac(secret, payload)}"


def read_session(value: str | None, secret: bytes, now: float | None = None) -> Session | None:
    """The session in a cookie value, or None when it is missing, tampered with or expired."""
    if not value or value.count(".") != 1:
        return None
    payload, mac = value.split(".")
    if not hmac.compare_digest(mac.encode(), _mac(secret, payload).encode()):
        return None
    try:
        data = json.loads(_unb64(payload))
        session = Session(user=data["u"], csrf=str(data["c"]), expires=int(data["e"]))
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    if session.expires <= (now if now is not None else time.time()):
        return None
    return session


# --- login throttle -------------------------------------------------------------------------------


class LoginThrottle:
    """Failed logins per name: a growing delay after each, and a pause after ``limit`` within ``window``."""

    def __init__(
        self, limit: int = 10, window: float = 900, step: float = 0.5, max_delay: float = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window, self.step, self.max_delay, self.clock = limit, window, step, max_delay, clock
        self._failures: dict[str, list[float]] = {}

    def _recent(self, name: str) -> list[float]:
        now = self.clock()
        recent = [t for t in self._failures.get(name.lower(), []) if now - t < self.window]
        if recent:
            self._failures[name.lower()] = recent
        else:
            self._failures.pop(name.lower(), None)
        return recent

    def blocked(self, name: str) -> bool:
        return len(self._recent(name)) >= self.limit

    def failed(self, name: str) -> float:
        """Records a failure; returns how long to wait before answering."""
        if len(self._failures) > 10_000:  # names are free text: keep the table small
            self._failures.clear()
        recent = [*self._recent(name), self.clock()]
        self._failures[name.lower()] = recent
        return min(self.step * len(recent), self.max_delay)

    def succeeded(self, name: str) -> None:
        self._failures.pop(name.lower(), None)


def main(argv: list[str]) -> int:
    if argv != ["hash"]:
        print("Gebruik: python -m console.auth hash", file=sys.stderr)
        return 2
    if sys.stdin.isatty():
        password = getpass.getpass("Wachtwoord: ")
        if getpass.getpass("Nog een keer: ") != password:
            print("De wachtwoorden zijn niet gelijk.", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        print("Een leeg wachtwoord kan niet.", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
