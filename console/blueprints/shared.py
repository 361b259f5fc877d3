"""What the console's blueprints share: the state on ``app.ctx``, rendering a page, the session cookie."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from sanic import Request
from sanic.response import HTTPResponse, html

from console.auth import ActiveSessions, LoginThrottle, Session, sign_session
from console.settings import Settings

COOKIE = "console_sessie"


@dataclass
class Console:
    """``app.ctx`` of one console app: its settings and services, and the in-memory login state."""

    settings: Settings
    service: Any  # handoff.service.HandoffService (synchronous: call it through asyncio.to_thread)
    rasa: Any  # console.rasa_api.RasaClient
    jinja: Environment
    static_files: dict[str, Path]  # what /static/ serves, by name (site.static_files)
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    sessions: ActiveSessions = field(default_factory=ActiveSessions)
    tracker_engine: Any = None  # for /inzichten, made on first use


def state(request: Request) -> Console:
    return request.app.ctx  # type: ignore[no-any-return]


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
    session: Session | None = getattr(request.ctx, "session", None)
    body = (
        state(request)
        .jinja.get_template(template)
        .render(user=session.user if session else None, csrf=session.csrf if session else "", **context)
    )
    return html(body, status=status)


def not_found(request: Request, message: str = "Deze pagina bestaat niet.") -> HTTPResponse:
    return render(request, "error.html", 404, message=message)


def unavailable(request: Request, error: Exception) -> HTTPResponse:
    """The handoff database is down (handoff.service.HandoffUnavailable)."""
    message = "De database met verzoeken is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."
    return render(request, "error.html", 503, message=message, detail=str(error)[:300])


def set_session(request: Request, response: HTTPResponse, session: Session) -> HTTPResponse:
    response.cookies[COOKIE] = sign_session(session, state(request).settings.secret)
    cookie = response.cookies[COOKIE]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = max(0, int(session.expires - time.time()))
    if state(request).settings.secure_cookie or request.scheme == "https":  # or a trusted proxy's X-Forwarded-Proto
        cookie["secure"] = True
    return response
