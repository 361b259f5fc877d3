"""Dutch answers to the check questions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions import antwoorden as a
from actions.antwoorden import WEET_NIET
from eligibility.vocabulary import Uitkering


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24", 24),
        ("20u", 20),
        ("twaalf", 12),
        ("twaalf uur", 12),
        ("24 uur per week", 24),
        ("vierentwintig uur", 24),
        ("32,5 uur", 32.5),
        ("ik werk 36 uur", 36),
        ("nee, 24 uur bedoel ik", 24),
        ("sorry, 20 of nee 30 uur bedoel ik", 30),
        ("nulurencontract", 0),
        ("een 0-uren contract", 0),
        ("weet ik niet", WEET_NIET),
        ("geen idee", WEET_NIET),
        ("ruim de helft", None),
        ("veel", None),
        ("zestig procent", None),
        ("", None),
        ("banaan", None),
    ],
)
def test_hours(text, expected) -> None:
    assert a.hours(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60%", 60),
        ("60 %", 60),
        ("zestig procent", 60),
        ("vijfendertig procent", 35),
        ("35", 35),
        ("ongeveer 40 procent", 40),
        ("weet ik niet", WEET_NIET),
        ("ruim de helft", None),
        ("de helft", None),
        ("24 uur", None),
        ("150%", None),
    ],
)
def test_percentage(text, expected) -> None:
    assert a.percentage(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 maanden", 8),
        ("zes maanden", 6),
        ("een jaar", 12),
        ("1 jaar", 12),
        ("2 jaar", 24),
        ("een half jaar", 6),
        ("anderhalf jaar", 18),
        ("vast contract", a.PERMANENT_MONTHS),
        ("voor onbepaalde tijd", a.PERMANENT_MONTHS),
        ("tijdelijk contract van een jaar", 12),
        ("5", 5),
        ("weet ik niet", WEET_NIET),
        ("24 uur", None),
        ("lang", None),
    ],
)
def test_months(text, expected) -> None:
    assert a.months(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ja", True),
        ("ja hoor", True),
        ("klopt", True),
        ("jazeker", True),
        ("Ja, dat klopt", True),
        ("nee", False),
        ("nee hoor", False),
        ("klopt niet", False),
        ("nope", False),
        ("weet ik niet", WEET_NIET),
        ("geen flauw idee", WEET_NIET),
        ("weet ik niet zeker", WEET_NIET),
        ("misschien", None),
        ("banaan", None),
    ],
)
def test_yes_no(text, expected) -> None:
    assert a.yes_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ik heb een wajong uitkering", "wajong"),
        ("Wajong", "wajong"),
        ("WW", "ww"),
        ("ik zit in de ww", "ww"),
        ("wga", "wia"),
        ("WIA", "wia"),
        ("ziektewet", "ziektewet"),
        ("ik zit in de bijstand", "bijstand"),
        ("participatiewet", "bijstand"),
        ("geen uitkering", "geen"),
        ("geen", "geen"),
        ("weet ik niet", WEET_NIET),
        ("een fiets", None),
    ],
)
def test_uitkering(text, expected) -> None:
    assert a.uitkering(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2070 euro, 2025", (2070.0, 2025)),
        ("€ 2.070,50", (2070.5, None)),
        ("2100 euro in 2024", (2100.0, 2024)),
        ("weet ik niet", (WEET_NIET, None)),
        ("nee", (None, None)),
        ("50 euro", (None, None)),
    ],
)
def test_euros(text, expected) -> None:
    assert a.euros(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("positief", "positief"),
        ("ja, ik heb een positief advies", "positief"),
        ("afgewezen", "negatief"),
        ("nog niet aangevraagd", "niet_aangevraagd"),
        ("nee", "niet_aangevraagd"),
        ("weet ik niet", WEET_NIET),
        ("banaan", None),
    ],
)
def test_uwv_advies(text, expected) -> None:
    assert a.uwv_advies(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nee, 24 uur bedoel ik", True),
        ("sorry, ik bedoel 30 uur", True),
        ("24 uur", False),
        ("ja", False),
    ],
)
def test_is_correction(text, expected) -> None:
    assert a.is_correction(text) is expected


#: Words and numbers the parsers look for, mixed into the generated answers so that they are more than noise.
ANSWER_WORDS = [
    "0",
    "1",
    "8",
    "12",
    "24",
    "36,5",
    "60",
    "80",
    "81",
    "99",
    "100",
    "101",
    "150",
    "600",
    "601",
    "2.070",
    "2070,50",
    "1949",
    "2025",
    "100000",
    "100001",
    "%",
    "procent",
    "uur",
    "u",
    "per",
    "week",
    "weken",
    "maand",
    "maanden",
    "jaar",
    "half",
    "anderhalf",
    "vast",
    "euro",
    "€",
    "een",
    "twaalf",
    "vierentwintig",
    "zestig",
    "honderd",
    "nul-uren",
    "ja",
    "nee",
    "klopt",
    "niet",
    "weet",
    "ik",
    "geen",
    "idee",
    "ruim",
    "de",
    "helft",
    "bedoel",
    "sorry",
    "ww",
    "wajong",
    "bijstand",
    "wia",
    "uitkering",
    "positief",
    "afgewezen",
    "aangevraagd",
    ",",
    "-",
    "/",
]
ANSWERS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(ANSWER_WORDS), st.text(max_size=5)), max_size=12).map(" ".join),
)


def number_in(value: object, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high


def assert_within_what_the_slots_can_hold(text: str) -> None:
    """Each parser returns "not understood" (None), WEET_NIET or a value of its own kind in its own range, and
    never raises: the form stores this value in the slot and the verdict reads it."""
    hours, percentage, months, yes_no = a.hours(text), a.percentage(text), a.months(text), a.yes_no(text)
    assert hours in (None, WEET_NIET) or number_in(hours, 0, 80), hours
    assert percentage in (None, WEET_NIET) or number_in(percentage, 0, 100), percentage
    assert months in (None, WEET_NIET) or number_in(months, 0, 600 * 12), months
    assert yes_no is None or yes_no is True or yes_no is False or yes_no == WEET_NIET, yes_no
    assert a.uitkering(text) in {*(benefit.value for benefit in Uitkering), WEET_NIET, None}
    assert a.uwv_advies(text) in {"positief", "negatief", "niet_aangevraagd", WEET_NIET, None}
    amount, year = a.euros(text)
    if amount in (None, WEET_NIET):
        assert year is None
    else:
        assert number_in(amount, 100, 100_000) and (year is None or number_in(year, 1950, 2100)), (amount, year)
    assert a.is_correction(text) in (True, False)


@given(ANSWERS)
def test_every_parser_answers_within_what_its_slot_can_hold(text: str) -> None:
    """Whatever the user types."""
    assert_within_what_the_slots_can_hold(text)


@pytest.mark.parametrize(
    "text",
    [*ANSWER_WORDS, "90 uur", "ja hoor", "weet ik niet", "€ 2.070,50 in 1800", "twee jaar en 8 maanden", "150 weken"],
)
def test_every_parser_answers_within_what_its_slot_can_hold_for_the_words_it_knows(text: str) -> None:
    """The same for each word the parsers look for on its own, which random text rarely is."""
    assert_within_what_the_slots_can_hold(text)
