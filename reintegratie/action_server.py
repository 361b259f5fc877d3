"""The action server (``python -m reintegratie.action_server``): rasa_sdk's app, for the Rasa server only.

``rasa run actions`` listens on 0.0.0.0 and runs any action for anyone who can reach the port: a forged
request with a made-up tracker stored a handoff request with an attacker's transcript and e-mail address,
and a ``text/plain`` POST works too, so any web page could send one from a visitor's browser (review H2).
This launcher builds the same app with ``rasa_sdk.endpoint.create_app`` and the same options
(``--port``, ``--actions``, logging), and changes four things:

- It listens on ``ACTION_SERVER_HOST``, default 127.0.0.1. Compose and Kubernetes set 0.0.0.0: there the
  Rasa server is another container, and the port is not published.
- Every request except ``GET /health`` needs the header ``X-Action-Token`` with the shared secret
  ``ACTION_SERVER_TOKEN``; the Rasa server sends it (``headers:`` of ``action_endpoint`` in endpoints.yml).
  Without it, or with a wrong one: 401, before the body is read as JSON. Without the variable the server
  does not start.
- An error answers 500 without the request body (the SDK's handler sent the whole tracker back).
- A request body may be at most ``MAX_BODY_BYTES`` (Sanic's default is 100 MB).

No CORS headers: browsers have no business here.
"""

from __future__ import annotations

import hmac
import logging
import sys
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from common import http_guard, log_privacy, settings

logger = logging.getLogger("reintegratie.action_server")  # also when run as __main__

TOKEN_HEADER = "X-Action-Token"  # noqa: S105  # a header name, not a secret
TOKEN_VARIABLE = settings.ACTION_SERVER_TOKEN.name
HOST_VARIABLE = settings.ACTION_SERVER_HOST.name
DEFAULT_HOST = settings.ACTION_SERVER_HOST.default
#: Open without the token: the health checks of run.sh, Compose and Kubernetes.
OPEN_PATHS = frozenset({"/health"})
#: The Rasa server sends the conversation's tracker (its current session) with every action, and the domain (45 KB as
#: JSON) to the form validators only (endpoints.yml, enable_selective_domain; before, to every action). Measured on
#: 2026-12-05 with the test model: 53 KB for the first question, 95 KB after 10, 277 KB after 50 questions in one
#: session (about 5 KB a question). 3 MB is 10 times the long conversation; above it (some 500 questions without a
#: 60-minute pause) the action fails and the user gets the fallback.
MAX_BODY_BYTES = 3_000_000


def token_from_env() -> str:
    """The shared secret; the server refuses to start without one."""
    token = settings.ACTION_SERVER_TOKEN.value()
    if not token:
        raise SystemExit(
            f"{TOKEN_VARIABLE} is not set: the action server needs the shared secret the Rasa server sends "
            f"(scripts/run.sh makes one in var/action_token)."
        )
    return token


def authorised(request: Request, token: str) -> bool:
    given = request.headers.get(TOKEN_HEADER, "")
    # compare_digest: the time taken does not tell how much of a guess was right
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def protect(app: Sanic, token: str) -> None:
    """The token check, the error handler without the request body, and the body limit on ``app``."""

    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS and request.method in ("GET", "HEAD"):
            return None
        if authorised(request, token):
            return None
        logger.warning("Action server: %s %s without a valid %s: 401", request.method, request.path, TOKEN_HEADER)
        return response.json({"error": "unauthorised"}, status=401)

    async def without_request_body(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):  # 404, 405, 413 ...: their own status, no details
            return response.json({"error": str(exception)}, status=exception.status_code)
        logger.error("Action server: error in %s %s", request.method, request.path, exc_info=exception)
        return response.json({"error": "internal error"}, status=500)

    app.register_middleware(require_token, "request")
    app.exception(Exception)(without_request_body)  # replaces the SDK's handler, which echoed the body
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES


def build_app(actions: str, token: str, auto_reload: bool = False) -> Sanic:
    """rasa_sdk's app for the ``actions`` package, protected (see the module docstring)."""
    app = create_app(actions, cors_origins=None, auto_reload=auto_reload)
    http_guard.attach(app)  # malformed request heads (Content-Length: -1) get 400, not a hung server
    protect(app, token)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)  # what rasa_sdk.endpoint.run does
    return app


def main(argv: Sequence[str] | None = None) -> None:
    """``rasa run actions`` with its options (``--port``, ``--actions``, ``-v``, ...), protected."""
    log_privacy.install()
    args = create_argument_parser().parse_args(argv)
    if args.cors:
        raise SystemExit("--cors is not supported: only the Rasa server calls the action server")
    token = token_from_env()
    # as rasa_sdk.__main__.main_from_args
    logging.getLogger("matplotlib").setLevel(logging.WARN)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME), args.log_file, args.loglevel, args.logging_config_file
    )
    utils.update_sanic_log_level()
    app = build_app(args.actions or "actions", token, args.auto_reload)
    host = settings.ACTION_SERVER_HOST.value()
    ssl_context = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    logger.info("Action server on %s:%s (token required, body at most %d bytes)", host, args.port, MAX_BODY_BYTES)
    app.run(host, args.port, ssl=ssl_context, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main(sys.argv[1:])
