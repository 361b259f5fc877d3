"""Who the user is: the ``audience`` slot, or while it is empty the audience their words make likely.

The slot is filled by what the user says about themselves (reintegratie/nlu/audience_keywords.py) or a button. Words
that only make an audience likely ("onze gemeente": a cliëntenraad member) give an ``audience`` entity with the role
``LIKELY_ROLE``, which fills no slot by itself; these functions use it while the user has said nothing more certain.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from eligibility.vocabulary import LIKELY_ROLE, Audience


def audience_of(tracker: Tracker) -> Audience | None:
    """The audience the user gave, else the one their words make likely (``likely_audience``), else None."""
    value = tracker.get_slot("audience")
    try:
        return Audience(value) if value else likely_audience(tracker)
    except ValueError:
        return likely_audience(tracker)


def likely_audience(tracker: Tracker) -> Audience | None:
    """The audience of the first ``audience`` entity with the role ``LIKELY_ROLE`` in the user's messages: "hoe kan
    onze gemeente zorgen dat jobcoaches goed zijn?" is asked by a cliëntenraad member (data/nlu/doelgroep.yml,
    ``vermoedelijk_clientenraad``), who gets the "u" answer, not the job seeker's "je werkgever" (blind22, blind30)."""
    messages = [e.get("parse_data") or {} for e in tracker.events if e.get("event") == "user"]
    for message in [*messages, tracker.latest_message or {}]:
        for entity in message.get("entities") or []:
            if entity.get("entity") == "audience" and entity.get("role") == LIKELY_ROLE:
                try:
                    return Audience(str(entity.get("value")))
                except ValueError:
                    continue
    return None


def audience_events(tracker: Tracker) -> List[Dict[str, Any]]:
    """The slot ``audience`` set to the likely audience while the user has given none, so the responses that follow
    address them in the same way as the answers."""
    likely = likely_audience(tracker) if not tracker.get_slot("audience") else None
    return [SlotSet("audience", likely.value)] if likely else []
