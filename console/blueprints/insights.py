"""/inzichten: requests per day, top topics and reasons, not-understood messages and answer feedback.

The figures come from console/insights.py: queries on the handoff database and Rasa's tracker store, and
the charts (matplotlib); all of it runs in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from console import insights as figures
from console.blueprints.shared import Console, render, state, unavailable
from console.localtime import TZ
from handoff.service import HandoffUnavailable


def tracker_engine(console: Console) -> Any:
    """The tracker store's engine, made on first use (None while the store cannot be read: tried again)."""
    if console.tracker_engine is None:
        console.tracker_engine = figures.tracker_engine(console.settings.tracker_store_url)
    return console.tracker_engine


def build(console: Console) -> figures.Insights:
    """Synchronous (database queries and charts): call it in a thread."""
    today = datetime.now(TZ).date()
    events = figures.user_events(tracker_engine(console), figures.since_timestamp(today))
    return figures.build(console.service.list(), events, today)


async def insights_page(request: Request) -> HTTPResponse:
    try:
        data = await asyncio.to_thread(build, state(request))
    except HandoffUnavailable as error:
        return unavailable(request, error)
    return render(request, "insights.html", data=data, days=figures.DAYS)


def blueprint() -> Blueprint:
    bp = Blueprint("insights")
    bp.get("/inzichten")(insights_page)
    return bp
