"""Logging in and out, and the app-wide request middleware that create_app installs first: the session from
the signed cookie (only while this process still knows its id), a login for every page except /health,
/login and /static, and the session's CSRF token on every POST.

The password check (PBKDF2, 600,000 rounds: about 0.3 s) runs in a worker thread, so it holds up no other
request; the throttle counts the attempt before that, so parallel guesses cannot get past the limit.
"""

from __future__ import annotations

import asyncio

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect, text

from console.auth import Session, check_login, read_session
from console.blueprints.shared import COOKIE, render, set_session, state

PUBLIC = ("/health", "/login", "/static/")
LOGIN_PAGE_SECONDS = 3600  # the lifetime of a session before login (it carries the login form's CSRF token)


def client_address(request: Request) -> str:
    """The address from the trusted proxy header (when configured), else the connection's peer."""
    return request.remote_addr or request.ip


async def load_session(request: Request) -> None:
    """``request.ctx.session``: the cookie's session, or None (none, tampered with, expired or logged out)."""
    session = read_session(request.cookies.get(COOKIE), state(request).settings.secret)
    if session is not None and session.user is not None and not state(request).sessions.active(session):
        session = None  # logged out, or issued before a restart
    request.ctx.session = session


async def require_login(request: Request) -> HTTPResponse | None:
    """Sends who is not logged in to /login (401 for a POST), and refuses a POST without the CSRF token."""
    session: Session | None = request.ctx.session
    if request.path.startswith(PUBLIC) and not (request.path == "/login" and request.method == "POST"):
        return None
    logged_in = session is not None and session.user is not None
    if request.path != "/login" and not logged_in:
        if request.method in ("GET", "HEAD"):
            return redirect("/login", status=303)
        return text("Niet ingelogd.", status=401)
    if request.method == "POST" and (session is None or request.form.get("csrf") != session.csrf):
        if request.path == "/login":  # an expired login page: show a fresh one
            request.ctx.session = Session.new(None, LOGIN_PAGE_SECONDS)
            page = render(request, "login.html", 403, error="De pagina was verlopen. Probeer het opnieuw.")
            return set_session(request, page, request.ctx.session)
        return text("Ongeldig formulier (CSRF). Laad de pagina opnieuw.", status=403)
    return None


async def login_page(request: Request) -> HTTPResponse:
    session = request.ctx.session
    if session and session.user:
        return redirect("/", status=303)
    request.ctx.session = session or Session.new(None, LOGIN_PAGE_SECONDS)
    page = render(request, "login.html", no_users=not state(request).settings.users)
    return set_session(request, page, request.ctx.session)


async def login(request: Request) -> HTTPResponse:
    console = state(request)
    name = (request.form.get("naam") or "").strip()[:100]
    password = request.form.get("wachtwoord") or ""
    client = client_address(request)
    delay = console.throttle.attempt(client, name)  # counted now, before the first await: parallel guesses queue up
    if delay is None:
        error = "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw."
        return render(request, "login.html", 429, error=error, name=name)
    if not await asyncio.to_thread(check_login, console.settings.users, name, password):
        await asyncio.sleep(delay)
        return render(
            request,
            "login.html",
            401,
            error="Naam of wachtwoord klopt niet.",
            name=name,
            no_users=not console.settings.users,
        )
    console.throttle.succeeded(client, name)
    request.ctx.session = Session.new(name, console.settings.session_seconds)  # a new id and CSRF token too
    console.sessions.add(request.ctx.session)
    return set_session(request, redirect("/", status=303), request.ctx.session)


async def logout(request: Request) -> HTTPResponse:
    state(request).sessions.end(request.ctx.session)  # the old cookie no longer logs in, wherever it was saved
    return set_session(request, redirect("/login", status=303), Session.new(None, LOGIN_PAGE_SECONDS))


def blueprint() -> Blueprint:
    bp = Blueprint("auth")
    bp.get("/login")(login_page)
    bp.post("/login")(login)
    bp.post("/uitloggen")(logout)
    return bp
