"""The checks every message passes before Rasa sees it, shared by the REST and the Socket.IO channel.

- **Size.** A message longer than ``MAX_MESSAGE_CHARS`` (default 1,000, the widget's own limit) is not
  processed and not stored: the sender gets ``too_long()`` (REST: HTTP 413), so nothing is lost silently.
- **Limits.** ``RATE_LIMIT_PER_MINUTE`` per conversation and ``RATE_LIMIT_PER_CLIENT_PER_MINUTE`` per client
  address (reintegratie/channels/rate_limit.py). Rotating sender ids no longer gets around the limit.
- **Client.** ``metadata["client"]`` is set by the server to a keyed hash of the client's address
  (common/conversation_ids.py); a value the client sends is replaced. Behind a reverse proxy, set Sanic's
  ``SANIC_PROXIES_COUNT`` (or ``SANIC_REAL_IP_HEADER``) so that the address is the visitor's, not the proxy's.
- **Origin.** A browser request from a website outside ``CORS_ORIGINS`` is refused (REST: HTTP 403; Socket.IO:
  engine.io refuses the connection).
- **Button payloads.** ``/intent{"audience": "..."}`` may only set a categorical slot to one of its values in
  domain.yml; another value is dropped from the payload (the intent stays).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from common import settings
from common.conversation_ids import CLIENT_METADATA_KEY, client_id
from reintegratie.channels.rate_limit import ALLOWED, Decision, Limiter, client_limiter, shared_limiter

logger = logging.getLogger(__name__)

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"  # reintegratie/channels/ -> the project


def max_message_chars() -> int:
    return settings.MAX_MESSAGE_CHARS.value()


def too_long(limit: int) -> str:
    """The answer to a message over the size limit (B1 Dutch)."""
    return (
        f"Je bericht is te lang. Ik kan berichten van hoogstens {limit} tekens lezen. "
        "Maak je bericht korter en stuur het opnieuw."
    )


def allowed_origins() -> list[str]:
    """The websites that may use the chat from a browser: ``CORS_ORIGINS``, space or comma separated."""
    return settings.CORS_ORIGINS.value()


def foreign_origin(origin: str | None) -> bool:
    """True for a browser request from a website outside ``CORS_ORIGINS`` (no Origin header: not a browser page).

    CORS only stops a page from *reading* the answer: a ``text/plain`` POST needs no preflight, so without this
    check any website could chat, ask for a consultant or leave a contact address from its visitors' browsers.
    """
    if not origin:
        return False
    allowed = allowed_origins()
    return "*" not in allowed and origin not in allowed


def client_address(request: Any) -> str:
    """The client's address: Sanic's ``remote_addr`` (set only for a configured proxy), else the peer."""
    return getattr(request, "remote_addr", "") or getattr(request, "ip", "") or "unknown"


#: Sanic's own settings (read by Sanic from the environment) that make ``remote_addr`` the visitor's address.
PROXY_SETTINGS = (settings.SANIC_PROXIES_COUNT, settings.SANIC_REAL_IP_HEADER, settings.SANIC_FORWARDED_SECRET)


@lru_cache(maxsize=1)
def log_client_address_source() -> None:
    """Say once per process where client addresses come from: a wrong set-up puts every visitor in one client."""
    configured = {
        variable.name: "***" if variable is settings.SANIC_FORWARDED_SECRET else variable.value()  # no secret in logs
        for variable in PROXY_SETTINGS
        if variable.is_set()
    }
    if configured:
        logger.info("Client address for the per-client limits: from the proxy headers (%s)", configured)
    else:
        logger.info(
            "Client address for the per-client limits: the connection's. Behind a reverse proxy set "
            "SANIC_PROXIES_COUNT, or every visitor counts as the proxy."
        )


def client_metadata(address: str) -> dict[str, str]:
    return {CLIENT_METADATA_KEY: client_id(address)}


@lru_cache(maxsize=1)
def categorical_entity_values() -> dict[str, frozenset[str]]:
    """Entities that fill a categorical slot (``from_entity``), with the values the slot allows."""
    domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    allowed: dict[str, frozenset[str]] = {}
    for slot in (domain.get("slots") or {}).values():
        if slot.get("type") != "categorical":
            continue
        values = frozenset(str(value) for value in slot.get("values") or [])
        for mapping in slot.get("mappings") or []:
            if mapping.get("type") == "from_entity" and mapping.get("entity"):
                allowed[mapping["entity"]] = values
    return allowed


def clean_payload(text: str) -> str:
    """``/intent{...}`` without values a categorical slot does not allow; any other text unchanged."""
    if not text.startswith("/") or "{" not in text:
        return text
    start = text.index("{")
    try:
        entities = json.loads(text[start:])
    except ValueError:
        return text  # Rasa ignores entities it cannot read
    if not isinstance(entities, dict):
        return text
    allowed = categorical_entity_values()
    kept = {
        name: value
        for name, value in entities.items()
        if name not in allowed or (isinstance(value, str) and value in allowed[name])
    }
    if kept == entities:
        return text
    logger.warning("Payload: dropped %d entity value(s) that no slot allows", len(entities) - len(kept))
    return text[:start] + (json.dumps(kept, ensure_ascii=False) if kept else "")


@dataclass
class Gate:
    """The two rate limits, checked in one call: the conversation's, then the client's."""

    per_conversation: Limiter
    per_client: Limiter

    @classmethod
    def shared(cls) -> Gate:
        log_client_address_source()
        return cls(shared_limiter(), client_limiter())

    async def admit(self, conversation_id: str, client: str) -> tuple[Decision, str]:
        """The decision, and which limit said no ("conversation" or "client"; "" when allowed)."""
        decision = await self.per_client.check(client)
        if not decision.allowed:
            return decision, "client"
        decision = await self.per_conversation.check(conversation_id)
        if not decision.allowed:
            return decision, "conversation"
        return ALLOWED, ""


def readable_text(text: str) -> str:
    """``text`` with lone surrogates (``"\\udfff"`` from a JSON escape) replaced by U+FFFD.

    They cannot be encoded as UTF-8, so a database write or a log line with them fails; a proper surrogate
    pair is already one character after JSON decoding and stays as it is.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text
