"""Starts Rasa's command line in this process (``python -m reintegratie.launch run ...``), with four settings.

1. The HTTP API token never appears in a command line. ``rasa run --auth-token <token>`` shows the token to
   every user of the machine in ``ps`` (review L3). This launcher takes the token from ``RASA_API_TOKEN``
   or, when that is unset, from the file ``var/api_token`` (what scripts/run.sh makes), adds
   ``--auth-token`` to ``sys.argv`` and calls ``rasa.__main__.main`` in the same process. The kernel keeps
   the original arguments in ``/proc/<pid>/cmdline``, so ``ps`` shows the command without the token.
   ``--enable-api`` without a token is refused: the API would be open to anyone.
2. A request body may be at most 1.5 MB (``SANIC_REQUEST_MAX_SIZE``, Sanic's own setting, which wins when
   set). Sanic's default is 100 MB, and one 5 MB message was stored whole (review M6). A message may have
   1,000 characters (``MAX_MESSAGE_CHARS``); a longer one gets a Dutch "te lang" from our REST channel, but
   only if its body reaches the channel: 100 KB of emoji written as JSON escapes is 1.2 MB, which must still
   get that answer, not Sanic's English 413. The console's calls to the HTTP API are small.

3. Four steps of Rasa are done once, or more directly, on every message (``reintegratie.rasa_patches``): checking
   the action server's reply schema (25 ms of every custom action call), finding each stored event's class,
   working out the order of the model's graph (dask's scheduler, about 1 ms of each of a message's three runs),
   and copying the slots of every tracker Rasa makes.

4. Pure custom actions named in endpoints.yml (``action_endpoint.in_process``) run inside this process, without
   the HTTP round trip to the action server (``reintegratie.in_process_actions``).

Every other argument goes to Rasa unchanged, so ``python -m reintegratie.launch shell ...`` works too.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from common import log_privacy, settings

TOKEN_VARIABLE = settings.RASA_API_TOKEN.name
TOKEN_FILE = Path("var/api_token")
MAX_BODY_VARIABLE = settings.SANIC_REQUEST_MAX_SIZE.name
MAX_BODY_BYTES = int(settings.SANIC_REQUEST_MAX_SIZE.default)


def api_token() -> str:
    """The token from the environment, else from the file; empty when neither has one."""
    token = settings.RASA_API_TOKEN.value()
    if token:
        return token
    try:
        return TOKEN_FILE.read_text().strip()
    except FileNotFoundError:
        return ""


def rasa_arguments(argv: Sequence[str]) -> list[str]:
    """``argv`` with ``--auth-token`` added when the API is enabled; refuses a token on the command line."""
    if any(argument == "--auth-token" or argument.startswith("--auth-token=") for argument in argv):
        raise SystemExit(f"--auth-token would show the token in ps: set {TOKEN_VARIABLE} or put it in a file.")
    arguments = list(argv)
    if "--enable-api" in arguments:
        token = api_token()
        if not token:
            raise SystemExit(f"--enable-api needs a token: set {TOKEN_VARIABLE}, or put it in the file {TOKEN_FILE}.")
        # one argument: a token that starts with "-" (secrets.token_urlsafe: 1 in 64) is no option to argparse
        arguments.append(f"--auth-token={token}")
    return arguments


def main(argv: Sequence[str]) -> None:
    log_privacy.install()
    arguments = rasa_arguments(argv)
    from reintegratie import rasa_patches  # imports Rasa

    rasa_patches.install()  # four steps of Rasa done once or more directly (reply schema, event classes, graph, slots)
    from reintegratie import in_process_actions

    in_process_actions.install()  # endpoints.yml action_endpoint.in_process: pure actions without the HTTP round trip
    settings.SANIC_REQUEST_MAX_SIZE.set_default_in_environment()  # read by Sanic when Rasa makes its app
    sys.argv = ["rasa", *arguments]  # only this process's copy: /proc/<pid>/cmdline keeps the original
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main(sys.argv[1:])
