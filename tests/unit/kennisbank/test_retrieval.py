"""The words each article shares with a message (kennisbank/retrieval.py), on the real kennisbank."""

from __future__ import annotations

import pytest

from kennisbank.retrieval import WordIndex, default_index


@pytest.fixture(scope="module")
def index() -> WordIndex:
    return default_index()


@pytest.mark.parametrize(
    ("text", "article"),
    [
        ("een eigen collega begeleidt hem als interne jobcoach", "jobcoach_intern_achterhoek"),
        ("de no-riskpolis bij ziekte van de werknemer", "no_riskpolis"),
        ("open hiring zonder sollicitatie, wie eerst komt", "open_hiring_overzicht"),
    ],
)
def test_the_article_that_shares_the_most_telling_words_scores_highest(
    index: WordIndex, text: str, article: str
) -> None:
    scores = index.scores(text)
    assert max(scores, key=scores.__getitem__) == article
    assert scores[article] == 1.0 and all(0.0 < value <= 1.0 for value in scores.values())


def test_words_no_article_has_score_nothing(index: WordIndex) -> None:
    assert index.scores("xyzzy qwerty") == {}
    assert index.scores("") == {}


def test_every_article_is_indexed_once(index: WordIndex) -> None:
    from kennisbank.loader import default

    assert sorted(index.ids) == sorted(default().articles)
