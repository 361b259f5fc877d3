"""Typos corrected to the training words (reintegratie/nlu/spelling.py)."""

from __future__ import annotations

import pytest

from reintegratie.nlu.spelling import MAX_LOOKUPS, Speller, word_counts

COUNTS = word_counts(
    ["wat doet een jobcoach", "jobcoach aanvragen", "ik zit in de bijstand", "bijstand en werk", "wat is beschut werk"]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kan ik een jobcaoch krijgen", "kan ik een jobcoach krijgen"),
        ("ik zit in de bijstant", "ik zit in de bijstand"),
        ("Wat doet een JOBCOACH", "wat doet een jobcoach"),  # lower case, as the vectorizers read it
    ],
)
def test_an_unknown_word_becomes_the_similar_frequent_training_word(text: str, expected: str) -> None:
    assert Speller(COUNTS)(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "wat is beschut werk",  # known words stay, "beschut" occurs once and is not a target either
        "uvw",  # too short to correct safely
        "pobcoach",  # another first letter
        "jobcoachorganisatie",  # too much longer
        "kinderopvang",  # nothing similar
    ],
)
def test_known_short_and_dissimilar_words_stay(text: str) -> None:
    assert Speller(COUNTS)(text) == text


def test_a_word_seen_once_is_no_target() -> None:
    assert Speller(COUNTS)("beschutt werk") == "beschutt werk"
    assert Speller({**COUNTS, "beschut": 2})("beschutt werk") == "beschut werk"


def test_only_the_first_unknown_words_of_a_message_are_looked_up() -> None:
    speller = Speller(COUNTS)
    text = " ".join(["qqqqqqq"] * MAX_LOOKUPS + ["jobcaoch"])
    assert speller(text).endswith("jobcaoch")  # a message full of unknown words is no typo
    assert speller("jobcaoch " + text).startswith("jobcoach")
