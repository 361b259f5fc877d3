"""Render kennisbank articles as chat messages: the answer for the audience, a source line, a date, buttons.

``kennisbank.loader`` loads and validates; this module only words. ``kennisbank.verdicts`` uses the same
source line and date for eligibility verdicts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Sequence

from eligibility.vocabulary import Audience, Source
from kennisbank.loader import Article, Kennisbank

#: Articles with this topic are question lists for a cliëntenraad, downloadable as Markdown
#: from the Rasa server (reintegratie.channels.kennisbank_export, channel "kennisbank").
EXPORT_TOPIC = "vragen_clientenraad"
EXPORT_ROUTE = "/vragen/{article_id}.md"
EXPORT_CHANNEL = "kennisbank"
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def export_url(public_url: str, article_id: str) -> str:
    return public_url.rstrip("/") + f"/webhooks/{EXPORT_CHANNEL}" + EXPORT_ROUTE.format(article_id=article_id)


def format_as_of(as_of: str) -> str:
    """'2017' -> '2017', '2017-05' -> 'mei 2017', '2023-07-01' -> '1 juli 2023'."""
    parts = [int(p) for p in as_of.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = MONTHS[parts[1] - 1]
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"


def sources_text(kb: Kennisbank, sources: Sequence[Source]) -> str:
    """'Bron: <title>, <date> (r. 11); ...' with each document once."""
    parts: List[str] = []
    for doc_id in dict.fromkeys(ref.doc for ref in sources):
        doc = kb.documents[doc_id]
        refs = [ref for ref in sources if ref.doc == doc_id]
        where = ", ".join(
            dict.fromkeys(
                ref.section or f"r. {ref.lines}".replace("-", "–") for ref in refs if ref.section or ref.lines
            )
        )
        parts.append(f"{doc.title}, {doc.date}" + (f" ({where})" if where else ""))
    return "Bron: " + "; ".join(parts)


def source_line(kb: Kennisbank, article: Article) -> str:
    return sources_text(kb, article.sources)


@dataclass(frozen=True)
class Rendered:
    text: str
    buttons: List[Dict[str, str]]
    ask_audience: bool = False


#: An answer that invites the user to talk to a consultant gets the button that asks for one (domain.yml's title).
INVITES_HANDOFF = re.compile(r"\b(praat|spreek)\b[^.?!]*\bmet een medewerker\b", re.IGNORECASE)
HANDOFF_BUTTON = {"title": "Praat met een medewerker", "payload": "/request_human"}


def render_article(kb: Kennisbank, article_id: str, audience: Audience | None, public_url: str = "") -> Rendered:
    """Answer, download link (question lists), source line, date; follow-ups as buttons."""
    article = kb.articles[article_id]
    parts = [article.answer.for_audience(audience)]
    if EXPORT_TOPIC in article.topics and public_url:
        parts.append(f"Download deze vragen: {export_url(public_url, article.id)}")
    parts += [source_line(kb, article), f"Stand: {format_as_of(article.as_of)}"]
    buttons = [{"title": kb.articles[t].title, "payload": f'/faq{{"artikel":"{t}"}}'} for t in article.follow_up]
    if INVITES_HANDOFF.search(parts[0]):  # "Praat dan met een medewerker": the button to do so
        buttons.append(HANDOFF_BUTTON)
    # One message: Rasa's REST channel splits a text on blank lines into separate messages.
    return Rendered(
        text="\n".join(parts),
        buttons=buttons,
        # Ask who the user is only when it is unknown and the answer differs per audience.
        ask_audience=audience is None and article.answer.differs_per_audience(),
    )
