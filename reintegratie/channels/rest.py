"""Rasa's REST channel with checked input, rate limits and a message instead of silence when a turn fails.

Use it in credentials.yml instead of ``rest:``. Its name is still "rest", so the address stays
``POST /webhooks/rest/webhook`` and the request and answer are Rasa's::

    reintegratie.channels.rest.RestChannel:

What it adds to Rasa's (every refusal answers in the bot-reply shape ``[{"recipient_id": ..., "text": ...}]``,
in Dutch, and processes and stores nothing):

- The body must be a JSON object with a text ``message`` and a ``sender``: 1 to 64 letters, digits, ``-`` or
  ``_``, without personal data (common/conversation_ids.py). Otherwise HTTP 400. Rasa would take any
  sender, and without one put every client in the one conversation ``default``.
- ``input_channel`` and ``metadata`` come from the server, not the body: the channel is always "rest" and the
  metadata is ``{"client": <keyed hash of the address>}``.
- A message over ``MAX_MESSAGE_CHARS``: HTTP 413. Over the rate limit per conversation or per client address:
  HTTP 429 with ``Retry-After`` (reintegratie/channels/inbound.py).
- A failed turn (for example the action server is down) answers ``action_fallback.SORRY`` instead of ``[]``.
- A browser request from a website outside ``CORS_ORIGINS`` (its ``Origin`` header): HTTP 403. CORS alone only
  hides the answer from such a page; a ``text/plain`` POST would still be processed.
- ``?stream=true``: HTTP 400. Rasa's streamed answer waits for an end that never comes when the turn fails, so
  the request hung; the whole answer at once has the "er ging iets mis" message.
- With ``REST_CHANNEL_TOKEN`` set, every POST needs ``Authorization: Bearer <token>`` (else HTTP 401): for a
  production site whose only public channel is the widget, but where a helpdesk system still talks REST. To
  switch the REST channel off, leave it out of credentials.yml.
"""

from __future__ import annotations

import hmac
from typing import Any

from rasa.core.channels.rest import RestInput
from rasa.utils.endpoints import bool_arg
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from common import http_guard, settings
from common.conversation_ids import rest_sender
from reintegratie.channels import action_fallback, inbound
from reintegratie.channels.action_fallback import OnNewMessage
from reintegratie.channels.rate_limit import log_rejected, too_many_messages

UNREADABLE = 'Ik kon dit bericht niet lezen. Stuur JSON met je tekst in "message" en een gespreksnummer in "sender".'
KEY_NEEDED = "Dit kanaal is alleen voor systemen met een sleutel. Gebruik de chat op de website."
OTHER_WEBSITE = "Dit kanaal neemt geen berichten aan van deze website. Gebruik de chat op de website van je gemeente."
NO_STREAM = "Dit kanaal stuurt het antwoord in één keer. Laat ?stream=true weg."
BAD_SENDER = (
    'Ik kon dit bericht niet lezen. Het gespreksnummer in "sender" mag 1 tot 64 letters, cijfers, - of _ '
    "hebben. Gebruik geen BSN, telefoonnummer of e-mailadres."
)


def _body(request: Request) -> dict[str, Any] | None:
    """The JSON body when it is an object with a text ``message``, else None."""
    try:
        body = request.json
    except Exception:  # Sanic raises on a body that is not JSON
        return None
    if not isinstance(body, dict) or not isinstance(body.get("message"), str):
        return None
    return body


def _refuse(text: str, status: int, recipient: str = "", headers: dict[str, str] | None = None) -> HTTPResponse:
    return response.json([{"recipient_id": recipient, "text": text}], status=status, headers=headers)


class RestChannel(RestInput):
    def __init__(self, gate: inbound.Gate | None = None) -> None:
        self.gate = gate or inbound.Gate.shared()
        self.max_chars = inbound.max_message_chars()
        self.token = settings.get("REST_CHANNEL_TOKEN")

    async def _extract_sender(self, req: Request) -> str | None:
        return rest_sender(req.json.get("sender"))  # checked in the middleware below

    def _extract_message(self, req: Request) -> str:
        return inbound.clean_payload(inbound.readable_text(req.json["message"]))

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()  # a body's "input_channel" would let a client pose as the widget

    def get_metadata(self, request: Request) -> dict[str, Any]:
        return inbound.client_metadata(inbound.client_address(request))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = super().blueprint(action_fallback.with_fallback(on_new_message))
        http_guard.attach(blueprint)  # for the whole Rasa server: Content-Length: -1 hung it (http_guard.py)

        @blueprint.middleware("request")
        async def check(request: Request) -> HTTPResponse | None:
            if request.method != "POST":
                return None
            if self.token and not hmac.compare_digest(
                (request.headers.get("Authorization") or "").encode(), f"Bearer {self.token}".encode()
            ):
                return _refuse(KEY_NEEDED, 401)
            if inbound.foreign_origin(request.headers.get("origin")):
                return _refuse(OTHER_WEBSITE, 403)
            if bool_arg(request, "stream", default=False):
                return _refuse(NO_STREAM, 400)
            body = _body(request)
            if body is None:
                return _refuse(UNREADABLE, 400)
            sender_id = rest_sender(body.get("sender"))
            if sender_id is None:
                return _refuse(UNREADABLE if body.get("sender") is None else BAD_SENDER, 400)
            if len(body["message"]) > self.max_chars:
                return _refuse(inbound.too_long(self.max_chars), 413, sender_id)
            client = inbound.client_metadata(inbound.client_address(request))["client"]
            decision, which = await self.gate.admit(sender_id, client)
            if decision.allowed:
                return None
            log_rejected(self.name(), sender_id, decision, which)
            return _refuse(
                too_many_messages(decision),
                429,
                sender_id,
                headers={"Retry-After": str(decision.retry_after_seconds)},
            )

        return blueprint
