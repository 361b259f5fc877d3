"""The conversation summary a consultant gets: last turns, buttons by name, useful slots.

That no personal data is stored with it is tested where it is stored: tests/unit/handoff/test_service.py.
"""

from __future__ import annotations

from handoff.summary import build_summary
from tests.support.trackers import action, bot, slot, user


def test_turns_buttons_and_other_events() -> None:
    events = [
        action("action_listen"),
        user("/greet"),
        bot("Hallo! Ik ben een computerprogramma."),
        user('/faq{"artikel":"jobcoach_overzicht"}'),
        slot("audience", "ouder"),
        bot(None),  # a bot message with only buttons or custom data
        user("  wat kost een jobcoach?  "),
        user("/request_human"),
    ]
    summary = build_summary(events, {})
    assert summary["turns"] == [
        {"who": "user", "text": "[knop: greet]"},
        {"who": "bot", "text": "Hallo! Ik ben een computerprogramma."},
        {"who": "user", "text": "[knop: faq]"},
        {"who": "user", "text": "wat kost een jobcoach?"},
        {"who": "user", "text": "[knop: request_human]"},
    ]


def test_only_the_last_turns() -> None:
    events = [user(f"vraag {i}") for i in range(15)]
    assert [t["text"] for t in build_summary(events, {})["turns"]] == [f"vraag {i}" for i in range(5, 15)]
    assert [t["text"] for t in build_summary(events, {}, max_turns=2)["turns"]] == ["vraag 13", "vraag 14"]
    assert build_summary(events, {}, max_turns=0)["turns"] == []


def test_slots_that_are_set_and_not_internal() -> None:
    slots = {
        "audience": "werkgever",
        "uren_per_week": 24,
        "schriftelijk_contract": False,
        "uitkering": None,
        "requested_slot": "uren_per_week",
        "session_started_metadata": {"a": 1},
        "terugbel_contact": {"email": "x@y.nl"},
        "handoff_modus": "direct",
    }
    assert build_summary([], slots)["slots"] == {
        "audience": "werkgever",
        "uren_per_week": 24,
        "schriftelijk_contract": False,
    }
