"""Figures for /inzichten: handoff requests (handoff table) and fallback and feedback (Rasa's tracker
``events`` table, read-only). Pure functions over rows, plus the charts as SVG data URIs.
"""

from __future__ import annotations

import base64
import io
import json
import sqlite3
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from console.localtime import local_day

DAYS = 30
UNKNOWN = "(onbekend)"
RATINGS = ("goed", "slecht")


@dataclass(frozen=True)
class UserEvent:
    timestamp: float
    intent: str | None
    rating: str | None = None  # "goed" or "slecht" for a feedback message with the entity waardering


# --- handoff requests -------------------------------------------------------------------------------


def window(today: date, days: int = DAYS) -> list[date]:
    return [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]


def requests_per_day(records: Iterable[Any], today: date, days: int = DAYS) -> list[tuple[date, int]]:
    counts = Counter(local_day(record.created_at) for record in records)
    return [(day, counts.get(day, 0)) for day in window(today, days)]


def top(records: Iterable[Any], attribute: str, n: int = 8) -> list[tuple[str, int]]:
    """The most frequent values of ``attribute`` (topic, reason), most frequent first."""
    counts = Counter(str(getattr(record, attribute, None) or UNKNOWN) for record in records)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


# --- tracker events -----------------------------------------------------------------------------------


def tracker_engine(url: str) -> Engine | None:
    """An engine for reading the tracker store; a SQLite file is opened read-only (None when missing)."""
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite"):
        path = Path(parsed.database or "")
        if not parsed.database or not path.is_file():
            return None
        uri = f"file:{path.resolve()}?mode=ro"
        return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    return create_engine(url, pool_pre_ping=True)


def _rating(data: str | None) -> str | None:
    try:
        entities = json.loads(data or "{}").get("parse_data", {}).get("entities") or []
    except (ValueError, AttributeError):
        return None
    for entity in entities:
        value = str(entity.get("value", "")).strip().lower()
        if entity.get("entity") == "waardering" and value in RATINGS:
            return value
    return None


def user_events(engine: Engine | None, since: float) -> list[UserEvent]:
    """User messages since ``since`` (epoch seconds); [] when the table does not exist yet."""
    if engine is None:
        return []
    query = text(
        "SELECT timestamp, intent_name, CASE WHEN intent_name = 'feedback' THEN data END "
        "FROM events WHERE type_name = 'user' AND timestamp >= :since ORDER BY timestamp"
    )
    try:
        with engine.connect() as connection:
            rows = connection.execute(query, {"since": since}).all()
    except SQLAlchemyError:
        return []
    return [UserEvent(float(ts), intent, _rating(data)) for ts, intent, data in rows if ts is not None]


def fallback_per_day(events: Iterable[UserEvent]) -> list[tuple[date, int, int, float]]:
    """Per day with user messages: (day, messages, nlu_fallback messages, share 0..1)."""
    totals: Counter[date] = Counter()
    fallbacks: Counter[date] = Counter()
    for event in events:
        day = local_day(event.timestamp)
        totals[day] += 1
        fallbacks[day] += event.intent == "nlu_fallback"
    return [(day, totals[day], fallbacks[day], fallbacks[day] / totals[day]) for day in sorted(totals)]


def feedback_per_day(events: Iterable[UserEvent]) -> list[tuple[date, int, int]]:
    """Per day with feedback: (day, goed, slecht)."""
    counts: dict[date, Counter[str]] = {}
    for event in events:
        if event.intent == "feedback" and event.rating:
            counts.setdefault(local_day(event.timestamp), Counter())[event.rating] += 1
    return [(day, counts[day]["goed"], counts[day]["slecht"]) for day in sorted(counts)]


def feedback_totals(per_day: list[tuple[date, int, int]]) -> dict[str, Any]:
    good, bad = sum(row[1] for row in per_day), sum(row[2] for row in per_day)
    total = good + bad
    return {"goed": good, "slecht": bad, "totaal": total, "aandeel_goed": good / total if total else None}


# --- charts -----------------------------------------------------------------------------------------------

INK, BLUE, ORANGE = "#1a1a1a", "#1f4e79", "#b34700"


def _figure(height: float = 2.6) -> tuple[Any, Any]:
    """A matplotlib figure (Agg backend, no pyplot) and its axes; matplotlib is imported on first use."""
    with warnings.catch_warnings():  # matplotlib 3.5 calls pyparsing by its old names
        warnings.simplefilter("ignore", DeprecationWarning)
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    figure = Figure(figsize=(7.5, height), dpi=100)
    axes = figure.subplots()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=INK, labelsize=8)
    return figure, axes


def _data_uri(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def daily_chart(days: list[date], series: dict[str, list[float]], ylabel: str) -> str:
    """Bars per day; several series are stacked (e.g. goed and slecht)."""
    figure, axes = _figure()
    bottom = [0.0] * len(days)
    for (label, values), color in zip(series.items(), (BLUE, ORANGE), strict=False):
        axes.bar(days, values, bottom=bottom, color=color, label=label, width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel(ylabel, color=INK, fontsize=9)
    axes.yaxis.get_major_locator().set_params(integer=True)
    from matplotlib.dates import DateFormatter

    axes.xaxis.set_major_formatter(DateFormatter("%d-%m"))
    figure.autofmt_xdate(rotation=45)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    return _data_uri(figure)


def ranked_chart(pairs: list[tuple[str, int]]) -> str:
    figure, axes = _figure(height=0.4 * len(pairs) + 0.8)
    labels = [label if len(label) <= 40 else label[:39] + "…" for label, _ in pairs][::-1]
    axes.barh(labels, [count for _, count in pairs][::-1], color=BLUE)
    axes.xaxis.get_major_locator().set_params(integer=True)
    return _data_uri(figure)


# --- the page ---------------------------------------------------------------------------------------------


@dataclass
class Insights:
    per_day: list[tuple[date, int]]
    topics: list[tuple[str, int]]
    reasons: list[tuple[str, int]]
    fallback: list[tuple[date, int, int, float]]
    feedback: list[tuple[date, int, int]]
    feedback_totals: dict[str, Any]
    charts: dict[str, str] = field(default_factory=dict)


def build(records: list[Any], events: list[UserEvent], today: date, days: int = DAYS) -> Insights:
    """Everything /inzichten shows; charts only for data that exists."""
    first = window(today, days)[0]
    recent = [record for record in records if local_day(record.created_at) >= first]
    insights = Insights(
        per_day=requests_per_day(recent, today, days),
        topics=top(recent, "topic"),
        reasons=top(recent, "reason"),
        fallback=[row for row in fallback_per_day(events) if row[0] >= first],
        feedback=[row for row in feedback_per_day(events) if row[0] >= first],
        feedback_totals={},
    )
    insights.feedback_totals = feedback_totals(insights.feedback)
    if recent:
        insights.charts["per_day"] = daily_chart(
            [d for d, _ in insights.per_day], {"verzoeken": [n for _, n in insights.per_day]}, "verzoeken"
        )
        insights.charts["topics"] = ranked_chart(insights.topics)
        insights.charts["reasons"] = ranked_chart(insights.reasons)
    if insights.fallback:
        insights.charts["fallback"] = daily_chart(
            [row[0] for row in insights.fallback],
            {"fallback": [100 * row[3] for row in insights.fallback]},
            "% niet begrepen",
        )
    if insights.feedback:
        insights.charts["feedback"] = daily_chart(
            [row[0] for row in insights.feedback],
            {"goed": [row[1] for row in insights.feedback], "slecht": [row[2] for row in insights.feedback]},
            "waarderingen",
        )
    return insights


def since_timestamp(today: date, days: int = DAYS) -> float:
    """Epoch seconds a day before the window starts (days are cut in local time afterwards)."""
    return datetime.combine(window(today, days)[0] - timedelta(days=1), datetime.min.time()).timestamp()
