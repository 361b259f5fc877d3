"""When consultants are there: ``HANDOFF_OPENINGSTIJDEN`` like ``ma-do 09:00-17:00; vr 09:00-12:00``.

Times are wall-clock times in Europe/Amsterdam (so daylight saving time is handled). A part is days
(``ma``, ``ma-vr``, ``ma,wo,vr``) and one or more ranges (``09:00-12:00, 13:00-17:00``); ``24:00`` ends a day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from common import settings

TZ = ZoneInfo("Europe/Amsterdam")
ENV = settings.HANDOFF_OPENINGSTIJDEN.name
DEFAULT = settings.HANDOFF_OPENINGSTIJDEN.default
DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WHOLE_DAY = (0, 24 * 60)

_PART = re.compile(r"^(?P<days>[a-z]{2}(?:\s*[-,]\s*[a-z]{2})*)\s+(?P<times>\d.*)$")
_RANGE = re.compile(r"^(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})$")

Ranges = tuple[tuple[int, int], ...]  # (start, end) in minutes after midnight, sorted, not overlapping


def _error(text: str, why: str) -> ValueError:
    return ValueError(f"Invalid {ENV} {text!r}: {why}. Voorbeeld (example): 'ma-do 09:00-17:00; vr 09:00-12:00'")


def _days(spec: str, text: str) -> list[int]:
    days: list[int] = []
    for item in re.split(r"\s*,\s*", spec):
        ends = [part.strip() for part in item.split("-")]
        unknown = [end for end in ends if end not in DAYS]
        if unknown or len(ends) > 2:
            raise _error(text, f"onbekende dag {unknown[0] if unknown else item!r}; gebruik {', '.join(DAYS)}")
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        if last < first:
            raise _error(text, f"dagen {item!r} lopen achteruit")
        days.extend(range(first, last + 1))
    return days


def _ranges(spec: str, text: str) -> list[tuple[int, int]]:
    ranges = []
    for item in re.split(r"\s*,\s*", spec.strip()):
        match = _RANGE.match(item)
        if not match:
            raise _error(text, f"tijd {item!r} is geen 'uu:mm-uu:mm'")
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 > 59 or m2 > 59 or h1 > 23 or end > 24 * 60:
            raise _error(text, f"tijd {item!r} bestaat niet")
        if end <= start:
            raise _error(text, f"tijd {item!r} eindigt niet na het begin")
        ranges.append((start, end))
    return ranges


def _merge(ranges: list[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}.{minutes % 60:02d}"


def _local(moment: datetime) -> datetime:
    """``moment`` in Amsterdam; a naive moment is taken to be Amsterdam time already."""
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment.astimezone(TZ)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} en {items[-1]}"


@dataclass(frozen=True)
class OpeningHours:
    """Opening ranges per weekday (0 = Monday)."""

    week: tuple[Ranges, ...]

    @classmethod
    def parse(cls, text: str) -> OpeningHours:
        week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
        parts = [part.strip() for part in (text or "").lower().split(";") if part.strip()]
        if not parts:
            raise _error(text, "geen dagen en tijden")
        for part in parts:
            match = _PART.match(part)
            if not match:
                raise _error(text, f"{part!r} is geen 'dagen uu:mm-uu:mm'")
            ranges = _ranges(match.group("times"), text)
            for day in _days(match.group("days"), text):
                week[day].extend(ranges)
        return cls(tuple(_merge(ranges) for ranges in week))

    @classmethod
    def from_env(cls) -> OpeningHours:
        """``HANDOFF_OPENINGSTIJDEN``, default ``ma-vr 09:00-17:00``."""
        return cls.parse(settings.HANDOFF_OPENINGSTIJDEN.value())

    def is_open(self, now: datetime) -> bool:
        local = _local(now)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.week[local.weekday()])

    def _starts(self, after: datetime) -> datetime | None:
        """The first opening moment after ``after`` (Amsterdam time), within 8 days."""
        for offset in range(8):
            day = after.date() + timedelta(days=offset)
            for start, _ in self.week[day.weekday()]:
                moment = self._at(day, start)
                if moment > after:
                    return moment
        return None

    @staticmethod
    def _at(day: date, minutes: int) -> datetime:
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=TZ)

    def next_opening(self, now: datetime) -> datetime:
        """``now`` when open, else the next moment consultants are there (Amsterdam time)."""
        local = _local(now)
        if self.is_open(local):
            return local
        moment = self._starts(local)
        if moment is None:
            raise ValueError("never open")  # parse() does not allow a week without opening hours
        return moment

    def next_opening_text(self, now: datetime) -> str:
        """ "vandaag om 13.00 uur", "morgen om 9.00 uur", "maandag om 9.00 uur" (Dutch), or "nu"."""
        local = _local(now)
        if self.is_open(local):
            return "nu"
        moment = self.next_opening(local)
        days = (moment.date() - local.date()).days
        clock = f"om {_clock(moment.hour * 60 + moment.minute)} uur"
        if days == 0:
            return f"vandaag {clock}"
        if days == 1:
            return f"morgen {clock}"
        name = DAY_NAMES[moment.weekday()]
        return f"{name} {clock}" if days < 7 else f"volgende week {name} {clock}"

    def describe(self) -> str:
        """Dutch: "maandag tot en met vrijdag van 9.00 tot 17.00 uur"."""
        if all(ranges == (WHOLE_DAY,) for ranges in self.week):
            return "elke dag, de hele dag"
        groups: list[tuple[list[int], Ranges]] = []  # consecutive days with the same hours
        for day, ranges in enumerate(self.week):
            if not ranges:
                continue
            if groups and groups[-1][1] == ranges and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            else:
                groups.append(([day], ranges))
        by_hours: dict[Ranges, list[str]] = {}
        for days, ranges in groups:
            labels = by_hours.setdefault(ranges, [])
            if len(days) < 3:
                labels.extend(DAY_NAMES[day] for day in days)
            else:
                labels.append(f"{DAY_NAMES[days[0]]} tot en met {DAY_NAMES[days[-1]]}")
        parts = [
            f"{_join(labels)} {_join([f'van {_clock(start)} tot {_clock(end)} uur' for start, end in ranges])}"
            for ranges, labels in by_hours.items()
        ]
        simple = len(parts) == 2 and all(len(ranges) == 1 for ranges in by_hours)
        return " en ".join(parts) if simple else "; ".join(parts)
