"""A Rasa tracker (JSON from the HTTP API) as lines a consultant reads. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from console.localtime import local
from console.rasa_api import handoff_of

NOTES = {
    "pause": "Een medewerker heeft het gesprek overgenomen; de assistent zwijgt.",
    "resume": "De assistent is weer actief.",
    "session_started": "Nieuwe sessie.",
    "restart": "Het gesprek is opnieuw begonnen.",
}


@dataclass(frozen=True)
class Line:
    who: str  # "user", "bot", "medewerker" or "note"
    label: str
    text: str
    time: datetime | None
    buttons: list[str] = field(default_factory=list)


def _line(event: dict) -> Line | None:
    kind, moment = event.get("event"), local(event.get("timestamp"))
    if kind == "user" and event.get("text"):
        return Line("user", "Gebruiker", event["text"], moment)
    if kind == "bot" and event.get("text"):
        consultant = (event.get("metadata") or {}).get("medewerker")
        data = event.get("data") or {}
        buttons = [str(b.get("title", "")) for b in data.get("buttons") or []]
        if consultant:
            return Line("medewerker", f"Medewerker {consultant}", event["text"], moment)
        if handoff_of(data):
            return Line("medewerker", "Console (automatisch bericht)", event["text"], moment)
        return Line("bot", "Assistent", event["text"], moment, buttons)
    if kind in NOTES:
        return Line("note", "", NOTES[kind], moment)
    return None


def transcript(tracker: dict) -> list[Line]:
    """User and bot messages with their times, and a note where the bot paused or resumed."""
    lines = [line for event in tracker.get("events") or [] if (line := _line(event))]
    if lines and lines[0].text == NOTES["session_started"]:  # every conversation begins with one
        lines = lines[1:]
    return lines


def is_paused(tracker: dict) -> bool:
    return bool(tracker.get("paused"))
