"""The notification about a new request: its JSON payload and the HTTP POST that delivers it.

Team chats (Slack, Mattermost, Teams) render the ``text`` field: ``<!channel>`` or ``@here`` would alert a whole
channel and ``<https://…|klik>`` would be a link. So ``text`` holds only our own wording and values we checked
(the audience must be one of the domain's, the other values are cut down to letters, digits, spaces, ``-``,
``_`` and ``/``), and it is escaped for chat markup on top. The JSON fields carry data for a receiver that reads
JSON. Contact details (the callback's e-mail address and phone number) go out only with
``HANDOFF_WEBHOOK_CONTACT=true``; the console always shows them.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from common import settings
from eligibility.vocabulary import Audience

EVENT_TYPE = "handoff.requested"
DEFAULT_CONSOLE_URL = settings.CONSOLE_PUBLIC_URL.default
#: (connect, read) timeouts in seconds.
TIMEOUTS = (3.0, 10.0)

#: How the team chat names each audience (the ``audience`` slot's values, eligibility.vocabulary.Audience).
AUDIENCES: dict[str, str] = {
    Audience.werkzoekende.value: "werkzoekende",
    Audience.werkgever.value: "werkgever",
    Audience.ouder.value: "ouder/verzorger",
    Audience.clientenraad.value: "cliëntenraad",
}
UNKNOWN_AUDIENCE = "doelgroep onbekend"
#: The environment variable that lets the callback's e-mail address and phone number into the payload.
CONTACT_ENV = settings.HANDOFF_WEBHOOK_CONTACT.name
#: Anything but letters, digits, "_", " ", "-" and "/": no "<", "@", "[", "*", "`", ":" or ".", so no mention, link
#: or markup in any chat tool, and no bare domain name that a chat would turn into a link.
_NOT_PLAIN = re.compile(r"[^\w /-]+")
_MENTION = re.compile(r"@(?=\w)")
MAX_CHAT_VALUE = 80


def known_audience(value: object) -> str | None:
    """``value`` when it is one of the domain's audiences, else None (a payload can set the slot to anything)."""
    return value if isinstance(value, str) and value in AUDIENCES else None


def chat_value(value: object, fallback: str = "onbekend") -> str:
    """``value`` as plain words for a chat line (see ``_NOT_PLAIN``), at most 80 characters; else ``fallback``."""
    if not isinstance(value, str):
        return fallback
    plain = " ".join(_NOT_PLAIN.sub(" ", value).split())[:MAX_CHAT_VALUE].strip()
    return plain or fallback


def escape_chat(text: str) -> str:
    """Slack/Mattermost escaping (``&``, ``<``, ``>``; so no ``<!channel>``, ``<url|…>`` or Teams ``<at>``), and a
    zero-width space after every ``@`` that starts a word, so ``@channel``/``@here``/``@everyone`` mention no one."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION.sub("@\u200b", escaped)


def contact_in_webhook() -> bool:
    """``HANDOFF_WEBHOOK_CONTACT``: may the payload carry the callback's contact details? Default no."""
    return settings.HANDOFF_WEBHOOK_CONTACT.value()


def public_callback(callback: dict[str, Any] | None) -> dict[str, Any] | None:
    """The callback without contact details: only whether the user wants to be contacted."""
    if not isinstance(callback, dict):
        return None
    return {"wanted": bool(callback.get("wanted"))}


def console_url(handoff_id: int) -> str:
    """The request's page in the consultant console (``CONSOLE_PUBLIC_URL``)."""
    return f"{settings.CONSOLE_PUBLIC_URL.value()}/verzoeken/{handoff_id}"


def chat_line(
    handoff_id: int, audience: str | None, topic: str | None, reason: str, callback: dict[str, Any] | None, link: str
) -> str:
    """One Dutch line for a team chat: our wording with checked values only; no personal details."""
    details = [
        AUDIENCES.get(known_audience(audience) or "", UNKNOWN_AUDIENCE),
        f"onderwerp: {chat_value(topic)}",
        f"reden: {chat_value(reason)}",
    ]
    if isinstance(callback, dict) and callback.get("wanted"):
        details.append("wil contact via e-mail of telefoon")
    return escape_chat(
        f"Nieuw verzoek om een medewerker (#{int(handoff_id)}): {', '.join(details)}. Bekijk het in de console: {link}"
    )


def build_payload(
    *,
    handoff_id: int,
    conversation_id: str,
    created_at: datetime,
    audience: str | None,
    topic: str | None,
    reason: str,
    summary: dict[str, Any],
    callback: dict[str, Any] | None,
) -> dict[str, Any]:
    """The generic JSON body, as kept in the outbox (without contact details; see :func:`for_delivery`).

    ``text`` lets Slack/Mattermost/Teams-style incoming webhooks show it as is.
    """
    link = console_url(handoff_id)
    audience = known_audience(audience)
    return {
        "type": EVENT_TYPE,
        "id": handoff_id,
        "conversation_id": conversation_id,
        "created_at": created_at.isoformat(),
        "audience": audience,
        "topic": topic,
        "reason": reason,
        "summary": summary,
        "callback": public_callback(callback),
        "console_url": link,
        "text": chat_line(handoff_id, audience, topic, reason, callback, link),
    }


def for_delivery(payload: dict[str, Any], callback: dict[str, Any] | None, *, contact: bool) -> dict[str, Any]:
    """The body the worker POSTs: the outbox payload with ``callback`` in full only when ``contact`` is on.

    ``callback`` is the request's own (from the database). ``audience`` and ``text`` are checked and made again,
    so an outbox message written by an older version cannot carry chat markup or contact details either.
    """
    body = copy.deepcopy(payload)
    body["callback"] = (
        callback
        if contact and isinstance(callback, dict)
        else public_callback(callback if isinstance(callback, dict) else body.get("callback"))
    )
    body["audience"] = known_audience(body.get("audience"))
    body["text"] = chat_line(
        body.get("id", 0),
        body["audience"],
        body.get("topic"),
        body.get("reason") or "",
        body["callback"],
        str(body.get("console_url") or console_url(body.get("id", 0))),
    )
    return body


def idempotency_key(handoff_id: int) -> str:
    return f"handoff-{handoff_id}"


def make_session(*, retries: int = 3, backoff_factor: float = 0.5) -> requests.Session:
    """A session that retries connection errors and 429/5xx answers on POST a few times, with backoff."""
    retry = Retry(
        total=retries,
        backoff_factor=backoff_factor,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"POST"}),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = "reintegratie-assistent-handoff/1"
    return session


@dataclass(frozen=True)
class Delivery:
    ok: bool
    error: str | None = None
    unreachable: bool = False  # no answer at all: other messages would fail the same way now


def post(session: requests.Session, url: str, payload: dict[str, Any], key: str) -> Delivery:
    """POST ``payload``; a 2xx answer is a delivery, anything else (or no answer) an error to retry later."""
    try:
        response = session.post(url, json=payload, headers={"Idempotency-Key": key}, timeout=TIMEOUTS)
    except (requests.ConnectionError, requests.Timeout) as error:
        return Delivery(False, f"{type(error).__name__}: {error}"[:1000], unreachable=True)
    except requests.RequestException as error:
        return Delivery(False, f"{type(error).__name__}: {error}"[:1000])
    if 200 <= response.status_code < 300:
        return Delivery(True)
    return Delivery(False, f"HTTP {response.status_code}: {response.text[:200]}")
