"""Scale-out: two Rasa servers and two action servers share one PostgreSQL and one Redis.

Rasa's production architecture (deploy/): every Rasa server reads and writes the same PostgreSQL tracker
store and takes a per-conversation lock in the same Redis, so any server may take any message of any
conversation. This test starts two ``rasa run`` servers (ports 5016, 5017) with deploy/endpoints.yml,
each with its own action server (5056, 5057) on one shared PostgreSQL handoff database, and sends one
conversation's messages to both: alternately, then concurrently. The tracker read back from either
server and from PostgreSQL must hold every user message exactly once, in the order each client sent
them, each followed by its own answers (the ones its HTTP response carried) before the next message.

Needs ``HANDOFF_TEST_POSTGRES_URL`` (scripts/postgres_for_tests.sh; its role may create databases) and
``SCALE_OUT_REDIS_URL`` (scripts/redis_for_tests.sh). scripts/test.sh sets both in CI (CI=true), where a
missing one fails the test; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from handoff.service import HandoffService
from tests.conftest import ACTION_TOKEN, IN_CI, ROOT, port_open
from tools.processes import stop_group

pytestmark = pytest.mark.integration

TOKEN = "scale-out-token-niet-geheim"
#: name -> (Rasa port, action server port)
SERVERS = {"a": (5016, 5056), "b": (5017, 5057)}
DATABASES = {"tracker": "scale_out_tracker", "handoff": "scale_out_handoff"}
START_TIMEOUT = 600  # two Rasa servers loading at once on 2 busy cores took over 5 minutes
#: Kennisbank articles by button payload: deterministic (no NLU), each with its own answer text.
ARTICLES = [
    "loonkostensubsidie_aanvragen",
    "loonkostensubsidie_overzicht",
    "doelgroepregister_overzicht",
    "open_hiring_overzicht",
    "no_riskpolis",
    "jobcoach_uren",
    "jobcoach_overzicht",
    "jobcoach_betaling",
    "doelgroepregister_inschrijven",
    "open_hiring_werkgever",
    "beschut_werk_overzicht",
    "jobcoach_intern",
    "loonkostensubsidie_hoogte",
    "jobcoach_vormen",
    "doelgroepregister_quotum",
    "jobcoach_strippenkaart",
]


def faq(article: str) -> str:
    return '/faq{"artikel":"' + article + '"}'


def need(variable: str) -> str:
    value = os.environ.get(variable, "").strip()
    if not value:
        reason = f"{variable} not set: the scale-out test needs it (scripts/test.sh sets it in CI)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    return value


def fresh_database(admin_url: str, name: str) -> str:
    """An empty database ``name`` next to the one in ``admin_url``; returns its URL."""
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    except sa.exc.ProgrammingError as error:
        pytest.fail(f"cannot create database {name} (the role needs CREATEDB: scripts/postgres_for_tests.sh): {error}")
    finally:
        engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    with engine.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    engine.dispose()


@dataclass
class Cluster:
    tracker_url: str
    handoff_url: str
    redis_url: str
    logs: dict[str, Path]
    rasa: dict[str, str] = field(default_factory=dict)

    def say(self, server: str, sender: str, message: str) -> list[dict]:
        response = requests.post(
            f"{self.rasa[server]}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120
        )
        response.raise_for_status()
        return response.json()

    def events(self, server: str, sender: str) -> list[dict]:
        response = requests.get(
            f"{self.rasa[server]}/conversations/{sender}/tracker",
            params={"token": TOKEN, "include_events": "ALL"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["events"]

    def stored_events(self, sender: str) -> list[dict]:
        """The events as PostgreSQL holds them, in the order they were written."""
        engine = sa.create_engine(self.tracker_url, future=True)
        with engine.connect() as connection:
            rows = (
                connection.execute(
                    sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
                )
                .scalars()
                .all()
            )
        engine.dispose()
        return [json.loads(row) for row in rows]


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(processes: dict[str, subprocess.Popen]) -> dict[str, int]:
    """SIGTERM to each process group, then wait; returns the exit codes (kills only what will not stop)."""
    for process in processes.values():  # all at once, so they stop in parallel
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    return {name: stop_group(process, name=name) for name, process in processes.items()}


def healthy(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


def ready(rasa_url: str) -> bool:
    try:
        status = requests.get(f"{rasa_url}/status", params={"token": TOKEN}, timeout=2)
        return status.ok and bool(status.json().get("model_id"))
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    postgres_url = need("HANDOFF_TEST_POSTGRES_URL")
    redis_url = need("SCALE_OUT_REDIS_URL")
    model = need("RASA_TEST_MODEL")
    ports = [port for pair in SERVERS.values() for port in pair]
    busy = [port for port in ports if port_open(port)]
    if busy:
        pytest.fail(f"ports {busy} are already in use; the scale-out test needs {ports}")
    redis.Redis.from_url(redis_url).ping()
    workdir = tmp_path_factory.mktemp("scale_out")
    cluster = Cluster(
        tracker_url=fresh_database(postgres_url, DATABASES["tracker"]),
        handoff_url=fresh_database(postgres_url, DATABASES["handoff"]),
        redis_url=redis_url,
        logs={},
    )
    base_env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TRACKER_STORE_URL": cluster.tracker_url,
        "LOCK_STORE_URL": redis_url,
        "HANDOFF_DATABASE_URL": cluster.handoff_url,
        "HANDOFF_OPENINGSTIJDEN": "ma-zo 00:00-24:00",  # always open: the "direct" route
        "RATE_LIMIT_PER_MINUTE": "0",
        "ACTION_SERVER_TOKEN": ACTION_TOKEN,  # deploy/endpoints.yml sends it; the action servers require it
    }
    processes: dict[str, subprocess.Popen] = {}
    started = time.monotonic()
    try:
        for name, (rasa_port, action_port) in SERVERS.items():
            cluster.logs[f"actions-{name}"] = workdir / f"actions-{name}.log"
            processes[f"actions-{name}"] = start(
                [
                    str(ROOT / ".venv/bin/python"),
                    "-m",
                    "reintegratie.action_server",
                    "--actions",
                    "actions",
                    "--port",
                    str(action_port),
                ],
                base_env,
                cluster.logs[f"actions-{name}"],
            )
            cluster.logs[f"rasa-{name}"] = workdir / f"rasa-{name}.log"
            processes[f"rasa-{name}"] = start(  # as deploy/docker-compose.yml starts Rasa
                [
                    str(ROOT / ".venv/bin/python"),
                    "-m",
                    "reintegratie.launch",
                    "run",
                    "--model",
                    model,
                    "--port",
                    str(rasa_port),
                    "--endpoints",
                    "deploy/endpoints.yml",
                    "--credentials",
                    "credentials.yml",
                    "--enable-api",
                ],
                {**base_env, "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook", "RASA_API_TOKEN": TOKEN},
                cluster.logs[f"rasa-{name}"],
            )
            cluster.rasa[name] = f"http://localhost:{rasa_port}"
        while not (
            all(ready(url) for url in cluster.rasa.values())
            and all(healthy(f"http://localhost:{actions}/health") for _, actions in SERVERS.values())
        ):
            died = [name for name, process in processes.items() if process.poll() is not None]
            if died or time.monotonic() - started > START_TIMEOUT:
                logs = "\n".join(f"--- {n}\n{cluster.logs[n].read_text()[-3000:]}" for n in died or cluster.logs)
                pytest.fail(f"scale-out servers did not start (stopped: {died}):\n{logs}")
            time.sleep(1)
        print(f"\nscale-out: 2 Rasa + 2 action servers ready in {time.monotonic() - started:.0f} s")
        yield cluster
        died = [name for name, process in processes.items() if process.poll() is not None]
        assert not died, f"{died} stopped during the tests"
    finally:
        codes = stop(processes)
        for name in DATABASES.values():
            drop_database(postgres_url, name)
    assert not [port for port in ports if port_open(port)], "a server still listens after SIGTERM"
    assert all(code in (0, -signal.SIGTERM) for code in codes.values()), f"exit codes after SIGTERM: {codes}"


def test_the_servers_use_postgres_and_redis(cluster: Cluster) -> None:
    for name in SERVERS:
        log = cluster.logs[f"rasa-{name}"].read_text()
        assert "Tracker store: postgresql" in log and "Lock store: Redis" in log, log[-3000:]


def test_the_redis_lock_lets_one_server_at_a_time_into_a_conversation() -> None:
    """Eight "servers" (own connections, own threads) take one conversation's lock 5 times each: never two at once."""
    from reintegratie.stores.lock_store import redis_lock_store

    url = need("SCALE_OUT_REDIS_URL")
    conversation = f"lock-{uuid.uuid4().hex[:8]}"
    inside: list[int] = []
    overlaps: list[list[int]] = []
    entries = 0

    async def server(number: int) -> None:
        nonlocal entries
        store = redis_lock_store(url)
        for _ in range(5):
            async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01):
                inside.append(number)
                if len(inside) > 1:
                    overlaps.append(list(inside))
                entries += 1
                await asyncio.sleep(0.005)
                inside.remove(number)

    threads = [threading.Thread(target=asyncio.run, args=(server(n),)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert entries == 40 and not overlaps, (entries, overlaps[:5])
    assert redis.Redis.from_url(url).exists(f"lock:{conversation}") == 0, "the lock was not cleaned up"


# --- reading a conversation back ------------------------------------------------------------------


@dataclass
class Turn:
    """One user message and everything the bot did before the next user message."""

    text: str
    bot: list[str | None] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def turns(events: list[dict]) -> list[Turn]:
    result: list[Turn] = []
    for event in events:
        if event["event"] == "user":
            result.append(Turn(event["text"]))
        elif result and event["event"] == "bot":
            result[-1].bot.append(event.get("text"))
        elif result and event["event"] == "action":
            result[-1].actions.append(event["name"])
    return result


def essence(events: list[dict]) -> list[tuple]:
    """What two readings of one conversation must agree on."""
    return [(e["event"], round(e["timestamp"], 3), e.get("text") or e.get("name")) for e in events]


def bot_texts(response: list[dict]) -> list[str | None]:
    return [message.get("text") for message in response]


def check_conversation(cluster: Cluster, sender: str, answers: dict[str, list[dict]]) -> list[Turn]:
    """Both servers and PostgreSQL hold the same events; every message once, each followed by its own answers."""
    from_a, from_b = cluster.events("a", sender), cluster.events("b", sender)
    assert essence(from_a) == essence(from_b), "the two servers return different events"
    assert essence(cluster.stored_events(sender)) == essence(from_a), "the servers differ from PostgreSQL"
    conversation = turns(from_a)
    assert sorted(turn.text for turn in conversation) == sorted(answers), "a message is missing or doubled"
    for turn in conversation:
        assert turn.bot, f"no answer in the tracker after {turn.text!r}"
        assert turn.bot == bot_texts(answers[turn.text]), f"answers interleaved after {turn.text!r}"
        assert turn.actions[-1] == "action_listen", f"{turn.text!r}: next message came before its turn ended"
    return conversation


def test_alternating_messages_are_complete_ordered_and_shared(cluster: Cluster) -> None:
    sender = f"scale-alt-{uuid.uuid4().hex[:8]}"
    messages = ["ik heb een bedrijf", *(faq(article) for article in ARTICLES[:7])]
    answers: dict[str, list[dict]] = {}
    for i, message in enumerate(messages):
        answers[message] = cluster.say("ab"[i % 2], sender, message)
        assert answers[message], f"no answer to {message!r}"
    conversation = check_conversation(cluster, sender, answers)
    assert [turn.text for turn in conversation] == messages
    # the audience told to server A is known to server B: an employer gets "u", not "je"
    words = set(re.findall(r"\w+", answers[messages[1]][0]["text"].lower()))
    assert {"u", "uw"} & words and not {"je", "jij", "jouw"} & words, answers[messages[1]][0]["text"]


def test_concurrent_messages_to_both_servers_take_turns(cluster: Cluster) -> None:
    sender = f"scale-burst-{uuid.uuid4().hex[:8]}"
    first = "ik heb een bedrijf"
    answers = {first: cluster.say("a", sender, first)}
    per_server = {"a": [faq(a) for a in ARTICLES[:6]], "b": [faq(a) for a in ARTICLES[6:12]]}
    windows: dict[str, list[tuple[float, float]]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(per_server))
    lock_writes = LockWatch(cluster.redis_url, sender)

    def client(server: str) -> None:
        try:
            barrier.wait()
            for message in per_server[server]:
                begin = time.monotonic()
                answers[message] = cluster.say(server, sender, message)
                windows[server].append((begin, time.monotonic()))
        except BaseException as error:  # reported below
            errors.append(error)

    with lock_writes:
        threads = [threading.Thread(target=client, args=(server,)) for server in per_server]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
        elapsed = time.monotonic() - began
    assert not errors, errors
    overlapping = sum(a0 < b1 and b0 < a1 for a0, a1 in windows["a"] for b0, b1 in windows["b"])
    assert overlapping, "the two clients never had a request open at the same time"
    conversation = check_conversation(cluster, sender, answers)
    order = [turn.text for turn in conversation]
    assert order[0] == first
    for server, sent in per_server.items():
        assert [text for text in order if text in sent] == sent, f"server {server}'s messages out of order"
    # every message went through the shared Redis lock of this conversation
    assert lock_writes.count >= sum(len(sent) for sent in per_server.values()), lock_writes.count
    print(
        f"\nscale-out burst: {len(order) - 1} messages on 2 servers in {elapsed:.1f} s, "
        f"{overlapping} overlapping request pairs, {lock_writes.count} lock writes in Redis"
    )


class LockWatch:
    """Counts writes to one conversation's lock key in Redis (keyspace notifications) while active."""

    def __init__(self, redis_url: str, sender: str) -> None:
        self.client = redis.Redis.from_url(redis_url)
        database = self.client.connection_pool.connection_kwargs.get("db", 0)
        self.channel = f"__keyspace@{database}__:lock:{sender}"
        self.count = 0
        self.pubsub = self.client.pubsub()
        self.running = False
        self.thread = threading.Thread(target=self.listen, daemon=True)

    def __enter__(self) -> LockWatch:
        self.client.config_set("notify-keyspace-events", "K$g")
        self.pubsub.subscribe(self.channel)
        self.pubsub.get_message(timeout=5)  # the subscription confirmation
        self.running = True
        self.thread.start()
        return self

    def listen(self) -> None:
        while self.running:
            message = self.pubsub.get_message(timeout=0.5)
            if message and message["data"] == b"set":
                self.count += 1

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.5)  # the last notifications
        self.running = False
        self.thread.join(timeout=5)
        self.pubsub.close()
        self.client.close()


# --- handoff across servers -------------------------------------------------------------------------


def text_of(response: list[dict]) -> str:
    return "\n".join(message.get("text") or "" for message in response)


def test_handoff_requested_on_one_server_is_seen_on_the_other(cluster: Cluster) -> None:
    sender = f"scale-handoff-{uuid.uuid4().hex[:8]}"
    offer = text_of(cluster.say("a", sender, "ik wil een medewerker spreken"))
    assert "Ik kan je vraag doorgeven aan een medewerker" in offer and "Wil je dat?" in offer
    # consent on the other server: B knows what A offered (the slot handoff_modus in the shared tracker)
    assert "Je vraag staat klaar voor een medewerker" in text_of(cluster.say("b", sender, "ja"))
    service = HandoffService(cluster.handoff_url)
    try:
        record = service.active_for(sender)
    finally:
        service.dispose()
    assert record is not None and record.status == "open" and record.reason == "op verzoek"
    for server in SERVERS:
        names = [e.get("name") for e in cluster.events(server, sender) if e["event"] == "action"]
        assert "action_handoff_aanvragen" in names, f"server {server} does not see the request"
    # A's action server finds the request B's action server stored: no second request
    assert "Je vraag staat al klaar" in text_of(cluster.say("a", sender, "ik wil een medewerker spreken"))


def test_a_pause_sent_to_one_server_silences_the_other(cluster: Cluster) -> None:
    """The console pauses the bot through one server; the user's next message may land on another."""
    sender = f"scale-pause-{uuid.uuid4().hex[:8]}"
    assert cluster.say("a", sender, "hallo")
    response = requests.post(
        f"{cluster.rasa['a']}/conversations/{sender}/tracker/events",
        params={"token": TOKEN},
        json={"event": "pause"},
        timeout=30,
    )
    response.raise_for_status()
    assert cluster.say("b", sender, "hallo, is daar iemand?") == []
    events = cluster.events("b", sender)
    assert events[-1]["event"] == "user" and events[-1]["text"] == "hallo, is daar iemand?"
    requests.post(
        f"{cluster.rasa['b']}/conversations/{sender}/tracker/events",
        params={"token": TOKEN},
        json={"event": "resume"},
        timeout=30,
    ).raise_for_status()
    assert cluster.say("a", sender, faq("jobcoach_overzicht"))
