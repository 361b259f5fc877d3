"""Conversations for tests: events as Rasa sends them to the action server, and trackers built from them.

- ``user()``, ``bot()``, ``action()``, ``slot()``: the JSON events of a conversation (what the action server gets
  in ``tracker.events``).
- ``tracker()``: a real rasa_sdk ``Tracker`` with those events, every slot of domain.yml (``None`` unless given)
  and ``latest_message`` the parse data of the last user event, as an action or form validator receives it.
- ``form_tracker()``: a tracker inside a form whose latest user message filled slots, as after Rasa's
  ``action_extract_slots``.
- ``rasa_tracker()``: Rasa's own ``DialogueStateTracker`` from the same events, for the stores and other code on
  the Rasa side; ``domain()``: domain.yml, loaded once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker

from tests.conftest import ROOT

SENDER = "gesprek-1"


@cache
def domain() -> Domain:
    """domain.yml as Rasa loads it, once per test run (do not change it)."""
    return Domain.load(str(ROOT / "domain.yml"))


@cache
def domain_slots() -> tuple[str, ...]:
    """The slots of domain.yml and Rasa's own (``requested_slot``, ...): what the action server gets."""
    return tuple(slot.name for slot in domain().slots)


def user(
    text: str | None, intent: str | Mapping[str, Any] = "inform", *, timestamp: float | None = None, **parse: Any
) -> dict[str, Any]:
    """A user message with its parse data; ``parse`` adds keys (``entities``, ``response_selector``, ...)."""
    event: dict[str, Any] = {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": intent} if isinstance(intent, str) else dict(intent), **parse},
    }
    if timestamp is not None:
        event["timestamp"] = timestamp
    return event


def bot(text: str | None) -> dict[str, Any]:
    return {"event": "bot", "text": text}


def action(name: str, *, timestamp: float | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {"event": "action", "name": name}
    if timestamp is not None:
        event["timestamp"] = timestamp
    return event


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def tracker(
    events: Sequence[dict[str, Any]] = (), *, sender: str = SENDER, active_loop: str | None = None, **slots: Any
) -> Tracker:
    """A rasa_sdk ``Tracker`` as the action server receives it; ``slots`` must be slots of the domain."""
    unknown = set(slots) - set(domain_slots())
    if unknown:
        raise ValueError(f"not slots of the domain: {sorted(unknown)}")
    latest = next((e["parse_data"] for e in reversed(events) if e["event"] == "user"), {})
    return Tracker(
        sender_id=sender,
        slots={**dict.fromkeys(domain_slots()), **slots},
        latest_message=latest,
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def form_tracker(
    form: str, slots: Mapping[str, Any], text: str, set_now: Mapping[str, Any], *, sender: str = SENDER
) -> Tracker:
    """A tracker in ``form`` whose latest user message ``text`` filled ``set_now`` (as Rasa's extraction does)."""
    events = [user(text), *(slot(name, value) for name, value in set_now.items())]
    return tracker(events, sender=sender, active_loop=form, **{**slots, **set_now})


def rasa_tracker(sender: str, events: Sequence[dict[str, Any]]) -> DialogueStateTracker:
    """Rasa's own tracker with these events (``Event.from_parameters``, as Rasa reads them from JSON)."""
    return DialogueStateTracker.from_events(sender, [Event.from_parameters(dict(event)) for event in events])
