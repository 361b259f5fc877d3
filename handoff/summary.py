"""A short summary of a conversation for the consultant: the last turns and the known slots.

Personal data is scrubbed where the summary is stored (``HandoffService.create``), for every caller.
"""

from __future__ import annotations

import re
from typing import Any

#: Slots that say nothing to a consultant or hold contact details (those go in the callback, on purpose).
HIDDEN_SLOTS = frozenset(
    {
        "requested_slot",
        "session_started_metadata",
        "handoff_modus",
        "terugbel_contact",
        "terugbel_pogingen",
        "check_pogingen",
    }
)
_PAYLOAD = re.compile(r"^/([\w-]+)")


def _internal(name: str) -> bool:
    return name in HIDDEN_SLOTS or name.startswith(("_", "rasa_", "knowledge_base_"))


def _turn_text(text: str) -> str:
    """A button payload (``/faq{"artikel": ...}``) becomes ``[knop: faq]``; other text stays."""
    if text.startswith("/"):
        match = _PAYLOAD.match(text)
        return f"[knop: {match.group(1)}]" if match else "[knop]"
    return text


def build_summary(events: list[dict[str, Any]], slots: dict[str, Any], max_turns: int = 10) -> dict[str, Any]:
    """``{"turns": [{"who": "user"|"bot", "text": ...}], "slots": {...}}`` from Rasa tracker event dicts.

    The last ``max_turns`` user and bot messages and the slots that are set and not internal.
    """
    turns: list[dict[str, Any]] = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind in ("user", "bot") and isinstance(text, str) and text.strip():
            turns.append({"who": kind, "text": _turn_text(text.strip())})
    kept = {name: value for name, value in slots.items() if value is not None and not _internal(name)}
    return {"turns": turns[-max_turns:] if max_turns > 0 else [], "slots": kept}
