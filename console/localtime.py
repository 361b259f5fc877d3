"""Times shown in the console: Dutch local time (Europe/Amsterdam), from epoch seconds or datetimes."""

from __future__ import annotations

from datetime import date, datetime, timezone

try:
    from zoneinfo import ZoneInfo

    TZ = ZoneInfo("Europe/Amsterdam")
except Exception:  # no time zone database: UTC is still correct, only not local
    TZ = timezone.utc


def local(value: float | int | datetime | None) -> datetime | None:
    """Epoch seconds or a datetime (naive means UTC, as SQLite stores it) in local time."""
    if value is None:
        return None
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(TZ)
    return datetime.fromtimestamp(float(value), TZ)


def local_day(value: float | int | datetime) -> date:
    moment = local(value)
    assert moment is not None
    return moment.date()


def show(value: float | int | datetime | None, with_date: bool = True) -> str:
    """'29-11-2026 16:05' (or '16:05:12'); empty for None."""
    moment = local(value)
    if moment is None:
        return ""
    return moment.strftime("%d-%m-%Y %H:%M") if with_date else moment.strftime("%H:%M:%S")
