"""What the channels take besides the message text, generated with hypothesis: sender and session ids, the other
body fields, Socket.IO events and their data, and HTTP headers. Each value comes in every shape: lone
surrogates, NUL, 100 KB, numbers JSON cannot hold (1e309, NaN, 5,000 digits), booleans, null, nested lists and
dicts, empty, whitespace, other scripts, ``sio:`` ids, personal data (a BSN, a phone number, an e-mail address).

The fuzzing of issue 15 never varied the sender id, and one sender (``"x\\udfff"``) stopped the whole stack
(security review C1). So besides each answer, every batch ends with ``tests/support/liveness.py``: the same server
processes as at the start still listen on every port and answer (a server that scripts/run.sh restarted counts
as dead).

* REST (``POST /webhooks/rest/webhook``), sent byte for byte with http.client: bodies as escaped JSON (a lone
  surrogate as ``\\udfff``), raw UTF-8 with encoded surrogates, UTF-16, Latin-1; Content-Type, Origin, Host,
  X-Forwarded-For and odd headers (huge, Latin-1 bytes, NUL, duplicated). Every request gets an answer below 500,
  never a dropped connection; a refusal in JSON is Dutch; a sender that does not fit
  ``^[A-Za-z0-9_-]{1,64}$`` or is personal data is never accepted (common/conversation_ids.py); CORS never
  lets a foreign Origin read the answer.
* Socket.IO (python-socketio's AsyncClient with ``Origin: http://gemeente.example``): ``session_request`` and
  ``user_uttered`` with data of every shape, unknown events, hand-written malformed packets, 2 MB messages. The
  client gets ``session_confirm`` or ``bot_uttered`` or nothing, a foreign Origin cannot connect (review L6), and
  after the batch a fresh client still has a conversation (``hallo`` gets an answer).

Reproducible (``derandomize=True``, no example database). The first batch of each test is fixed: every id shape
above (``FIXED_BATCH``: 82 requests; ``FIXED_EVENTS``: 205 events). Then generated batches: locally (``make test``)
12 x 25 = 300 requests and 6 x 20 = 120 events; in CI 1,000 requests and 400 events (2,500 and 1,000 before
2026-12-05: the same derandomized inputs in every run). Both tests print their
counts and times.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import shlex
import signal
import socket as socket_module
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.conftest import ALLOWED_ORIGIN, IN_CI, STACK_PORTS
from tests.integration.test_fuzz import DUTCH, is_dutch
from tests.support import liveness, sockets

RASA_PORT = STACK_PORTS["rasa"]
RASA = f"http://localhost:{RASA_PORT}"
WEBHOOK = "/webhooks/rest/webhook"

#: Bounded (2026-12-05, issue 17's CI time): every id shape that broke something (C1's lone surrogate, NUL) is in
#: the fixed first batch of each test; the generated batches add variety, not the known bugs.
REST_BATCHES = 40 if IN_CI else 12
REQUESTS_PER_BATCH, REST_THREADS = 25, 4
SOCKET_BATCHES = 20 if IN_CI else 6  # a batch takes 3-8 s: the messages to its own session are real turns
EVENTS_PER_BATCH = 20
ANSWER_TIMEOUT = 60.0  # seconds; a request without an answer by then counts as dropped
FUZZ_SETTINGS = settings(
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)  # no shrinking: each example is a real batch

#: What a REST sender id must look like (common/conversation_ids.py, the contract of issue 15).
REST_SENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: What session_confirm may carry: a session id as Rasa and rasa-webchat make them.
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
ALLOWED_ORIGINS = {ALLOWED_ORIGIN, f"http://localhost:{STACK_PORTS['web']}"}

# --- values of every shape --------------------------------------------------------------------------------


class Raw(str):
    """JSON text sent as it is: numbers and nesting that ``json.dumps`` cannot write."""


RAW_VALUES = [
    Raw("1e309"),
    Raw("-1e309"),
    Raw("NaN"),
    Raw("-Infinity"),
    Raw("-0"),
    Raw("1.5e-400"),
    Raw("1" + "0" * 5000),
    Raw("0x10"),
    Raw("01"),
    Raw("[" * 100_000 + "]" * 100_000),
    Raw('{"a":' * 5000 + "1" + "}" * 5000),
]
#: Ids that fit the pattern but are personal data (a BSN, a phone number, an IBAN): refused as well.
PERSONAL_IDS = ["111222333", "123456782", "0612345678", "NL91ABNA0417164300"]
FIXED_IDS: list[Any] = [
    "x\udfff",
    "\udfff",
    "\ud800",
    "a\ud83db",
    "\udc00\udc00",
    "fuzz-\udfff-id",  # lone surrogates
    "x\x00",
    "\x00",
    "a\x00b",
    "\x00" * 64,  # NUL
    "x" * 100_000,
    "a" * 65,
    "a" * 64,
    "0" * 5000,
    "😀" * 25_000,  # huge and at the edge
    "",
    " ",
    "\t",
    "\n",
    "\u00a0",
    "\u200b",
    "\u202e",
    "a b",
    "a\r\nX-Injected: 1",  # empty and whitespace
    "jürgen",
    "مرحبا",
    "你好",
    "😀",
    "ａｂｃ",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "default",
    "null",
    "undefined",
    "sio:",
    "sio:" + "0" * 32,
    "sio:abc",
    "SIO:abc",
    "sio%3Aabc",  # the Socket.IO id space
    *PERSONAL_IDS,
    "jan@example.nl",
    "+31612345678",
    "06-12345678",
    "111 222 333",
    0,
    -1,
    10**20,
    10**80,
    -(10**30),
    1.5,
    -0.0,
    float("inf"),
    float("-inf"),
    float("nan"),
    True,
    False,
    None,
    [],
    {},
    ["a"],
    {"id": "a"},
    [[["x\udfff"]]],
    {"a": {"b": [1, None, "\x00"]}},
    *RAW_VALUES,
]

surrogates = st.builds(
    lambda before, middle, after: before + middle + after,
    st.sampled_from(["", "x", "fuzz-", "😀", "111222333"]),
    st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3),
    st.sampled_from(["", "x", "-1", "\x00"]),
)
with_nul = st.builds(lambda before, after: f"{before}\x00{after}", st.text(max_size=10), st.text(max_size=10))
valid_ids = st.from_regex(REST_SENDER, fullmatch=True)
ID_TEXT = st.one_of(
    st.sampled_from([v for v in FIXED_IDS if isinstance(v, str)]), surrogates, with_nul, valid_ids, st.text(max_size=70)
)
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=10**20, max_value=10**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(RAW_VALUES),
)
KEYS = st.one_of(st.text(max_size=8), surrogates, st.sampled_from(["session_id", "message", "client", "__proto__"]))
NESTED = st.recursive(
    st.one_of(ID_TEXT, st.integers(), st.none(), st.booleans()),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=8,
)
ID_VALUE = st.one_of(st.sampled_from(FIXED_IDS), ID_TEXT, NUMBERS, st.booleans(), st.none(), NESTED)
#: metadata and input_channel: a client may try to set the channel or its client hash itself
FIELD = st.one_of(
    ID_VALUE,
    st.sampled_from(
        [
            "socketio",
            "rest",
            "console",
            "cmdline",
            "",
            {"client": "c:0000000000000000"},
            {"client": "x\udfff"},
            {"client": {"a": [1]}},
            {"customData": {"language": "nl"}},
            {"x" * 1000: "y" * 100_000},
        ]
    ),
)
MESSAGE = st.one_of(st.sampled_from(["hallo", "wat is een jobcoach", "ja", "nee"]), st.sampled_from(DUTCH), ID_VALUE)


def json_text(value: Any, ascii_only: bool = True) -> str:
    """``value`` as JSON; ``Raw`` parts as they are. With ``ascii_only`` a lone surrogate becomes ``\\udfff``."""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, dict):
        return (
            "{"
            + ",".join(f"{json_text(str(k), ascii_only)}:{json_text(v, ascii_only)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ",".join(json_text(v, ascii_only) for v in value) + "]"
    return json.dumps(value, ensure_ascii=ascii_only)


#: How the body is written: escaped JSON (ASCII only), or raw bytes a decoder has to cope with.
ENCODINGS: dict[str, Callable[[Any], bytes]] = {
    "escaped": lambda value: json_text(value).encode("ascii"),
    "utf-8": lambda value: json_text(value, ascii_only=False).encode("utf-8", "surrogatepass"),
    "utf-16": lambda value: json_text(value, ascii_only=False).encode("utf-16", "surrogatepass"),
    "latin-1": lambda value: json_text(value, ascii_only=False).encode("latin-1", "replace"),
}


def header_bytes(value: str) -> bytes:
    """A header value as the bytes on the wire: Latin-1 where it can be, else UTF-8 (lone surrogates included)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


CONTENT_TYPES = [
    None,
    "application/json",
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "application/json; charset=utf-16",
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "",
    "*/*",
    "application/json\x00",
    "application/json; charset=\udfff",
    "application/" + "j" * 9000,
]
ORIGINS = [
    None,
    ALLOWED_ORIGIN,
    ALLOWED_ORIGIN,
    f"http://localhost:{STACK_PORTS['web']}",
    "https://evil.example",
    "null",
    "http://gemeente.example.evil.example",
    "http://gemeente.example:8443",
    "http://évil.example",
    "\x00",
    "http://gemeente.example\x00.evil",
    "x" * 10_000,
    "\udfff",
]
HOSTS = [f"localhost:{RASA_PORT}"] * 6 + [None, "", "evil.example", "localhost:1", "x" * 5000, "\xff", "[::1]"]
EXTRA_HEADERS: list[tuple[str, str]] = [
    ("X-Forwarded-For", "203.0.113.7"),
    ("X-Forwarded-For", "unknown"),
    ("X-Forwarded-For", "::1"),
    ("X-Forwarded-For", ", ".join(["10.0.0.1"] * 500)),
    ("X-Forwarded-For", "999.999.999.999"),
    ("X-Forwarded-For", "\xff\xfe"),
    ("X-Forwarded-For", "\udfff"),
    ("X-Forwarded-For", "1.2.3.4\x00"),
    ("X-Real-IP", "niet-een-adres"),
    ("Forwarded", 'for="[::1]";proto=https'),
    ("Forwarded", "for=\x00"),
    ("User-Agent", "Mozilla/5.0 \udfff"),
    ("Accept-Language", "nl-NL,nl;q=0.9,\xe9"),
    ("Cookie", "a=" + "x" * 4000),
    ("Authorization", "Bearer \xff"),
    ("X-Huge", "x" * 100_000),
    ("X-Just-Over", "x" * 9000),
    ("X-Numeric", "1e309"),
    ("X-Nested", '{"a":[{"b":{"c":[1,2,3]}}]}'),
    ("X-Nul", "a\x00b"),
    ("X-Empty", ""),
    ("Ümlaut", "1"),
    ("Content-Type", "text/plain"),
    ("Origin", "https://evil.example"),
    ("Accept", "text/event-stream"),
    ("Expect", "100-continue"),
    ("Expect", "iets-anders"),
    ("Connection", "keep-alive, Upgrade"),
    ("Upgrade", "websocket"),
    ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-Proto", "gopher"),
    ("Content-Encoding", "gzip"),
    ("Range", "bytes=0-1"),
    ("Sender", "x\udfff"),
]
METHODS = ["POST"] * 12 + ["GET", "OPTIONS", "PUT", "HEAD"]
PATHS = [WEBHOOK] * 12 + [
    f"{WEBHOOK}?stream=true",
    f"{WEBHOOK}?stream=%ED%BF%BF",
    f"{WEBHOOK}?sender=%00",
    f"{WEBHOOK}/",
    f"{WEBHOOK}?stream=true&stream=false",
    "/webhooks/rest/",
    "/webhooks/rest/webhook%00",
]
MISSING = object()


@dataclass(frozen=True)
class RestRequest:
    payload: Any
    encoding: str = "escaped"
    headers: tuple[tuple[bytes, bytes], ...] = ()
    method: str = "POST"
    path: str = WEBHOOK

    @property
    def body(self) -> bytes:
        return ENCODINGS[self.encoding](self.payload)

    @property
    def origin(self) -> str | None:
        origins = [value for name, value in self.headers if name.lower() == b"origin"]
        return origins[0].decode("latin-1") if origins else None

    @property
    def sender(self) -> Any:
        return self.payload.get("sender", MISSING) if isinstance(self.payload, dict) else MISSING

    def __str__(self) -> str:
        payload = repr(self.payload)
        payload = payload[:160] + f"... ({len(payload)} chars)" if len(payload) > 160 else payload
        headers = ", ".join(
            f"{n.decode('latin-1')}: {v[:40]!r}" + ("..." if len(v) > 40 else "") for n, v in self.headers
        )
        return f"{self.method} {self.path} [{self.encoding}] {payload} {{{headers}}}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Hypothesis prints a failing batch with this: short, not 100 KB per request."""
        printer.text(str(self))


def rest_request(
    payload: Any,
    encoding: str = "escaped",
    content_type: str | None = "application/json",
    origin: str | None = ALLOWED_ORIGIN,
    host: str | None = f"localhost:{RASA_PORT}",
    extra: tuple[tuple[str, str], ...] = (),
    method: str = "POST",
    path: str = WEBHOOK,
) -> RestRequest:
    headers = [("Host", host), ("Content-Type", content_type), ("Origin", origin), *extra]
    return RestRequest(
        payload, encoding, tuple((header_bytes(n), header_bytes(v)) for n, v in headers if v is not None), method, path
    )


BODY = st.one_of(
    *[
        st.fixed_dictionaries(
            {"sender": ID_VALUE, "message": MESSAGE}, optional={"metadata": FIELD, "input_channel": FIELD}
        )
    ]
    * 6,
    st.fixed_dictionaries(
        {"sender": valid_ids, "message": MESSAGE}, optional={"metadata": FIELD, "input_channel": FIELD}
    ),
    st.fixed_dictionaries({"message": MESSAGE}, optional={"metadata": FIELD, "input_channel": FIELD}),
    ID_VALUE,  # not an object at all
)
REST_REQUEST = st.builds(
    rest_request,
    payload=BODY,
    encoding=st.sampled_from(["escaped"] * 5 + ["utf-8", "utf-8", "utf-16", "latin-1"]),
    content_type=st.sampled_from(CONTENT_TYPES),
    origin=st.sampled_from(ORIGINS),
    host=st.sampled_from(HOSTS),
    extra=st.lists(st.sampled_from(EXTRA_HEADERS), max_size=3).map(tuple),
    method=st.sampled_from(METHODS),
    path=st.sampled_from(PATHS),
)
#: The first batch: every fixed id once, as the review sent it (escaped JSON, application/json), and a message
#: whose turn fails (a lone surrogate) with and without ``?stream=true``: the stream waited forever for the end
#: of a turn that had failed (found by this fuzzing).
FIXED_BATCH = [
    *[rest_request({"sender": sender, "message": "hallo"}) for sender in FIXED_IDS],
    rest_request({"sender": "fuzz-stream", "message": "hallo"}, path=f"{WEBHOOK}?stream=true"),
    rest_request({"sender": "fuzz-stream-fails", "message": "x\udfff"}, path=f"{WEBHOOK}?stream=true"),
    rest_request({"sender": "fuzz-fails", "message": "x\udfff"}),
]


# --- REST -----------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int | None
    headers: dict[str, str]
    body: bytes
    seconds: float
    error: str | None = None


def send(request: RestRequest) -> Answer:
    """One request, byte for byte as given (http.client only adds Content-Length and Connection: close)."""
    connection = http.client.HTTPConnection("localhost", RASA_PORT, timeout=ANSWER_TIMEOUT)
    started = time.monotonic()
    try:
        connection.putrequest(request.method, request.path, skip_host=True, skip_accept_encoding=True)
        for name, value in request.headers:
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(request.body)))
        connection.putheader("Connection", "close")
        try:
            connection.endheaders(request.body)
        except OSError:  # a server may answer (413) and close before it has read the whole body
            if connection.sock is None:  # not even connected
                raise
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, headers, body, time.monotonic() - started)
    except (OSError, http.client.HTTPException) as error:
        return Answer(None, {}, b"", time.monotonic() - started, f"{type(error).__name__}: {error}")
    finally:
        connection.close()


def sender_fits(sender: Any) -> bool:
    """Whether the contract lets the REST channel take ``sender`` (a whole number counts as its digits)."""
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    return isinstance(sender, str) and bool(REST_SENDER.fullmatch(sender)) and sender not in PERSONAL_IDS


def bot_texts(body: bytes) -> list[str] | None:
    """The texts of a body in the bot-reply shape ``[{"recipient_id": ..., "text": ...}]``, or None."""
    try:
        replies = json.loads(body)
    except ValueError:
        return None
    if not isinstance(replies, list) or not all(isinstance(reply, dict) for reply in replies):
        return None
    return [str(reply.get("text") or "") for reply in replies]


def problem(request: RestRequest, answer: Answer) -> str | None:
    """What is wrong with the answer to ``request``, or None."""
    if answer.status is None:
        return f"dropped connection ({answer.error}) after {answer.seconds:.1f} s: {request}"
    if answer.status >= 500:
        return f"HTTP {answer.status} {answer.body[:200]!r}: {request}"
    allowed = answer.headers.get("access-control-allow-origin")
    if request.origin not in ALLOWED_ORIGINS and allowed and allowed in (request.origin, "*"):
        return f"CORS lets Origin {request.origin!r} read the answer: {request}"
    if request.method != "POST" or not request.path.startswith(WEBHOOK):
        return None
    readable_json = "json" in answer.headers.get("content-type", "")
    if answer.status == 200:
        if readable_json and bot_texts(answer.body) is None:
            return f"HTTP 200 but not a list of bot replies: {answer.body[:200]!r}: {request}"
        if (
            request.encoding in ("escaped", "utf-8")
            and request.sender is not MISSING
            and not sender_fits(request.sender)
        ):
            return f"HTTP 200 for a sender that does not fit (must be 400): {request}"
    elif readable_json and answer.status in (400, 413, 429):
        texts = bot_texts(answer.body)
        if not texts or not is_dutch(" ".join(texts)):
            return f"HTTP {answer.status} without a Dutch answer: {answer.body[:200]!r}: {request}"
    return None


@dataclass
class Tally:
    requests: int = 0
    batches: int = 0
    statuses: dict[int | None, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    slowest: float = 0.0

    def add(self, request: RestRequest, answer: Answer) -> None:
        self.requests += 1
        self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
        self.slowest = max(self.slowest, answer.seconds)
        if issue := problem(request, answer):
            self.problems.append(issue)


@pytest.mark.integration
def test_rest_survives_odd_senders_fields_and_headers(stack: dict) -> None:
    before = liveness.servers(stack["process"].pid)
    tally = Tally()
    started = time.monotonic()

    @settings(FUZZ_SETTINGS, max_examples=REST_BATCHES)
    @given(st.lists(REST_REQUEST, min_size=REQUESTS_PER_BATCH, max_size=REQUESTS_PER_BATCH))
    @example(FIXED_BATCH)
    def batch(requests: list[RestRequest]) -> None:
        found = len(tally.problems)
        with ThreadPoolExecutor(REST_THREADS) as pool:
            for request, answer in zip(requests, pool.map(send, requests), strict=True):
                tally.add(request, answer)
        tally.batches += 1
        liveness.assert_alive(before, stack["log"], "its problems:\n" + "\n".join(tally.problems[found:][:20]))

    batch()
    elapsed = time.monotonic() - started
    print(
        f"\nREST channel fuzz: {tally.requests} requests in {tally.batches} batches, {elapsed:.1f} s; "
        f"statuses {dict(sorted(tally.statuses.items(), key=str))}; slowest {tally.slowest:.2f} s"
    )
    assert not tally.problems, f"{len(tally.problems)} problems:\n" + "\n".join(tally.problems[:40])
    assert tally.requests == len(FIXED_BATCH) + REST_BATCHES * REQUESTS_PER_BATCH


def test_json_bodies_carry_lone_surrogates_as_escapes() -> None:
    """The attack needs ``\\udfff`` in the JSON text: a decoder turns that into the lone surrogate itself."""
    assert json_text({"sender": "x\udfff"}) == '{"sender":"x\\udfff"}'
    assert json.loads(ENCODINGS["escaped"]({"sender": "x\udfff"}))["sender"] == "x\udfff"
    assert ENCODINGS["utf-8"]("\udfff") == b'"\xed\xbf\xbf"'  # the raw form: not valid UTF-8
    assert json_text([Raw("1e309"), float("nan")]) == "[1e309,NaN]"
    assert header_bytes("\udfff") == b"\xed\xbf\xbf" and header_bytes("é") == b"\xe9"
    assert all("\\ud" in json_text(value).lower() for value in FIXED_IDS[:6])


# --- Socket.IO ------------------------------------------------------------------------------------------------

if not hasattr(aiohttp, "ClientWSTimeout"):
    # python-engineio 4.15's websocket client passes aiohttp.ClientWSTimeout (aiohttp 3.10+); requirements.lock
    # has aiohttp 3.9.5, whose ws_connect takes the close timeout as a plain number. Only this test's client.
    aiohttp.ClientWSTimeout = lambda ws_close=10.0, ws_receive=None: ws_close  # type: ignore[attr-defined]

#: Replaced by the session id this socket got in its latest session_confirm (so the message is processed).
OWN = "<own session id>"
#: A hand-written packet, sent as an Engine.IO message as it is.
RAW_PACKET = "<raw packet>"
RAW_PACKETS: list[str | bytes] = [
    '2["user_uttered",{"message":"x\\udfff","session_id":"<own session id>"}]',
    '2["session_request",' + "[" * 50_000,
    "2[",
    "2{}",
    '2"x"',
    "2[]",
    "2[1,2]",
    "2[null]",
    '2[{"a":1}]',
    '2/onbekend,["x"]',
    "9",
    "",
    "6",
    '5-["x"]',
    '51-["user_uttered",{"_placeholder":true,"num":5}]',
    "0",
    "0/onbekend,",
    "1",
    "3",
    "4",
    '2["user_uttered",{"message":1e309,"session_id":"<own session id>"}]',
    '2["session_request",NaN]',
    b"\xed\xbf\xbf",
    b"\x00" * 1000,
    "2" + '["x","' + "y" * 100_000 + '"]',
]
UNKNOWN_EVENTS = [
    "hallo",
    "",
    "bot_uttered",
    "session_confirm",
    "message",
    "connect",
    "disconnect",
    "user_uttered ",
    "USER_UTTERED",
    "__proto__",
    "x" * 100_000,
    "\udfff",
    "\x00",
    "session_request\x00",
]
SOCKET_VALUE = st.one_of(ID_VALUE, st.sampled_from([b"\xff\x00", b"", b"x" * 100_000]))
SESSION_ID_VALUE = st.one_of(st.just(OWN), st.just(OWN), st.from_regex(SESSION_ID, fullmatch=True), SOCKET_VALUE)
SOCKET_MESSAGE = st.one_of(MESSAGE, SOCKET_VALUE, st.sampled_from(["x" * 100_000, "hallo " * 400_000]))
SESSION_REQUEST_ARGS = st.one_of(
    st.tuples(st.fixed_dictionaries({"session_id": SESSION_ID_VALUE})),
    st.tuples(st.fixed_dictionaries({"session_id": SESSION_ID_VALUE, "extra": SOCKET_VALUE})),
    st.just(({},)),
    st.just(()),
    st.tuples(SOCKET_VALUE),
    st.tuples(st.fixed_dictionaries({"session_id": SESSION_ID_VALUE}), SOCKET_VALUE),  # two arguments
)
USER_UTTERED_ARGS = st.one_of(
    *[
        st.tuples(
            st.fixed_dictionaries(
                {"message": SOCKET_MESSAGE, "session_id": SESSION_ID_VALUE},
                optional={"metadata": FIELD, "customData": FIELD},
            )
        )
    ]
    * 3,
    st.tuples(st.fixed_dictionaries({"message": SOCKET_MESSAGE}, optional={"metadata": FIELD})),
    st.just(()),
    st.tuples(SOCKET_VALUE),
    st.tuples(st.fixed_dictionaries({"session_id": SESSION_ID_VALUE})),
)


@dataclass(frozen=True)
class SocketEvent:
    name: str
    args: tuple[Any, ...]

    def __str__(self) -> str:
        shown = repr(self.args)
        return f"{self.name[:40]!r}{shown[:160]}" + (f"... ({len(shown)} chars)" if len(shown) > 160 else "")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


SOCKET_EVENT = st.one_of(
    *[st.builds(SocketEvent, st.just("session_request"), SESSION_REQUEST_ARGS)] * 2,
    *[st.builds(SocketEvent, st.just("user_uttered"), USER_UTTERED_ARGS)] * 3,
    st.builds(SocketEvent, st.sampled_from(UNKNOWN_EVENTS), st.one_of(st.just(()), st.tuples(SOCKET_VALUE))),
    st.builds(SocketEvent, st.just(RAW_PACKET), st.tuples(st.sampled_from(RAW_PACKETS))),
)
FOREIGN_ORIGINS = [
    "https://evil.example",
    "null",
    "http://gemeente.example.evil.example",
    "http://gemeente.example:8443",
]
SOCKET_ORIGINS = [ALLOWED_ORIGIN] * 4 + [None, *FOREIGN_ORIGINS]
#: The first batch: every fixed id as session_id, the odd ones as message (plain text is what test_fuzz.py sends),
#: every raw packet and unknown event once.
FIXED_EVENTS = [
    SocketEvent("session_request", ()),
    SocketEvent("session_request", ({},)),
    *[SocketEvent("session_request", ({"session_id": value},)) for value in FIXED_IDS],
    *[SocketEvent("session_request", (value,)) for value in FIXED_IDS[::4]],
    *[
        SocketEvent("user_uttered", ({"message": value, "session_id": OWN},))
        for value in FIXED_IDS
        if not isinstance(value, str) or not value.isprintable() or len(value) > 64 or not value.strip()
    ],
    *[SocketEvent("user_uttered", ({"message": "hallo", "session_id": value},)) for value in FIXED_IDS[::4]],
    *[SocketEvent(RAW_PACKET, (packet,)) for packet in RAW_PACKETS],
    *[SocketEvent(name, ()) for name in UNKNOWN_EVENTS],
    SocketEvent("user_uttered", ({"message": "hallo " * 400_000, "session_id": OWN},)),  # over engine.io's 1 MB limit
]
QUIET_SECONDS, WAIT_AT_MOST = 1.5, 30.0


def with_own_id(value: Any, own: str) -> Any:
    if value == OWN:
        return own
    if isinstance(value, str) and OWN in value:
        return value.replace(OWN, own)
    if isinstance(value, dict):
        return {key: with_own_id(item, own) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(with_own_id(item, own) for item in value)
    return value


class Socket:
    """A python-socketio client that records every event it receives."""

    def __init__(self) -> None:
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: list[tuple[str, tuple[Any, ...]]] = []
        self.last_event = time.monotonic()
        #: the latest session_confirm: a socket may own one session at a time, so a session_request for
        #: another id can move it, and the fuzzed messages follow (else they are rightly ignored)
        self.session_id = ""

        @self.client.on("*")
        async def any_event(event: str, *args: Any) -> None:
            self.received.append((event, args))
            self.last_event = time.monotonic()
            if event == "session_confirm" and args:
                confirmed = args[0].get("session_id") if isinstance(args[0], dict) else args[0]
                if isinstance(confirmed, str):
                    self.session_id = confirmed

    async def connect(self, origin: str | None, transport: str) -> None:
        headers = {"Origin": origin} if origin is not None else {}
        await self.client.connect(
            RASA, headers=headers, transports=[transport], socketio_path="/socket.io", wait_timeout=10
        )

    async def wait_for(
        self, event: str, seconds: float = WAIT_AT_MOST, test: Callable[[tuple[Any, ...]], bool] = lambda args: True
    ) -> tuple[Any, ...] | None:
        deadline = time.monotonic() + seconds
        seen = 0
        while time.monotonic() < deadline:
            for name, args in self.received[seen:]:
                if name == event and test(args):
                    return args
            seen = len(self.received)
            await asyncio.sleep(0.05)
        return None

    def confirmations(self) -> int:
        return sum(name == "session_confirm" for name, _ in self.received)

    async def confirmed_after(self, confirmations: int, seconds: float) -> None:
        """Wait (at most ``seconds``) until more than ``confirmations`` session_confirm events came."""
        deadline = time.monotonic() + seconds
        while self.confirmations() <= confirmations and time.monotonic() < deadline:
            await asyncio.sleep(0.02)

    async def session(self) -> str | None:
        """A new session, as rasa-webchat starts one: session_request without an id, the id from session_confirm."""
        await self.client.emit("session_request", {"session_id": None})
        confirmed = await self.wait_for("session_confirm", 10)
        if not confirmed:
            return None
        value = confirmed[0].get("session_id") if isinstance(confirmed[0], dict) else confirmed[0]
        return value if isinstance(value, str) else None

    async def send(self, event: SocketEvent, own: str) -> None:
        args = with_own_id(event.args, own)
        if event.name == RAW_PACKET:
            await self.client.eio.send(args[0])
        else:
            await self.client.emit(event.name, args)

    async def close(self) -> None:
        try:  # without waiting for the open polling GET (tests/support/sockets.py)
            await asyncio.wait_for(sockets.close(self.client), 2)
        except (asyncio.TimeoutError, socketio.exceptions.SocketIOError, OSError):
            pass


async def quiet(sockets: list[Socket]) -> None:
    """Wait until no socket got an event for ``QUIET_SECONDS`` (the bot answered whatever it answers)."""
    now = time.monotonic()
    deadline = now + WAIT_AT_MOST
    for socket in sockets:
        socket.last_event = max(socket.last_event, now)
    while time.monotonic() - max(s.last_event for s in sockets) < QUIET_SECONDS and time.monotonic() < deadline:
        await asyncio.sleep(0.1)


def received_problems(socket: Socket) -> list[str]:
    """What the client got that it should not: an event other than session_confirm or bot_uttered, or odd data."""
    issues = []
    for name, args in socket.received:
        if name == "session_confirm":
            value = args[0]["session_id"] if args and isinstance(args[0], dict) else (args[0] if args else None)
            if not isinstance(value, str) or not SESSION_ID.fullmatch(value):
                issues.append(f"session_confirm with {str(args)[:120]}")
        elif name == "bot_uttered":
            if len(args) != 1 or not isinstance(args[0], dict):
                issues.append(f"bot_uttered with {str(args)[:120]}")
        else:
            issues.append(f"unexpected event {name!r} {str(args)[:120]}")
    return issues


async def conversation_works() -> str | None:
    """Why a fresh widget-like client cannot have a conversation now, or None when "hallo" gets an answer."""
    socket = Socket()
    try:
        await socket.connect(ALLOWED_ORIGIN, "websocket")
        own = await socket.session()
        if own is None:
            return "no session_confirm for a new session"
        await socket.client.emit("user_uttered", {"message": "hallo", "session_id": own})
        answer = await socket.wait_for(
            "bot_uttered", test=lambda args: bool(args and isinstance(args[0], dict) and args[0].get("text"))
        )
        return None if answer else 'no bot_uttered with text for "hallo" within 30 s'
    except (socketio.exceptions.SocketIOError, OSError) as error:
        return f"a new conversation failed: {type(error).__name__}: {error}"
    finally:
        await socket.close()


@dataclass
class SocketTally:
    events: int = 0
    batches: int = 0
    reconnects: int = 0
    slowest_batch: float = 0.0
    received: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


async def foreign_origin_problem(origin: str, transport: str) -> str | None:
    """A problem when a connection from a foreign ``origin`` is accepted (the CORS allowlist, review L6)."""
    foreign = Socket()
    try:
        await foreign.connect(origin, transport)
        return f"Socket.IO ({transport}) accepted a connection from Origin {origin!r}"
    except socketio.exceptions.ConnectionError:
        return None  # refused, as it should be
    finally:
        await foreign.close()


async def socket_batch(events: list[SocketEvent], origin: str | None, transport: str, tally: SocketTally) -> None:
    if origin is not None and origin not in ALLOWED_ORIGINS:
        if issue := await foreign_origin_problem(origin, transport):
            tally.problems.append(issue)
        origin = ALLOWED_ORIGIN
    sockets: list[Socket] = []
    try:
        await fuzz_sockets(events, origin, transport, tally, sockets)
    finally:
        if sockets:
            await quiet(sockets)
            await asyncio.gather(*(socket.close() for socket in sockets))
        for socket in sockets:
            for name, _ in socket.received:
                tally.received[name] = tally.received.get(name, 0) + 1
            tally.problems.extend(f"{transport}: {issue}" for issue in received_problems(socket))
    if issue := await conversation_works():
        tally.problems.append(f"after a batch: {issue}; the batch began with:\n  " + "\n  ".join(map(str, events[:30])))


async def fuzz_sockets(
    events: list[SocketEvent], origin: str | None, transport: str, tally: SocketTally, sockets: list[Socket]
) -> None:
    """Send ``events`` in order; a socket the server closed is replaced by a new one (added to ``sockets``).

    After a raw packet or a message over 500 KB the next event goes to a new socket too (the old one stays open
    until the batch ends): a packet that announces binary attachments swallows the packets after it, ``1``
    leaves the namespace, and a message over engine.io's 1 MB limit closes the socket.
    """
    socket: Socket | None = None
    for event in events:
        if socket is not None and not socket.client.connected:  # a server may close a socket that sent garbage
            tally.reconnects += 1
            socket = None
        if socket is None:
            socket = Socket()
            sockets.append(socket)
            try:
                await socket.connect(origin, transport)
            except socketio.exceptions.ConnectionError:
                if origin is None:  # a client without Origin may be refused; a browser always sends one
                    origin = ALLOWED_ORIGIN
                    await socket.connect(origin, transport)
                else:
                    raise
            if not await socket.session():
                tally.problems.append(f"no session_confirm on a new socket ({transport}, Origin {origin!r})")
        confirmed = socket.confirmations()
        try:
            await socket.send(event, socket.session_id)
            tally.events += 1
        except (socketio.exceptions.SocketIOError, OSError):
            pass  # the server closed this socket in the meantime: the next event gets a new one
        if event.name == "session_request":  # the messages after it go to the session it gave, if any
            await socket.confirmed_after(confirmed, 1.0)
        if event.name == RAW_PACKET or len(repr(event.args)) > 500_000:
            socket = None


@pytest.mark.integration
def test_socketio_survives_odd_events_and_fields(stack: dict) -> None:
    before = liveness.servers(stack["process"].pid)
    tally = SocketTally()
    started = time.monotonic()
    assert asyncio.run(conversation_works()) is None  # the check itself works before the fuzzing
    for origin in FOREIGN_ORIGINS:  # each once; the batches draw them again
        for transport in ("websocket", "polling"):
            if issue := asyncio.run(foreign_origin_problem(origin, transport)):
                tally.problems.append(issue)

    @settings(FUZZ_SETTINGS, max_examples=SOCKET_BATCHES)
    @given(
        st.lists(SOCKET_EVENT, min_size=EVENTS_PER_BATCH, max_size=EVENTS_PER_BATCH),
        st.sampled_from(SOCKET_ORIGINS),
        st.sampled_from(["websocket", "websocket", "polling"]),
    )
    @example(FIXED_EVENTS, ALLOWED_ORIGIN, "websocket")
    def batch(events: list[SocketEvent], origin: str | None, transport: str) -> None:
        found = len(tally.problems)
        batch_started = time.monotonic()
        try:
            asyncio.run(socket_batch(events, origin, transport, tally))
        except (socketio.exceptions.ConnectionError, OSError) as error:
            tally.problems.append(f"could not connect ({transport}, Origin {origin!r}): {error}")
        tally.batches += 1
        tally.slowest_batch = max(tally.slowest_batch, time.monotonic() - batch_started)
        liveness.assert_alive(
            before,
            stack["log"],
            "this batch:\n"
            + "\n".join(map(str, events[:40]))
            + "\nits problems:\n"
            + "\n".join(tally.problems[found:][:20]),
        )

    batch()
    elapsed = time.monotonic() - started
    print(
        f"\nSocket.IO fuzz: {tally.events} events in {tally.batches} batches, {elapsed:.1f} s; "
        f"slowest batch {tally.slowest_batch:.1f} s; {tally.reconnects} sockets closed by the server; "
        f"received {tally.received}"
    )
    assert not tally.problems, f"{len(tally.problems)} problems:\n" + "\n".join(tally.problems[:40])
    assert tally.batches == 1 + SOCKET_BATCHES
    assert tally.received.get("bot_uttered", 0) >= 10, tally.received  # the fuzzed messages reached the bot


# --- the liveness check itself ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket_module.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_liveness_notices_a_restarted_and_a_dead_server(tmp_path: Path) -> None:
    """A server replaced by a new process on the same port counts as dead, as does a port-less worker that ended."""
    port = free_port()
    serve = [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)]
    script = (
        f"{shlex.join(serve)} & {shlex.join([sys.executable, '-c', 'import time; time.sleep(60)'])} "
        "handoff.worker & sleep 60"
    )
    root = subprocess.Popen(["bash", "-c", script], cwd=tmp_path, start_new_session=True)
    replacement = None
    try:
        ports = {"web": port}
        wait_until(lambda: bool(liveness.servers(root.pid, ports).by_name["web"]))
        before = liveness.servers(root.pid, ports)
        assert {name: len(processes) for name, processes in before.by_name.items()} == {
            "web": 1,
            "run.sh": 1,
            "worker": 1,
        }
        assert liveness.problems(before) == []
        (server,) = before.by_name["web"]
        os.kill(server.pid, signal.SIGKILL)
        wait_until(lambda: not liveness.servers(root.pid, ports).by_name["web"])
        assert [issue.split(":")[0] for issue in liveness.problems(before)] == ["web", "web"]  # no answer, gone
        replacement = subprocess.Popen(serve, cwd=tmp_path)  # what a supervisor does: same port, new process
        wait_until(lambda: bool(liveness.servers(root.pid, ports).by_name["web"]))
        wait_until(lambda: liveness._answers("web", port) is None)
        (issue,) = liveness.problems(before)
        assert issue.startswith("web: processes changed") and str(server.pid) in issue, issue
        (worker,) = before.by_name["worker"]
        os.kill(worker.pid, signal.SIGKILL)
        wait_until(lambda: not liveness.servers(root.pid, ports).by_name["worker"])
        assert [issue.split(":")[0] for issue in liveness.problems(before)] == ["web", "worker"]
        with pytest.raises(AssertionError, match="did not survive"):
            liveness.assert_alive(before)
    finally:
        os.killpg(root.pid, signal.SIGKILL)
        root.wait()
        if replacement is not None:
            replacement.kill()
            replacement.wait()
