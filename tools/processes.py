"""Our servers as the tools start them: in their own process group, under the stack lock, and stopped with their
children. Used by the benchmarks (bench_load.py, profile_reply.py) and the dialogue evaluation."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
STACK_LOCK = Path("/tmp/reint-stack.lock")  # noqa: S108  # shared with the tests: port 5055 is fixed
ACTION_PORT = 5055


def stop_group(process: subprocess.Popen, timeout: float = 60, name: str = "server") -> int:
    """SIGTERM to the group of ``process``, wait up to ``timeout`` s, then SIGKILL; returns the exit code.

    scripts/run.sh and ``rasa run`` stop their own children on SIGTERM, so a kill is only for what hangs.
    """
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop within {timeout:g} s: SIGKILL", file=sys.stderr)
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def stack_env(model: Path, port: int, token: str, work: Path) -> dict[str, str]:
    """The environment of scripts/run.sh for a tool's own stack: free ports, its own databases in ``work``, and both
    rate limits off (all load comes from one address)."""
    return {
        "RASA_TELEMETRY_ENABLED": "false",
        "RASA_MODEL": str(model),
        "RASA_PORT": str(port),
        "RASA_API_TOKEN": token,
        "WEB_PORT": str(free_port()),
        "CONSOLE_PORT": str(free_port()),
        "PUBLIC_URL": f"http://localhost:{port}",
        "TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}",
        "HANDOFF_DATABASE_URL": f"sqlite:///{work / 'handoff.db'}",
        "RATE_LIMIT_PER_MINUTE": "0",
        "RATE_LIMIT_PER_CLIENT_PER_MINUTE": "0",
    }


@contextmanager
def stack_lock() -> Iterator[None]:
    """Hold /tmp/reint-stack.lock (like `flock`) while our servers run: the tests use port 5055 too.

    Under `flock /tmp/reint-stack.lock ...` (several runs in one hold) set REINT_STACK_LOCKED=1.
    """
    if os.environ.get("REINT_STACK_LOCKED") == "1":
        yield
        return
    with STACK_LOCK.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Wacht op {STACK_LOCK} (een andere stack draait) ...", file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def process(
    name: str, command: list[str], log: Path, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``command`` in its own process group; stop it (and its children) on exit.

    scripts/run.sh gets SIGTERM; its trap stops the servers it started (each in its own group).
    """
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        stop_group(proc, name=name)


async def wait_until_ready(urls: list[str], proc: subprocess.Popen[bytes], log: Path, limit: float = 600) -> None:
    deadline = time.monotonic() + limit
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        for url in urls:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server stopped while starting; log {log}:\n{log.read_text()[-3000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"not ready after {limit:.0f} s: {url}; log {log}")
                try:
                    async with session.get(url) as response:
                        if response.status == 200:
                            break
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    pass
                await asyncio.sleep(1)


def our_model(path: str | None) -> Path:
    if path:
        return Path(path).resolve()
    result = subprocess.run(
        [str(PY), "tools/model.py", "train", "--config", "config.yml"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    if result.returncode != 0:
        raise SystemExit("training the production model failed")
    return Path(result.stdout.strip().splitlines()[-1])
