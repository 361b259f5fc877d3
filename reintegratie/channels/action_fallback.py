"""A polite Dutch message instead of silence when a turn fails (action server down, an action error).

In Rasa 3.6 ``MessageProcessor._run_action`` catches every exception of an action (an unreachable action
server makes ``RemoteAction.run`` raise ``RasaException``), logs it with ``logger.exception`` and carries on
as if the action returned no events: the user gets no answer at all.

Where to hook in, and why here:

- A subclass of ``RemoteAction`` put in place of Rasa's (``rasa.core.actions.action.RemoteAction``) is a
  monkeypatch of a module global, and it also catches calls Rasa already handles on purpose: custom slot
  mappings in ``action_extract_slots`` and form validation (``validate_<form>``), where a message with
  "try later" would be followed by the form's next question as if nothing was wrong.
- A subclass of ``MessageProcessor`` cannot be configured; the agent builds its own.
- The channels are Rasa's supported extension point, and ours already wrap Rasa's (REST:
  ``reintegratie/channels/rest.py``, Socket.IO: ``reintegratie/channels/socketio.py``). So each channel
  hands Rasa ``with_fallback(on_new_message)``. While one message is handled, a context variable (one per
  asyncio task, so concurrent conversations do not mix) collects the failures that the processor logs at
  the exact place where it swallows them (a ``logging.Filter`` on the ``rasa.core.processor`` logger; the
  log line itself is kept). After the turn, if an action failed, or handling the message raised, the
  user gets ``SORRY`` once, through the same output channel as every other answer (REST response,
  Socket.IO ``bot_uttered``). One message per failed turn, however many actions failed in it.

The coupling to Rasa is the processor's logger name and the start of its log message
(``PROCESSOR_LOGGER``, ``PROCESSOR_MESSAGE``). tests/integration/test_faults.py runs Rasa's real ``_run_action``
against a closed port, so an upgrade that changes either fails that test.

The message is sent, not stored: the tracker keeps Rasa's own record of the turn (the failed action,
no bot utterance). The "Praat met een medewerker" button is not offered: the handoff runs on the action
server, so it would fail too.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import UserMessage

logger = logging.getLogger(__name__)

PROCESSOR_LOGGER = "rasa.core.processor"
PROCESSOR_MESSAGE = "Encountered an exception while running action"

SORRY = (
    "Sorry, er ging iets mis aan onze kant. Daardoor kan ik je nu geen antwoord geven. "
    "Probeer het over een paar minuten opnieuw. Heb je snel hulp nodig? Vraag het dan aan UWV of aan je gemeente."
)

#: The failures logged by the processor during the message being handled in this task (None: no message).
_failures: ContextVar[list[str] | None] = ContextVar("reintegratie_action_failures", default=None)


class ActionFailureFilter(logging.Filter):
    """Notes each action failure the processor swallows; lets the log record through unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        failures = _failures.get()
        if failures is not None and record.exc_info and str(record.msg).startswith(PROCESSOR_MESSAGE):
            failures.append(type(record.exc_info[1]).__name__)
        return True


_FILTER = ActionFailureFilter()


def install() -> None:
    """Attach the filter to the processor's logger (idempotent)."""
    processor_logger = logging.getLogger(PROCESSOR_LOGGER)
    if _FILTER not in processor_logger.filters:
        processor_logger.addFilter(_FILTER)


OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def with_fallback(on_new_message: OnNewMessage) -> OnNewMessage:
    """``on_new_message`` that answers ``SORRY`` once when the turn fails."""
    install()

    async def handle(message: UserMessage) -> None:
        failures: list[str] = []
        token = _failures.set(failures)
        try:
            await on_new_message(message)
        except Exception:
            failures.append("message handling")
            raise
        finally:
            _failures.reset(token)
            if failures:
                await _say_sorry(message, failures)

    return handle


async def _say_sorry(message: UserMessage, failures: list[str]) -> None:
    logger.warning(
        "Turn on channel %s failed (%s); sent the 'try again later' message",
        str(message.input_channel)[:32],
        ", ".join(failures),  # REST clients may set input_channel
    )
    try:
        await message.output_channel.send_text_message(message.sender_id, SORRY)
    except Exception:  # the channel itself is broken; the original error (if any) must not be hidden
        logger.exception("Could not send the 'try again later' message")
