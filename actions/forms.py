"""The base class of the forms' validation actions: one rule for answers the form does not understand.

An answer that is not understood is asked again once; from the second one in a row (``MAX_FAILURES``) the
form stops asking the same question: each form decides how, in ``give_up``. The count lives in a slot of the
form (``failure_slot``) and an understood answer resets it. financial-demo's ``CustomFormValidationAction``
plays the same part.
"""

from __future__ import annotations

import abc
from typing import Any, ClassVar, Dict

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

#: Answers in a row that are not understood before the form stops asking the same question.
MAX_FAILURES = 2


class CountingFormValidationAction(FormValidationAction, metaclass=abc.ABCMeta):
    """A form validation that counts the answers it did not understand, in a row.

    Abstract (``name`` and ``give_up``), so rasa_sdk's action server does not register the base class itself: it
    registers every subclass of ``Action`` that ``inspect.isabstract`` does not exclude.
    """

    @abc.abstractmethod
    def name(self) -> str:
        """The form's validation action name in domain.yml."""

    #: The slot that counts the answers not understood in a row (type ``any``, custom mapping, in domain.yml).
    failure_slot: ClassVar[str]
    #: Said when an answer is not understood and the form asks again.
    ask_again_response: ClassVar[str]

    def understood(self, values: Dict[str, Any]) -> Dict[str, Any]:
        """The slot values of an understood answer, with the count reset."""
        return {**values, self.failure_slot: None}

    def not_understood(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[str, Any]:
        """Ask ``slot`` again, or give up when this is the ``MAX_FAILURES``-th answer in a row not understood."""
        failures = int(tracker.get_slot(self.failure_slot) or 0) + 1
        if failures >= MAX_FAILURES:
            return self.give_up(slot, failures, dispatcher)
        dispatcher.utter_message(response=self.ask_again_response)
        return {slot: None, self.failure_slot: failures}

    @abc.abstractmethod
    def give_up(self, slot: str, failures: int, dispatcher: CollectingDispatcher) -> Dict[str, Any]:
        """What the form does after ``MAX_FAILURES`` answers in a row that it did not understand."""
