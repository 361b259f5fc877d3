"""Opening hours of the consultants (HANDOFF_OPENINGSTIJDEN), in Amsterdam time across weekends and DST."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from handoff.opening_hours import TZ, OpeningHours

UTC = timezone.utc
DEFAULT = OpeningHours.parse("ma-vr 09:00-17:00")
SPLIT = OpeningHours.parse("ma-do 09:00-12:00, 13:00-17:00; vr 09:00-12:00")


def ams(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


# 2026-11-23 is a Monday. DST starts Sunday 2026-03-29 (02:00 -> 03:00), ends Sunday 2026-10-25 (03:00 -> 02:00).
@pytest.mark.parametrize(
    ("hours", "now", "is_open", "next_text"),
    [
        (DEFAULT, ams(2026, 11, 24, 12), True, "nu"),
        (DEFAULT, ams(2026, 11, 24, 9), True, "nu"),  # opening minute is open
        (DEFAULT, ams(2026, 11, 24, 17), False, "morgen om 9.00 uur"),  # closing minute is closed
        (DEFAULT, ams(2026, 11, 24, 8, 59), False, "vandaag om 9.00 uur"),
        (DEFAULT, ams(2026, 11, 27, 17, 30), False, "maandag om 9.00 uur"),  # Friday evening
        (DEFAULT, ams(2026, 11, 28, 12), False, "maandag om 9.00 uur"),  # Saturday
        (DEFAULT, ams(2026, 11, 29, 23, 59), False, "morgen om 9.00 uur"),  # Sunday night
        (SPLIT, ams(2026, 11, 24, 12, 30), False, "vandaag om 13.00 uur"),  # lunch break
        (SPLIT, ams(2026, 11, 24, 13), True, "nu"),
        (SPLIT, ams(2026, 11, 27, 12), False, "maandag om 9.00 uur"),  # Friday afternoon
        (SPLIT, ams(2026, 11, 26, 17), False, "morgen om 9.00 uur"),
        (OpeningHours.parse("ma 09:00-12:00"), ams(2026, 11, 23, 12), False, "volgende week maandag om 9.00 uur"),
        (OpeningHours.parse("ma-zo 00:00-24:00"), ams(2026, 11, 29, 23, 59), True, "nu"),
        # the same UTC hour is 08:30 in winter and 09:30 in summer: wall-clock time counts
        (DEFAULT, datetime(2026, 3, 27, 7, 30, tzinfo=UTC), False, "vandaag om 9.00 uur"),  # Fri, CET
        (DEFAULT, datetime(2026, 3, 30, 7, 30, tzinfo=UTC), True, "nu"),  # Mon after DST start, CEST
        (DEFAULT, datetime(2026, 10, 23, 7, 30, tzinfo=UTC), True, "nu"),  # Fri, CEST
        (DEFAULT, datetime(2026, 10, 26, 7, 30, tzinfo=UTC), False, "vandaag om 9.00 uur"),  # Mon after DST end
    ],
)
def test_open_and_next_opening(hours: OpeningHours, now: datetime, is_open: bool, next_text: str) -> None:
    assert hours.is_open(now) is is_open
    assert hours.next_opening_text(now) == next_text


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        (ams(2026, 3, 28, 12), datetime(2026, 3, 30, 7, 0, tzinfo=UTC)),  # Saturday before DST: Monday 09:00 CEST
        (ams(2026, 10, 24, 12), datetime(2026, 10, 26, 8, 0, tzinfo=UTC)),  # Saturday before DST end: 09:00 CET
        (datetime(2026, 11, 27, 16, 30, tzinfo=UTC), datetime(2026, 11, 30, 8, 0, tzinfo=UTC)),  # Fri 17:30 CET
    ],
)
def test_next_opening_is_a_real_moment_across_dst(now: datetime, expected_utc: datetime) -> None:
    moment = DEFAULT.next_opening(now)
    assert moment == expected_utc
    assert moment.tzinfo is not None and (moment.hour, moment.minute) == (9, 0)


def test_next_opening_while_open_is_now() -> None:
    now = ams(2026, 11, 24, 10)
    assert DEFAULT.next_opening(now) == now


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ("ma-vr 09:00-17:00", "maandag tot en met vrijdag van 9.00 tot 17.00 uur"),
        (
            "ma-do 09:00-17:00; vr 09:00-12:00",
            "maandag tot en met donderdag van 9.00 tot 17.00 uur en vrijdag van 9.00 tot 12.00 uur",
        ),
        (
            "ma-vr 09:00-12:00, 13:00-17:00",
            "maandag tot en met vrijdag van 9.00 tot 12.00 uur en van 13.00 tot 17.00 uur",
        ),
        ("ma,wo,vr 8:30-12:00", "maandag, woensdag en vrijdag van 8.30 tot 12.00 uur"),
        ("ma-di 09:00-17:00; do 09:00-17:00", "maandag, dinsdag en donderdag van 9.00 tot 17.00 uur"),
        ("MA-VR 09.00-17.00", "maandag tot en met vrijdag van 9.00 tot 17.00 uur"),
        ("ma-zo 00:00-24:00", "elke dag, de hele dag"),
        ("ma-vr 09:00-13:00; ma-vr 12:00-17:00", "maandag tot en met vrijdag van 9.00 tot 17.00 uur"),  # merged
    ],
)
def test_describe_in_dutch(text: str, described: str) -> None:
    assert OpeningHours.parse(text).describe() == described


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "geen dagen"),
        ("ma-vr", "geen 'dagen uu:mm-uu:mm'"),
        ("09:00-17:00", "geen 'dagen uu:mm-uu:mm'"),
        ("mo-fr 09:00-17:00", "onbekende dag"),
        ("vr-ma 09:00-17:00", "achteruit"),
        ("ma-vr 17:00-09:00", "niet na het begin"),
        ("ma-vr 09:00-25:00", "bestaat niet"),
        ("ma-vr 09:60-17:00", "bestaat niet"),
        ("ma-vr 9-17", "uu:mm-uu:mm"),
        ("ma-vr 09:00-17:00,", "uu:mm-uu:mm"),
    ],
)
def test_malformed_opening_hours_are_refused_clearly(text: str, why: str) -> None:
    with pytest.raises(ValueError, match="HANDOFF_OPENINGSTIJDEN") as error:
        OpeningHours.parse(text)
    assert why in str(error.value) and "Voorbeeld" in str(error.value)


def test_from_env_and_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HANDOFF_OPENINGSTIJDEN", raising=False)
    assert OpeningHours.from_env() == DEFAULT
    monkeypatch.setenv("HANDOFF_OPENINGSTIJDEN", "za 10:00-12:00")
    assert OpeningHours.from_env().describe() == "zaterdag van 10.00 tot 12.00 uur"
    monkeypatch.setenv("HANDOFF_OPENINGSTIJDEN", "elke dag")
    with pytest.raises(ValueError):
        OpeningHours.from_env()
