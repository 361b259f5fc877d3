"""Render kennisbank articles: the only way factual answers reach the user."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.lokaal import lokaal_antwoord
from common import settings
from eligibility.vocabulary import Audience
from kennisbank import loader as kennisbank
from kennisbank.render import render_article

# Loaded and validated once, when the action server imports this module.
# A malformed article stops the server at start with a clear error.
KENNISBANK = kennisbank.default()


def audience_of(tracker: Tracker) -> Audience | None:
    value = tracker.get_slot("audience")
    try:
        return Audience(value) if value else None
    except ValueError:
        return None


def requested_article(message: Dict[str, Any]) -> str | None:
    """The article a message asks for: a button's ``artikel`` entity, else the ResponseSelector's pick."""
    for entity in message.get("entities") or []:
        if entity.get("entity") == "artikel" and entity.get("value"):
            return str(entity["value"])
    selected = ((message.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    key = selected.get("intent_response_key") or ""
    prefix, _, article_id = key.partition("/")
    return article_id if prefix == "faq" and article_id else None


class ActionKennisbankAntwoord(Action):
    def name(self) -> str:
        return "action_kennisbank_antwoord"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        article_id = requested_article(tracker.latest_message)
        if not article_id or KENNISBANK.get(article_id) is None:
            dispatcher.utter_message(response="utter_onbekend_artikel")
            return []
        if lokaal_antwoord(dispatcher, tracker, KENNISBANK, article_id, audience_of(tracker)):  # issue 19 §3
            return []
        rendered = render_article(KENNISBANK, article_id, audience_of(tracker), settings.get("PUBLIC_URL"))
        dispatcher.utter_message(text=rendered.text, buttons=rendered.buttons)
        if rendered.ask_audience:
            dispatcher.utter_message(response="utter_vraag_doelgroep")
        return []
