"""NLU components: intents and the kennisbank article by linear classifiers (no DIET, no ResponseSelector).

Both read the message text (after ``SpacyNLP`` cut it to 1,000 characters) and learn
word TF-IDF plus character n-gram TF-IDF (``char_wb``, 2 to 4: Dutch compounds and typos)
with a multinomial logistic regression (scikit-learn). Training takes seconds; a parse
well under a millisecond.

- ``LinearIntentClassifier`` sets ``intent`` and ``intent_ranking`` like DIET did. The
  confidences are the regression's probabilities, so the FallbackClassifier threshold
  means "how sure"; ``tools/bench_nlu.py`` tunes it on cross-validation output.
  ``class_weight_power`` weights a class by (mean class size / its size) ** power: the
  retrieval intent ``faq`` has most examples and would otherwise swallow the small
  ``check_*`` intents.
- ``LinearResponseSelector`` picks the article of the retrieval intent ``faq`` and fills
  ``response_selector`` in the format of Rasa's ResponseSelector, so Rasa's processor sets
  ``full_retrieval_intent_name`` (``faq/<article>``), ``rasa test`` compares articles and
  ``actions/kennisbank.py`` reads ``response_selector.faq.response.intent_response_key``.

E-mail addresses and web addresses are taken out of the text before both classifiers see it: their
letters say nothing about the question ("piet@voorbeeld.nl" is no question about
``vso_pro_voorbeelden``). ``mask_lookups`` names lookup tables (``gemeente``) whose entries the
classifier sees as one placeholder word: "ik woon in Zeist" and "ik woon in Groningen" are the same
intent, and a place name that also occurs in questions about research ("Groningen") no longer pulls
a message towards those questions. The entries are stored with the model. With ``correct_spelling`` a word the
training examples never use becomes the most similar frequent one ("jobcaoch": ``reintegratie/nlu/spelling.py``); the
training words are stored with the model too.

The fitted scikit-learn pipelines are stored with skops (no pickle): loading accepts only
scikit-learn's own types and the sparse matrix type listed in ``TRUSTED_TYPES``.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, ClassVar, Dict, List, Sequence, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    RESPONSE_SELECTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from reintegratie.nlu.audience_keywords import ENTITY as AUDIENCE_ENTITY
from reintegratie.nlu.audience_keywords import EXTRACTOR_NAME as AUDIENCE_EXTRACTOR
from reintegratie.nlu.audience_keywords import INTENT_NAME as INTRODUCTION_INTENT
from reintegratie.nlu.phrases import phrase_pattern
from reintegratie.nlu.spelling import Speller, word_counts

MODEL_FILE = "pipeline.skops"
#: Types in a stored pipeline that are not scikit-learn's own; any other type refuses to load.
TRUSTED_TYPES = frozenset({"scipy.sparse._csr.csr_matrix"})

#: E-mail and web addresses: left out of the features.
ADDRESS = re.compile(r"\S+@\S+\.\w+|\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)

# The keys of Rasa's ResponseSelector output (rasa/nlu/selectors/response_selector.py).
RETRIEVAL_INTENTS_KEY = "all_retrieval_intents"
PREDICTION_KEY = "response"
RANKING_KEY = "ranking"
RESPONSES_KEY = "responses"
UTTER_ACTION_KEY = "utter_action"
#: The key in extra.json of the masked lookup entries.
MASKED_KEY = "masked_entries"
#: The key in extra.json of the training words and their counts (``correct_spelling``).
WORDS_KEY = "training_words"


#: The word a masked lookup entry becomes (``mask_lookups``).
PLACEHOLDER = "plaatsnaam"


def without_addresses(text: str) -> str:
    """The text both classifiers see (in training and in a parse)."""
    return ADDRESS.sub(" ", text)


class UntrustedModelError(ValueError):
    """A stored pipeline holds a type outside scikit-learn and TRUSTED_TYPES."""


def class_weights(labels: Sequence[str], power: float) -> Dict[str, float] | None:
    """(mean class size / class size) ** power per label; None (all equal) for power 0."""
    if not power:
        return None
    counts = Counter(labels)
    mean = len(labels) / len(counts)
    return {label: (mean / count) ** power for label, count in counts.items()}


def tempered(probabilities: Any, temperature: float) -> Any:
    """Each row ** (1 / temperature), renormalised (temperature scaling of a probabilistic classifier)."""
    if temperature == 1.0:
        return probabilities
    logits = np.log(np.clip(probabilities, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=1, keepdims=True)


def build_pipeline(config: Dict[str, Any], labels: Sequence[str]) -> Any:
    """Word and char_wb TF-IDF, then a logistic regression, as configured."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(sublinear_tf=True, ngram_range=(1, config["max_word_ngram"])),
        TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(config["min_ngram"], config["max_ngram"]),
            sublinear_tf=True,
        ),
    )
    regression = LogisticRegression(
        C=config["C"],
        max_iter=config["max_iter"],
        class_weight=class_weights(labels, config["class_weight_power"]),
        random_state=config["random_seed"],
    )
    return make_pipeline(features, regression)


class Scorer:
    """The fitted pipeline's ``predict_proba`` for one text, without scikit-learn's per-call overhead.

    scikit-learn spends about a millisecond per call on input checks, the FeatureUnion's joblib
    dispatch and sparse matrix building. This computes the same numbers directly: per vectorizer the
    n-grams' sublinear tf times idf, l2-normalised, then the regression's linear scores and softmax
    (binary: the logistic function). ``tests/unit/reintegratie/nlu/test_linear_classifier.py`` checks
    that both agree.
    """

    def __init__(self, pipeline: Any) -> None:
        union, regression = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.blocks = []
        offset = 0
        for _, vectorizer in union.transformer_list:
            vocabulary = {term: offset + column for term, column in vectorizer.vocabulary_.items()}
            self.blocks.append((vectorizer.build_analyzer(), vocabulary))
            offset += len(vectorizer.vocabulary_)
        self.idf = np.concatenate([v.idf_ for _, v in union.transformer_list])
        self.coef = np.ascontiguousarray(regression.coef_.T)  # features x classes (binary: x 1)
        self.intercept = regression.intercept_
        self.classes = regression.classes_

    def probabilities(self, text: str) -> Any:
        columns: List[int] = []
        values: List[Any] = []
        for analyze, vocabulary in self.blocks:
            counts = Counter(vocabulary[term] for term in analyze(text) if term in vocabulary)
            if not counts:
                continue
            block = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * self.idf[block]
            columns.append(block)
            values.append(weights / np.linalg.norm(weights))
        scores = self.intercept.copy()
        if columns:
            index, weight = np.concatenate(columns), np.concatenate(values)
            scores = scores + weight @ self.coef[index]
        if len(scores) == 1:  # two classes: one logistic score for the second
            positive = 1.0 / (1.0 + np.exp(-scores[0]))
            return np.array([1.0 - positive, positive])
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


class LinearTextClassifier(GraphComponent):
    """Shared part: config, training on (text, label) pairs, ranking, skops storage."""

    NAME: ClassVar[str]

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "C": 20.0,
            "class_weight_power": 0.0,
            "min_ngram": 2,
            "max_ngram": 4,
            # word n-grams up to this length ("zeker niet" is not "niet zeker")
            "max_word_ngram": 1,
            # lookup tables whose entries become one placeholder word in the features
            "mask_lookups": [],
            "max_iter": 3000,
            "random_seed": 42,
            # probabilities ** (1 / temperature), renormalised: below 1 sharpens an under-confident
            # regression; tools/bench_nlu.py prints the value that fits the cross-validation output
            "temperature": 1.0,
            # labels kept in a ranking (0: all)
            "ranking_length": 10,
            # an unknown word becomes the most similar frequent training word ("jobcaoch": reintegratie/nlu/spelling.py)
            "correct_spelling": False,
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["sklearn", "skops"]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Any = None,
        extra: Dict[str, Any] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline
        self.scorer = Scorer(pipeline) if pipeline is not None else None
        self.extra = extra or {}
        self.masked = phrase_pattern(self.extra.get(MASKED_KEY, []))
        self.speller = Speller(self.extra[WORDS_KEY]) if self.extra.get(WORDS_KEY) else None

    def learn_masks(self, training_data: TrainingData) -> None:
        """The entries of the lookup tables named in ``mask_lookups``, kept with the model."""
        names = set(self.config["mask_lookups"])
        entries = [str(e) for t in training_data.lookup_tables if t.get("name") in names for e in t.get("elements", [])]
        self.extra[MASKED_KEY] = sorted(set(entries))
        self.masked = phrase_pattern(entries)

    def prepare(self, text: str) -> str:
        """The text the features are made of: no addresses, masked lookup entries, typos corrected (if configured)."""
        text = without_addresses(text)
        text = self.masked.sub(PLACEHOLDER, text) if self.masked else text
        return self.speller(text) if self.speller else text

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LinearTextClassifier:
        return cls(config, model_storage, resource)

    # training and storage

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> None:
        if len(set(labels)) < 2:
            raise ValueError(f"{type(self).__name__} needs at least two labels, got {sorted(set(labels))}")
        self.speller = None  # the words as written, for the counts
        if self.config["correct_spelling"]:
            self.extra[WORDS_KEY] = word_counts(self.prepare(t) for t in texts)
            self.speller = Speller(self.extra[WORDS_KEY])
        self.pipeline = build_pipeline(self.config, labels)
        self.pipeline.fit([self.prepare(t) for t in texts], list(labels))
        self.scorer = Scorer(self.pipeline)

    def persist(self) -> None:
        import skops.io as sio
        from rasa.shared.utils.io import dump_obj_as_json_to_file

        with self._model_storage.write_to(self._resource) as path:
            sio.dump(self.pipeline, path / MODEL_FILE)
            dump_obj_as_json_to_file(path / "extra.json", self.extra)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LinearTextClassifier:
        import skops.io as sio
        from rasa.shared.utils.io import read_json_file

        try:
            with model_storage.read_from(resource) as path:
                untrusted = sio.get_untrusted_types(file=path / MODEL_FILE)
                unexpected = sorted(set(untrusted) - TRUSTED_TYPES)
                if unexpected:
                    raise UntrustedModelError(f"{cls.__name__}: unexpected types in the stored model: {unexpected}")
                pipeline = sio.load(path / MODEL_FILE, trusted=untrusted)
                extra = read_json_file(path / "extra.json")
        except UntrustedModelError:
            raise
        except ValueError:
            # Nothing stored (Rasa's storage raises ValueError): untrained; process() leaves messages alone.
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, pipeline, extra)

    # prediction

    def rankings(self, texts: Sequence[str], top: int | None = None) -> List[List[Tuple[str, float]]]:
        """Per text: (label, probability) for every label (or the ``top`` most probable), most probable first."""
        probabilities = np.array([self.scorer.probabilities(self.prepare(t)) for t in texts])
        probabilities = tempered(probabilities, self.config["temperature"])
        labels = self.scorer.classes
        ranked = []
        for row in probabilities:
            order = np.argsort(-row, kind="stable")[:top]
            ranked.append([(str(labels[i]), float(row[i])) for i in order])
        return ranked

    def kept(self) -> int | None:
        """How many labels a message's ranking keeps (``ranking_length``; None: all)."""
        length = self.config["ranking_length"]
        return length if length and length > 0 else None

    def cut(self, ranking: List[Any]) -> List[Any]:
        return ranking[: self.kept()]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(LinearTextClassifier, IntentClassifier):
    """The intent (``faq`` for every kennisbank question) with a ranking of probabilities."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LinearTextClassifier.get_default_config(), "class_weight_power": 0.5}

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        self.learn_masks(training_data)
        self.fit([e.get(TEXT) for e in examples], [e.get(INTENT) for e in examples])
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        if self.pipeline is None or not messages:
            return messages
        rankings = self.rankings([m.get(TEXT) or "" for m in messages], top=self.kept())
        for message, ranking in zip(messages, rankings, strict=True):
            ranked = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: p} for name, p in ranking]
            message.set(INTENT, ranked[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, self.cut(ranked), add_to_output=True)
        return messages


def question_text(message: Message) -> str:
    """The text an article is chosen from; for an introduction (intent ``tell_audience``), without the words in
    which the user says who they are.

    In "wij zijn een schoonmaakbedrijf, welke subsidies zijn er?" the word "schoonmaakbedrijf" describes the asker,
    not the question, and pulled the pick to an article that mentions companies (open_hiring_werkgever instead of
    werkgever_regelingen_overzicht); the QuestionGuard then answers the question. The spans are the audience entities
    ``AudienceKeywords`` found. In a message classified as a question they stay: in 5-fold cross-validation leaving
    them out of every message cost 0.008 macro-F1 on the articles (0.954 -> 0.946), since there "ik ben werkgever"
    helps to pick the employer's article.
    """
    text = str(message.get(TEXT) or "")
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != INTRODUCTION_INTENT:
        return text
    spans = sorted(
        (int(entity["start"]), int(entity["end"]))
        for entity in message.get(ENTITIES) or []
        if entity.get("entity") == AUDIENCE_ENTITY and entity.get(EXTRACTOR) == AUDIENCE_EXTRACTOR
    )
    for start, end in reversed(spans):
        text = f"{text[:start]} {text[end:]}"
    return text


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearResponseSelector(LinearTextClassifier):
    """The article (``faq/<article>``) of the retrieval intent, as Rasa's ResponseSelector reports it.

    Like the ResponseSelector it answers for every message, whatever the intent: ``rasa test``
    scores the article of every ``faq`` example, also when the intent was missed.
    """

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**LinearTextClassifier.get_default_config(), "retrieval_intent": "faq"}

    def train(self, training_data: TrainingData) -> Resource:
        retrieval_intent = self.config["retrieval_intent"]
        examples = [
            e
            for e in training_data.intent_examples
            if e.get(INTENT) == retrieval_intent and e.get(TEXT) and e.get(INTENT_RESPONSE_KEY)
        ]
        self.learn_masks(training_data)
        self.fit([e.get(TEXT) for e in examples], [e.get(INTENT_RESPONSE_KEY) for e in examples])
        self.extra.update(
            {
                RETRIEVAL_INTENTS_KEY: sorted(training_data.retrieval_intents),
                RESPONSES_KEY: {
                    key: value
                    for key, value in training_data.responses.items()
                    if key.startswith(f"utter_{retrieval_intent}/")
                },
            }
        )
        self.persist()
        return self._resource

    def responses_for(self, intent_response_key: str) -> List[Dict[str, Any]]:
        """The domain's ``utter_faq/<article>`` responses; like the ResponseSelector, the key itself if none."""
        responses = self.extra.get(RESPONSES_KEY, {}).get(f"utter_{intent_response_key}")
        return responses or [{TEXT: intent_response_key}]

    def process(self, messages: List[Message]) -> List[Message]:
        if self.pipeline is None or not messages:
            return messages
        rankings = self.rankings([question_text(m) for m in messages], top=self.kept())
        for message, ranking in zip(messages, rankings, strict=True):
            best, confidence = ranking[0]
            prediction = {
                PREDICTION_KEY: {
                    RESPONSES_KEY: self.responses_for(best),
                    PREDICTED_CONFIDENCE_KEY: confidence,
                    INTENT_RESPONSE_KEY: best,
                    UTTER_ACTION_KEY: f"utter_{best}",
                },
                RANKING_KEY: [{PREDICTED_CONFIDENCE_KEY: p, INTENT_RESPONSE_KEY: key} for key, p in self.cut(ranking)],
            }
            properties = message.get(RESPONSE_SELECTOR) or {}
            properties[RETRIEVAL_INTENTS_KEY] = list(self.extra.get(RETRIEVAL_INTENTS_KEY, []))
            properties[self.config["retrieval_intent"]] = prediction
            message.set(RESPONSE_SELECTOR, properties, add_to_output=True)
        return messages
