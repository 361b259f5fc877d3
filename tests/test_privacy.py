"""BSN recognition (11-proef) and the NLU guard that warns about it."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.bsn_guard import BSN_INTENT, BSNGuard
from reintegratie.privacy import contains_bsn, find_bsns, is_valid_bsn, scrub, scrub_text


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("111222333", True),   # 9+8+7+12+10+8+9+6-3 = 66
        ("123456782", True),   # 9+16+21+24+25+24+21+16-2 = 154
        ("123456789", False),  # 161 is not a multiple of 11
        ("111222334", False),  # last digit off by one
        ("12345678", False),   # 8 digits, with leading zero: 0+8+14+...: not 11-proef
        ("000000000", False),  # all zeros is never a BSN
        ("11122233", False),
        ("1112223330", False),  # 10 digits
    ],
)
def test_eleven_proof(number: str, valid: bool) -> None:
    assert is_valid_bsn(number) is valid


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mijn bsn is 111222333", ["111222333"]),
        ("bsn: 111 222 333.", ["111 222 333"]),
        ("nummer 111.222.333 graag", ["111.222.333"]),
        ("ik werk 24 uur per week", []),
        ("mijn telefoon is 0612345678", []),  # 10 digits: not a BSN
        ("bel 020-1234567", []),
        ("1112223331111", []),  # part of a longer number
    ],
)
def test_find_bsns_in_messages(text: str, found: list[str]) -> None:
    assert find_bsns(text) == found


@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    assert isinstance(contains_bsn(text), bool)


def test_guard_sets_the_bsn_intent_and_leaves_other_messages_alone() -> None:
    guard = BSNGuard.create({}, None, None, None)  # type: ignore[arg-type]
    with_bsn = Message({TEXT: "mijn bsn is 111222333", INTENT: {"name": "faq", "confidence": 0.9}})
    without = Message({TEXT: "ik werk 12 uur", INTENT: {"name": "faq", "confidence": 0.9}})
    guard.process([with_bsn, without])
    assert with_bsn.get(INTENT) == {"name": BSN_INTENT, "confidence": 1.0}
    assert without.get(INTENT)["name"] == "faq"


def test_scrub_replaces_only_valid_bsns() -> None:
    assert scrub_text("bsn 111222333 en 24 uur, tel 0612345678") == "bsn [BSN verwijderd] en 24 uur, tel 0612345678"
    assert scrub({"text": "123 456 782", "n": 3, "l": ["111.222.333"]}) == {
        "text": "[BSN verwijderd]", "n": 3, "l": ["[BSN verwijderd]"]
    }


@given(st.text(max_size=200))
def test_scrubbed_text_never_contains_a_bsn(text: str) -> None:
    assert not contains_bsn(scrub_text(text))
