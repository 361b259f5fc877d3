"""Entities found by lookup tables and regexes only, never learned by DIET.

Rasa's RegexEntityExtractor only uses patterns whose name is an entity that is
annotated in the training examples; DIET would then learn the same entities and
both would report them. This subclass uses every lookup table and regex whose
name is an entity in the domain-facing data (``data/nlu/entiteiten.yml``), with
no annotations needed, so ``uitkering``, ``gemeente``, ``uren``,
``percentage`` and ``contractduur`` come from one deterministic place.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.regex_entity_extractor import RegexEntityExtractor
from rasa.nlu.utils import pattern_utils
from rasa.shared.nlu.training_data.training_data import TrainingData

PATTERN_ENTITIES = frozenset({"uitkering", "gemeente", "uren", "percentage", "contractduur"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class PatternEntityExtractor(RegexEntityExtractor):
    def train(self, training_data: TrainingData) -> Resource:
        patterns = pattern_utils.extract_patterns(
            training_data,
            use_lookup_tables=self._config["use_lookup_tables"],
            use_regexes=self._config["use_regexes"],
            use_only_entities=False,
            use_word_boundaries=self._config["use_word_boundaries"],
        )
        self.patterns = [pattern for pattern in patterns if pattern["name"] in PATTERN_ENTITIES]
        if not self.patterns:
            raise ValueError(f"No lookup tables or regexes for {sorted(PATTERN_ENTITIES)} in the NLU data")
        self.persist()
        return self._resource
