"""The notification about a new request: its JSON payload and the HTTP POST that delivers it."""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

EVENT_TYPE = "handoff.requested"
DEFAULT_CONSOLE_URL = "http://localhost:8081"
#: (connect, read) timeouts in seconds.
TIMEOUTS = (3.0, 10.0)

AUDIENCES = {
    "werkzoekende": "werkzoekende",
    "werkgever": "werkgever",
    "ouder": "ouder/verzorger",
    "clientenraad": "cliëntenraad",
}


def console_url(handoff_id: int) -> str:
    """The request's page in the consultant console (``CONSOLE_PUBLIC_URL``)."""
    base = (os.environ.get("CONSOLE_PUBLIC_URL") or DEFAULT_CONSOLE_URL).rstrip("/")
    return f"{base}/verzoeken/{handoff_id}"


def chat_line(handoff_id: int, audience: str | None, topic: str | None, reason: str,
              callback: dict | None, link: str) -> str:
    """One Dutch line for a team chat; no personal details (those stay in the console)."""
    details = [
        AUDIENCES.get(audience or "", audience or "doelgroep onbekend"),
        f"onderwerp: {topic or 'onbekend'}",
        f"reden: {reason}",
    ]
    if callback and callback.get("wanted"):
        details.append("wil contact via e-mail of telefoon")
    return f"Nieuw verzoek om een medewerker (#{handoff_id}): {', '.join(details)}. Bekijk het in de console: {link}"


def build_payload(*, handoff_id: int, conversation_id: str, created_at: datetime, audience: str | None,
                  topic: str | None, reason: str, summary: dict, callback: dict | None) -> dict[str, Any]:
    """The generic JSON body; ``text`` lets Slack/Mattermost/Teams-style incoming webhooks show it as is."""
    link = console_url(handoff_id)
    return {
        "type": EVENT_TYPE,
        "id": handoff_id,
        "conversation_id": conversation_id,
        "created_at": created_at.isoformat(),
        "audience": audience,
        "topic": topic,
        "reason": reason,
        "summary": summary,
        "callback": callback,
        "console_url": link,
        "text": chat_line(handoff_id, audience, topic, reason, callback, link),
    }


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
