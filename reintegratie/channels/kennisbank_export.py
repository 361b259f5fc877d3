"""Download kennisbank question lists as a Markdown document.

Registered in credentials.yml as a Rasa input channel, so the route lives on
the Rasa server next to the chat channels:

    GET /webhooks/kennisbank/vragen/<article id>.md

It only serves articles with the topic ``vragen_clientenraad``: question
lists a cliëntenraad can take to its gemeente, with their sources.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from eligibility.vocabulary import Audience
from kennisbank import loader as kennisbank
from kennisbank.render import EXPORT_CHANNEL, EXPORT_TOPIC, format_as_of, source_line


def markdown_document(kb: kennisbank.Kennisbank, article_id: str) -> str | None:
    article = kb.get(article_id)
    if article is None or EXPORT_TOPIC not in article.topics:
        return None
    body = article.answer.for_audience(Audience.clientenraad)
    return (
        f"# {article.title}\n\n{body}\n\n"
        f"{source_line(kb, article)}  \nStand: {format_as_of(article.as_of)}\n\n"
        "_Gemaakt met de digitale reïntegratie-assistent. Regels kunnen per gemeente verschillen._\n"
    )


class KennisbankExport(InputChannel):
    @classmethod
    def name(cls) -> str:
        return EXPORT_CHANNEL

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("kennisbank_export", __name__)

        # EXPORT_ROUTE ("/vragen/{article_id}.md"): Sanic 21 cannot put a suffix after a parameter.
        @blueprint.route("/vragen/<filename:str>", methods=["GET"])
        async def download(request: Request, filename: str) -> HTTPResponse:
            article_id = filename.removesuffix(".md")
            document = markdown_document(kennisbank.default(), article_id) if filename.endswith(".md") else None
            if document is None:
                return response.text(
                    "Deze vragenlijst bestaat niet. Vraag in de chat om 'vragen voor de gemeente'.",
                    status=404,
                )
            return response.text(
                document,
                content_type="text/markdown; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{article_id}.md"'},
            )

        return blueprint
