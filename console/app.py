"""The console's routes: login, the queue, one request with its conversation, claim/reply/close, insights.

Every page except /health, /login and /static needs a logged-in session (a signed cookie whose id this
process still knows: logging out ends it); every POST needs the CSRF token of that session. Pages are
Jinja2 templates with autoescaping on, so text from the chat is always shown as text.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jinja2 import Environment, FileSystemLoader
from sanic import Request, Sanic
from sanic.response import HTTPResponse, file, html, redirect, text

from common import http_guard
from console import insights
from console.auth import ActiveSessions, LoginThrottle, Session, check_login, read_session, sign_session
from console.localtime import TZ, show
from console.rasa_api import RasaClient, RasaUnavailable, claim_events, close_events, reply_events
from console.settings import Settings
from console.transcript import is_paused, transcript
from handoff.service import HandoffService, HandoffUnavailable

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
COOKIE = "console_sessie"
PUBLIC = ("/health", "/login", "/static/")
STATIC = HERE / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
#: Longest path looked at; ours are short, and a file name has at most 255 bytes anyway.
MAX_PATH = 1024
#: Ids of handoff requests are an INTEGER column (32 bits on PostgreSQL); a larger one cannot exist, and
#: handing it to the database gave an OverflowError (500).
MAX_ID = 2**31 - 1
MAX_REPLY = 2000
RETRY_DELAY = 1.0  # seconds between two attempts to reach Rasa
STATUS = {"open": "Open", "claimed": "Geclaimd", "closed": "Gesloten"}
DONE = {
    "geclaimd": "Je hebt het gesprek overgenomen. De assistent zwijgt nu.",
    "verstuurd": "Je bericht is verstuurd.",
    "gesloten": "Het verzoek is gesloten. De assistent praat weer met de gebruiker.",
}
RASA_DOWN = "De assistent (Rasa) is nu niet bereikbaar."
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def callback_text(callback: dict | None) -> str:
    if not callback or not callback.get("wanted"):
        return "Nee"
    parts = [f"{label} {callback[key]}" for key, label in
             (("email", "e-mail"), ("phone", "telefoon"), ("moment", "moment")) if callback.get(key)]
    return "Ja: " + ", ".join(parts) if parts else "Ja"


def value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def templates() -> Environment:
    environment = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    environment.filters.update(time=show, status=lambda s: STATUS.get(s, s), callback=callback_text,
                               value=value_text, percent=lambda f: f"{100 * f:.0f}%")
    return environment


def static_files() -> dict[str, Path]:
    """The files /static/ serves: exactly those in console/static/, by name. A name is looked up in this
    dict and never joined to a directory, so no path (``..``, NUL, a name too long) reaches the file system."""
    return {path.name: path for path in STATIC.iterdir() if path.is_file() and path.suffix in STATIC_TYPES}


def static_name(path: str) -> str | None:
    """The file name in a /static/ path, or None when the path cannot name a file: too long, a percent
    escape that is not UTF-8, a NUL or other control character."""
    if len(path) > MAX_PATH:
        return None
    try:
        name = unquote(path.removeprefix("/static/"), errors="strict")
    except UnicodeDecodeError:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return None
    return name


def create_app(settings: Settings, service: Any = None, rasa: RasaClient | None = None) -> Sanic:
    app = Sanic("console")
    http_guard.attach(app)  # malformed request heads (Content-Length: -1) get 400, not a hung server
    app.config.REQUEST_MAX_SIZE = 1_000_000
    # Sanic reads the client's address (request.remote_addr) and scheme from these proxy headers only
    # when told how many proxies are in front, or which header the proxy sets; else only the peer counts.
    app.config.PROXIES_COUNT = settings.proxies_count or None
    app.config.REAL_IP_HEADER = settings.real_ip_header or None
    jinja = templates()
    throttle = LoginThrottle()
    sessions = ActiveSessions()
    rasa = rasa or RasaClient(settings.rasa_url, settings.rasa_token)
    service = service or HandoffService(url=settings.handoff_database_url)  # migrates; retries when down
    state: dict[str, Any] = {"tracker_engine": None}

    # --- sessions ------------------------------------------------------------------------------------

    def client_address(request: Request) -> str:
        """The address from the trusted proxy header (when configured), else the connection's peer."""
        return request.remote_addr or request.ip

    def set_session(request: Request, response: HTTPResponse, session: Session) -> HTTPResponse:
        response.cookies[COOKIE] = sign_session(session, settings.secret)
        cookie = response.cookies[COOKIE]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/"
        cookie["max-age"] = max(0, int(session.expires - time.time()))
        if settings.secure_cookie or request.scheme == "https":  # https, or a trusted proxy's X-Forwarded-Proto
            cookie["secure"] = True
        return response

    def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
        session: Session | None = getattr(request.ctx, "session", None)
        body = jinja.get_template(template).render(
            user=session.user if session else None, csrf=session.csrf if session else "", **context
        )
        return html(body, status=status)

    @app.on_request
    async def guard(request: Request) -> HTTPResponse | None:
        session = read_session(request.cookies.get(COOKIE), settings.secret)
        if session is not None and session.user is not None and not sessions.active(session):
            session = None  # logged out, or issued before a restart
        request.ctx.session = session
        if request.path.startswith(PUBLIC) and not (request.path == "/login" and request.method == "POST"):
            return None
        logged_in = session is not None and session.user is not None
        if request.path != "/login" and not logged_in:
            if request.method in ("GET", "HEAD"):
                return redirect("/login", status=303)
            return text("Niet ingelogd.", status=401)
        if request.method == "POST" and (session is None or request.form.get("csrf") != session.csrf):
            if request.path == "/login":  # an expired login page: show a fresh one
                request.ctx.session = Session.new(None, 3600)
                page = render(request, "login.html", 403, error="De pagina was verlopen. Probeer het opnieuw.")
                return set_session(request, page, request.ctx.session)
            return text("Ongeldig formulier (CSRF). Laad de pagina opnieuw.", status=403)
        request_id = request.match_info.get("request_id")
        if isinstance(request_id, int) and not 0 < request_id <= MAX_ID:  # for every /verzoeken/<id> route
            return render(request, "error.html", 404, message="Deze pagina bestaat niet.")
        return None

    @app.on_response
    async def headers(request: Request, response: HTTPResponse) -> None:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")

    @app.exception(Exception)
    async def failure(request: Request, error: Exception) -> HTTPResponse:
        status = getattr(error, "status_code", 500)
        if status == 404:
            return render(request, "error.html", 404, message="Deze pagina bestaat niet.")
        if status < 500:
            return render(request, "error.html", status, message=f"Dat verzoek kan niet (fout {status}).")
        logger.error("Fout bij %s %s", request.method, request.path, exc_info=error)
        return render(request, "error.html", 500, message="Er ging iets mis. Probeer het opnieuw.")

    # --- static files --------------------------------------------------------------------------------

    files = static_files()

    @app.route("/static/<name:path>", methods=["GET", "HEAD"], name="static")
    async def static(request: Request, name: str) -> HTTPResponse:
        """Instead of Sanic's app.static, which gave 500 with a traceback for a NUL or a very long name."""
        wanted = static_name(request.path)
        if wanted is None:
            return text("Dit adres klopt niet.", status=400)
        location = files.get(wanted)
        if location is None:
            return render(request, "error.html", 404, message="Deze pagina bestaat niet.")
        return await file(location, mime_type=STATIC_TYPES[location.suffix])

    # --- login -------------------------------------------------------------------------------------------

    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return text("ok")

    @app.get("/login")
    async def login_page(request: Request) -> HTTPResponse:
        session = request.ctx.session
        if session and session.user:
            return redirect("/", status=303)
        request.ctx.session = session or Session.new(None, 3600)
        return set_session(request, render(request, "login.html", no_users=not settings.users), request.ctx.session)

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        name = (request.form.get("naam") or "").strip()[:100]
        password = request.form.get("wachtwoord") or ""
        client = client_address(request)
        delay = throttle.attempt(client, name)  # counted now, before the first await: parallel guesses queue up
        if delay is None:
            error = "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw."
            return render(request, "login.html", 429, error=error, name=name)
        loop = asyncio.get_running_loop()
        if not await loop.run_in_executor(None, check_login, settings.users, name, password):
            await asyncio.sleep(delay)
            return render(request, "login.html", 401, error="Naam of wachtwoord klopt niet.", name=name,
                          no_users=not settings.users)
        throttle.succeeded(client, name)
        request.ctx.session = Session.new(name, settings.session_seconds)  # a new id and CSRF token too
        sessions.add(request.ctx.session)
        return set_session(request, redirect("/", status=303), request.ctx.session)

    @app.post("/uitloggen")
    async def logout(request: Request) -> HTTPResponse:
        sessions.end(request.ctx.session)  # the old cookie no longer logs in, wherever it was saved
        return set_session(request, redirect("/login", status=303), Session.new(None, 3600))

    # --- the queue and one request --------------------------------------------------------------

    def unavailable(request: Request, error: Exception) -> HTTPResponse:
        message = "De database met verzoeken is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."
        return render(request, "error.html", 503, message=message, detail=str(error)[:300])

    @app.get("/")
    async def queue(request: Request) -> HTTPResponse:
        try:
            records = service.list()
        except HandoffUnavailable as error:
            return unavailable(request, error)
        active = [r for r in records if r.status in ("open", "claimed")]
        closed = [r for r in records if r.status == "closed"][:10]
        return render(request, "queue.html", active=active, closed=closed)

    async def conversation(record: Any) -> tuple[list, bool | None, str | None]:
        """The transcript, whether the bot is paused, and an error (then the first two are empty)."""
        try:
            tracker = await rasa.tracker(record.conversation_id)
        except RasaUnavailable:
            return [], None, RASA_DOWN + " Het gesprek kan daarom nu niet worden getoond."
        return transcript(tracker), is_paused(tracker), None

    def warnings(record: Any, paused: bool | None) -> list[str]:
        if paused is False and record.status == "claimed":
            return ["De assistent weet nog niet dat het gesprek is overgenomen en praat nog mee. "
                    "Kies 'Opnieuw overnemen' om het nog eens te versturen."]
        if paused is True and record.status == "closed":
            return ["De assistent zwijgt nog in dit gesprek. Kies 'Assistent weer laten praten'."]
        return []

    async def detail_page(request: Request, record: Any, status: int = 200, error: str | None = None,
                          reply: str = "") -> HTTPResponse:
        lines, paused, tracker_error = await conversation(record)
        return render(
            request, "detail.html", status, record=record, lines=lines, paused=paused,
            tracker_error=tracker_error, warnings=warnings(record, paused), error=error, reply=reply,
            done=DONE.get(request.args.get("gedaan", "")), mine=record.consultant == request.ctx.session.user,
        )

    @app.get("/verzoeken/<request_id:int>")
    async def detail(request: Request, request_id: int) -> HTTPResponse:
        try:
            record = service.get(request_id)
        except HandoffUnavailable as error:
            return unavailable(request, error)
        if record is None:
            return render(request, "error.html", 404, message=f"Verzoek {request_id} bestaat niet.")
        return await detail_page(request, record)

    @app.get("/verzoeken/<request_id:int>/gesprek")
    async def transcript_fragment(request: Request, request_id: int) -> HTTPResponse:
        """Only the transcript, for the page's polling script."""
        try:
            record = service.get(request_id)
        except HandoffUnavailable:
            record = None
        if record is None:
            return text("", status=404)
        lines, _, tracker_error = await conversation(record)
        return render(request, "_transcript.html", lines=lines, tracker_error=tracker_error)

    async def post_events(conversation_id: str, events: list[dict], attempts: int = 2) -> bool:
        for attempt in range(attempts):
            try:
                await rasa.append_events(conversation_id, events)
                return True
            except RasaUnavailable:
                if attempt + 1 < attempts:
                    await asyncio.sleep(RETRY_DELAY)
        return False

    def action(handler: Any) -> Any:
        """Loads the record for a POST on /verzoeken/<id>/...; 404 and database errors are handled here."""

        async def wrapped(request: Request, request_id: int) -> HTTPResponse:
            try:
                record = service.get(request_id)
                if record is None:
                    return render(request, "error.html", 404, message=f"Verzoek {request_id} bestaat niet.")
                return await handler(request, record, request.ctx.session.user)
            except HandoffUnavailable as error:
                return unavailable(request, error)

        wrapped.__name__ = handler.__name__
        return wrapped

    def conflict(record: Any) -> str:
        if record.status == "closed":
            return "Dit verzoek is al gesloten."
        return f"Dit verzoek is al geclaimd door {record.consultant}."

    @app.post("/verzoeken/<request_id:int>/claimen")
    @action
    async def claim(request: Request, record: Any, user: str) -> HTTPResponse:
        if record.status == "open":
            try:
                record = service.claim(record.id, user)
            except ValueError:
                record = service.get(record.id)
                return await detail_page(request, record, 409, error=conflict(record))
        elif not (record.status == "claimed" and record.consultant == user):
            return await detail_page(request, record, 409, error=conflict(record))
        else:  # claimed by this user before: send the pause again only when Rasa did not get it
            _, paused, _ = await conversation(record)
            if paused:
                return redirect(f"/verzoeken/{record.id}?gedaan=geclaimd", status=303)
        if not await post_events(record.conversation_id, claim_events(user, record.audience)):
            error = (f"{RASA_DOWN} Het verzoek staat op jouw naam, maar de gebruiker weet dat nog niet en de "
                     "assistent praat nog mee. Probeer het zo opnieuw met 'Opnieuw overnemen'.")
            return await detail_page(request, record, 502, error=error)
        return redirect(f"/verzoeken/{record.id}?gedaan=geclaimd", status=303)

    @app.post("/verzoeken/<request_id:int>/antwoord")
    @action
    async def answer(request: Request, record: Any, user: str) -> HTTPResponse:
        reply = (request.form.get("bericht") or "").strip()
        if record.status != "claimed" or record.consultant != user:
            return await detail_page(request, record, 409, error="Alleen wie het verzoek heeft geclaimd, kan "
                                     "antwoorden.", reply=reply)
        if not reply or len(reply) > MAX_REPLY:
            error = f"Schrijf een bericht van 1 tot {MAX_REPLY} tekens."
            return await detail_page(request, record, 400, error=error, reply=reply[:MAX_REPLY])
        if not await post_events(record.conversation_id, reply_events(user, reply), attempts=1):
            error = f"{RASA_DOWN} Je bericht is niet verstuurd; probeer het zo opnieuw."
            return await detail_page(request, record, 502, error=error, reply=reply)
        return redirect(f"/verzoeken/{record.id}?gedaan=verstuurd#antwoord", status=303)

    @app.post("/verzoeken/<request_id:int>/sluiten")
    @action
    async def close(request: Request, record: Any, user: str) -> HTTPResponse:
        if record.status == "claimed" and record.consultant != user:
            return await detail_page(request, record, 409, error=conflict(record))
        if record.status == "closed":
            _, paused, _ = await conversation(record)
            if not paused:
                return redirect(f"/verzoeken/{record.id}?gedaan=gesloten", status=303)
        # Rasa first: if it is down, the request stays claimed and the bot stays paused (consistent).
        if not await post_events(record.conversation_id, close_events()):
            still = "De assistent zwijgt nog" if record.status == "closed" else "Het verzoek is niet gesloten"
            error = f"{RASA_DOWN} {still}; probeer het zo opnieuw."
            return await detail_page(request, record, 502, error=error)
        if record.status != "closed":
            try:
                service.close(record.id, user)
            except ValueError:
                return await detail_page(request, service.get(record.id), 409, error=conflict(record))
        return redirect(f"/verzoeken/{record.id}?gedaan=gesloten", status=303)

    # --- insights --------------------------------------------------------------------------------------

    def tracker_engine() -> Any:
        if state["tracker_engine"] is None:
            state["tracker_engine"] = insights.tracker_engine(settings.tracker_store_url)
        return state["tracker_engine"]

    def build_insights() -> insights.Insights:
        today = datetime.now(TZ).date()
        events = insights.user_events(tracker_engine(), insights.since_timestamp(today))
        return insights.build(service.list(), events, today)

    @app.get("/inzichten")
    async def insights_page(request: Request) -> HTTPResponse:
        try:
            data = await asyncio.get_running_loop().run_in_executor(None, build_insights)
        except HandoffUnavailable as error:
            return unavailable(request, error)
        return render(request, "insights.html", data=data, days=insights.DAYS)

    return app
