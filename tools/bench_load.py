"""Load benchmark: our assistant against a plain `rasa init` bot, in the same run.

Starts our stack (scripts/run.sh, production model) and a `rasa init` bot, then loads both from
this process with asyncio + aiohttp: 1, 10 and 50 concurrent users, each with its own sender id,
sending requests one after another. Workloads:

  nlu      POST /model/parse                 (both bots; the same texts as "message")
  message  POST /webhooks/rest/webhook       (both bots; replies from responses only)
  action   POST /webhooks/rest/webhook       (our bot; a kennisbank question that runs
           action_kennisbank_antwoord; a reply without "Bron:" counts as an error)

The machine is shared and noisy, so the results that count are ratios between the bots,
measured in the same run. Prints a Markdown table and writes results/bench_load.json.

    python tools/bench_load.py --quick                      # a few seconds per cell
    python tools/bench_load.py --env TF_INTRA_OP_PARALLELISM_THREADS=1 --label tf1
    python tools/bench_load.py --workers 2 --label workers2  # SANIC_WORKERS=2 + a Redis lock store
    python tools/bench_load.py --model /tmp/rules-only.tar.gz --label rules
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.processes import (  # noqa: E402
    ACTION_PORT,
    free_port,
    our_model,
    port_open,
    process,
    stack_env,
    stack_lock,
    wait_until_ready,
)

PY = ROOT / ".venv" / "bin" / "python"
RASA = ROOT / ".venv" / "bin" / "rasa"
INIT_DIR = ROOT / "var" / "bench" / "rasa-init"
FLOOR_DIR = ROOT / "var" / "bench" / "rasa-floor"
#: --floor: the `rasa init` bot without machine learning, the least work Rasa does for a message.
FLOOR_CONFIG = """recipe: default.v1
assistant_id: rasa-floor
language: en
pipeline:
  - name: WhitespaceTokenizer
  - name: KeywordIntentClassifier
policies:
  - name: MemoizationPolicy
  - name: RulePolicy
"""
#: Rules for the benchmark's texts (INIT_MESSAGE) at any point of a conversation: without TED, the stories
#: of `rasa init` only answer "hello" at the start, and an empty reply would do less work than a real one.
FLOOR_RULES = """version: "3.1"
rules:
- rule: greet anytime
  steps:
  - intent: greet
  - action: utter_greet
- rule: mood_great anytime
  steps:
  - intent: mood_great
  - action: utter_happy
"""
TOKEN = secrets.token_urlsafe(16)  # the HTTP API token of our server, for this run only
MESSAGES_PER_CONVERSATION = 10  # a user starts a new conversation (sender id) after this many

# Typical messages. "message" texts get replies from responses only; "action" texts run
# action_kennisbank_antwoord. The NLU workload parses the "message" texts of the same bot.
OURS_MESSAGE = ["hallo", "wat kun je allemaal?", "ben je een robot?", "dank je wel"]
OURS_ACTION = [
    "hoeveel uur jobcoaching krijg ik per week?",
    "wat is het doelgroepregister?",
    "wat is loonkostensubsidie?",
    "wat is open hiring?",
]
INIT_MESSAGE = ["hello", "I am feeling great", "goodbye"]

# Targets from the issue.
MAX_MESSAGE_OVER_PARSE_P50 = 2.0  # single user: full message p50 <= 2 x /model/parse p50
MIN_THROUGHPUT_OVER_INIT = 3.0  # 10 users: messages/s >= 3 x the rasa init bot's


@dataclass
class Cell:
    bot: str
    workload: str
    users: int
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    msg_per_s: float
    error_sample: str = ""


@dataclass
class Bot:
    name: str
    url: str
    token: str | None
    texts: dict[str, list[str]] = field(default_factory=dict)


# ---------------------------------------------------------------- load generation


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def check_reply(workload: str, reply: Any) -> str | None:
    """Why a reply is wrong, or None when it is a real answer."""
    if workload == "nlu":
        return None if isinstance(reply, dict) and reply.get("intent") else f"no intent: {reply!r:.200}"
    texts = [str(part.get("text") or "") for part in reply or [] if isinstance(part, dict)]
    if not any(texts):
        return f"empty reply: {reply!r:.200}"
    if workload == "action" and not any("Bron:" in text for text in texts):
        return f"no 'Bron:' line, so the action did not run: {texts!r:.300}"
    return None


async def one_request(session: aiohttp.ClientSession, bot: Bot, workload: str, sender: str, text: str) -> str | None:
    """Send one request; return an error description or None."""
    if workload == "nlu":
        url, body = f"{bot.url}/model/parse", {"text": text}
    else:
        url, body = f"{bot.url}/webhooks/rest/webhook", {"sender": sender, "message": text}
    params = {"token": bot.token} if bot.token and workload == "nlu" else None
    try:
        async with session.post(url, json=body, params=params) as response:
            if response.status != 200:
                return f"HTTP {response.status}: {(await response.text())[:200]}"
            return check_reply(workload, await response.json())
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        return f"{type(error).__name__}: {error}"


async def run_cell(bot: Bot, workload: str, users: int, duration: float, per_user: int | None, run_id: str) -> Cell:
    """``users`` concurrent users for ``duration`` seconds (or ``per_user`` requests each)."""
    texts = bot.texts[workload]
    latencies: list[float] = []
    errors: list[str] = []
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=users, force_close=False)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:

        def sender(user: int, count: int) -> str:
            return f"bench-{run_id}-{bot.name}-{workload}-{users}-{user}-{count // MESSAGES_PER_CONVERSATION}"

        # Warm-up: every user's first request (opens its connection and conversation), not measured.
        await asyncio.gather(
            *(one_request(session, bot, workload, f"warm-{sender(u, 0)}", texts[u % len(texts)]) for u in range(users))
        )
        start = time.perf_counter()
        deadline = start + duration

        async def user_loop(user: int) -> None:
            count = 0
            while (per_user is None and time.perf_counter() < deadline) or (per_user is not None and count < per_user):
                text = texts[(user + count) % len(texts)]
                began = time.perf_counter()
                error = await one_request(session, bot, workload, sender(user, count), text)
                latencies.append((time.perf_counter() - began) * 1000)
                if error:
                    errors.append(error)
                count += 1

        await asyncio.gather(*(user_loop(u) for u in range(users)))
        elapsed = time.perf_counter() - start
    return Cell(
        bot=bot.name,
        workload=workload,
        users=users,
        requests=len(latencies),
        errors=len(errors),
        p50_ms=round(percentile(latencies, 50), 1),
        p95_ms=round(percentile(latencies, 95), 1),
        p99_ms=round(percentile(latencies, 99), 1),
        msg_per_s=round((len(latencies) - len(errors)) / elapsed, 2) if elapsed else 0.0,
        error_sample=errors[0] if errors else "",
    )


# ---------------------------------------------------------------- servers


def newest_model(project: Path) -> Path:
    models = sorted((project / "models").glob("*.tar.gz"))  # Rasa names models by date and time
    if not models:
        raise SystemExit(f"no trained model in {project / 'models'}")
    return models[-1]


def init_model() -> Path:
    """The `rasa init` bot's model: created and trained once, then reused from var/bench/rasa-init/models."""
    if not any((INIT_DIR / "models").glob("*.tar.gz")):
        INIT_DIR.mkdir(parents=True, exist_ok=True)
        print("rasa init: bot maken en trainen (eenmalig) ...", file=sys.stderr, flush=True)
        subprocess.run(
            [str(RASA), "init", "--no-prompt", "--init-dir", str(INIT_DIR)], cwd=ROOT, stdout=sys.stderr, check=True
        )
    return newest_model(INIT_DIR)


def floor_model() -> Path:
    """--floor: the `rasa init` data with a keyword classifier and rules (no TensorFlow).

    The project is written on every run, so it is never stale; `rasa train` takes unchanged parts from its
    cache and overwrites the one model file.
    """
    init_model()  # makes the rasa init project
    shutil.copytree(INIT_DIR, FLOOR_DIR, ignore=shutil.ignore_patterns("models", ".rasa"), dirs_exist_ok=True)
    (FLOOR_DIR / "config.yml").write_text(FLOOR_CONFIG)
    (FLOOR_DIR / "data" / "rules_floor.yml").write_text(FLOOR_RULES)
    subprocess.run([str(RASA), "train", "--fixed-model-name", "floor"], cwd=FLOOR_DIR, stdout=sys.stderr, check=True)
    return newest_model(FLOOR_DIR)


# ---------------------------------------------------------------- report


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def find(cells: list[Cell], bot: str, workload: str, users: int) -> Cell | None:
    return next((c for c in cells if (c.bot, c.workload, c.users) == (bot, workload, users)), None)


def targets(cells: list[Cell]) -> list[dict[str, Any]]:
    results = []
    message, parse = find(cells, "ours", "message", 1), find(cells, "ours", "nlu", 1)
    if message and parse and parse.p50_ms:
        ratio = message.p50_ms / parse.p50_ms
        results.append(
            {
                "target": f"1 user: full message p50 <= {MAX_MESSAGE_OVER_PARSE_P50:g} x /model/parse p50 (our bot)",
                "ratio": round(ratio, 2),
                "pass": ratio <= MAX_MESSAGE_OVER_PARSE_P50,
                "detail": f"{message.p50_ms} ms / {parse.p50_ms} ms",
            }
        )
    for workload in ("message", "action"):
        ours, init = find(cells, "ours", workload, 10), find(cells, "init", "message", 10)
        if ours and init and init.msg_per_s:
            ratio = ours.msg_per_s / init.msg_per_s
            results.append(
                {
                    "target": (
                        f"10 users: {workload} msg/s >= {MIN_THROUGHPUT_OVER_INIT:g} x rasa init bot's message msg/s"
                        + ("" if workload == "message" else " (informative)")
                    ),
                    "ratio": round(ratio, 2),
                    "pass": ratio >= MIN_THROUGHPUT_OVER_INIT,
                    "detail": f"{ours.msg_per_s} / {init.msg_per_s} msg/s",
                }
            )
    overheads = []
    for bot in ("ours", "init", "floor"):
        message, parse = find(cells, bot, "message", 1), find(cells, bot, "nlu", 1)
        if message and parse:
            overheads.append(f"{bot} {message.p50_ms - parse.p50_ms:.0f} ms")
    if overheads:
        results.append(
            {
                "target": "1 user: message p50 - /model/parse p50, the work besides NLU (informative)",
                "ratio": None,
                "pass": None,
                "detail": ", ".join(overheads),
            }
        )
    return results


def markdown(cells: list[Cell], checks: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    names = {"ours": "reïntegratie", "init": "rasa init", "floor": "rasa init, keywords + rules (--floor)"}
    lines = [
        f"Load benchmark {meta['date']} — {meta['cpu']}, {meta['cores']} cores"
        + (f" — variant `{meta['label']}`" if meta.get("label") else ""),
        "",
        "| bot | workload | users | requests | errors | p50 ms | p95 ms | p99 ms | msg/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cells:
        lines.append(
            f"| {names[c.bot]} | {c.workload} | {c.users} | {c.requests} | {c.errors} | "
            f"{c.p50_ms:.0f} | {c.p95_ms:.0f} | {c.p99_ms:.0f} | {c.msg_per_s:.1f} |"
        )
    lines += ["", "| target | ratio | measured | result |", "|---|---:|---|---|"]
    for check in checks:
        informative = check["ratio"] is None  # no target, a number to read
        lines.append(
            f"| {check['target']} | {'' if informative else format(check['ratio'], '.2f')} | "
            f"{check['detail']} | {'' if informative else 'PASS' if check['pass'] else 'FAIL'} |"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def parse_env(pairs: list[str]) -> dict[str, str]:
    env = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--env expects KEY=VALUE, not {pair!r}")
        env[key] = value
    return env


async def measure(
    bots: dict[str, Bot], users: list[int], duration: float, per_user: int | None, run_id: str
) -> list[Cell]:
    """Interleave the bots per user count, so drift in machine load hits both alike."""
    order = [
        ("init", "nlu"),
        ("ours", "nlu"),
        ("floor", "nlu"),
        ("init", "message"),
        ("ours", "message"),
        ("floor", "message"),
        ("ours", "action"),
    ]
    cells = []
    for count in users:
        for bot, workload in (step for step in order if step[0] in bots):
            cell = await run_cell(bots[bot], workload, count, duration, per_user, run_id)
            print(
                f"  {bot:4} {workload:7} {count:2} users: {cell.requests:5} req, p50 {cell.p50_ms:7.1f} ms, "
                f"p95 {cell.p95_ms:7.1f} ms, {cell.msg_per_s:6.1f} msg/s, {cell.errors} errors "
                f"{cell.error_sample[:120]}",
                file=sys.stderr,
                flush=True,
            )
            cells.append(cell)
    return cells


def stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # unwinds the ExitStack in main(): every server we started stops


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 s per cell instead of 10 s, for iterating")
    parser.add_argument("--duration", type=float, help="seconds of load per cell (default 10, --quick 4)")
    parser.add_argument("--requests", type=int, help="requests per user per cell, instead of a duration")
    parser.add_argument("--users", default="1,10,50", help="concurrent users, comma-separated (default 1,10,50)")
    parser.add_argument("--model", help="our model (default: the production model of config.yml)")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for our servers (repeatable), e.g. OMP_NUM_THREADS=1",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="SANIC_WORKERS for our Rasa server; >1 starts a Redis lock store for the run",
    )
    parser.add_argument("--label", default="", help="name of this variant in the report")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also measure the rasa init bot with keywords and rules only (no machine learning)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench_load.json")
    args = parser.parse_args()
    duration = args.duration or (4.0 if args.quick else 10.0)
    users = [int(u) for u in args.users.split(",")]
    extra_env = parse_env(args.env)

    model, init = our_model(args.model), init_model()
    floor = floor_model() if args.floor else None
    run_id = datetime.now(timezone.utc).strftime("%H%M%S")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        ours_port, init_port, floor_port = free_port(), free_port(), free_port()
        env = {**stack_env(model, ours_port, TOKEN, work), **extra_env}
        if args.workers > 1:
            redis = shutil.which("redis-server")
            if not redis:
                raise SystemExit("--workers needs redis-server (apt-get install -y redis-server)")
            redis_port = free_port()
            stack.enter_context(
                process(
                    "redis", [redis, "--port", str(redis_port), "--save", "", "--appendonly", "no"], work / "redis.log"
                )
            )
            env |= {"SANIC_WORKERS": str(args.workers), "LOCK_STORE_URL": f"redis://localhost:{redis_port}/1"}

        stack.enter_context(stack_lock())
        if port_open(ACTION_PORT):
            raise SystemExit(f"port {ACTION_PORT} is in use: stop the running assistant first")
        print(
            f"Start: onze stack op {ours_port} ({model.name}), rasa init bot op {init_port}",
            file=sys.stderr,
            flush=True,
        )
        ours_proc = stack.enter_context(process("run.sh", ["bash", "scripts/run.sh"], work / "ours.log", env=env))
        init_proc = stack.enter_context(
            process(
                "rasa init",
                [str(RASA), "run", "--enable-api", "--port", str(init_port), "--model", str(init)],
                work / "init.log",
                cwd=INIT_DIR,
            )
        )
        asyncio.run(
            wait_until_ready(
                [f"http://localhost:{ours_port}/status?token={TOKEN}", f"http://localhost:{ACTION_PORT}/health"],
                ours_proc,
                work / "ours.log",
            )
        )
        asyncio.run(wait_until_ready([f"http://localhost:{init_port}/status"], init_proc, work / "init.log"))
        if floor:
            floor_proc = stack.enter_context(
                process(
                    "rasa floor",
                    [str(RASA), "run", "--enable-api", "--port", str(floor_port), "--model", str(floor)],
                    work / "floor.log",
                    cwd=FLOOR_DIR,
                )
            )
            asyncio.run(wait_until_ready([f"http://localhost:{floor_port}/status"], floor_proc, work / "floor.log"))
        bots = {
            "ours": Bot(
                "ours",
                f"http://localhost:{ours_port}",
                TOKEN,
                {"nlu": OURS_MESSAGE, "message": OURS_MESSAGE, "action": OURS_ACTION},
            ),
            "init": Bot("init", f"http://localhost:{init_port}", None, {"nlu": INIT_MESSAGE, "message": INIT_MESSAGE}),
        }
        if floor:
            bots["floor"] = Bot(
                "floor", f"http://localhost:{floor_port}", None, {"nlu": INIT_MESSAGE, "message": INIT_MESSAGE}
            )
        load_before = os.getloadavg()
        cells = asyncio.run(measure(bots, users, duration, args.requests, run_id))
        load_after = os.getloadavg()
        if ours_proc.poll() is not None:
            print(f"Let op: onze stack stopte tijdens de meting; zie {work / 'ours.log'}", file=sys.stderr)

    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "label": args.label,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "our_model": model.name,
        "init_model": init.name,
        "floor_model": floor.name if floor else None,
        "workers": args.workers,
        "env": extra_env,
        "duration_s": None if args.requests else duration,
        "requests_per_user": args.requests,
        "messages_per_conversation": MESSAGES_PER_CONVERSATION,
    }
    checks = targets(cells)
    print(markdown(cells, checks, meta))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"meta": meta, "cells": [asdict(c) for c in cells], "targets": checks}, indent=2, ensure_ascii=False)
        + "\n"
    )
    print(f"\nGeschreven: {args.out}", file=sys.stderr)
    return 0 if all(c.errors == 0 for c in cells) else 1


if __name__ == "__main__":
    sys.exit(main())
