"""The console app: ``create_app`` puts the shared state on ``app.ctx``, installs the app-wide middleware
(malformed request heads, session and login, CSRF, security headers, error pages) and registers the
blueprints in console/blueprints/ (site, auth, requests, insights).

Every page except /health, /login and /static needs a logged-in session (a signed cookie whose id this
process still knows: logging out ends it); every POST needs the CSRF token of that session. Pages are
Jinja2 templates with autoescaping on, so text from the chat is always shown as text.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from sanic import Request, Sanic
from sanic.response import HTTPResponse

from common import http_guard
from console.blueprints import auth, insights, requests, site
from console.blueprints.shared import COOKIE, Console, not_found, render
from console.localtime import show
from console.rasa_api import RasaClient
from console.settings import Settings
from handoff.service import HandoffService

__all__ = ["COOKIE", "create_app", "templates"]

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
STATUS = {"open": "Open", "claimed": "Geclaimd", "closed": "Gesloten"}
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def callback_text(callback: dict | None) -> str:
    if not callback or not callback.get("wanted"):
        return "Nee"
    parts = [
        f"{label} {callback[key]}"
        for key, label in (("email", "e-mail"), ("phone", "telefoon"), ("moment", "moment"))
        if callback.get(key)
    ]
    return "Ja: " + ", ".join(parts) if parts else "Ja"


def value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def templates() -> Environment:
    environment = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    environment.filters.update(
        time=show,
        status=lambda s: STATUS.get(s, s),
        callback=callback_text,
        value=value_text,
        percent=lambda f: f"{100 * f:.0f}%",
    )
    return environment


async def security_headers(request: Request, response: HTTPResponse) -> None:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")


async def failure(request: Request, error: Exception) -> HTTPResponse:
    """Every error as a Dutch page; a traceback only in the log, and only for a 500."""
    status = getattr(error, "status_code", 500)
    if status == 404:
        return not_found(request)
    if status < 500:
        return render(request, "error.html", status, message=f"Dat verzoek kan niet (fout {status}).")
    logger.error("Fout bij %s %s", request.method, request.path, exc_info=error)
    return render(request, "error.html", 500, message="Er ging iets mis. Probeer het opnieuw.")


def create_app(settings: Settings, service: Any = None, rasa: RasaClient | None = None) -> Sanic:
    """The console for ``settings``; ``service`` and ``rasa`` replace the handoff database and Rasa in tests."""
    console = Console(
        settings=settings,
        service=service or HandoffService(url=settings.handoff_database_url),  # migrates; retries when down
        rasa=rasa or RasaClient(settings.rasa_url, settings.rasa_token),
        jinja=templates(),
        static_files=site.static_files(),
    )
    app = Sanic("console", ctx=console)
    http_guard.attach(app)  # malformed request heads (Content-Length: -1) get 400, not a hung server
    app.config.REQUEST_MAX_SIZE = 1_000_000
    # Sanic reads the client's address (request.remote_addr) and scheme from these proxy headers only
    # when told how many proxies are in front, or which header the proxy sets; else only the peer counts.
    app.config.PROXIES_COUNT = settings.proxies_count or None
    app.config.REAL_IP_HEADER = settings.real_ip_header or None
    app.on_request(auth.load_session)  # app-wide, in this order, before any blueprint's own middleware
    app.on_request(auth.require_login)
    app.on_response(security_headers)
    app.exception(Exception)(failure)
    for blueprint in (site.blueprint(), auth.blueprint(), requests.blueprint(), insights.blueprint()):
        app.blueprint(blueprint)
    return app
