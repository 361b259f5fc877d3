"""No personal data in log lines: every log record is scrubbed (reintegratie.privacy) when it is made.

Rasa logs a user's text when a turn fails (``rest.message.received.failure text=...``), and a database
error carries the SQL parameters (the event JSON) in its message. Logs end up in files and log collectors
that keep them longer than the 90 days of the tracker store, so they get the same scrubbing as the stores.

``install()`` wraps Python's log-record factory once per process. That covers the standard library, Rasa's
structlog output (rendered before it reaches ``logging``), Sanic and rasa_sdk, whatever handlers are set up
later. A record below the log level is never made, so this costs nothing for debug lines that are not shown.
"""
from __future__ import annotations

import logging
import traceback
from typing import Any

from reintegratie.privacy import scrub_text

_installed = False


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """``record`` with personal data removed from its message and from the text of its exception."""
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: logging itself reports that when it formats the record
        return record
    scrubbed = scrub_text(message)
    if scrubbed != message:
        record.msg, record.args = scrubbed, ()
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        # Formatters use exc_text when it is set, so the unscrubbed traceback is never written.
        record.exc_text = scrub_text("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    return record


def install() -> None:
    """Scrub every log record of this process from now on. Calling it again does nothing."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(make_record(*args, **kwargs))

    logging.setLogRecordFactory(scrubbed_record)
    _installed = True
