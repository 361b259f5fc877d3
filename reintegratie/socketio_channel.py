"""Rasa's Socket.IO channel with two fixes the website widget needs (Rasa 3.6 with python-socketio 5.18).

Use it in credentials.yml instead of ``socketio:``, with the same settings (its name is still "socketio",
so ``output_channel=latest`` of the HTTP API finds it)::

    reintegratie.socketio_channel.SocketIOChannel:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true

1. ``session_request`` calls ``sio.enter_room()`` without ``await`` (RasaHQ/rasa#13027). Since python-socketio
   5.10 it is a coroutine, so the socket never joins the room of its session and, with
   ``session_persistence: true``, no answer ever reaches the browser.
2. Rasa takes any ``session_id`` a browser sends (a number, a dict, a megabyte of text) as the sender id.
   Here it must look like an id, and a message without one is ignored.

And two safeguards shared with the REST channel (reintegratie/rest_channel.py):

- Over ``RATE_LIMIT_PER_MINUTE`` messages per session in a rolling minute (reintegratie/rate_limit.py), a
  message is not processed; the session gets a ``bot_uttered`` event with the "wait and try again" text.
- A failed turn (for example the action server is down) gets ``action_fallback.SORRY`` instead of silence.

Custom JSON goes out as Rasa sends it: ``{"custom": {"data": {...}}}`` in a response or bot event reaches the
browser as ``{...}``.

Session ids must look like the ones Rasa makes (``uuid4().hex``) or similar: 8 to 64 letters, digits, ``-``, ``_``.
"""
from __future__ import annotations

import inspect
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from reintegratie import action_fallback
from reintegratie.rate_limit import log_rejected, shared_limiter, too_many_messages

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class SocketIOChannel(SocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = action_fallback.with_fallback(on_new_message)
        limiter = shared_limiter()
        blueprint = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        # Registering a handler again replaces Rasa's.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: dict | None) -> None:
            session_id = (data or {}).get("session_id")
            if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):  # a coroutine since python-socketio 5.10
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: dict) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not isinstance(sender_id, str) or not SESSION_ID.match(sender_id):
                    logger.warning("Socket.IO message without a valid session_id ignored; send session_request first.")
                    return
            else:
                sender_id = sid
            output = SocketIOOutput(sio, self.bot_message_evt)
            decision = await limiter.check(sender_id)
            if not decision.allowed:
                log_rejected(self.name(), sender_id, decision)
                await output.send_text_message(sender_id, too_many_messages(decision))
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                metadata = json.loads(metadata)
            message = UserMessage(
                str(data.get("message", "")),
                output,
                sender_id,
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return blueprint
