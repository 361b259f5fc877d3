"""Where a reply's time goes: timers around each step of Rasa's message handling, in one process.

Loads the production model with endpoints.yml (our SQLite tracker store, the lock store, the action endpoint)
into a Rasa ``Agent`` in this process, starts the action server on a free port, and sends the load benchmark's
texts (tools/bench_load.py: plain messages, and kennisbank questions that run ``action_kennisbank_antwoord``),
ten per conversation. Each step is timed by wrapping Rasa's own methods for this run only; the table gives
milliseconds per message. It uses no fixed port, so it needs no ``/tmp/reint-stack.lock``:

    .venv/bin/python tools/profile_reply.py [--messages 200] [--model PATH] [--rasa-as-is] [--profile PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import inspect
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.bench_load import OURS_ACTION, OURS_MESSAGE  # noqa: E402
from tools.processes import (  # noqa: E402
    free_port,
    our_model,
    process,
    wait_until_ready,
)

ACTION_PORT = free_port()  # not 5055: this needs no /tmp/reint-stack.lock
#: this run's time per step: name -> the durations (s) measured while one message was handled
TIMES: dict[str, list[float]] = defaultdict(list)


def timed(owner: Any, attribute: str, label: str) -> None:
    """Wrap ``owner.attribute`` (sync or async) so every call adds its duration to TIMES[label]."""
    original = getattr(owner, attribute)
    static = isinstance(inspect.getattr_static(owner, attribute), staticmethod)
    if asyncio.iscoroutinefunction(original):

        @functools.wraps(original)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return await original(*args, **kwargs)
            finally:
                TIMES[label].append(time.perf_counter() - began)

        setattr(owner, attribute, staticmethod(async_wrapper) if static else async_wrapper)
    else:

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                TIMES[label].append(time.perf_counter() - began)

        setattr(owner, attribute, staticmethod(wrapper) if static else wrapper)


def install_timers() -> list[tuple[str, str]]:
    """The steps: (label, what it is). Nested steps are indented in the report."""
    from rasa.core.actions.action import ActionBotResponse, RemoteAction
    from rasa.core.agent import Agent
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from reintegratie.stores.tracker_store import EnvSQLTrackerStore

    steps = [
        ("total", Agent, "handle_message", "a whole message (lock, processor)"),
        ("nlu", MessageProcessor, "parse_message", "NLU (the model's graph)"),
        ("store.retrieve", EnvSQLTrackerStore, "retrieve", "tracker store: read the conversation back"),
        ("store.save", EnvSQLTrackerStore, "save", "tracker store: save the new events"),
        ("extract_slots", MessageProcessor, "run_action_extract_slots", "action_extract_slots"),
        ("policies", MessageProcessor, "_predict_next_with_tracker", "policy predictions (every one)"),
        ("tracker.copy", DialogueStateTracker, "copy", "tracker copies (before each action)"),
        ("utter", ActionBotResponse, "run", "responses from domain.yml"),
        ("action", RemoteAction, "run", "custom action (whole)"),
        ("action.body", RemoteAction, "_action_call_format", "  the request body (tracker, domain)"),
        ("action.http", EndpointConfig, "request", "  HTTP round trip incl. the action server"),
        ("action.validate", RemoteAction, "_validate_action_result", "  checking the reply (jsonschema)"),
        ("action.utter", RemoteAction, "_utter_responses", "  the reply's messages (responses)"),
    ]
    for label, owner, attribute, _ in steps:
        timed(owner, attribute, label)
    return [(label, what) for label, _, _, what in steps]


async def run_all(
    model: Path, messages: int, profile: Path | None, server: subprocess.Popen[bytes], log: Path
) -> dict[str, dict[str, float]]:
    import logging

    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)  # as `rasa run` by default; debug logs would cost more than a reply
    configure_structlog(logging.WARNING)
    await wait_until_ready([f"http://127.0.0.1:{ACTION_PORT}/health"], server, log, limit=120)
    endpoints = AvailableEndpoints.read_endpoints("endpoints.yml")
    assert endpoints.action is not None
    endpoints.action.url = f"http://127.0.0.1:{ACTION_PORT}/webhook"  # this run's action server
    agent = await load_agent(model_path=str(model), endpoints=endpoints)
    results = {}
    for workload, texts in (("message", OURS_MESSAGE), ("action", OURS_ACTION)):
        path = profile.with_suffix(f".{workload}") if profile else None
        results[workload] = await run(agent, messages, texts, workload, path)
    return results


async def run(agent: Any, messages: int, texts: list[str], label: str, profile: Path | None) -> dict[str, float]:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    async def one(i: int, prefix: str) -> list[dict[str, Any]]:
        channel = CollectingOutputChannel()
        sender = f"{prefix}-{label}-{i // 10}"
        await agent.handle_message(UserMessage(texts[i % len(texts)], channel, sender))
        return channel.messages

    for i in range(20):  # warm-up, not counted
        await one(i, "warm")
    TIMES.clear()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    began = time.perf_counter()
    for i in range(messages):
        replies = await one(i, "run")
        assert replies, f"no reply to {texts[i % len(texts)]!r}"
    elapsed = time.perf_counter() - began
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile))
    per_message = {name: sum(values) / messages * 1000 for name, values in TIMES.items()}
    per_message["wall"] = elapsed / messages * 1000
    per_message["p50 total"] = statistics.median(TIMES["total"]) * 1000
    return per_message


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200, help="messages per workload (default 200)")
    parser.add_argument("--model", help="our model (default: the production model of config.yml)")
    parser.add_argument(
        "--rasa-as-is",
        action="store_true",
        help="without reintegratie.rasa_patches and in_process_actions (reintegratie.launch installs them)",
    )
    parser.add_argument("--profile", type=Path, help="also write cProfile stats to this path (.message/.action)")
    args = parser.parse_args()
    model = Path(args.model).resolve() if args.model else our_model(None)
    if not args.rasa_as_is:
        from reintegratie import in_process_actions, rasa_patches

        rasa_patches.install()  # as reintegratie.launch does
        in_process_actions.install()
    token = secrets.token_urlsafe(16)
    os.environ["ACTION_SERVER_TOKEN"] = token
    with tempfile.TemporaryDirectory(prefix="profile-reply-") as tmp:
        os.environ["TRACKER_STORE_URL"] = f"sqlite:///{Path(tmp) / 'tracker.db'}"
        steps = install_timers()
        log = Path(tmp) / "actions.log"
        command = [
            sys.executable,
            "-m",
            "reintegratie.action_server",
            "--actions",
            "actions",
            "--port",
            str(ACTION_PORT),
        ]
        with process("action server", command, log, env={"ACTION_SERVER_TOKEN": token}) as server:
            results = asyncio.run(run_all(model, args.messages, args.profile, server, log))
    print(f"ms per message, {args.messages} messages per workload, 10 per conversation, one process")
    print("| step | plain message | kennisbank question |")
    print("|---|---:|---:|")
    for label, what in [*steps, ("wall", "wall time per message"), ("p50 total", "p50 of a whole message")]:
        print(f"| {what} | {results['message'].get(label, 0.0):.2f} | {results['action'].get(label, 0.0):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
