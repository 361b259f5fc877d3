"""Messages without a single known word fall back instead of getting a random answer."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from reintegratie.nlu.unknown_words import UnknownWordsGuard, words

GUARD = UnknownWordsGuard(None, None, {"wat", "is", "een", "jobcoach", "ok", "goedemiddag"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "fallback"),
    [
        ("wat is een jobcoatch", False),  # one known word is enough; DIET handles the typo
        ("ok", False),
        ("goedemiddagg", False),  # a typo of a known word
        ("'; DROP TABLE events; --", True),
        ("<img src=x onerror=alert(1)>", True),
        ("🙂🙂🙂", True),
        ("", True),
        ("12345", True),
    ],
)
def test_unknown_words_fall_back(text: str, fallback: bool) -> None:
    message = Message({TEXT: text, INTENT: {"name": "faq", "confidence": 0.99}})
    GUARD.process([message])
    assert (message.get(INTENT)["name"] == "nlu_fallback") is fallback


def test_words_are_letters_only() -> None:
    assert words("Wat is LKS? 24u, €70!") == {"wat", "is", "lks"}


def test_a_message_with_an_extracted_entity_is_understood() -> None:
    # "woonplaats: Delft": no word in the training data, but the gemeente lookup table found Delft
    entity = {"entity": "gemeente", "value": "delft", "start": 12, "end": 17}
    message = Message({TEXT: "woonplaats: Delft", INTENT: {"name": "noem_gemeente", "confidence": 0.6}})
    message.set("entities", [entity])
    GUARD.process([message])
    assert message.get(INTENT)["name"] == "noem_gemeente"
    without = Message({TEXT: "woonplaats: Delft", INTENT: {"name": "noem_gemeente", "confidence": 0.6}})
    GUARD.process([without])
    assert without.get(INTENT)["name"] == "nlu_fallback"
