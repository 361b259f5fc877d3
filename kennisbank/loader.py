"""Load, validate and render the kennisbank (``kennisbank/``).

Pure Python (pydantic + PyYAML), no Rasa imports. The action server loads the
kennisbank once at start; a malformed article raises ``KennisbankError`` there
and in the tests, never silently in a conversation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

import yaml
from pydantic import BaseModel, Extra, ValidationError, root_validator, validator

KENNISBANK_DIR = Path(__file__).resolve().parent.parent / "kennisbank"
ANCHOR_MAX_WORDS = 12
#: Articles with this topic are question lists for a cliëntenraad, downloadable as Markdown
#: from the Rasa server (reintegratie.channels.kennisbank_export, channel "kennisbank").
EXPORT_TOPIC = "vragen_clientenraad"
EXPORT_ROUTE = "/vragen/{article_id}.md"
EXPORT_CHANNEL = "kennisbank"


def export_url(public_url: str, article_id: str) -> str:
    return public_url.rstrip("/") + f"/webhooks/{EXPORT_CHANNEL}" + EXPORT_ROUTE.format(article_id=article_id)
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)


def format_as_of(as_of: str) -> str:
    """'2017' -> '2017', '2017-05' -> 'mei 2017', '2023-07-01' -> '1 juli 2023'."""
    parts = [int(p) for p in as_of.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = MONTHS[parts[1] - 1]
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


class KennisbankError(ValueError):
    """The kennisbank on disk is not valid."""


class Audience(str, Enum):
    werkzoekende = "werkzoekende"
    werkgever = "werkgever"
    ouder = "ouder"
    clientenraad = "clientenraad"


#: How each audience is addressed: "je" for job seekers and parents, "u" for
#: employers and cliëntenraad members. Unknown audience: "je" (the widget's public).
ADDRESS: Dict[Audience | None, str] = {
    None: "je",
    Audience.werkzoekende: "je",
    Audience.ouder: "je",
    Audience.werkgever: "u",
    Audience.clientenraad: "u",
}


class Authority(str, Enum):
    wet = "wet"  # law as described in a seed
    uwv_2017 = "uwv-2017"  # UWV practice as described in 2017; protocols since replaced
    gemeente = "gemeente"  # differs per gemeente (verordening)
    lokaal = "lokaal"  # a local example, never a general right
    advies = "advies"  # advocacy or authors' advice
    beschrijving = "beschrijving"  # description or research in a seed
    buiten = "buiten"  # outside the seeds: needs a named, dated source


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


class SourceRef(Strict):
    doc: str
    lines: str | None = None  # "229" or "247-252"; required for seeds
    anchor: str | None = None  # <= 12 words occurring at those lines
    section: str | None = None

    @validator("lines")
    def _lines_format(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d+(-\d+)?", value):
            raise ValueError(f"lines must look like '229' or '247-252', not {value!r}")
        return value

    @validator("anchor")
    def _anchor_length(cls, value: str | None) -> str | None:
        if value is not None and not 1 <= len(value.split()) <= ANCHOR_MAX_WORDS:
            raise ValueError(f"anchor must have 1 to {ANCHOR_MAX_WORDS} words")
        return value

    def line_range(self) -> Tuple[int, int]:
        assert self.lines is not None
        first, _, last = self.lines.partition("-")
        return int(first), int(last or first)


class Answer(Strict):
    """The answer text. ``je`` and ``u`` forms; an audience key overrides both."""

    je: str
    u: str
    werkzoekende: str | None = None
    werkgever: str | None = None
    ouder: str | None = None
    clientenraad: str | None = None

    def for_audience(self, audience: Audience | None) -> str:
        specific = getattr(self, audience.value) if audience else None
        return (specific or getattr(self, ADDRESS[audience])).strip()

    def differs_per_audience(self) -> bool:
        return any(getattr(self, audience.value) for audience in Audience)

    def variants(self) -> Dict[str, str]:
        return {key: value for key, value in self.dict().items() if value}


class Article(Strict):
    id: str
    title: str
    topics: List[str]
    authority: Authority
    as_of: str  # "2017", "2017-05" or "2023-07-01": the date the fact was true
    answer: Answer
    sources: List[SourceRef]
    follow_up: List[str] = []
    questions: List[str] = []  # NLU examples for the faq retrieval intent

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
    def _has_sources(cls, value: List[SourceRef]) -> List[SourceRef]:
        if not value:
            raise ValueError("every article needs at least one source")
        return value

    @root_validator(skip_on_failure=True)
    def _no_self_follow_up(cls, values: dict) -> dict:
        if values["id"] in values.get("follow_up", []):
            raise ValueError("an article cannot be its own follow-up")
        return values

    def as_of_text(self) -> str:
        return format_as_of(self.as_of)


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: List[Dict[str, str]]
    ask_audience: bool = False


class Kennisbank:
    def __init__(self, documents: Dict[str, Document], articles: Dict[str, Article]) -> None:
        self.documents = documents
        self.articles = articles

    def get(self, article_id: str) -> Article | None:
        return self.articles.get(article_id)

    def source_line(self, article: Article) -> str:
        return self.sources_text(article.sources)

    def sources_text(self, sources: Sequence[Any]) -> str:
        """'Bron: <title>, <date> (r. 11); ...' with each document once (refs with doc, lines, section)."""
        parts: List[str] = []
        for doc_id in dict.fromkeys(ref.doc for ref in sources):
            doc = self.documents[doc_id]
            refs = [ref for ref in sources if ref.doc == doc_id]
            where = ", ".join(
                dict.fromkeys(
                    getattr(ref, "section", None) or f"r. {ref.lines}".replace("-", "–")
                    for ref in refs
                    if getattr(ref, "section", None) or ref.lines
                )
            )
            parts.append(f"{doc.title}, {doc.date}" + (f" ({where})" if where else ""))
        return "Bron: " + "; ".join(parts)

    def render(self, article_id: str, audience: Audience | None, public_url: str = "") -> Rendered:
        """Answer, download link (question lists), source line, date; follow-ups as buttons."""
        article = self.articles[article_id]
        parts = [article.answer.for_audience(audience)]
        if EXPORT_TOPIC in article.topics and public_url:
            parts.append(f"Download deze vragen: {export_url(public_url, article.id)}")
        parts += [self.source_line(article), f"Stand: {article.as_of_text()}"]
        buttons = [{"title": self.articles[t].title, "payload": f'/faq{{"artikel":"{t}"}}'} for t in article.follow_up]
        # One message: Rasa's REST channel splits a text on blank lines into separate messages.
        return Rendered(
            text="\n".join(parts),
            buttons=buttons,
            # Ask who the user is only when it is unknown and the answer differs per audience.
            ask_audience=audience is None and article.answer.differs_per_audience(),
        )


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise KennisbankError(f"{path}: not valid YAML: {error}") from error


def load(directory: Path = KENNISBANK_DIR) -> Kennisbank:
    """Read and validate ``bronnen.yml`` and every ``artikelen/**/*.yml``."""
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

    articles: Dict[str, Article] = {}
    for path in sorted((directory / "artikelen").rglob("*.yml")):
        raw = _read_yaml(path)
        try:
            article = Article(**raw) if isinstance(raw, dict) else None
        except ValidationError as error:
            errors.append(f"{path.relative_to(directory)}: {error}")
            continue
        if article is None:
            errors.append(f"{path.relative_to(directory)}: expected a mapping")
            continue
        if article.id != path.stem:
            errors.append(f"{path.relative_to(directory)}: id {article.id!r} differs from the file name")
        if article.id in articles:
            errors.append(f"{path.relative_to(directory)}: duplicate id {article.id!r}")
        articles[article.id] = article

    for article in articles.values():
        for ref in article.sources:
            doc = documents.get(ref.doc)
            if doc is None:
                errors.append(f"{article.id}: unknown source document {ref.doc!r}")
            elif doc.file and not (ref.lines and ref.anchor):
                errors.append(f"{article.id}: a seed source needs lines and an anchor ({ref.doc})")
        if article.authority is Authority.buiten and not any(
            documents.get(ref.doc) and not documents[ref.doc].file for ref in article.sources
        ):
            errors.append(f"{article.id}: authority 'buiten' needs a named outside source")
        for target in article.follow_up:
            if target not in articles:
                errors.append(f"{article.id}: follow_up {target!r} is not an article")
    if errors:
        raise KennisbankError("Kennisbank is not valid:\n- " + "\n- ".join(errors))
    return Kennisbank(documents, articles)


@lru_cache(maxsize=1)
def default() -> Kennisbank:
    """The project's kennisbank, loaded once per process."""
    return load()
