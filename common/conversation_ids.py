"""Who may address which conversation: the ids our channels accept, and the ids they store.

Pure Python, no Rasa imports. Three rules (issue 15, security review C1, H1, M1, L1, L4):

1. **A REST sender id is a short plain name**: 1 to 64 letters, digits, ``-`` or ``_``, and not a BSN or phone
   number (it would end up in every row of the tracker store; an e-mail address cannot pass the pattern). Anything
   else, a lone surrogate, NUL, a megabyte, a dict, is refused where it enters (HTTP 400) and never reaches the
   tracker store.
2. **A Socket.IO session id is a bearer secret.** The browser makes or receives it and keeps it (sessionStorage);
   whoever holds it owns the conversation. The tracker store, the console, webhooks and logs only ever see the
   *conversation id* derived from it: ``"sio:" + HMAC-SHA256(key, session id)``. Knowing a conversation id
   (from the console or a webhook) gives no way back to the session id, so it can neither join nor write into
   the conversation.
3. **The id spaces do not overlap.** A derived id contains ``:``, which a REST sender id cannot, so a REST client
   cannot address a widget conversation, and a REST conversation can never be joined over Socket.IO.

Besides, every message carries ``metadata["client"]``: a keyed hash of the client's address (``"c:" + 16 hex``),
so limits per client (rate limit, open handoff requests) work without storing an IP address.

The key comes from ``CONVERSATION_ID_KEY`` (every Rasa server of one deployment needs the same key), else from
``var/conversation_key``, made on first use with mode 0600. Changing the key starts new conversations for open
browser tabs; nothing else depends on it.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path

from common import settings
from common.privacy import is_valid_iban, scrub_text

#: What a REST client may send as ``sender``.
REST_SENDER = re.compile(r"[A-Za-z0-9_-]{1,64}")
#: What a Socket.IO client may send as ``session_id`` (Rasa and rasa-webchat make ``uuid4().hex``).
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
SOCKET_PREFIX = "sio:"
CLIENT_PREFIX = "c:"
#: The message metadata key our channels set to ``client_id(address)``.
CLIENT_METADATA_KEY = "client"

KEY_ENV = settings.CONVERSATION_ID_KEY.name
KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "conversation_key"


@lru_cache(maxsize=1)
def _key() -> bytes:
    """The HMAC key: ``CONVERSATION_ID_KEY``, else ``var/conversation_key`` (created once, mode 0600)."""
    from_env = settings.CONVERSATION_ID_KEY.value()
    if from_env:
        return from_env.encode()
    KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:  # first start: two processes racing here both end up reading the one file that won
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32))
    key = KEY_FILE.read_text().strip()
    if not key:
        raise RuntimeError(f"{KEY_FILE} is empty: delete it or set {KEY_ENV}")
    return key.encode()


def _mac(purpose: str, value: str, length: int) -> str:
    message = f"{purpose}\0{value}".encode("utf-8", "surrogatepass")
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()[:length]


def rest_sender(value: object) -> str | None:
    """The conversation id for a REST ``sender``, or None when it does not fit (the channel answers 400).

    A whole number is accepted as its digits (Rasa's REST channel does the same), but, like any sender id, not
    when it looks like personal data.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not REST_SENDER.fullmatch(value):
        return None
    return None if _is_a_personal_number(value) else value


def _is_a_personal_number(sender: str) -> bool:
    """True for a sender that is a number the scrubber recognises (a BSN, a phone number, also 31612345678),
    however grouped, or that is an IBAN as a whole (NL91ABNA0417164300, any case).

    Only numbers and whole IBANs: in an id such as a uuid, digits between letters are not a BSN, and refusing
    those would refuse about one random id in a thousand. A whole IBAN needs a country code, that country's
    exact length and the mod-97 check, which no uuid (32 hex digits, 36 with hyphens) has.
    """
    if is_valid_iban(sender):
        return True
    spaced = sender.replace("-", " ").replace("_", " ").strip()
    if not spaced.replace(" ", "").isdigit():
        return False
    return scrub_text(spaced) != spaced


def valid_session_id(value: object) -> str | None:
    """The Socket.IO session id when it has the shape of one, else None."""
    if isinstance(value, str) and SESSION_ID.fullmatch(value):
        return value
    return None


def socket_conversation_id(session_id: str) -> str:
    """The tracker's conversation id for a Socket.IO session id (one-way, keyed)."""
    return SOCKET_PREFIX + _mac("socketio", session_id, 32)


def is_socket_conversation(conversation_id: str) -> bool:
    return conversation_id.startswith(SOCKET_PREFIX)


def client_id(address: str | None) -> str:
    """A stable pseudonym for a client address, for per-client limits (no IP address is stored)."""
    return CLIENT_PREFIX + _mac("client", address or "unknown", 16)
