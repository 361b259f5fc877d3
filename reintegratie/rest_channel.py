"""Rasa's REST channel with a per-sender rate limit and a message instead of silence when a turn fails.

Use it in credentials.yml instead of ``rest:``. Its name is still "rest", so the address stays
``POST /webhooks/rest/webhook`` and the request and answer are Rasa's::

    reintegratie.rest_channel.RestChannel:

- Over ``RATE_LIMIT_PER_MINUTE`` messages per sender in a rolling minute (reintegratie/rate_limit.py): the
  message is not processed. The answer is HTTP 429 with ``Retry-After`` (seconds) and a body shaped like a
  bot reply: ``[{"recipient_id": "<sender>", "text": "Je stuurt veel berichten ..."}]``.
- A failed turn (for example the action server is down) answers ``action_fallback.SORRY`` instead of ``[]``.
- A body that is not a JSON object with a text ``message`` (and, if given, a text or number ``sender``) is
  not processed: HTTP 400 with ``UNREADABLE`` in the same bot-reply shape. Rasa would answer 200 and ``[]``.
"""
from __future__ import annotations

from rasa.core.channels.rest import RestInput
from rasa.shared.constants import DEFAULT_SENDER_ID
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from reintegratie import action_fallback
from reintegratie.action_fallback import OnNewMessage
from reintegratie.rate_limit import Limiter, log_rejected, shared_limiter, too_many_messages

UNREADABLE = (
    "Ik kon dit bericht niet lezen. Stuur JSON met je tekst in \"message\" "
    "en een gespreksnummer in \"sender\"."
)


def unreadable(request: Request) -> bool:
    """True when the body is not a JSON object with a text message and a text or number sender."""
    try:
        body = request.json
    except Exception:  # Sanic raises on a body that is not JSON
        return True
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return True
    sender = body.get("sender", "")
    return isinstance(sender, bool) or not isinstance(sender, (str, int))


class RestChannel(RestInput):
    def __init__(self, limiter: Limiter | None = None) -> None:
        self.limiter = limiter or shared_limiter()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(action_fallback.with_fallback(on_new_message))

        @blueprint.middleware("request")
        async def rate_limit(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            if unreadable(request):
                return response.json([{"recipient_id": "", "text": UNREADABLE}], status=400)
            sender_id = await self._extract_sender(request)
            sender_id = DEFAULT_SENDER_ID if sender_id is None else str(sender_id)
            decision = await self.limiter.check(sender_id)
            if decision.allowed:
                return None
            log_rejected(self.name(), sender_id, decision)
            return response.json(
                [{"recipient_id": sender_id, "text": too_many_messages(decision)}],
                status=429,
                headers={"Retry-After": str(decision.retry_after_seconds)},
            )

        return blueprint
