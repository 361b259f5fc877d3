"""BSN recognition (11-proef), the NLU guard that warns about it, and scrubbing of other personal data."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from common.privacy import (
    ADDRESS_PLACEHOLDER,
    BSN_PLACEHOLDER,
    EMAIL_PLACEHOLDER,
    IBAN_LENGTHS,
    IBAN_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    contains_bsn,
    find_bsns,
    find_emails,
    find_ibans,
    find_phones,
    is_valid_bsn,
    is_valid_iban,
    scrub,
    scrub_text,
)
from reintegratie.nlu.bsn_guard import BSN_INTENT, BSNGuard


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("111222333", True),  # 9+8+7+12+10+8+9+6-3 = 66
        ("123456782", True),  # 9+16+21+24+25+24+21+16-2 = 154
        ("123456789", False),  # 161 is not a multiple of 11
        ("111222334", False),  # last digit off by one
        ("12345678", False),  # 8 digits, with leading zero: 0+8+14+...: not 11-proef
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
    assert scrub_text("bsn 111222333 en 24 uur, tel 12345678") == "bsn [BSN verwijderd] en 24 uur, tel 12345678"
    assert scrub({"text": "123 456 782", "n": 3, "l": ["111.222.333"]}) == {
        "text": "[BSN verwijderd]",
        "n": 3,
        "l": ["[BSN verwijderd]"],
    }


@given(st.text(max_size=200))
def test_scrubbed_text_never_contains_a_bsn(text: str) -> None:
    assert not contains_bsn(scrub_text(text))


# --- other personal data: IBAN, e-mail, phone, postcode with house number ---


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("NL91ABNA0417164300", True),
        ("NL91 ABNA 0417 1643 00", True),
        ("nl91abna0417164300", True),
        ("BE68539007547034", True),
        ("DE89370400440532013000", True),
        ("NL91ABNA0417164301", False),  # mod-97 fails
        ("NL91ABNA041716430", False),  # one character short for NL
        ("XX91ABNA0417164300", False),  # unknown country
    ],
)
def test_iban_check(iban: str, valid: bool) -> None:
    assert is_valid_iban(iban) is valid


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        # IBAN
        ("mijn rekening is NL91 ABNA 0417 1643 00.", f"mijn rekening is {IBAN_PLACEHOLDER}."),
        ("nl91abna0417164300 graag", f"{IBAN_PLACEHOLDER} graag"),
        ("NL91 ABNA 0417 1643 00 is mijn rekening", f"{IBAN_PLACEHOLDER} is mijn rekening"),
        ("BE68 5390 0754 7034", IBAN_PLACEHOLDER),
        ("NL91ABNA0417164301", "NL91ABNA0417164301"),  # not a valid IBAN: kept
        # e-mail
        ("mail jan.jansen+werk@example.co.uk.", f"mail {EMAIL_PLACEHOLDER}."),
        ("p.devries@gemeente-x.nl of bellen", f"{EMAIL_PLACEHOLDER} of bellen"),
        ("a@b", "a@b"),  # no domain: not an address
        # phone
        ("06-12345678", PHONE_PLACEHOLDER),
        ("bel 06 1234 5678 na 5 uur", f"bel {PHONE_PLACEHOLDER} na 5 uur"),
        ("06 12 34 56 78", PHONE_PLACEHOLDER),
        ("0612345678", PHONE_PLACEHOLDER),
        ("+31 6 12345678", PHONE_PLACEHOLDER),
        ("+31612345678", PHONE_PLACEHOLDER),
        ("0031 6 12345678", PHONE_PLACEHOLDER),
        ("+31 (0)20 123 4567", PHONE_PLACEHOLDER),
        ("020-1234567", PHONE_PLACEHOLDER),
        ("010 123 4567", PHONE_PLACEHOLDER),
        ("(020) 123 4567", PHONE_PLACEHOLDER),
        ("0512-123456", PHONE_PLACEHOLDER),
        ("tel: 020-1234567, e-mail: x@y.nl", f"tel: {PHONE_PLACEHOLDER}, e-mail: {EMAIL_PLACEHOLDER}"),
        # postcode with house number
        ("1234 AB 12", ADDRESS_PLACEHOLDER),
        ("ik woon op 1234AB 12a", f"ik woon op {ADDRESS_PLACEHOLDER}"),
        ("1234ab 12", ADDRESS_PLACEHOLDER),
        ("1234 AB, 7-2 in Utrecht", f"{ADDRESS_PLACEHOLDER} in Utrecht"),
        ("Dorpsstraat 12, 1234 AB Amsterdam", f"Dorpsstraat {ADDRESS_PLACEHOLDER} Amsterdam"),
        ("Dorpsstraat 12a 1234AB", f"Dorpsstraat {ADDRESS_PLACEHOLDER}"),
        # all at once, and BSN still
        (
            "bsn 111222333, NL91ABNA0417164300, jan@x.nl, 0612345678, 1234 AB 5",
            f"bsn {BSN_PLACEHOLDER}, {IBAN_PLACEHOLDER}, {EMAIL_PLACEHOLDER}, "
            f"{PHONE_PLACEHOLDER}, {ADDRESS_PLACEHOLDER}",
        ),
    ],
)
def test_scrub_replaces_personal_data(text: str, scrubbed: str) -> None:
    assert scrub_text(text) == scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "ik werk 24 uur per week",
        "mijn loonwaarde is 60%",
        "een contract van 12 maanden",
        "ik verdien 2070 euro bruto",
        "sinds 2025",
        "per 1 juli 2023",
        "op 01-07-2023 begonnen",
        "op 06-07-2023 10 uur gewerkt",  # a date, then hours: not 06-...
        "in 2025 is 12 uur genoeg",  # a year and a Dutch word, not a postcode
        "in 2023 op 12 uur per week",
        "12345",
        "referentie 12345 en 67890",
        "20 tot 32 uur, 1 of 2 dagen",
        "€ 1.234,56 per maand",
        "2020-2025",
        "artikel 7:658 BW",
        '/faq{"artikel":"jobcoach_overzicht"}',
        "tel 12345678",  # 8 digits, not 11-proef, no leading 0
    ],
)
def test_scrub_leaves_numbers_of_the_checks_alone(text: str) -> None:
    assert scrub_text(text) == text


def test_scrub_is_nested_and_keeps_keys() -> None:
    value = {"06-12345678": {"turns": [{"text": "mail a@b.nl"}]}, "n": 7, "b": True, "x": None}
    expected = {"06-12345678": {"turns": [{"text": f"mail {EMAIL_PLACEHOLDER}"}]}, "n": 7, "b": True, "x": None}
    assert scrub(value) == expected


# --- properties ---


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
    assume(check <= 9 and (set(digits) != {0} or check != 0))
    number = "".join(map(str, [*digits, check]))
    style = draw(st.sampled_from(["compact", "spaces", "dots", "grouped"]))
    if style == "spaces":
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    if style == "dots":
        return f"{number[:4]}.{number[4:6]}.{number[6:]}"
    if style == "grouped":  # any separator people or word processors put between groups (review L1)
        separator = draw(st.sampled_from(["/", " - ", "-", " / ", "\u2011", "\u2013", "\u00a0", "\u202f", " \u2212 "]))
        return separator.join((number[:3], number[3:6], number[6:]))
    return number


@st.composite
def valid_ibans(draw: st.DrawFn) -> str:
    country = draw(st.sampled_from(sorted(IBAN_LENGTHS)))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    body = draw(st.text(alphabet=alphabet, min_size=IBAN_LENGTHS[country] - 4, max_size=IBAN_LENGTHS[country] - 4))
    numeric = "".join(str(int(char, 36)) for char in body + country + "00")
    iban = f"{country}{98 - int(numeric) % 97:02d}{body}"
    if draw(st.booleans()):
        iban = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban.lower() if draw(st.booleans()) else iban


# Text rich in what the patterns look at: digits, separators, letters, @, +, brackets.
tricky_text = (
    st.text(alphabet="0123456789 -.,+@()/abAB NLnl\n", max_size=80)
    | st.text(alphabet="0123456789 -./@[]()atpunAT\u2011\u00a0\uff11", max_size=80)
    | st.text(max_size=120)
)
separators = st.sampled_from([" ", ", ", ": ", "\n", " (", ") "])


@given(tricky_text)
def test_scrubbing_is_idempotent(text: str) -> None:
    once = scrub_text(text)
    assert scrub_text(once) == once


@given(tricky_text, valid_bsns(), tricky_text, separators, separators)
def test_a_valid_bsn_never_survives(prefix: str, bsn: str, suffix: str, before: str, after: str) -> None:
    assert is_valid_bsn(bsn)
    out = scrub_text(prefix + before + bsn + after + suffix)
    assert not contains_bsn(out)
    assert re.search(rf"(?<!\d){re.escape(bsn)}(?!\d)", out) is None


@given(tricky_text, valid_ibans(), tricky_text, separators, separators)
def test_a_valid_iban_never_survives(prefix: str, iban: str, suffix: str, before: str, after: str) -> None:
    assert is_valid_iban(iban)
    out = scrub_text(prefix + before + iban + after + suffix)
    assert find_ibans(out) == []
    compact = iban.replace(" ", "").upper()
    assert compact not in re.sub(r"[ -]", "", out).upper()


def test_find_contact_details_as_written() -> None:
    text = "mail piet@voorbeeld.nl of bel 06 12345678, anders +31 20 123 4567; niet 24 uur of 2070 euro"
    assert find_emails(text) == ["piet@voorbeeld.nl"]
    assert find_phones(text) == ["06 12345678", "+31 20 123 4567"]
    assert find_emails("geen adres") == [] and find_phones("ik werk 24 uur, sinds 2025") == []
