"""Load and validate the kennisbank (``kennisbank/``); ``kennisbank.render`` turns an article into a message.

Pure Python (pydantic + PyYAML), no Rasa imports. The action server loads the
kennisbank once at start; a malformed article raises ``KennisbankError`` there
and in the tests, never silently in a conversation.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple

import yaml
from pydantic import BaseModel, Extra, ValidationError, root_validator, validator

from eligibility.parameters import PARAMETERS_FILE, ParameterError, load_parameters
from eligibility.vocabulary import ADDRESS, Audience, Authority, Kind, Source
from kennisbank.aspects import Aspect, Route

KENNISBANK_DIR = Path(__file__).resolve().parent.parent / "kennisbank"


class KennisbankError(ValueError):
    """The kennisbank on disk is not valid."""


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        allow_mutation = False


class Document(Strict):
    """A source document: a seed file (with lines) or a named outside source."""

    title: str
    date: str
    file: str | None = None  # seed file name in ../shared/seeds/
    url: str | None = None


class Answer(Strict):
    """The answer text. ``je`` and ``u`` forms; an audience key overrides both."""

    je: str
    u: str
    werkzoekende: str | None = None
    werkgever: str | None = None
    ouder: str | None = None
    clientenraad: str | None = None

    def for_audience(self, audience: Audience | None) -> str:
        specific: str | None = getattr(self, audience.value) if audience else None
        general: str = getattr(self, ADDRESS[audience])
        return (specific or general).strip()

    def differs_per_audience(self) -> bool:
        return any(getattr(self, audience.value) for audience in Audience)

    def variants(self) -> Dict[str, str]:
        return {key: value for key, value in self.dict().items() if value}


class Article(Strict):
    id: str
    title: str
    topics: List[str]
    aspects: List[Aspect]  # what it answers about its topics; the first is the main one (kennisbank.aspects)
    route: Route | None = None  # the organisation it is about, when it is about one
    authority: Authority
    as_of: str  # "2017", "2017-05" or "2023-07-01": the date the fact was true
    answer: Answer
    sources: List[Source]
    follow_up: List[str] = []
    questions: List[str] = []  # NLU examples for the faq retrieval intent
    parameters: List[str] = []  # ids in eligibility/parameters.yml whose values the answer states

    @validator("id")
    def _id_format(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            raise ValueError("id must be lower-case snake_case")
        return value

    @validator("as_of")
    def _as_of_format(cls, value: str) -> str:
        if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
            raise ValueError("as_of must be YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in value.split("-")] + [1, 1]
        date(parts[0], parts[1], parts[2])  # raises on an impossible date
        return value

    @validator("sources")
    def _has_sources(cls, value: List[Source]) -> List[Source]:
        if not value:
            raise ValueError("every article needs at least one source")
        return value

    @validator("aspects")
    def _has_aspects(cls, value: List[Aspect]) -> List[Aspect]:
        if not value:
            raise ValueError("every article needs at least one aspect (kennisbank/aspects.py)")
        if len(set(value)) != len(value):
            raise ValueError("an aspect is listed twice")
        return value

    @validator("parameters")
    def _parameters_unique(cls, value: List[str]) -> List[str]:
        if len(set(value)) != len(value):
            raise ValueError("a parameter is listed twice")
        return value

    @root_validator(skip_on_failure=True)
    def _no_self_follow_up(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        if values["id"] in values.get("follow_up", []):
            raise ValueError("an article cannot be its own follow-up")
        return values


TERMS_FILE = KENNISBANK_DIR / "termen.yml"


def line_span(lines: str) -> Tuple[int, int]:
    """'247-252' -> (247, 252); '229' -> (229, 229)."""
    first, _, last = lines.partition("-")
    return int(first), int(last or first)


class Term(Strict):
    """A term a B1 reader does not know (``termen.yml``): a text that uses it also explains it."""

    gebruik: str  # regular expression: where a text uses the term
    uitleg: List[str]  # regular expressions: the phrases that count as its explanation
    bron: str  # the seed line(s) that carry the explanation

    @validator("gebruik")
    def _compiles(cls, value: str) -> str:
        re.compile(value)
        return value

    @validator("uitleg")
    def _explanations_compile(cls, value: List[str]) -> List[str]:
        if not value:
            raise ValueError("a term needs at least one explanation")
        for pattern in value:
            re.compile(pattern)
        return value

    def used_in(self, text: str) -> re.Match[str] | None:
        return re.search(self.gebruik, text, re.IGNORECASE)

    def explained_in(self, text: str) -> bool:
        return any(re.search(pattern, text, re.IGNORECASE) for pattern in self.uitleg)

    def bron_regels(self) -> List[Tuple[str, int, int]]:
        """The seed lines ``bron`` names: '002 r.1071-1073, 003 r.60' -> [('002', 1071, 1073), ('003', 60, 60)]."""
        return [(doc, *line_span(lines)) for doc, lines in re.findall(r"\b(00\d) r\.(\d+(?:-\d+)?)", self.bron)]

    def carried_by(self, ref: Source) -> bool:
        """Whether ``ref`` cites one of the seed lines of the explanation."""
        if not ref.lines:
            return False
        first, last = line_span(ref.lines)
        return any(ref.doc == doc and first <= end and start <= last for doc, start, end in self.bron_regels())


def load_terms(path: Path = TERMS_FILE) -> Dict[str, Term]:
    """The terms of ``termen.yml`` by name; a malformed entry raises ``KennisbankError``."""
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise KennisbankError(f"{path}: expected a mapping of terms")
    terms: Dict[str, Term] = {}
    errors: List[str] = []
    for name, entry in raw.items():
        try:
            terms[str(name)] = Term(**entry)
        except (ValidationError, TypeError, re.error) as error:
            errors.append(f"termen.yml {name}: {error}")
    if errors:
        raise KennisbankError("termen.yml is not valid:\n- " + "\n- ".join(errors))
    return terms


class Kennisbank:
    def __init__(self, documents: Dict[str, Document], articles: Dict[str, Article]) -> None:
        self.documents = documents
        self.articles = articles

    def get(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise KennisbankError(f"{path}: not valid YAML: {error}") from error


def load_documents(directory: Path) -> Tuple[Dict[str, Document], List[str]]:
    """The source documents of ``bronnen.yml``, and what is wrong with them."""
    raw_docs = _read_yaml(directory / "bronnen.yml")
    if not isinstance(raw_docs, dict):
        raise KennisbankError(f"{directory / 'bronnen.yml'}: expected a mapping of documents")
    errors: List[str] = []
    documents: Dict[str, Document] = {}
    for doc_id, raw in raw_docs.items():
        try:
            documents[str(doc_id)] = Document(**raw)
        except (ValidationError, TypeError) as error:
            errors.append(f"bronnen.yml {doc_id}: {error}")
    return documents, errors


def load_articles(directory: Path) -> Tuple[Dict[str, Article], List[str]]:
    """Every ``artikelen/**/*.yml`` by id, and what is wrong with them one by one."""
    errors: List[str] = []
    articles: Dict[str, Article] = {}
    for path in sorted((directory / "artikelen").rglob("*.yml")):
        where = path.relative_to(directory)
        raw = _read_yaml(path)
        if not isinstance(raw, dict):
            errors.append(f"{where}: expected a mapping")
            continue
        try:
            article = Article(**raw)
        except ValidationError as error:
            errors.append(f"{where}: {error}")
            continue
        if article.id != path.stem:
            errors.append(f"{where}: id {article.id!r} differs from the file name")
        if article.id in articles:
            errors.append(f"{where}: duplicate id {article.id!r}")
        articles[article.id] = article
    return articles, errors


def kind_errors(ref: Source, doc: Document) -> List[str]:
    """What is wrong with the ``kind`` of one source reference (its extra fields are checked by ``Source``)."""
    if ref.kind is None:
        return [f"source {ref.doc} r.{ref.lines}: kind is missing ({', '.join(k.value for k in Kind)})"]
    if ref.kind is Kind.buiten and doc.file:
        return [f"source {ref.doc}: kind buiten is for an outside source, {ref.doc} is a seed"]
    if not doc.file and ref.kind is not Kind.buiten:
        return [f"source {ref.doc}: an outside source (no seed file) has kind buiten, not {ref.kind.value}"]
    return []


def cross_reference_errors(
    documents: Dict[str, Document], articles: Dict[str, Article], parameter_ids: Iterable[str] = ()
) -> List[str]:
    """What the articles cite or link to that does not exist or does not fit: documents, seed lines and
    anchors, kinds, follow-ups, parameters."""
    errors: List[str] = []
    known_parameters = set(parameter_ids)
    for article in articles.values():
        for ref in article.sources:
            doc = documents.get(ref.doc)
            if doc is None:
                errors.append(f"{article.id}: unknown source document {ref.doc!r}")
                continue
            if doc.file and not (ref.lines and ref.anchor):
                errors.append(f"{article.id}: a seed source needs lines and an anchor ({ref.doc})")
            errors += [f"{article.id}: {problem}" for problem in kind_errors(ref, doc)]
        errors += [
            f"{article.id}: parameters {name!r} is not in eligibility/parameters.yml"
            for name in article.parameters
            if name not in known_parameters
        ]
        if article.authority is Authority.buiten and not any(
            documents.get(ref.doc) and not documents[ref.doc].file for ref in article.sources
        ):
            errors.append(f"{article.id}: authority 'buiten' needs a named outside source")
        errors += [
            f"{article.id}: follow_up {target!r} is not an article"
            for target in article.follow_up
            if target not in articles
        ]
    return errors


def load(directory: Path = KENNISBANK_DIR, parameters_file: Path = PARAMETERS_FILE) -> Kennisbank:
    """Read and validate ``bronnen.yml`` and every ``artikelen/**/*.yml``; report all errors at once.

    ``parameters_file`` (eligibility/parameters.yml) is read for the ids an article's ``parameters`` may name."""
    documents, document_errors = load_documents(directory)
    articles, article_errors = load_articles(directory)
    try:
        parameter_ids: List[str] = list(load_parameters(parameters_file).parameters)
        parameter_errors: List[str] = []
    except (ParameterError, OSError, yaml.YAMLError) as error:
        parameter_ids, parameter_errors = [], [f"{parameters_file.name}: {error}"]
    errors = [
        *document_errors,
        *article_errors,
        *parameter_errors,
        *cross_reference_errors(documents, articles, parameter_ids),
    ]
    if errors:
        raise KennisbankError("Kennisbank is not valid:\n- " + "\n- ".join(errors))
    return Kennisbank(documents, articles)


@lru_cache(maxsize=1)
def default() -> Kennisbank:
    """The project's kennisbank, loaded once per process."""
    return load()
