"""Passwords, signed session cookies, the sessions that are still logged in, and a small login throttle.
Standard library only.

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
import ipaddress
import json
import secrets
import sys
import time
from collections import OrderedDict
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
    """What the signed cookie holds. ``user`` is None before login (the login form needs a CSRF token too).

    ``sid`` names the session on the server (ActiveSessions): a signature alone cannot be taken back, so a
    logged-in cookie only counts while the console still knows its id, and logging out forgets it.
    """

    user: str | None
    csrf: str
    expires: int
    sid: str = ""

    @classmethod
    def new(cls, user: str | None, lifetime: int, now: float | None = None) -> Session:
        return cls(
            user=user,
            csrf=secrets.token_urlsafe(24),
            expires=int((now or time.time()) + lifetime),
            sid=secrets.token_urlsafe(18),
        )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())


def sign_session(session: Session, secret: bytes) -> str:
    data = {"u": session.user, "c": session.csrf, "e": session.expires, "s": session.sid}
    payload = _b64(json.dumps(data).encode())
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
        session = Session(user=data["u"], csrf=str(data["c"]), expires=int(data["e"]), sid=str(data.get("s", "")))
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error):
        return None
    if session.expires <= (now if now is not None else time.time()):
        return None
    return session


class ActiveSessions:
    """The logged-in sessions this console process handed out, by id, until they expire or log out.

    In memory: the console runs as one process (one replica, one Sanic worker; see console/README.md). A
    restart therefore logs everyone out, which is the safe side: a cookie is never valid again once its
    session ended, not even after a restart.
    """

    def __init__(self, limit: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self.limit, self.clock = limit, clock
        self._expires: OrderedDict[str, int] = OrderedDict()

    def add(self, session: Session) -> None:
        if len(self._expires) >= self.limit:  # only people with a password get here; still, keep it bounded
            now = self.clock()
            for sid in [sid for sid, expires in self._expires.items() if expires <= now]:
                del self._expires[sid]
            while len(self._expires) >= self.limit:
                self._expires.popitem(last=False)
        self._expires[session.sid] = session.expires

    def active(self, session: Session) -> bool:
        expires = self._expires.get(session.sid) if session.sid else None
        return expires is not None and expires > self.clock()

    def end(self, session: Session | None) -> None:
        if session is not None:
            self._expires.pop(session.sid, None)


# --- login throttle -------------------------------------------------------------------------------


def client_key(address: str) -> str:
    """The throttle's key for a client address: an IPv6 client counts as its /64 (one home or server gets a
    whole /64, so counting single addresses would let it start afresh at will)."""
    text = address.strip().strip("[]")
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text[:100] or "onbekend"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class LoginThrottle:
    """Login attempts per client address and name, and per client over all names, within ``window``.

    Counting per client and name means that someone elsewhere cannot lock a consultant out by guessing
    her password; the limit per client over all names stops one address from trying one password on
    many names. ``attempt`` checks and counts in one synchronous step, before the (slow, threaded)
    password check, so parallel guesses cannot all pass the check before one of them is counted.
    A right password takes that client's attempts for the name back (``succeeded``).
    """

    def __init__(
        self,
        limit: int = 10,
        client_limit: int = 30,
        window: float = 900,
        step: float = 0.5,
        max_delay: float = 5,
        max_clients: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.client_limit, self.window = limit, client_limit, window
        self.step, self.max_delay, self.max_clients, self.clock = step, max_delay, max_clients, clock
        self._attempts: OrderedDict[str, list[tuple[float, str]]] = OrderedDict()  # client -> (time, name)

    def _recent(self, client: str, now: float) -> list[tuple[float, str]]:
        recent = [(t, name) for t, name in self._attempts.get(client, []) if now - t < self.window]
        if recent:
            self._attempts[client] = recent
            self._attempts.move_to_end(client)
        else:
            self._attempts.pop(client, None)
        return recent

    def _make_room(self, now: float) -> None:
        """Forget clients whose attempts are all old; if that is not enough, the least recent ones."""
        if len(self._attempts) < self.max_clients:
            return
        for client in list(self._attempts):
            self._recent(client, now)
        while len(self._attempts) >= self.max_clients:
            self._attempts.popitem(last=False)

    def attempt(self, address: str, name: str) -> float | None:
        """None when this client may not try (now); else the attempt is counted as a failure, and the
        answer is how long to wait before saying that the password was wrong."""
        client, name, now = client_key(address), name.lower()[:100], self.clock()
        recent = self._recent(client, now)
        tries = sum(1 for _, tried in recent if tried == name)
        if tries >= self.limit or len(recent) >= self.client_limit:
            return None
        if client not in self._attempts:
            self._make_room(now)
        self._attempts[client] = [*recent, (now, name)]
        return min(self.step * (tries + 1), self.max_delay)

    def succeeded(self, address: str, name: str) -> None:
        client, name = client_key(address), name.lower()[:100]
        left = [(t, tried) for t, tried in self._attempts.get(client, []) if tried != name]
        if left:
            self._attempts[client] = left
        else:
            self._attempts.pop(client, None)


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
