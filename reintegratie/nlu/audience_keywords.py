"""NLU component: when a user says who they are, make sure the audience is found.

No learned extractor finds ``audience`` (config.yml has no DIET). Two kinds of evidence, both learned from
the NLU data, not written here:

- **Keywords**: the words the training data annotates as an audience ("bedrijf", "mijn zoon",
  "cliëntenraad", ...). In a ``tell_audience`` message any keyword counts. In other messages (a question)
  only when the user describes themselves: "wij hebben een bedrijf, hoe ...", "ik ben werkgever en ...".
  In "kan een werkgever loonkostensubsidie krijgen?" the word "werkgever" does not say who is asking.
- **Self-descriptions**: the regexes named ``zelfbeschrijving_<audience>`` in ``data/nlu/doelgroep.yml``,
  patterns of how people describe themselves without an audience word: "wij zijn een schoonmaakbedrijf",
  "wij hebben 30 man personeel", "onze medewerker", "mijn dochter", "als lid van de cliëntenraad",
  "ik zoek werk". They count in every message, also inside a question.

When several match, the one that starts first wins (people introduce themselves first: "wij zijn een
bakkerij en mijn zoon ..."), then the longest. An audience span of another extractor that is no annotated
phrase ("moeder van" for "moeder") is replaced, so the synonym mapper can name it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from eligibility.vocabulary import LIKELY_ROLE, Audience
from reintegratie.nlu.learned_state import LearnedStateComponent

logger = logging.getLogger(__name__)

ENTITY = "audience"
#: The ``extractor`` of the entities this component adds (the article selector leaves their words out).
EXTRACTOR_NAME = "AudienceKeywords"
INTENT_NAME = "tell_audience"
#: Regexes in the NLU data named ``zelfbeschrijving_<audience value>``.
PATTERN_PREFIX = "zelfbeschrijving_"
#: Regexes named ``vermoedelijk_<audience value>``: words that make an audience likely, not certain ("onze gemeente" is
#: said by cliëntenraad members). They give the entity with this role, which fills no slot: the actions use it only
#: while the audience is unknown (``actions.doelgroep.audience_of``).
HINT_PREFIX = "vermoedelijk_"
#: "ik ben (een) werkgever", "wij hebben een bedrijf", "als ouder", "mijn zoon": the user about themselves.
SELF = r"(?:\b(?:ik|wij|we)\s+(?:ben|zijn|heb|hebben)\s+(?:zelf\s+)?(?:een\s+|de\s+|eigen\s+)*|\bals\s+)"

#: The learned state: annotated phrase -> audience, and (audience, regex) self-descriptions.
State = dict[str, Any]


def keywords_from(training_data: TrainingData) -> dict[str, str]:
    """Annotated audience phrases (lower case) -> their value, from every training example."""
    keywords: dict[str, str] = {}
    for example in training_data.nlu_examples:
        text = example.get(TEXT) or ""
        for entity in example.get(ENTITIES) or []:
            if entity.get("entity") == ENTITY:
                phrase = text[entity["start"] : entity["end"]].lower()
                keywords.setdefault(phrase, str(entity["value"]))
    return keywords


def patterns_from(training_data: TrainingData, prefix: str = PATTERN_PREFIX) -> list[tuple[str, str]]:
    """(audience, regex) for every regex named ``<prefix><audience>`` in the NLU data."""
    values = {audience.value for audience in Audience}
    patterns: list[tuple[str, str]] = []
    for regex in training_data.regex_features:
        name = str(regex.get("name") or "")
        if not name.startswith(prefix):
            continue
        audience = name[len(prefix) :]
        if audience not in values:
            raise ValueError(f"Regex {name!r}: {audience!r} is no audience ({sorted(values)})")
        re.compile(regex["pattern"])  # a broken pattern stops the training, not a conversation
        patterns.append((audience, str(regex["pattern"])))
    return patterns


def _entity(match: re.Match[str], value: str, how: str) -> dict[str, Any]:
    group = 1 if match.re.groups else 0
    return {
        "entity": ENTITY,
        "start": match.start(group),
        "end": match.end(group),
        "value": value,
        "extractor": EXTRACTOR_NAME,
        "found_by": how,
    }


def find_audience(
    text: str,
    keywords: dict[str, str],
    about_self: bool = False,
    patterns: list[tuple[str, str]] | None = None,
) -> dict[str, Any] | None:
    """The audience the user gives for themselves in ``text``, as a Rasa entity: the first match, then the longest.

    Keywords are whole words; with ``about_self`` (a question, not ``tell_audience``) only after "ik ben",
    "wij hebben", "als" and the like. Self-description ``patterns`` count in every message.
    """
    lowered = text.lower()
    found: list[tuple[int, int, dict[str, Any]]] = []
    for phrase in keywords:
        prefix = SELF if about_self and not phrase.startswith("mijn ") else ""
        match = re.search(rf"{prefix}(?<!\w)({re.escape(phrase)})(?!\w)", lowered)
        if match:
            found.append((match.start(), -len(match.group(0)), _entity(match, keywords[phrase], f"keyword {phrase!r}")))
    for audience, pattern in patterns or []:
        match = re.search(pattern, lowered)
        if match and match.end() > match.start():
            how = f"self-description {match.group(0)!r}"
            found.append((match.start(), -len(match.group(0)), _entity(match, audience, how)))
    if not found:
        return None
    # The match that starts first (with its prefix: "mijn werkgever" before "werkgever"), then the longest.
    return min(found, key=lambda f: (f[0], f[1]))[2]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class AudienceKeywords(LearnedStateComponent):
    FILE_NAME = "audience_keywords.json"

    def learn(self, training_data: TrainingData) -> State:
        keywords = keywords_from(training_data)
        if not keywords:
            raise ValueError(f"No '{ENTITY}' annotations in the NLU data")
        return {
            "keywords": keywords,
            "patterns": patterns_from(training_data),
            "hints": patterns_from(training_data, HINT_PREFIX),
        }

    @classmethod
    def from_json(cls, raw: Any) -> State:
        raw = raw or {}
        if "keywords" not in raw:  # a model trained before the self-descriptions: keywords only
            return {"keywords": dict(raw), "patterns": [], "hints": []}
        return {
            "keywords": dict(raw["keywords"]),
            "patterns": [tuple(p) for p in raw.get("patterns") or []],
            "hints": [tuple(p) for p in raw.get("hints") or []],
        }

    @property
    def keywords(self) -> dict[str, str]:
        return dict(self.state["keywords"])

    @property
    def patterns(self) -> list[tuple[str, str]]:
        return list(self.state["patterns"])

    @property
    def hints(self) -> list[tuple[str, str]]:
        return list(self.state.get("hints") or [])

    def known(self, entity: dict[str, Any]) -> bool:
        """An audience span of another extractor is kept only when it is an annotated phrase or value."""
        value = str(entity.get("value") or "").lower()
        return value in self.keywords or value in self.keywords.values()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            about_self = (message.get(INTENT) or {}).get("name") != INTENT_NAME
            original = message.get(ENTITIES) or []
            entities = [e for e in original if e.get("entity") != ENTITY or self.known(e)]
            if not any(entity.get("entity") == ENTITY for entity in entities):
                found = find_audience(message.get(TEXT) or "", self.keywords, about_self, self.patterns)
                if found:
                    logger.info("Audience %s from the %s", found["value"], found.pop("found_by"))
                    entities = [*entities, found]
                elif hint := find_audience(message.get(TEXT) or "", {}, about_self, self.hints):
                    logger.info("Audience %s likely, from the %s", hint["value"], hint.pop("found_by"))
                    entities = [*entities, {**hint, "role": LIKELY_ROLE}]
            if entities != original:
                message.set(ENTITIES, entities, add_to_output=True)
        return messages
