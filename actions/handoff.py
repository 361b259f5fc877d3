"""Handoff to a human consultant: ask consent, then store a request (``handoff``) and say what happens.

Within opening hours the request goes to the queue of the consultant console. Outside them the user
may leave a request, with an e-mail address or phone number only if they offer one (``terugbel_form``).
The database work runs in a thread, so the action server's event loop never blocks on it.

What reaches the request is checked here, because a button payload can set a slot to anything (review M4): the
audience only when it is one of the domain's values, the topic only when it is an article topic or a real check.
One client (``metadata["client"]`` of the latest message, else the conversation) may have at most
``HANDOFF_MAX_OPEN_PER_CLIENT`` open requests (review M6), so a script cannot fill the consultants' queue.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from datetime import datetime, timezone
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import antwoorden
from actions.forms import CountingFormValidationAction
from actions.kennisbank import KENNISBANK, audience_of, requested_article
from common import privacy
from common.conversation_ids import CLIENT_METADATA_KEY
from eligibility import CHECKS
from eligibility.vocabulary import ADDRESS, Audience
from handoff.db import database_url
from handoff.opening_hours import OpeningHours
from handoff.service import HandoffService, HandoffUnavailable, TooManyOpen, max_open_per_client
from handoff.summary import build_summary

logger = logging.getLogger(__name__)

MODE = "handoff_modus"
DIRECT, CALLBACK = "direct", "terugbellen"
CONTACT = "terugbel_contact"
CONTACT_FAILURES = "terugbel_pogingen"
NO_CONTACT = "geen"

#: Why a conversation needs a person, read from the bot's last step before the request.
REASONS = {
    "utter_fallback_weet_niet": "niet begrepen",
    "utter_fallback_suggesties": "niet begrepen",
    "action_niet_begrepen": "niet begrepen",
    "utter_niet_in_bronnen": "niet in de bronnen",
    "action_niet_in_bronnen": "niet in de bronnen",
    "utter_onbekend_artikel": "niet in de bronnen",
    "action_check_uitslag": "na een check",
    "utter_check_hulp": "vast in een check",
    "check_form": "vast in een check",
}
ON_REQUEST = "op verzoek"
#: A frustrated or angry user was offered a person (intent ``frustratie``, data/nlu/toon.yml).
FRUSTRATED = "ontevreden"
#: A worried user was offered a person (intent ``zorgen``).
WORRIED = "zorgen"
#: The ``audience`` slot's values in domain.yml (tests/unit/actions/test_handoff_abuse.py checks); others are
#: unknown.
AUDIENCES = tuple(audience.value for audience in Audience)
#: What a client key set by our channels looks like ("c:" + hex); anything else falls back to the conversation.
_CLIENT = re.compile(r"[A-Za-z0-9:_-]{1,64}")

#: Said instead of storing a request when the client already has the most open requests it may have.
TOO_MANY_OPEN = {
    "je": (
        "Er staan vanaf jouw internetverbinding al vragen klaar voor een medewerker. Meer vragen tegelijk kan niet. "
        "Een medewerker helpt eerst die vragen. Probeer het later opnieuw. "
        "Of neem contact op met je gemeente of met UWV."
    ),
    "u": (
        "Er staan vanaf uw internetverbinding al vragen klaar voor een medewerker. Meer vragen tegelijk kan niet. "
        "Een medewerker helpt eerst die vragen. Probeer het later opnieuw. "
        "Of neem contact op met uw gemeente of met UWV."
    ),
}


def now() -> datetime:
    """The current time (tests replace this)."""
    return datetime.now(timezone.utc)


def opening_hours() -> OpeningHours:
    return OpeningHours.from_env()


def next_opening() -> str:
    return opening_hours().next_opening_text(now())


# A malformed HANDOFF_OPENINGSTIJDEN or HANDOFF_MAX_OPEN_PER_CLIENT stops the action server at start with a
# clear error, not mid-conversation.
opening_hours()
max_open_per_client()


@functools.lru_cache(maxsize=4)
def _service(url: str) -> HandoffService:
    return HandoffService(url)


def service() -> HandoffService:
    """The handoff store for ``HANDOFF_DATABASE_URL``; made (and migrated) on first use, retried when that failed."""
    return _service(database_url())


def handoff_reason(events: List[Dict[str, Any]]) -> str:
    """The reason for a handoff: what the bot did just before the user asked for a person."""
    asked = False
    for event in reversed(events):
        kind = event.get("event")
        if not asked:
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if kind == "user" and intent == "frustratie":
                return FRUSTRATED
            if kind == "user" and intent == "zorgen":
                return WORRIED
            asked = kind == "user" and intent == "request_human"
        elif kind == "user":
            break
        elif kind == "action" and event.get("name") != "action_listen":
            return REASONS.get(event["name"], ON_REQUEST)
    return ON_REQUEST


def known_audience(tracker: Tracker) -> str | None:
    """The audience slot when it holds one of the domain's values, else None (a payload can set any text)."""
    audience = audience_of(tracker)
    return audience.value if audience is not None else None


def client_of(tracker: Tracker) -> str:
    """Who asks, for the limit on open requests: ``metadata["client"]`` of the latest user message (set by our
    channels to a keyed hash of the address), else the conversation id."""
    metadata = next(
        (event.get("metadata") for event in reversed(tracker.events) if event.get("event") == "user"),
        tracker.latest_message.get("metadata"),
    )
    client = metadata.get(CLIENT_METADATA_KEY) if isinstance(metadata, dict) else None
    return client if isinstance(client, str) and _CLIENT.fullmatch(client) else tracker.sender_id


def too_many_open(tracker: Tracker) -> str:
    return TOO_MANY_OPEN[ADDRESS[audience_of(tracker)]]


def handoff_topic(tracker: Tracker) -> str | None:
    """The topic of the last kennisbank answer or check in this conversation, if any.

    The ``check`` slot holds the user's own words while the form asks which check (until the form's
    validation replaces them), so only the name of a real check counts.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") in ("check", "laatste_uitslag") and event.get("value"):
            check = str(event["value"]).split(":")[0].strip()
            if check in CHECKS:
                return f"check {check}"
            continue
        if event.get("event") == "user":
            article = KENNISBANK.get(requested_article(event.get("parse_data") or {}) or "")
            if article is not None:
                return article.topics[0]
    return None


def contact_from(text: str) -> Dict[str, str] | None:
    """The e-mail address and/or phone number in ``text``, or None when there is neither."""
    found = {"email": privacy.find_emails(text), "phone": privacy.find_phones(text)}
    contact = {kind: values[0] for kind, values in found.items() if values}
    return contact or None


class ActionHandoffAanbieden(Action):
    """Tell what a handoff means and ask consent; outside opening hours offer to leave a request."""

    def name(self) -> str:
        return "action_handoff_aanbieden"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        limit = max_open_per_client()

        def look_up() -> tuple[bool, bool]:
            """(this conversation has an active request, its client has the most open requests it may)"""
            store = service()
            if store.active_for(tracker.sender_id) is not None:
                return True, False
            return False, bool(limit) and store.open_for_client(client_of(tracker)) >= limit

        try:
            active, full = await asyncio.to_thread(look_up)
        except HandoffUnavailable:
            active = full = False  # asking is still fine; storing will tell the user if it fails
        if active:
            dispatcher.utter_message(response="utter_handoff_loopt_al")
            return []
        if full:  # no consent asked for a request that could not be stored
            dispatcher.utter_message(text=too_many_open(tracker))
            return []
        hours, moment = opening_hours(), now()
        if hours.is_open(moment):
            dispatcher.utter_message(response="utter_handoff_toestemming", openingstijden=hours.describe())
            return [SlotSet(MODE, DIRECT)]
        dispatcher.utter_message(
            response="utter_handoff_toestemming_gesloten",
            openingstijden=hours.describe(),
            volgende_opening=hours.next_opening_text(moment),
        )
        return [SlotSet(MODE, CALLBACK)]


class ValidateTerugbelForm(CountingFormValidationAction):
    """Understand the optional contact details: an e-mail address or phone number, or none."""

    failure_slot = CONTACT_FAILURES
    ask_again_response = "utter_terugbel_contact_niet_begrepen"

    def name(self) -> str:
        return "validate_terugbel_form"

    def validate_terugbel_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        text = str(value or "")
        contact = contact_from(text)
        if contact is not None:
            return self.understood({CONTACT: contact})
        if antwoorden.yes_no(text) is False or text.strip().lower() in {NO_CONTACT, "zonder", "zonder contactgegevens"}:
            return self.understood({CONTACT: NO_CONTACT})
        return self.not_understood(CONTACT, dispatcher, tracker)

    def give_up(self, slot: str, failures: int, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
        """No endless loop: the request is kept, without contact details."""
        return self.understood({slot: NO_CONTACT})


class ActionHandoffAanvragen(Action):
    """Store the request with a scrubbed summary; the outbox notifies the consultants."""

    def name(self) -> str:
        return "action_handoff_aanvragen"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        mode = tracker.get_slot(MODE)
        contact = tracker.get_slot(CONTACT)
        callback = None
        if mode == CALLBACK:
            callback = {"wanted": isinstance(contact, dict), **(contact if isinstance(contact, dict) else {})}
        audience = known_audience(tracker)
        request = {
            "conversation_id": tracker.sender_id,
            "audience": audience,
            "topic": handoff_topic(tracker),
            "reason": handoff_reason(tracker.events),
            "summary": build_summary(tracker.events, {**tracker.current_slot_values(), "audience": audience}),
            "callback": callback,
            "client": client_of(tracker),
            "max_open": max_open_per_client(),
        }
        # contact details live only in the handoff record, never in the conversation's slots
        forget = [SlotSet(MODE, None), SlotSet(CONTACT, None), SlotSet(CONTACT_FAILURES, None)]
        try:
            await asyncio.to_thread(lambda: service().create(**request))
        except HandoffUnavailable:
            logger.exception("handoff request for %s not stored", tracker.sender_id)
            dispatcher.utter_message(response="utter_handoff_mislukt")
            return forget
        except TooManyOpen as refused:
            logger.warning("handoff request for %s not stored: %s", tracker.sender_id, refused)
            dispatcher.utter_message(text=too_many_open(tracker))
            return forget
        if mode != CALLBACK:
            dispatcher.utter_message(response="utter_handoff_aangevraagd")
        elif callback and callback["wanted"]:
            dispatcher.utter_message(response="utter_handoff_verzoek_opgeslagen", volgende_opening=next_opening())
        else:
            dispatcher.utter_message(response="utter_handoff_verzoek_zonder_contact", volgende_opening=next_opening())
        return forget


class ActionFeedbackOntvangen(Action):
    """Thumbs up/down: the user event (intent ``feedback``, entity ``waardering``) is the record; say nothing."""

    def name(self) -> str:
        return "action_feedback_ontvangen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        return []
