"""Entities found by lookup tables and regexes only, never learned by DIET.

Rasa's RegexEntityExtractor only uses patterns whose name is an entity that is
annotated in the training examples; DIET would then learn the same entities and
both would report them. This subclass uses every lookup table and regex whose
name is an entity in the domain-facing data (``data/nlu/entiteiten.yml``), with
no annotations needed, so ``uitkering``, ``gemeente``, ``uren``,
``percentage`` and ``contractduur`` come from one deterministic place. ``FollowUpEntityExtractor`` does the
same for ``aspect`` and ``route`` (``data/nlu/vervolgvraag.yml``), only in a message whose intent is ``vervolgvraag``
or ``nlu_fallback`` (a follow-up the classifier was unsure of: the fallback action resolves it in context), and in
``inform`` and ``deny`` (a correction outside a check). A regex
named ``aspect_<value>`` gives the entity ``aspect`` with that value ("meldt hij zich aan": aspect aanvragen).
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.nlu.utils import pattern_utils
from rasa.shared.nlu.constants import ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

PATTERN_ENTITIES = frozenset({"uitkering", "gemeente", "uren", "percentage", "contractduur"})
#: What a follow-up that leaves out its topic asks ("hoe lang dan?": aspect duur; "en bij de gemeente?": route
#: gemeente), data/nlu/vervolgvraag.yml. Only for the intent vervolgvraag: in a full question the words "uwv",
#: "gemeente" or "hoe lang" are part of the question, and the article already says it all.
FOLLOW_UP_ENTITIES = frozenset({"aspect", "route", "onderwerp"})
#: inform and deny too: outside a check they go to action_niet_begrepen (the core fallback), where "nee, hij heeft
#: geen uitkering" or "geen bijstand maar ww" corrects the route of the current topic.
#: frustratie too: "ik zei toch GEMEENTE" is acknowledged and then answered (action_frustratie_erkend); zorgen: the
#: topic a worry names is the context of the next question (action_zorgen_erkend). And faq: a
#: question the selector is unsure of, in a conversation with a topic, is resolved like a follow-up when it names an
#: aspect ("en hoeveel uur moet hij kunnen werken?" after Almere's beschut werk); a sure one ignores them.
FOLLOW_UP_INTENTS = frozenset({"vervolgvraag", "nlu_fallback", "inform", "deny", "frustratie", "zorgen", "faq"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class PatternEntityExtractor(RegexEntityExtractor):
    ENTITIES = PATTERN_ENTITIES

    def train(self, training_data: TrainingData) -> Resource:
        patterns = pattern_utils.extract_patterns(
            training_data,
            use_lookup_tables=self._config["use_lookup_tables"],
            use_regexes=self._config["use_regexes"],
            use_only_entities=False,
            use_word_boundaries=self._config["use_word_boundaries"],
        )
        self.patterns = [pattern for pattern in patterns if self.entity_of(pattern["name"]) in self.ENTITIES]
        if not self.patterns:
            raise ValueError(f"No lookup tables or regexes for {sorted(self.ENTITIES)} in the NLU data")
        self.persist()
        return self._resource

    @staticmethod
    def entity_of(name: str) -> str:
        """The entity a pattern gives: ``aspect_duur`` gives ``aspect`` (with the value ``duur``)."""
        return name.split("_", 1)[0] if name.startswith(tuple(f"{e}_" for e in FOLLOW_UP_ENTITIES)) else name


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class FollowUpEntityExtractor(PatternEntityExtractor):
    """``aspect`` and ``route`` of a follow-up (issue 19 §1); after the intent classifier, before the synonyms."""

    ENTITIES = FOLLOW_UP_ENTITIES

    def _extract_entities(self, message: Message) -> List[Dict[str, Any]]:
        entities = super()._extract_entities(message)
        for entity in entities:
            name = entity[ENTITY_ATTRIBUTE_TYPE]
            if self.entity_of(name) != name:
                entity[ENTITY_ATTRIBUTE_TYPE], entity[ENTITY_ATTRIBUTE_VALUE] = name.split("_", 1)
        return entities

    def process(self, messages: List[Message]) -> List[Message]:
        follow_ups = [m for m in messages if (m.get(INTENT) or {}).get(INTENT_NAME_KEY) in FOLLOW_UP_INTENTS]
        super().process(follow_ups)
        return messages
