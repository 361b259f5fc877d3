"""Stopping a server started in its own process group (``start_new_session=True``) with its children."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


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
