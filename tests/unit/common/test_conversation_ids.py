"""Security review 2026-12 (../shared/reviews/security-review-2026-12.md): the ids of common/conversation_ids.py.

The rules behind the channel findings, without a server (the attacks on the running stack are in
tests/integration/security/test_channels.py):

- C1  a lone surrogate in the REST ``sender`` stopped the whole stack: a sender that does not fit is refused;
- H1, M1  a widget conversation id is derived one way from its session id, and no REST sender can name it;
- L1  sender ids with personal data were stored as they were: they are refused.
"""

from __future__ import annotations

import uuid

import pytest

from common.conversation_ids import (
    REST_SENDER,
    client_id,
    rest_sender,
    socket_conversation_id,
    valid_session_id,
)


@pytest.mark.parametrize(
    "sender",
    [
        "x\udfff",
        "a\x00b",
        "",
        " ",
        "a" * 65,
        "jan@example.nl",
        "111222333",
        "0612345678",
        "sio:abc",
        "../etc",
        "a b",
        True,
        None,
        1.5,
        ["a"],
        {"a": 1},
    ],
)
def test_rest_refuses_senders_that_do_not_fit(sender: object) -> None:
    assert rest_sender(sender) is None


@pytest.mark.parametrize("sender", ["a", "gebruiker-1", "A_b-9", "x" * 64, "42", 42, "2024", "a111222333b"])
def test_rest_accepts_plain_senders(sender: object) -> None:
    assert rest_sender(sender) == str(sender)


@pytest.mark.parametrize(
    "sender",
    [
        "111-222-333",
        "111_222_333",
        "06-12345678",
        "020_1234567",
        "+31612345678",
        "31612345678",
        "NL91ABNA0417164300",
        "nl91abna0417164300",
        "NL91-ABNA-0417-1643-00",
    ],
)
def test_rest_refuses_personal_numbers_however_grouped(sender: str) -> None:
    assert rest_sender(sender) is None


def test_random_ids_are_never_refused() -> None:
    """Clients commonly send a uuid; digits between its letters must not be taken for a BSN or phone number."""
    ids = [uuid.UUID(int=n * 0x9E3779B97F4A7C15_9E3779B97F4A7C15 % 2**128) for n in range(1, 20_001)]
    refused = [i for i in ids if rest_sender(i.hex) is None or rest_sender(str(i)) is None]
    assert refused == []


def test_a_widget_conversation_id_is_one_way_and_no_rest_sender_can_name_it() -> None:
    session_id = uuid.uuid4().hex
    conversation_id = socket_conversation_id(session_id)
    assert conversation_id.startswith("sio:") and session_id not in conversation_id
    assert conversation_id == socket_conversation_id(session_id), "stable, so a reload continues the conversation"
    assert socket_conversation_id(session_id + "x") != conversation_id
    assert not REST_SENDER.fullmatch(conversation_id)
    assert valid_session_id(conversation_id) is None, "the derived id cannot be used as a session id"
    assert client_id("10.0.0.1") != client_id("10.0.0.2") and "10.0.0.1" not in client_id("10.0.0.1")
