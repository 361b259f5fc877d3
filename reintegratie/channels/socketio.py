"""Rasa's Socket.IO channel, with conversations that belong to the browser that started them.

Use it in credentials.yml instead of ``socketio:``, with the same settings (its name is still "socketio", so
the console's ``output_channel=socketio`` finds it)::

    reintegratie.channels.socketio.SocketIOChannel:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true

The protocol is Rasa's, so our widget and standard clients such as rasa-webchat work unchanged: ``session_request
{"session_id": <id or null>}`` is answered with ``session_confirm <id>``, then ``user_uttered {"message": ...,
"session_id": <id>}`` and ``bot_uttered``. What differs from Rasa's channel:

1. **The session id is a bearer secret** (common/conversation_ids.py). The conversation is stored under
   ``"sio:" + keyed hash`` of it, and that derived id is the room the answers go to. The console, webhooks and
   logs see only the derived id. Rasa used the session id itself, which the console showed and every webhook
   sent, so anybody could join the room (read every answer, the consultant's too) or write into it.
2. **A socket writes only into the session it asked for.** ``user_uttered`` is processed only from a socket
   that sent ``session_request``, into that session (a message naming another ``session_id`` is ignored).
   The channel always keeps the session across reconnects, as with ``session_persistence: true``.
3. **Checked input**: a session id must look like one (8 to 64 of ``A-Z a-z 0-9 - _``; else the server makes a
   new one), ``message`` must be text (a lone surrogate becomes U+FFFD), ``metadata`` is the server's
   (``{"client": ...}``), over ``MAX_MESSAGE_CHARS`` or a rate limit the session gets a ``bot_uttered`` with the
   reason (reintegratie/channels/inbound.py).
4. **CORS**: Socket.IO answers only the origins in ``CORS_ORIGINS`` (the allowlist of the HTTP API; Rasa's
   channel accepted every origin). Without ``CORS_ORIGINS`` only the Rasa server's own origin is accepted.
5. ``session_request`` awaits ``enter_room``, a coroutine since python-socketio 5.10 (RasaHQ/rasa#13027); Rasa
   3.6 never joined the room, so with ``session_persistence`` no answer reached the browser.

A failed turn (for example the action server is down) gets ``action_fallback.SORRY`` instead of silence.
Custom JSON goes out as Rasa sends it: ``{"custom": {"data": {...}}}`` reaches the browser as ``{...}``.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from common import http_guard
from common.conversation_ids import socket_conversation_id, valid_session_id
from reintegratie.channels import action_fallback, inbound
from reintegratie.channels.rate_limit import log_rejected, too_many_messages

logger = logging.getLogger(__name__)


class SocketIOChannel(SocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = action_fallback.with_fallback(on_new_message)
        gate = inbound.Gate.shared()
        max_chars = inbound.max_message_chars()
        blueprint = super().blueprint(on_new_message)
        http_guard.attach(blueprint)  # for the whole Rasa server: Content-Length: -1 hung it (http_guard.py)
        sio = self.sio
        assert sio is not None
        # Rasa passes cors_allowed_origins=[], which switches engine.io's origin check off. With the list, engine.io
        # refuses a handshake or WebSocket from another origin (400). It would also add CORS headers, but Sanic's
        # CORS (``rasa run --cors``) already sends them on every route, /socket.io/ included, and a browser refuses
        # a response that has them twice (rasa-webchat, which starts with long-polling, could not connect:
        # tests/integration/test_rasa_webchat.py). So engine.io checks, and Sanic answers.
        sio.eio.cors_allowed_origins = inbound.allowed_origins() or None  # None: own origin only
        sio.eio._cors_headers = lambda environ: []
        #: socket id -> (the session id it asked for, its conversation id, its client id)
        sockets: dict[str, tuple[str, str, str]] = {}

        def client_of(sid: str) -> str:
            environ = sio.get_environ(sid, namespace=self.namespace) or {}
            request = environ.get("sanic.request")
            return inbound.client_metadata(inbound.client_address(request))["client"]

        # Registering a handler again replaces Rasa's.
        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            sockets.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:  # an event may come without data
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = valid_session_id(requested) or uuid.uuid4().hex
            conversation_id = socket_conversation_id(session_id)
            previous = sockets.get(sid)
            if previous and previous[1] != conversation_id:
                leave = sio.leave_room(sid, previous[1], namespace=self.namespace)
                if inspect.isawaitable(leave):
                    await leave
            sockets[sid] = (session_id, conversation_id, client_of(sid))
            entered = sio.enter_room(sid, conversation_id, namespace=self.namespace)
            if inspect.isawaitable(entered):  # a coroutine since python-socketio 5.10
                await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return
            known = sockets.get(sid)
            if known is None:
                logger.warning("Socket.IO message before session_request ignored")
                return
            session_id, conversation_id, client = known
            if data.get("session_id") not in (None, session_id):
                logger.warning("Socket.IO message for another session than this socket's ignored")
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            text = data["message"]
            if len(text) > max_chars:
                await output.send_text_message(conversation_id, inbound.too_long(max_chars))
                return
            decision, which = await gate.admit(conversation_id, client)
            if not decision.allowed:
                log_rejected(self.name(), conversation_id, decision, which)
                await output.send_text_message(conversation_id, too_many_messages(decision))
                return
            message = UserMessage(
                inbound.clean_payload(inbound.readable_text(text)),
                output,
                conversation_id,
                input_channel=self.name(),
                metadata={"client": client},
            )
            await on_new_message(message)

        return blueprint
