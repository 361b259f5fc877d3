"""reintegratie.rasa_patches: the same check of the action server's replies as Rasa's, without checking the schema
itself every time; the same event classes as Rasa's ``Event.resolve_by_type``, from a map built once; the same graph
outputs as Rasa's ``DaskGraphRunner``, without dask; and Rasa sends the domain only to the actions that read it
(endpoints.yml).

The kennisbank answers through the running stack (with both): tests/integration/test_server.py and
tests/integration/test_story_messages.py.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from jsonschema import ValidationError
from rasa.core import processor as rasa_processor
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.shared.core.events import Event, SlotSet, UserUttered, deserialise_events
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses

from reintegratie import rasa_patches
from tests.support.trackers import action, domain, rasa_tracker, user

#: Replies as the action server sends them (a kennisbank answer, a check with slots, a form validator), and
#: replies that break Rasa's schema in different places.
GOOD_REPLIES: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {},
    {
        "events": [],
        "responses": [
            {
                "text": "Een jobcoach helpt je op het werk.\nBron: Handreiking, mei 2017 (r. 11)\nStand: mei 2017",
                "buttons": [{"title": "Wie betaalt de jobcoach?", "payload": '/faq{"artikel":"jobcoach_wie"}'}],
                "elements": [],
                "quick_replies": [],
                "custom": {},
                "template": None,
                "response": None,
                "image": None,
                "attachment": None,
            },
            {"response": "utter_vraag_doelgroep", "text": None, "buttons": []},
        ],
    },
    {
        "events": [
            {"event": "slot", "timestamp": None, "name": "uren_per_week", "value": 20},
            {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None},
            {"event": "active_loop", "name": None, "timestamp": None},
            {"event": "followup", "name": "action_check_uitslag", "timestamp": None},
        ],
        "responses": [{"response": "utter_check_uitslag"}],
    },
]
BAD_REPLIES: list[dict[str, Any]] = [
    {"events": "geen lijst", "responses": []},
    {"events": [{"name": "uren_per_week", "value": 20}], "responses": []},  # an event without "event"
    {"events": [{"event": "slot", "name": 3, "value": 20}], "responses": []},
    {"events": [], "responses": "geen lijst"},
    {"events": [], "responses": ["geen object"]},
    {"events": [{"event": "bestaat_niet"}], "responses": []},
]


@pytest.fixture
def installed() -> Iterator[None]:
    rasa_patches.install()
    try:
        yield
    finally:
        rasa_patches.uninstall()


def outcome(validate: Any, reply: dict[str, Any]) -> tuple[bool, str]:
    try:
        return validate(RemoteAction("action_kennisbank_antwoord", None), reply), ""
    except ValidationError as error:
        return False, error.message


def test_rasas_method_underneath_is_the_one_this_module_replaces() -> None:
    """Fails when a Rasa upgrade changes the check or its schema: then compare it with action_reply_check again."""
    source = inspect.getsource(rasa_patches.RASA_VALIDATE)
    assert "validate(result, self.action_response_format_spec())" in source
    assert hashlib.sha256(source.encode()).hexdigest() == (
        "f8cdb4be6812396167ced74161b2ccd65c5ea676ad86d7d359d8c322d9d8dc42"
    ), "Rasa's RemoteAction._validate_action_result changed: check reintegratie/rasa_patches.py"
    assert hashlib.sha256(inspect.getsource(RemoteAction.action_response_format_spec).encode()).hexdigest() == (
        "091b74aa3738d1262cf3c028386aaf9dd4f0d5c1374b62392411d70a79104a46"
    ), "Rasa's reply schema changed: check reintegratie/rasa_patches.py"
    assert "self._validate_action_result(response)" in inspect.getsource(RemoteAction.run)
    resolve = inspect.getsource(rasa_patches.RASA_RESOLVE_EVENT)
    assert hashlib.sha256(resolve.encode()).hexdigest() == (
        "b5cf570fa7f286c7059ec73d8880528d03a78b28cf4e80285a46079c0fa65968"
    ), "Rasa's Event.resolve_by_type changed: check reintegratie/rasa_patches.py"
    assert "Event.resolve_by_type(event_name, default)" in inspect.getsource(Event.from_parameters)


@pytest.mark.parametrize("reply", GOOD_REPLIES + BAD_REPLIES)
def test_the_same_result_and_the_same_error_as_rasas_own_check(reply: dict[str, Any]) -> None:
    ours, rasas = (
        outcome(rasa_patches.validate_action_result, reply),
        outcome(rasa_patches.RASA_VALIDATE, reply),
    )
    assert ours == rasas
    assert ours[0] is (reply in GOOD_REPLIES)
    if not ours[0]:
        assert "Failed to validate Action server response from API" in ours[1]


def test_every_event_type_resolves_to_rasas_class(installed: None) -> None:
    """Every event class Rasa knows, its default and its errors; and events read from JSON, as the tracker store
    and the action server's replies are read."""
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "session_started", "active_loop", "followup"} <= names
    for name in names:
        assert Event.resolve_by_type(name) is rasa_patches.RASA_RESOLVE_EVENT(name), name
    assert Event.resolve_by_type("topic") is None  # Rasa's backwards compatibility
    assert Event.resolve_by_type("bestaat_niet", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name 'bestaat_niet'"):
        Event.resolve_by_type("bestaat_niet")
    conversation = rasa_tracker("gesprek-1", [action("action_listen"), user("ik ben werkgever", "tell_audience")])
    dumped = conversation.current_state(EventVerbosity.ALL)["events"]
    assert [e.as_dict() for e in deserialise_events(dumped)] == [e.as_dict() for e in conversation.events]


def test_an_event_class_imported_later_is_found(installed: None) -> None:
    assert Event.resolve_by_type("user") is UserUttered  # the map is built

    class LaterEvent(SlotSet):
        type_name = "later_event_for_this_test"

    assert Event.resolve_by_type("later_event_for_this_test") is LaterEvent


def test_install_replaces_only_these_methods_and_uninstall_restores_them(installed: None) -> None:
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result
    assert Event.resolve_by_type is rasa_patches.resolve_event_type
    rasa_patches.install()  # twice is harmless
    assert RemoteAction._validate_action_result is rasa_patches.validate_action_result
    with pytest.raises(ValidationError):
        RemoteAction("action_kennisbank_antwoord", None)._validate_action_result(BAD_REPLIES[0])
    rasa_patches.uninstall()
    assert RemoteAction._validate_action_result is rasa_patches.RASA_VALIDATE
    assert Event.resolve_by_type is rasa_patches.RASA_RESOLVE_EVENT


def test_the_launcher_installs_it_before_rasa_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.__main__

    from reintegratie import launch

    seen: list[Any] = []
    monkeypatch.setattr(
        rasa.__main__,
        "main",
        lambda: seen.extend(
            [RemoteAction._validate_action_result, Event.resolve_by_type, rasa_processor.DaskGraphRunner]
        ),
    )
    monkeypatch.setattr("sys.argv", ["launch"])
    try:
        launch.main(["--version"])
    finally:
        rasa_patches.uninstall()
    assert seen == [
        rasa_patches.validate_action_result,
        rasa_patches.resolve_event_type,
        rasa_patches.SequentialGraphRunner,
    ]


def test_rasa_sends_the_domain_only_to_the_form_validators(monkeypatch: pytest.MonkeyPatch) -> None:
    """endpoints.yml enables Rasa's selective domain: a kennisbank answer's request has no domain (36 KB), the
    form validators (validate_*, which read the form's slots from it) still get it."""
    from rasa.core.utils import AvailableEndpoints

    from tests.conftest import ROOT

    monkeypatch.setenv("ACTION_SERVER_TOKEN", "test")
    endpoint = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml")).action
    conversation = rasa_tracker("gesprek-1", [action("action_listen"), user("wat is een jobcoach?", "faq")])
    for name in ("action_kennisbank_antwoord", "action_check_uitslag", "action_handoff_aanvragen"):
        body = RemoteAction(name, endpoint)._action_call_format(conversation, domain())
        assert "domain" not in body and body["tracker"]["events"], name
    for name in ("validate_check_form", "validate_terugbel_form"):
        body = RemoteAction(name, endpoint)._action_call_format(conversation, domain())
        assert body["domain"]["slots"], name


class Step(GraphComponent):
    """A graph component for the runner tests: adds its config's ``n``; ``total`` adds its inputs; ``fail`` raises."""

    CALLS: ClassVar[list[str]] = []

    def __init__(self, config: dict[str, Any]) -> None:
        self.n = config.get("n", 0)

    @classmethod
    def create(
        cls, config: dict[str, Any], model_storage: Any, resource: Any, execution_context: ExecutionContext
    ) -> Step:
        return cls(config)

    def add(self, value: int) -> int:
        Step.CALLS.append(f"add{self.n}")
        return value + self.n

    def total(self, left: int, right: int) -> int:
        Step.CALLS.append("total")
        return left * 100 + right

    def fail(self, value: int) -> int:
        raise RuntimeError("kapot")


def node(fn: str, needs: dict[str, str], n: int = 0, target: bool = False) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Step, constructor_name="create", fn=fn, config={"n": n}, is_target=target)


#: A diamond (first -> left, right -> both) plus a node that raises, needed only by its own target.
GRAPH = GraphSchema(
    {
        "first": node("add", {"value": "__getal__"}, n=1),
        "left": node("add", {"value": "first"}, n=10),
        "right": node("add", {"value": "first"}, n=20),
        "both": node("total", {"left": "left", "right": "right"}, target=True),
        "broken": node("fail", {"value": "first"}, target=True),
    }
)


def runners(tmp_path: Path) -> list[DaskGraphRunner]:
    storage = LocalModelStorage(tmp_path)
    execution = ExecutionContext(GRAPH, "test")
    return [cls.create(GRAPH, storage, execution) for cls in (DaskGraphRunner, rasa_patches.SequentialGraphRunner)]


def test_the_graph_runner_gives_what_rasas_dask_runner_gives(tmp_path: Path) -> None:
    rasas, ours = runners(tmp_path)
    for targets in (["both"], ["left", "right"], ["first", "both"]):
        Step.CALLS.clear()
        expected = rasas.run(inputs={"__getal__": 2}, targets=targets)
        rasas_calls = sorted(Step.CALLS)
        Step.CALLS.clear()
        assert ours.run(inputs={"__getal__": 2}, targets=targets) == expected, targets
        assert sorted(Step.CALLS) == rasas_calls  # each needed node once; "broken" is never run for these
    assert ours.run(inputs={"__getal__": 2}, targets=["both"]) == {"both": 1323}  # (2+1+10)*100 + (2+1+20)
    assert ours.run(inputs={"__getal__": 5}, targets=["both"]) == {"both": 1626}  # the plan is kept, not the values
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        ours.run(inputs={"__getal__": "first"}, targets=["both"])
    for runner in (rasas, ours):
        with pytest.raises(GraphComponentException, match="node broken"):
            runner.run(inputs={"__getal__": 2}, targets=["broken"])


def test_models_load_with_the_sequential_runner_and_training_keeps_rasas(installed: None) -> None:
    import rasa.model_training

    assert rasa_processor.DaskGraphRunner is rasa_patches.SequentialGraphRunner
    assert rasa.model_training.DaskGraphRunner is DaskGraphRunner
    source = inspect.getsource(rasa_processor.MessageProcessor._load_model)
    assert "DaskGraphRunner," in source  # the name the patch replaces is the one the processor loads with
    assert hashlib.sha256(inspect.getsource(DaskGraphRunner.run).encode()).hexdigest() == (
        "45f0f52f574f3aa9546a552bf671183e171092c18b66e97f5771a7fa295de37e"
    ), "Rasa's DaskGraphRunner.run changed: check reintegratie/rasa_patches.py"


# ------------------------------------------------------------------------------------------------- slot copies


def test_a_slot_copy_is_what_copy_copy_made(installed: None) -> None:
    """Every slot of the domain, set and unset: the same class and attributes as Rasa's copy, a new object."""
    slots = copy.deepcopy(domain().slots)  # the shared domain's slots stay as they are
    assert {type(slot).__name__ for slot in slots} >= {"TextSlot", "CategoricalSlot", "AnySlot"}
    for slot in slots:
        for value in (slot.value, None, "werkgever"):
            slot.value = value
            ours = copy.copy(slot)
            rasa_patches.uninstall()
            rasas = copy.copy(slot)
            rasa_patches.install()
            assert type(ours) is type(rasas) and ours.__dict__ == rasas.__dict__ and ours is not slot
            ours.value = "anders"
            assert slot.value == value, "the copy shares its attributes with the original"
    tracker = rasa_tracker("s1", [action("action_listen"), user("ik ben werkgever", "tell_audience")])
    assert (
        tracker.init_copy().current_slot_values()
        == DialogueStateTracker("s1", [slot for slot in tracker.slots.values()]).current_slot_values()
    )


def test_no_slot_class_copies_itself_otherwise() -> None:
    """Fails when a Rasa upgrade gives a slot class its own copy or pickle methods: then copy_slot must follow."""
    for cls in [Slot, *all_subclasses(Slot)]:
        own = {"__copy__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__", "__new__"} & set(cls.__dict__)
        assert not own, f"{cls.__name__} defines {own}"
        assert not getattr(cls, "__slots__", ()), cls.__name__
