"""Is every server of the running stack still the process that started, and does it answer?

Checking the ``scripts/run.sh`` parent alone is not enough: run.sh restarts a server that died (issue 15), so a
request that kills Rasa would only show as a short gap. A server counts as alive when the *same* processes
(pid and start time, so a reused pid does not count) still listen on its port as before the batch, and the port
answers HTTP below 500. The handoff worker has no port; it is found by its command line among run.sh's
descendants.

Use::

    before = liveness.servers(stack["process"].pid)
    ...  # a batch of bad requests
    liveness.assert_alive(before, stack["log"])

Linux only: it reads /proc/net/tcp{,6} and /proc/<pid>/fd (our own processes, so no special rights).
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.conftest import STACK_PORTS

#: Where each server of the stack says it is up (scripts/run.sh waits for the same addresses).
HEALTH_PATHS = {"rasa": "/", "actions": "/health", "web": "/", "console": "/health"}
#: Servers without a port: name -> a word of their command line (``python -m handoff.worker``).
PORTLESS = {"worker": "handoff.worker"}
#: A server that a bad request kills needs a moment to exit; checked this long after the batch.
SETTLE_SECONDS = 0.5
LISTEN = "0A"  # TCP state in /proc/net/tcp


@dataclass(frozen=True)
class Process:
    pid: int
    #: clock ticks after boot (field 22 of /proc/<pid>/stat): a restarted server gets a new one
    started: int
    command: str


@dataclass(frozen=True)
class Servers:
    """The processes behind each server at one moment."""

    by_name: Mapping[str, frozenset[Process]]
    root_pid: int | None = None
    ports: Mapping[str, int] = field(default_factory=lambda: dict(STACK_PORTS))


def _stat(pid: int) -> tuple[int, int] | None:
    """(parent pid, start time) of a process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name in (...) may hold spaces
    return int(fields[1]), int(fields[19])


def _command(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def _process(pid: int) -> Process | None:
    stat = _stat(pid)
    return None if stat is None else Process(pid, stat[1], " ".join(_command(pid))[:200])


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _listening_inodes(ports: Mapping[str, int]) -> dict[int, str]:
    """Socket inode -> server name, for every socket listening on one of ``ports`` (IPv4 and IPv6)."""
    by_port = {port: name for name, port in ports.items()}
    inodes: dict[int, str] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            columns = line.split()
            port = int(columns[1].rsplit(":", 1)[1], 16)
            if columns[3] == LISTEN and port in by_port:
                inodes[int(columns[9])] = by_port[port]
    return inodes


def _listeners(ports: Mapping[str, int]) -> dict[str, set[int]]:
    """Server name -> pids holding a listening socket on its port."""
    inodes = _listening_inodes(ports)
    found: dict[str, set[int]] = {name: set() for name in ports}
    for pid in _pids():
        try:
            descriptors = os.listdir(f"/proc/{pid}/fd")
        except OSError:  # gone, or not ours
            continue
        for descriptor in descriptors:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{descriptor}")
            except OSError:
                continue
            if target.startswith("socket:[") and int(target[8:-1]) in inodes:
                found[inodes[int(target[8:-1])]].add(pid)
    return found


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid in _pids():
        stat = _stat(pid)
        if stat is not None:
            children.setdefault(stat[0], []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def servers(root_pid: int | None = None, ports: Mapping[str, int] = STACK_PORTS) -> Servers:
    """The processes listening on ``ports`` now, plus run.sh (``root_pid``) and its port-less servers."""
    by_name: dict[str, frozenset[Process]] = {}
    for name, pids in _listeners(ports).items():
        by_name[name] = frozenset(p for p in map(_process, pids) if p is not None)
    if root_pid is not None:
        root = _process(root_pid)
        by_name["run.sh"] = frozenset([root] if root else [])
        descendants = _descendants(root_pid)
        for name, word in PORTLESS.items():
            matching = [pid for pid in descendants if word in _command(pid)]
            by_name[name] = frozenset(p for p in map(_process, matching) if p is not None)
    return Servers(by_name, root_pid, dict(ports))


def _answers(name: str, port: int) -> str | None:
    """Why the server on ``port`` does not answer its health address, or None when it does."""
    url = f"http://localhost:{port}{HEALTH_PATHS.get(name, '/')}"
    try:
        status = requests.get(url, timeout=10).status_code
    except requests.RequestException as error:
        return f"{name}: {url} gives no answer ({type(error).__name__})"
    return None if status < 500 else f"{name}: {url} answers HTTP {status}"


def problems(before: Servers) -> list[str]:
    """What changed since ``before``: a server that stopped, was restarted, or does not answer."""
    issues = [issue for name, port in before.ports.items() if (issue := _answers(name, port))]
    now = servers(before.root_pid, before.ports)
    for name, processes in before.by_name.items():
        if not processes:
            issues.append(f"{name}: no process at the start")
        elif now.by_name.get(name) != processes:
            was = ", ".join(sorted(f"{p.pid} ({p.command[:60]})" for p in processes))
            is_now = ", ".join(sorted(str(p.pid) for p in now.by_name.get(name, ()))) or "none"
            issues.append(f"{name}: processes changed (died or restarted): were {was}; now {is_now}")
    return issues


def assert_alive(before: Servers, log: Path | None = None, context: str = "") -> None:
    """Fail when any server of ``before`` stopped, was restarted or does not answer.

    The message has ``context`` (say, what the batch sent) and then the tail of ``log``.
    """
    time.sleep(SETTLE_SECONDS)
    issues = problems(before)
    if issues:
        tail = "\n--- log ---\n" + log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        context = f"\n--- {context}" if context else ""
        raise AssertionError("a server of the stack did not survive:\n" + "\n".join(issues) + context + tail)
