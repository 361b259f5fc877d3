"""Two SDK actions for tests/unit/reintegratie/test_in_process_actions.py: one rejects itself, one fails."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import ActionExecutionRejection


class ActionTestRejects(Action):
    def name(self) -> str:
        return "action_test_rejects"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        raise ActionExecutionRejection(self.name(), "niet nu")


class ActionTestFails(Action):
    def name(self) -> str:
        return "action_test_fails"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[Dict[str, Any]]:
        raise RuntimeError("kapot")
