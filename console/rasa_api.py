"""The Rasa HTTP API as the console uses it: read a tracker, append events. aiohttp, with timeouts.

Appending with ``execute_side_effects=true`` stores bot events in the tracker and sends them to the user: a
widget conversation (its id starts with ``sio:``, common/conversation_ids.py) always through Socket.IO,
any other through the channel the user last wrote from (``output_channel=latest``). Naming the channel keeps
the consultant's replies on the widget even if someone else wrote into the conversation over another channel.

Rasa 3.6 started with ``--auth-token`` checks only the ``token`` query parameter; an
``Authorization: Bearer`` header is read only with ``--jwt-secret``. So the token goes in the query.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import quote

import aiohttp

from common.conversation_ids import is_socket_conversation
from eligibility.vocabulary import ADDRESS, Audience

logger = logging.getLogger(__name__)
#: The audiences the assistant says "u" to (eligibility.vocabulary.ADDRESS).
FORMAL_AUDIENCES = {audience.value for audience in Audience if ADDRESS[audience] == "u"}


class RasaUnavailable(Exception):
    """The Rasa server did not answer, or refused the request."""


class RasaClient:
    def __init__(self, base_url: str, token: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def _request(self, method: str, path: str, params: dict[str, str], **kwargs: Any) -> Any:
        try:
            async with aiohttp.ClientSession(timeout=self.timeout) as session:
                async with session.request(
                    method, self.base_url + path, params={**params, "token": self.token}, **kwargs
                ) as response:
                    if response.status >= 400:
                        body = (await response.text())[:300]
                        logger.warning("Rasa: %s %s gaf %s: %s", method, path, response.status, body)
                        raise RasaUnavailable(f"Rasa antwoordde {response.status} op {method} {path}")
                    return await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            logger.warning("Rasa: %s %s mislukte: %r", method, path, error)
            raise RasaUnavailable(f"Rasa is niet bereikbaar ({type(error).__name__})") from error

    @staticmethod
    def _path(conversation_id: str) -> str:
        return f"/conversations/{quote(conversation_id, safe='')}/tracker"

    async def tracker(self, conversation_id: str) -> dict:
        """The whole tracker, every event since the conversation began."""
        return await self._request("GET", self._path(conversation_id), params={"include_events": "ALL"})

    async def append_events(self, conversation_id: str, events: list[dict]) -> dict:
        return await self._request(
            "POST",
            self._path(conversation_id) + "/events",
            params={
                "execute_side_effects": "true",
                "output_channel": "socketio" if is_socket_conversation(conversation_id) else "latest",
                "include_events": "NONE",
            },
            json=events,
        )


def claim_events(consultant: str, audience: str | None = None) -> list[dict]:
    """Pause the bot and tell the user who is now talking (``u`` for employers and cliëntenraden)."""
    if audience in FORMAL_AUDIENCES:
        text = f"U praat nu met {consultant}, een medewerker. De digitale assistent wacht zolang. Wat is uw vraag?"
    else:
        text = f"Je praat nu met {consultant}, een medewerker. De digitale assistent wacht zolang. Wat is je vraag?"
    handoff = {"status": "geclaimd", "medewerker": consultant}
    return [{"event": "pause"}, {"event": "bot", "text": text, "data": {"custom": {"data": {"handoff": handoff}}}}]


def reply_events(consultant: str, text: str) -> list[dict]:
    """A consultant's message; the metadata lets the transcript tell it from the assistant's."""
    return [{"event": "bot", "text": text, "metadata": {"medewerker": consultant}}]


CLOSE_TEXT = "De medewerker heeft het gesprek afgesloten. Je praat nu weer met de digitale assistent."


def close_events() -> list[dict]:
    custom = {"data": {"handoff": {"status": "gesloten"}}}  # socket.io emits the "data" key
    return [{"event": "resume"}, {"event": "bot", "text": CLOSE_TEXT, "data": {"custom": custom}}]


def handoff_of(bot_data: dict | None) -> dict | None:
    """The handoff status in a bot event's data (as claim_events and close_events put it), if any."""
    custom = (bot_data or {}).get("custom")
    if not isinstance(custom, dict):
        return None
    inner = custom.get("data")
    found = inner.get("handoff") if isinstance(inner, dict) else custom.get("handoff")
    return found if isinstance(found, dict) else None
