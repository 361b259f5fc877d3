"""Dutch answers to the check questions."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions import antwoorden as a
from actions.antwoorden import WEET_NIET


@pytest.mark.parametrize(("text", "expected"), [
    ("24", 24), ("20u", 20), ("twaalf", 12), ("twaalf uur", 12), ("24 uur per week", 24),
    ("vierentwintig uur", 24), ("32,5 uur", 32.5), ("ik werk 36 uur", 36), ("nee, 24 uur bedoel ik", 24),
    ("sorry, 20 of nee 30 uur bedoel ik", 30), ("nulurencontract", 0), ("een 0-uren contract", 0),
    ("weet ik niet", WEET_NIET), ("geen idee", WEET_NIET),
    ("ruim de helft", None), ("veel", None), ("zestig procent", None), ("", None), ("banaan", None),
])
def test_hours(text, expected) -> None:
    assert a.hours(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("60%", 60), ("60 %", 60), ("zestig procent", 60), ("vijfendertig procent", 35), ("35", 35),
    ("ongeveer 40 procent", 40), ("weet ik niet", WEET_NIET),
    ("ruim de helft", None), ("de helft", None), ("24 uur", None), ("150%", None),
])
def test_percentage(text, expected) -> None:
    assert a.percentage(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("8 maanden", 8), ("zes maanden", 6), ("een jaar", 12), ("1 jaar", 12), ("2 jaar", 24),
    ("een half jaar", 6), ("anderhalf jaar", 18), ("vast contract", a.PERMANENT_MONTHS),
    ("voor onbepaalde tijd", a.PERMANENT_MONTHS), ("tijdelijk contract van een jaar", 12), ("5", 5),
    ("weet ik niet", WEET_NIET), ("24 uur", None), ("lang", None),
])
def test_months(text, expected) -> None:
    assert a.months(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ja", True), ("ja hoor", True), ("klopt", True), ("jazeker", True), ("Ja, dat klopt", True),
    ("nee", False), ("nee hoor", False), ("klopt niet", False), ("nope", False),
    ("weet ik niet", WEET_NIET), ("geen flauw idee", WEET_NIET), ("weet ik niet zeker", WEET_NIET),
    ("misschien", None), ("banaan", None),
])
def test_yes_no(text, expected) -> None:
    assert a.yes_no(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("ik heb een wajong uitkering", "wajong"), ("Wajong", "wajong"), ("WW", "ww"), ("ik zit in de ww", "ww"),
    ("wga", "wia"), ("WIA", "wia"), ("ziektewet", "ziektewet"), ("ik zit in de bijstand", "bijstand"),
    ("participatiewet", "bijstand"), ("geen uitkering", "geen"), ("geen", "geen"), ("weet ik niet", WEET_NIET),
    ("een fiets", None),
])
def test_uitkering(text, expected) -> None:
    assert a.uitkering(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2070 euro, 2025", (2070.0, 2025)), ("€ 2.070,50", (2070.5, None)), ("2100 euro in 2024", (2100.0, 2024)),
    ("weet ik niet", (WEET_NIET, None)), ("nee", (None, None)), ("50 euro", (None, None)),
])
def test_euros(text, expected) -> None:
    assert a.euros(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("positief", "positief"), ("ja, ik heb een positief advies", "positief"), ("afgewezen", "negatief"),
    ("nog niet aangevraagd", "niet_aangevraagd"), ("nee", "niet_aangevraagd"), ("weet ik niet", WEET_NIET),
    ("banaan", None),
])
def test_uwv_advies(text, expected) -> None:
    assert a.uwv_advies(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("nee, 24 uur bedoel ik", True), ("sorry, ik bedoel 30 uur", True), ("24 uur", False), ("ja", False),
])
def test_is_correction(text, expected) -> None:
    assert a.is_correction(text) is expected


@given(st.text(max_size=200))
def test_parsers_never_raise(text: str) -> None:
    for parse in (a.hours, a.percentage, a.months, a.yes_no, a.uitkering, a.euros, a.uwv_advies):
        parse(text)
