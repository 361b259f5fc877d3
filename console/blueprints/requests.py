"""The handoff requests: the queue, one request with its conversation, and claim, reply and close.

The handoff database (handoff.service, SQLAlchemy) is synchronous: every call into it runs in a worker
thread (``asyncio.to_thread``, as actions/handoff.py does), so a slow database holds up only the request
that waits for it, not the event loop. Rasa is reached with aiohttp (console/rasa_api.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect, text

from console.blueprints.shared import not_found, render, state, unavailable
from console.rasa_api import RasaUnavailable, claim_events, close_events, reply_events
from console.transcript import is_paused, transcript
from handoff.service import HandoffUnavailable

#: Ids of handoff requests are an INTEGER column (32 bits on PostgreSQL); a larger one cannot exist, and
#: handing it to the database gave an OverflowError (500).
MAX_ID = 2**31 - 1
MAX_REPLY = 2000
RETRY_DELAY = 1.0  # seconds between two attempts to reach Rasa
DONE = {
    "geclaimd": "Je hebt het gesprek overgenomen. De assistent zwijgt nu.",
    "verstuurd": "Je bericht is verstuurd.",
    "gesloten": "Het verzoek is gesloten. De assistent praat weer met de gebruiker.",
}
RASA_DOWN = "De assistent (Rasa) is nu niet bereikbaar."

Action = Callable[[Request, Any, str], Awaitable[HTTPResponse]]


def service(request: Request) -> Any:
    """This app's handoff.service.HandoffService: synchronous, so always ``await asyncio.to_thread(...)``."""
    return state(request).service


async def known_id(request: Request) -> HTTPResponse | None:
    """Middleware of this blueprint: an id no request can have gets 404 before it reaches the database."""
    request_id = request.match_info.get("request_id")
    if isinstance(request_id, int) and not 0 < request_id <= MAX_ID:
        return not_found(request)
    return None


async def queue(request: Request) -> HTTPResponse:
    try:
        records = await asyncio.to_thread(service(request).list)
    except HandoffUnavailable as error:
        return unavailable(request, error)
    active = [r for r in records if r.status in ("open", "claimed")]
    closed = [r for r in records if r.status == "closed"][:10]
    return render(request, "queue.html", active=active, closed=closed)


async def conversation(request: Request, record: Any) -> tuple[list, bool | None, str | None]:
    """The transcript, whether the bot is paused, and an error (then the first two are empty)."""
    try:
        tracker = await state(request).rasa.tracker(record.conversation_id)
    except RasaUnavailable:
        return [], None, RASA_DOWN + " Het gesprek kan daarom nu niet worden getoond."
    return transcript(tracker), is_paused(tracker), None


def warnings(record: Any, paused: bool | None) -> list[str]:
    if paused is False and record.status == "claimed":
        return [
            "De assistent weet nog niet dat het gesprek is overgenomen en praat nog mee. "
            "Kies 'Opnieuw overnemen' om het nog eens te versturen."
        ]
    if paused is True and record.status == "closed":
        return ["De assistent zwijgt nog in dit gesprek. Kies 'Assistent weer laten praten'."]
    return []


async def detail_page(
    request: Request, record: Any, status: int = 200, error: str | None = None, reply: str = ""
) -> HTTPResponse:
    lines, paused, tracker_error = await conversation(request, record)
    return render(
        request,
        "detail.html",
        status,
        record=record,
        lines=lines,
        paused=paused,
        tracker_error=tracker_error,
        warnings=warnings(record, paused),
        error=error,
        reply=reply,
        done=DONE.get(request.args.get("gedaan", "")),
        mine=record.consultant == request.ctx.session.user,
    )


async def detail(request: Request, request_id: int) -> HTTPResponse:
    try:
        record = await asyncio.to_thread(service(request).get, request_id)
    except HandoffUnavailable as error:
        return unavailable(request, error)
    if record is None:
        return not_found(request, f"Verzoek {request_id} bestaat niet.")
    return await detail_page(request, record)


async def transcript_fragment(request: Request, request_id: int) -> HTTPResponse:
    """Only the transcript, for the page's polling script."""
    try:
        record = await asyncio.to_thread(service(request).get, request_id)
    except HandoffUnavailable:
        record = None
    if record is None:
        return text("", status=404)
    lines, _, tracker_error = await conversation(request, record)
    return render(request, "_transcript.html", lines=lines, tracker_error=tracker_error)


async def post_events(request: Request, conversation_id: str, events: list[dict], attempts: int = 2) -> bool:
    for attempt in range(attempts):
        try:
            await state(request).rasa.append_events(conversation_id, events)
            return True
        except RasaUnavailable:
            if attempt + 1 < attempts:
                await asyncio.sleep(RETRY_DELAY)
    return False


def action(handler: Action) -> Callable[[Request, int], Awaitable[HTTPResponse]]:
    """Loads the record for a POST on /verzoeken/<id>/...; 404 and database errors are handled here."""

    async def wrapped(request: Request, request_id: int) -> HTTPResponse:
        try:
            record = await asyncio.to_thread(service(request).get, request_id)
            if record is None:
                return not_found(request, f"Verzoek {request_id} bestaat niet.")
            return await handler(request, record, request.ctx.session.user)
        except HandoffUnavailable as error:
            return unavailable(request, error)

    wrapped.__name__ = handler.__name__
    return wrapped


def conflict(record: Any) -> str:
    if record.status == "closed":
        return "Dit verzoek is al gesloten."
    return f"Dit verzoek is al geclaimd door {record.consultant}."


def done(record: Any, what: str, anchor: str = "") -> HTTPResponse:
    return redirect(f"/verzoeken/{record.id}?gedaan={what}{anchor}", status=303)


@action
async def claim(request: Request, record: Any, user: str) -> HTTPResponse:
    if record.status == "open":
        try:
            record = await asyncio.to_thread(service(request).claim, record.id, user)
        except ValueError:
            record = await asyncio.to_thread(service(request).get, record.id)
            return await detail_page(request, record, 409, error=conflict(record))
    elif not (record.status == "claimed" and record.consultant == user):
        return await detail_page(request, record, 409, error=conflict(record))
    else:  # claimed by this user before: send the pause again only when Rasa did not get it
        _, paused, _ = await conversation(request, record)
        if paused:
            return done(record, "geclaimd")
    if not await post_events(request, record.conversation_id, claim_events(user, record.audience)):
        error = (
            f"{RASA_DOWN} Het verzoek staat op jouw naam, maar de gebruiker weet dat nog niet en de "
            "assistent praat nog mee. Probeer het zo opnieuw met 'Opnieuw overnemen'."
        )
        return await detail_page(request, record, 502, error=error)
    return done(record, "geclaimd")


@action
async def answer(request: Request, record: Any, user: str) -> HTTPResponse:
    reply = (request.form.get("bericht") or "").strip()
    if record.status != "claimed" or record.consultant != user:
        return await detail_page(
            request, record, 409, error="Alleen wie het verzoek heeft geclaimd, kan antwoorden.", reply=reply
        )
    if not reply or len(reply) > MAX_REPLY:
        error = f"Schrijf een bericht van 1 tot {MAX_REPLY} tekens."
        return await detail_page(request, record, 400, error=error, reply=reply[:MAX_REPLY])
    if not await post_events(request, record.conversation_id, reply_events(user, reply), attempts=1):
        error = f"{RASA_DOWN} Je bericht is niet verstuurd; probeer het zo opnieuw."
        return await detail_page(request, record, 502, error=error, reply=reply)
    return done(record, "verstuurd", "#antwoord")


@action
async def close(request: Request, record: Any, user: str) -> HTTPResponse:
    if record.status == "claimed" and record.consultant != user:
        return await detail_page(request, record, 409, error=conflict(record))
    if record.status == "closed":
        _, paused, _ = await conversation(request, record)
        if not paused:
            return done(record, "gesloten")
    # Rasa first: if it is down, the request stays claimed and the bot stays paused (consistent).
    if not await post_events(request, record.conversation_id, close_events()):
        still = "De assistent zwijgt nog" if record.status == "closed" else "Het verzoek is niet gesloten"
        error = f"{RASA_DOWN} {still}; probeer het zo opnieuw."
        return await detail_page(request, record, 502, error=error)
    if record.status != "closed":
        try:
            await asyncio.to_thread(service(request).close, record.id, user)
        except ValueError:
            current = await asyncio.to_thread(service(request).get, record.id)
            return await detail_page(request, current, 409, error=conflict(record))
    return done(record, "gesloten")


def blueprint() -> Blueprint:
    bp = Blueprint("requests")
    bp.middleware(known_id, "request")  # runs after the app's login and CSRF checks
    bp.get("/")(queue)
    bp.get("/verzoeken/<request_id:int>")(detail)
    bp.get("/verzoeken/<request_id:int>/gesprek")(transcript_fragment)
    bp.post("/verzoeken/<request_id:int>/claimen")(claim)
    bp.post("/verzoeken/<request_id:int>/antwoord")(answer)
    bp.post("/verzoeken/<request_id:int>/sluiten")(close)
    return bp
