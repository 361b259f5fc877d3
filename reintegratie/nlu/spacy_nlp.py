"""Dutch spaCy pipeline selection for Rasa.

The design asks for spaCy's ``nl_core_news_sm`` (3.4.x). On machines that
cannot download it, ``tools/build_dutch_model.py`` installs the offline
pipeline ``nl_simplemma_lookup`` instead. ``SpacyNLP`` below is Rasa's own
component with one change: it takes the first of ``model`` and ``fallback``
that is installed, and logs which one it uses. No environment variable needed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Dict, List, Sequence, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.model import InvalidModelError
from rasa.nlu.utils import spacy_utils
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

OFFICIAL_MODEL = "nl_core_news_sm"
OFFLINE_MODEL = "nl_simplemma_lookup"
PREFERRED_MODELS: Tuple[str, ...] = (OFFICIAL_MODEL, OFFLINE_MODEL)
#: NLU reads at most this many characters of a message (the widget's input allows 1000). Without a limit a
#: 100 KB message kept the server busy for a minute (DIET) and the event loop blocked for every user.
MAX_TEXT_CHARS = 1000

MISSING_MODEL_HELP = (
    "Geen Nederlands spaCy-model gevonden (gezocht: {names}). "
    "Voer 'make install' uit: dat installeert nl_core_news_sm als het te downloaden is, "
    "en anders het offline model nl_simplemma_lookup."
)


def shortened(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` cut to ``limit`` characters, at the last space when there is one in the last tenth."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", limit - limit // 10)
    return cut[:space] if space > 0 else cut


def installed_dutch_model(preferred: Sequence[str] = PREFERRED_MODELS) -> str | None:
    """The first spaCy package in ``preferred`` that is installed, or None."""
    import spacy.util

    return next((name for name in preferred if spacy.util.is_package(name)), None)


def load_dutch_pipeline(name: str | None = None) -> Tuple[Language, str]:
    """Load ``name`` or the preferred installed Dutch pipeline (parser disabled, as in Rasa)."""
    import spacy

    chosen = name or installed_dutch_model()
    if chosen is None:
        raise InvalidModelError(MISSING_MODEL_HELP.format(names=", ".join(PREFERRED_MODELS)))
    return spacy.load(chosen, disable=["parser"]), chosen


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="SpacyNLP",
)
class SpacyNLP(spacy_utils.SpacyNLP):
    """Rasa's SpacyNLP that prefers ``model`` and falls back to ``fallback``.

    The class keeps the name ``SpacyNLP`` on purpose: Rasa's SpacyTokenizer
    finds its model provider by that class name.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            **spacy_utils.SpacyNLP.get_default_config(),
            "model": OFFICIAL_MODEL,
            "fallback": OFFLINE_MODEL,
        }

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpacyNLP:
        config = {**cls.get_default_config(), **config}
        candidates = [name for name in (config.get("model"), config.get("fallback")) if name]
        chosen = installed_dutch_model(candidates)
        if chosen is None:
            raise InvalidModelError(MISSING_MODEL_HELP.format(names=", ".join(candidates)))
        if chosen != candidates[0]:
            logger.warning(
                "spaCy model '%s' is not installed; using the offline Dutch pipeline '%s'.",
                candidates[0],
                chosen,
            )
        logger.info("Dutch spaCy model in use: %s", chosen)
        model = cls.load_model(chosen)
        cls.ensure_proper_language_model(model.model)
        return cls(model, config)

    def process(self, messages: List[Message], model: spacy_utils.SpacyModel) -> List[Message]:
        """Rasa's processing, on at most MAX_TEXT_CHARS of each message (the tracker keeps the whole text)."""
        for message in messages:
            text = message.get(TEXT)
            if isinstance(text, str) and len(text) > MAX_TEXT_CHARS:
                message.set(TEXT, shortened(text))
        return super().process(messages, model)
