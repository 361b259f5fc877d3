"""Every environment variable of the assistant, in one place: name, type, default, meaning and who reads it.

``docs/configuration.md`` is generated from this module (``python -m common.settings --markdown``) and a test
checks that the two agree; tests/unit/common/test_settings.py also checks that no other module of the project
packages reads ``os.environ``.

Rules for every variable:

- **Unset or blank means the default**; surrounding whitespace is ignored.
- **Read when used.** ``VARIABLE.value()`` reads the environment now, so each process reads (and validates) only
  the variables it uses, when it uses them: a wrong value stops the process that needs it, with a clear
  message naming the variable, and leaves the others alone. Call sites read at start-up or per call, as before.
- Rasa's ``${VAR}`` substitution in endpoints.yml has no defaults, so the stores in endpoints.yml are small
  classes that read these variables (reintegratie/stores/).
- Some variables are read by software we do not write (Sanic, Rasa, TensorFlow, the postgres image). They are
  listed here too, with ``parse=text``, so that docs/configuration.md is the one table a deployer needs.

Why typed dataclasses and not pydantic's ``BaseSettings`` (pydantic 1.10 is pinned): a ``BaseSettings`` class
validates all its fields at once, so a typo in a console setting would stop the handoff worker; it wraps every
error in a ``ValidationError`` whose text is not the message we give today (and the console's start-up errors
are ``SystemExit`` with a Dutch message); "blank means default" needs a pre-validator on every field; and the
call sites that read per call (tests monkeypatch the environment) would rebuild and revalidate the whole object.
A ``Variable`` is a small frozen dataclass with a parse function: one variable, read when it is used.

scripts/run.sh asks this module for its values: ``python -m common.settings --shell`` prints ``NAME=value``
lines (shell-quoted, validated: a port that is not a number stops run.sh before anything starts) for the
variables marked ``in_run_sh``, with run.sh's own defaults (``run_sh_default``, e.g. CORS for the local demo
website). run.sh still exports the same variables as before. Only the three secrets stay shell logic
(``RASA_API_TOKEN``, ``ACTION_SERVER_TOKEN``, ``CONSOLE_USERS``): when unset, run.sh makes them once in files
under var/ (mode 0600); they are documented here all the same.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

#: ``parse(name, text)``: the typed value of variable ``name`` from its text (stripped; the default when blank).
Parse = Callable[[str, str], T]

_YES, _NO = {"1", "true", "yes", "ja", "on"}, {"", "0", "false", "no", "nee", "off"}
_HEADER = re.compile(r"[A-Za-z0-9-]{1,64}")
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")

# --- parse functions -----------------------------------------------------------------------------------------


def text(_name: str, value: str) -> str:
    """The text as it is."""
    return value


def words(_name: str, value: str) -> list[str]:
    """A list: the text split on spaces and commas."""
    return value.replace(",", " ").split()


def whole_number_parser(minimum: int = 0, meaning_of_zero: str = "") -> Parse[int]:
    """A whole number of at least ``minimum``; ``meaning_of_zero`` (e.g. "0 = off") is part of the messages."""
    zero = f" ({meaning_of_zero})" if meaning_of_zero else ""

    def parse(name: str, value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"{name} must be a whole number{zero}, not {value!r}") from None
        if number < minimum:
            raise ValueError(f"{name} must be {minimum}{zero} or more, not {number}")
        return number

    return parse


def limit(name: str, value: str) -> int:
    """A whole number of 0 (no limit) or more."""
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must be 0 (no limit) or more, not {number}")
    return number


def port(name: str, value: str) -> int:
    """A TCP port, 1 to 65535."""
    number = whole_number_parser(minimum=1)(name, value)
    if number > 65535:
        raise ValueError(f"{name} must be a port number, 1 to 65535, not {number}")
    return number


def seconds(name: str, value: str) -> float:
    """A number of seconds, 0 or more (decimals allowed)."""
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not a number of seconds") from None
    if number < 0:
        raise ValueError(f"{name}={value!r} is negative")
    return number


def days(name: str, value: str) -> int:
    """A whole number of days, 1 or more (the message is for the person who runs the purge, in Dutch and English)."""
    try:
        number = int(value.strip())
    except ValueError:
        number = 0
    if number < 1:
        raise ValueError(
            f"{name}={value!r} is geen geldig aantal dagen: geef een heel getal van 1 of meer, "
            f"bijvoorbeeld 90 (invalid number of days: expected a whole number, 1 or more)"
        )
    return number


def yes_no(name: str, value: str) -> bool:
    """true/false, yes/no, ja/nee, on/off, 1/0 (any case); anything else is an error."""
    value = value.lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"{name}={value!r}: use true or false")


def flag(_name: str, value: str) -> bool:
    """On for ``1``, ``true`` or ``yes``; anything else is off."""
    return value in {"1", "true", "yes"}


def count(name: str, value: str) -> int:
    """A whole number of 0 or more; anything else stops the start with a clear (Dutch) message."""
    if not value.isdigit():
        raise SystemExit(f"{name} moet een heel getal van 0 of meer zijn, niet {value!r}.")
    return int(value)


def header_name(name: str, value: str) -> str:
    """An HTTP header name (letters, digits and dashes), or ""; anything else stops the start (Dutch message)."""
    if value and not _HEADER.fullmatch(value):
        raise SystemExit(f"{name} moet de naam van een header zijn, zoals X-Real-IP, niet {value!r}.")
    return value


def url(_name: str, value: str) -> str:
    """A URL without a trailing slash."""
    return value.rstrip("/")


# --- the variable ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variable(Generic[T]):
    """One environment variable. ``default`` may name another variable as ``{NAME}`` (its text is used)."""

    name: str
    parse: Parse[T]
    default: str
    meaning: str
    read_by: str
    #: What the documentation shows as the default when ``default`` does not say it (a file, a library's own).
    shown_default: str = ""
    #: scripts/run.sh takes its value from ``python -m common.settings --shell``.
    in_run_sh: bool = False
    #: run.sh's default when it differs from the processes' own (``{NAME}`` allowed).
    run_sh_default: str | None = None

    def text(self) -> str:
        """The variable's text now: the environment's (stripped), else the default."""
        return os.environ.get(self.name, "").strip() or _fill(self.default)

    def value(self) -> T:
        """The typed value now; a bad value raises the parse function's error, which names the variable."""
        return self.parse(self.name, self.text())

    def is_set(self) -> bool:
        """True when the environment has a non-blank value."""
        return bool(os.environ.get(self.name, "").strip())

    def set_default_in_environment(self) -> None:
        """Put the default into this process's environment unless the variable is there (for a library that
        reads it itself, later in this process)."""
        os.environ.setdefault(self.name, _fill(self.default))

    def run_sh_text(self) -> str:
        """The value run.sh uses: the environment's, else run.sh's default, else the default; validated."""
        given = os.environ.get(self.name, "").strip()
        chosen = given or _fill(self.default if self.run_sh_default is None else self.run_sh_default)
        self.parse(self.name, chosen)
        return chosen


VARIABLES: dict[str, Variable[Any]] = {}


def _define(variable: Variable[T]) -> Variable[T]:
    if variable.name in VARIABLES:
        raise ValueError(f"{variable.name} is defined twice")
    VARIABLES[variable.name] = variable
    return variable


def _fill(template: str) -> str:
    """``template`` with each ``{NAME}`` replaced by that variable's text now."""
    return _PLACEHOLDER.sub(lambda match: VARIABLES[match.group(1)].text(), template)


RASA = "Rasa server"
ACTIONS = "action server"
WORKER = "handoff worker"
CONSOLE = "console"
PURGE = "purge (`ops.retention`)"
RUN_SH = "`scripts/run.sh`"

# --- stores ----------------------------------------------------------------------------------------------------

TRACKER_STORE_URL = _define(
    Variable(
        "TRACKER_STORE_URL",
        text,
        "sqlite:///var/tracker.db",
        "SQLAlchemy URL of Rasa's tracker store, e.g. `postgresql://user:pw@host:5432/rasa`; the same for every "
        "Rasa server",
        f"{RASA}, {CONSOLE} (read-only, for /inzichten), {PURGE}, `tools/info.py`",
    )
)
LOCK_STORE_URL = _define(
    Variable(
        "LOCK_STORE_URL",
        text,
        "",
        "Empty: Rasa's in-memory lock store (one Rasa process); `redis://host:6379/1` for several, which also "
        "counts the rate limits in Redis",
        RASA,
        shown_default="(in memory)",
    )
)
POSTGRESQL_SCHEMA = _define(
    Variable(
        "POSTGRESQL_SCHEMA",
        text,
        "",
        "Rasa's own setting: the PostgreSQL schema of the tracker store; the purge uses the same",
        f"{RASA} (Rasa), {PURGE}",
        shown_default="(the database's default)",
    )
)
HANDOFF_DATABASE_URL = _define(
    Variable(
        "HANDOFF_DATABASE_URL",
        text,
        "sqlite:///var/handoff.db",
        "SQLAlchemy URL of the handoff requests and their outbox, e.g. `postgresql://user:pw@host:5432/handoff`",
        f"{ACTIONS}, {WORKER}, {CONSOLE}, {PURGE}",
    )
)

# --- the Rasa server and its channels ----------------------------------------------------------------------------

RASA_API_TOKEN = _define(
    Variable(
        "RASA_API_TOKEN",
        text,
        "",
        "Token of Rasa's HTTP API; `reintegratie.launch` hands it to Rasa (never on a command line), the console "
        "sends it",
        f"{RASA} (`reintegratie.launch`), {CONSOLE}",
        shown_default="the contents of `var/api_token` (made by run.sh)",
    )
)
PUBLIC_URL = _define(
    Variable(
        "PUBLIC_URL",
        text,
        "http://localhost:5005",
        "Public address of the Rasa server(s), for links in answers (question-list downloads) and for the widget",
        f"{ACTIONS}, demo website (through {RUN_SH})",
        in_run_sh=True,
        run_sh_default="http://localhost:{RASA_PORT}",
    )
)
CORS_ORIGINS = _define(
    Variable(
        "CORS_ORIGINS",
        words,
        "",
        "Websites that may use the chat from a browser, space- or comma-separated (`*`: any); a browser request "
        "from another website is refused",
        RASA,
        shown_default="(none)",
        in_run_sh=True,
        run_sh_default="http://localhost:{RASA_PORT} http://localhost:{WEB_PORT}",
    )
)
RATE_LIMIT_PER_MINUTE = _define(
    Variable(
        "RATE_LIMIT_PER_MINUTE",
        whole_number_parser(meaning_of_zero="0 = off"),
        "30",
        "Messages per sender (conversation) per rolling minute on the REST and Socket.IO channels; `0` = off. "
        "Counted in Redis when `LOCK_STORE_URL` is a Redis URL, else per Rasa process",
        RASA,
    )
)
RATE_LIMIT_PER_CLIENT_PER_MINUTE = _define(
    Variable(
        "RATE_LIMIT_PER_CLIENT_PER_MINUTE",
        whole_number_parser(meaning_of_zero="0 = off"),
        "120",
        "Messages per client address per rolling minute, over all its conversations; `0` = off (behind a proxy "
        "set `SANIC_PROXIES_COUNT`)",
        RASA,
    )
)
MAX_MESSAGE_CHARS = _define(
    Variable(
        "MAX_MESSAGE_CHARS",
        whole_number_parser(minimum=1),
        "1000",
        "Longer messages are not processed or stored; the sender is told (the widget sends at most 1,000)",
        RASA,
    )
)
REST_CHANNEL_TOKEN = _define(
    Variable(
        "REST_CHANNEL_TOKEN",
        text,
        "",
        "Set: the REST channel needs `Authorization: Bearer <token>`; empty: it is open",
        RASA,
        shown_default="(open)",
    )
)
CONVERSATION_ID_KEY = _define(
    Variable(
        "CONVERSATION_ID_KEY",
        text,
        "",
        "Key of the widget's conversation ids and client pseudonyms (keyed hashes); the same on every Rasa server",
        RASA,
        shown_default="a random key kept in `var/conversation_key`",
    )
)
SANIC_PROXIES_COUNT = _define(
    Variable(
        "SANIC_PROXIES_COUNT",
        text,
        "",
        "Sanic's own: `1` behind one proxy (nginx, ingress), so the client address, for the per-client limits, is "
        "the visitor's (first `X-Forwarded-For` hop)",
        f"{RASA} (Sanic)",
        shown_default="(no proxy)",
    )
)
SANIC_REAL_IP_HEADER = _define(
    Variable(
        "SANIC_REAL_IP_HEADER",
        text,
        "",
        "Sanic's own: or the header a trusted proxy sets to the client's address (e.g. `X-Real-IP`)",
        f"{RASA} (Sanic)",
        shown_default="(none)",
    )
)
SANIC_FORWARDED_SECRET = _define(
    Variable(
        "SANIC_FORWARDED_SECRET",
        text,
        "",
        "Sanic's own: the secret of a trusted proxy's `Forwarded` header",
        f"{RASA} (Sanic)",
        shown_default="(none)",
    )
)
SANIC_REQUEST_MAX_SIZE = _define(
    Variable(
        "SANIC_REQUEST_MAX_SIZE",
        whole_number_parser(minimum=1),
        "1500000",
        "Sanic's own: the largest request body in bytes (Sanic's default is 100 MB; `reintegratie.launch` sets "
        "1.5 MB when unset)",
        f"{RASA} (Sanic)",
    )
)
ACTION_SERVER_URL = _define(
    Variable(
        "ACTION_SERVER_URL",
        text,
        "",
        "The action servers' address for `deploy/endpoints.yml`, e.g. `http://lb:5055/webhook` (endpoints.yml "
        "uses `http://127.0.0.1:5055/webhook`)",
        f"{RASA} (`deploy/endpoints.yml`)",
        shown_default="(required there)",
    )
)
RASA_MODEL = _define(
    Variable(
        "RASA_MODEL",
        text,
        "",
        "The model file to serve, e.g. `models/<name>.tar.gz`; run.sh trains one (`tools/model.py`) when unset",
        f"{RASA} (deploy commands), {RUN_SH}",
        shown_default="(run.sh: train)",
        in_run_sh=True,
    )
)
RASA_CONFIG = _define(
    Variable(
        "RASA_CONFIG",
        text,
        "config.yml",
        "The pipeline run.sh trains with when `RASA_MODEL` is unset",
        RUN_SH,
        in_run_sh=True,
    )
)
RASA_TOKEN = _define(
    Variable(
        "RASA_TOKEN",
        text,
        "",
        "Set by the Rasa Helm chart from `applicationSettings.token`; not used (the API token is `RASA_API_TOKEN`)",
        "Helm chart",
        shown_default="(not used)",
    )
)

# --- the action server -----------------------------------------------------------------------------------------

ACTION_SERVER_TOKEN = _define(
    Variable(
        "ACTION_SERVER_TOKEN",
        text,
        "",
        "Shared secret in the header `X-Action-Token`: Rasa sends it (endpoints.yml), the action server refuses to "
        "start without it and answers 401 to a request without it",
        f"{RASA} (endpoints.yml), {ACTIONS}",
        shown_default="(required; run.sh keeps one in `var/action_token`)",
    )
)
ACTION_SERVER_HOST = _define(
    Variable(
        "ACTION_SERVER_HOST",
        text,
        "127.0.0.1",
        "The address the action server listens on: `0.0.0.0` in a container, where Rasa is another container",
        ACTIONS,
    )
)
HANDOFF_OPENINGSTIJDEN = _define(
    Variable(
        "HANDOFF_OPENINGSTIJDEN",
        text,
        "ma-vr 09:00-17:00",
        "When consultants answer, Europe/Amsterdam, e.g. `ma-do 09:00-12:00, 13:00-17:00; vr 09:00-12:00` "
        "(checked by `handoff.opening_hours`)",
        ACTIONS,
    )
)
HANDOFF_MAX_OPEN_PER_CLIENT = _define(
    Variable(
        "HANDOFF_MAX_OPEN_PER_CLIENT",
        limit,
        "2",
        "Open (unclaimed) handoff requests one client may have at a time; `0` = no limit",
        ACTIONS,
    )
)

# --- the handoff worker -----------------------------------------------------------------------------------------

HANDOFF_WEBHOOK_URL = _define(
    Variable(
        "HANDOFF_WEBHOOK_URL",
        text,
        "",
        "Where the worker posts each new handoff request (JSON; team chats show its `text`); empty: none are sent",
        WORKER,
        shown_default="(no notifications)",
    )
)
HANDOFF_WEBHOOK_CONTACT = _define(
    Variable(
        "HANDOFF_WEBHOOK_CONTACT",
        yes_no,
        "false",
        "`true`: the webhook carries the callback's e-mail address and phone number too (the console always shows "
        "them)",
        WORKER,
    )
)
CONSOLE_PUBLIC_URL = _define(
    Variable(
        "CONSOLE_PUBLIC_URL",
        url,
        "http://localhost:8081",
        "The console's address, for the link to a request in webhook messages",
        f"{ACTIONS}, {WORKER}",
    )
)
HANDOFF_WORKER_INTERVAL = _define(
    Variable("HANDOFF_WORKER_INTERVAL", seconds, "2", "Seconds between the worker's rounds", WORKER)
)
HANDOFF_RETRY_BASE = _define(
    Variable(
        "HANDOFF_RETRY_BASE",
        seconds,
        "10",
        "Seconds before the second attempt at a webhook; doubled after each failed attempt",
        WORKER,
    )
)
HANDOFF_RETRY_MAX = _define(
    Variable(
        "HANDOFF_RETRY_MAX", seconds, "300", "The longest wait between two attempts at a webhook, in seconds", WORKER
    )
)
HANDOFF_WORKER_LEASE = _define(
    Variable(
        "HANDOFF_WORKER_LEASE",
        seconds,
        "120",
        "Seconds a claimed outbox message is reserved for one worker (a killed worker only delays it)",
        WORKER,
    )
)

# --- the console -----------------------------------------------------------------------------------------------

CONSOLE_HOST = _define(Variable("CONSOLE_HOST", text, "127.0.0.1", "The address the console listens on", CONSOLE))
CONSOLE_PORT = _define(
    Variable(
        "CONSOLE_PORT",
        port,
        "8081",
        "The console's port (`python -m console --port` wins)",
        f"{CONSOLE}, {RUN_SH}",
        in_run_sh=True,
    )
)
CONSOLE_USERS = _define(
    Variable(
        "CONSOLE_USERS",
        text,
        "",
        "Who may log in: `name:pbkdf2_sha256$…` pairs, comma-separated (`python -m console.auth hash`)",
        CONSOLE,
        shown_default="(nobody; run.sh: user `medewerker`, password in `var/console_password`)",
    )
)
CONSOLE_SECRET = _define(
    Variable(
        "CONSOLE_SECRET",
        text,
        "",
        "Signs the session cookie; the same for every console replica",
        CONSOLE,
        shown_default="a random secret kept in `var/console_secret`",
    )
)
CONSOLE_SECURE_COOKIE = _define(
    Variable(
        "CONSOLE_SECURE_COOKIE",
        flag,
        "",
        "`1`, `true` or `yes`: always set the cookie's Secure flag (it is set anyway for https requests)",
        CONSOLE,
        shown_default="(off)",
    )
)
CONSOLE_PROXIES_COUNT = _define(
    Variable(
        "CONSOLE_PROXIES_COUNT",
        count,
        "0",
        "Proxies in front of the console that add to `X-Forwarded-For`; `0`: none, proxy headers are ignored",
        CONSOLE,
    )
)
CONSOLE_REAL_IP_HEADER = _define(
    Variable(
        "CONSOLE_REAL_IP_HEADER",
        header_name,
        "",
        "Or: the header a trusted proxy sets to the client's address (e.g. `X-Real-IP`)",
        CONSOLE,
        shown_default="(none)",
    )
)
RASA_PORT = _define(
    Variable(
        "RASA_PORT",
        port,
        "5005",
        "The Rasa server's port",
        f"{CONSOLE} (default of `RASA_URL`), {RUN_SH}",
        in_run_sh=True,
    )
)
RASA_URL = _define(
    Variable(
        "RASA_URL",
        url,
        "http://localhost:{RASA_PORT}",
        "Rasa's HTTP API, for the console (through the load balancer when there are several Rasa servers)",
        CONSOLE,
    )
)

# --- the purge ---------------------------------------------------------------------------------------------------

RETENTION_DAYS = _define(
    Variable(
        "RETENTION_DAYS", days, "90", "Days to keep conversations and closed handoff requests (`--days` wins)", PURGE
    )
)

# --- run.sh and the libraries' own -----------------------------------------------------------------------------

WEB_PORT = _define(
    Variable("WEB_PORT", port, "8080", "The demo website's port (`web/serve.py`)", RUN_SH, in_run_sh=True)
)
RASA_TELEMETRY_ENABLED = _define(
    Variable(
        "RASA_TELEMETRY_ENABLED",
        text,
        "",
        "Rasa's own: `false` sends Rasa no usage data",
        f"{RASA} (Rasa), set by {RUN_SH} and the image",
        shown_default="Rasa's (asks)",
        in_run_sh=True,
        run_sh_default="false",
    )
)
TF_CPP_MIN_LOG_LEVEL = _define(
    Variable(
        "TF_CPP_MIN_LOG_LEVEL",
        text,
        "",
        "TensorFlow's own: `2` hides its info and warning lines",
        f"{RASA} (TensorFlow), set by {RUN_SH} and the image",
        shown_default="TensorFlow's (`0`)",
        in_run_sh=True,
        run_sh_default="2",
    )
)
TF_INTRA_OP_PARALLELISM_THREADS = _define(
    Variable(
        "TF_INTRA_OP_PARALLELISM_THREADS",
        text,
        "",
        "TensorFlow's own: threads within one operation; `1` on a small shared machine (`tools/bench_load.py`)",
        f"{RASA} (TensorFlow), set by {RUN_SH}",
        shown_default="TensorFlow's (all cores)",
        in_run_sh=True,
        run_sh_default="1",
    )
)
TF_INTER_OP_PARALLELISM_THREADS = _define(
    Variable(
        "TF_INTER_OP_PARALLELISM_THREADS",
        text,
        "",
        "TensorFlow's own: operations run at the same time; `1` on a small shared machine",
        f"{RASA} (TensorFlow), set by {RUN_SH}",
        shown_default="TensorFlow's (all cores)",
        in_run_sh=True,
        run_sh_default="1",
    )
)
OMP_NUM_THREADS = _define(
    Variable(
        "OMP_NUM_THREADS",
        text,
        "",
        "OpenMP's own: threads per process; `1` on a small shared machine",
        f"{RASA} (OpenMP), set by {RUN_SH}",
        shown_default="OpenMP's (all cores)",
        in_run_sh=True,
        run_sh_default="1",
    )
)

# --- deploy/docker-compose.yml only -------------------------------------------------------------------------------

POSTGRES_PASSWORD = _define(
    Variable(
        "POSTGRES_PASSWORD",
        text,
        "",
        "The postgres image's own: its password, also in the URLs above",
        "`deploy/docker-compose.yml` (postgres image)",
        shown_default="(required there)",
    )
)
POSTGRES_USER = _define(
    Variable(
        "POSTGRES_USER",
        text,
        "",
        "The postgres image's own: its user",
        "`deploy/docker-compose.yml` (postgres image)",
        shown_default="`rasa` there",
    )
)
POSTGRES_DB = _define(
    Variable(
        "POSTGRES_DB",
        text,
        "",
        "The postgres image's own: its first database",
        "`deploy/docker-compose.yml` (postgres image)",
        shown_default="`rasa` there",
    )
)

# --- the older interface (reintegratie/channels/rate_limit.py, rest.py, stores, actions) --------------------------

#: The default text of every variable (``{NAME}`` not filled in).
DEFAULTS = {name: variable.default for name, variable in VARIABLES.items()}


def get(name: str) -> str:
    """The environment variable ``name``, or its default when unset or empty."""
    return VARIABLES[name].text()


def whole_number(name: str, minimum: int = 0, meaning_of_zero: str = "") -> int:
    """``get(name)`` as a whole number of at least ``minimum``; a clear error for anything else."""
    return whole_number_parser(minimum, meaning_of_zero)(name, get(name))


@dataclass(frozen=True)
class StoreSettings:
    tracker_store_url: str
    lock_store_url: str

    @classmethod
    def from_env(cls) -> StoreSettings:
        return cls(tracker_store_url=TRACKER_STORE_URL.value(), lock_store_url=LOCK_STORE_URL.value())


# --- python -m common.settings --------------------------------------------------------------------------------


def _shown(template: str) -> str:
    return _PLACEHOLDER.sub(lambda match: f"${match.group(1)}", template)


def _cell(value: str) -> str:
    return value.replace("|", "\\|")


def default_cell(variable: Variable[Any]) -> str:
    shown = variable.shown_default or (f"`{_shown(variable.default)}`" if variable.default else "(empty)")
    if variable.run_sh_default is not None:
        shown += f"; run.sh: `{_shown(variable.run_sh_default)}`"
    return _cell(shown)


def markdown() -> str:
    """docs/configuration.md."""
    lines = [
        "# Configuration",
        "",
        "<!-- Generated by `python -m common.settings --markdown > docs/configuration.md`; do not edit: change",
        "     common/settings.py and run it again (tests/unit/common/test_settings.py checks). -->",
        "",
        "Every environment variable of the assistant, with its default. Unset or blank means the default;",
        "surrounding whitespace is ignored. A wrong value stops the process that reads it, with a message that",
        "names the variable. `scripts/run.sh` takes the values of the variables it uses from",
        '`python -m common.settings --shell`, with its own defaults where shown ("run.sh: ...").',
        "",
        "| Variable | Default | Meaning | Read by |",
        "|---|---|---|---|",
    ]
    for variable in VARIABLES.values():
        lines.append(
            f"| `{variable.name}` | {default_cell(variable)} | {_cell(variable.meaning)} | {_cell(variable.read_by)} |"
        )
    return "\n".join(lines) + "\n"


def shell() -> str:
    """``NAME=value`` lines (shell-quoted) for scripts/run.sh; a bad value raises its error."""
    return "".join(
        f"{variable.name}={shlex.quote(variable.run_sh_text())}\n"
        for variable in VARIABLES.values()
        if variable.in_run_sh
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m common.settings", description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="print docs/configuration.md")
    group.add_argument("--shell", action="store_true", help="print NAME=value lines for scripts/run.sh")
    arguments = parser.parse_args(argv)
    try:
        sys.stdout.write(markdown() if arguments.markdown else shell())
    except ValueError as error:
        print(f"fout in de instellingen (settings error): {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
