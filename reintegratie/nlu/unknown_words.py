"""NLU component: a message with no word the assistant knows is not understood.

The intent and article classifiers always pick something, often with high
confidence, even for "'; DROP TABLE events; --" or a row of emoji. When not one
word of the message occurs in the training data, this component sets the
intent to ``nlu_fallback``, so the user gets the honest fallback instead of a
random article. A message in which an entity extractor found something ("woonplaats: Delft": a
gemeente from the lookup table) is understood, even when the training data has none of its words.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reintegratie.nlu.learned_state import LearnedStateComponent

FALLBACK_INTENT = "nlu_fallback"
_WORD = re.compile(r"[^\W\d_]{2,}")  # letters only, at least two
SIMILARITY = 0.85  # "goedemiddagg" still counts as the known "goedemiddag"
#: Typo matching compares a word with the whole vocabulary; a message of thousands of unknown words took
#: minutes. A message whose first words are neither known nor a typo of a known word is not understood.
MAX_FUZZY_WORDS = 20


def knows_a_word(text: str, vocabulary: set[str]) -> bool:
    found = words(text)
    if found & vocabulary:
        return True
    in_order = dict.fromkeys(word.lower() for word in _WORD.findall(text or ""))
    candidates = [word for word in in_order if len(word) >= 4][:MAX_FUZZY_WORDS]
    return any(get_close_matches(word, vocabulary, n=1, cutoff=SIMILARITY) for word in candidates)


def words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text or "")}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsGuard(LearnedStateComponent):
    FILE_NAME = "vocabulary.json"

    def learn(self, training_data: TrainingData) -> set[str]:
        return set().union(*(words(example.get(TEXT)) for example in training_data.nlu_examples))

    @classmethod
    def from_json(cls, raw: Any) -> set[str]:
        return set(raw or [])

    @staticmethod
    def to_json(state: Any) -> list[str]:
        return sorted(state)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not message.get(ENTITIES) and not knows_a_word(message.get(TEXT) or "", self.state):
                intent = {"name": FALLBACK_INTENT, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
