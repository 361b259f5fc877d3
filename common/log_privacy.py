"""No personal data in log lines: every log record, warning and uncaught exception is scrubbed (common.privacy).

Rasa logs a user's text when a turn fails (``rest.message.received.failure text=...``), and a database
error carries the SQL parameters (the event JSON) in its message. Logs end up in files and log collectors
that keep them longer than the 90 days of the tracker store, so they get the same scrubbing as the stores.

``install()`` does this once per process:

- It wraps Python's log-record factory. That covers the standard library, Rasa's structlog output (rendered
  before it reaches ``logging``), Sanic and rasa_sdk, whatever handlers are set up later. A record below the
  log level is never made, so this costs nothing for debug lines that are not shown.
- It wraps ``warnings.formatwarning`` and ``warnings.showwarning``. A warning does not go through
  ``logging``: Python writes it to stderr, which ``scripts/run.sh`` sends to the log file. Rasa warns with the
  user's text in it (``Failed to parse arguments in line '/mijn bsn is ...'`` from ``raise_warning``, review M3).
  Rasa's ``raise_warning`` puts its own formatter in place for one warning, and that formatter calls the one it
  found, ours; ``logging.captureWarnings`` formats through ``warnings.formatwarning`` too.
- It wraps ``sys.excepthook`` and ``threading.excepthook`` when they are Python's own: the traceback of an
  uncaught exception is written to stderr, and its message can hold the text that caused it.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
import warnings
from types import TracebackType
from typing import Any, TextIO

from common.privacy import scrub_text

_installed = False

# Control characters in a warning's text: C0 (but tab), DEL, C1, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_VISIBLE = {"\n": "\\n", "\r": "\\r"}


def visible_controls(text: str) -> str:
    """``text`` with control characters written out: a line break as ``\\n``, ESC as ``\\x1b``.

    A user's text inside a warning could otherwise start a log line of its own ("...\\n2026-12-05 09:00:00 ERROR
    console.auth - ...") or send escape sequences to the terminal that shows the log.
    """
    return _CONTROL.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    char = match[0]
    return _VISIBLE.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


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


def _scrubbed_warning(message: Warning | str, category: type[Warning]) -> Warning | str:
    """The warning with its text scrubbed and its control characters made visible, of the same class when that
    class can be made from a text. Only the text is changed: the source line Python adds is the program's own."""
    text = str(message)
    scrubbed = visible_controls(scrub_text(text))
    if scrubbed == text:
        return message
    try:
        return category(scrubbed)
    except Exception:  # a warning class with other arguments: its text is all that is shown
        return scrubbed


def _install_warnings() -> None:
    format_warning = warnings.formatwarning
    show_warning = warnings.showwarning

    def formatwarning(
        message: Warning | str, category: type[Warning], filename: str, lineno: int, line: str | None = None
    ) -> str:
        message = _scrubbed_warning(message, category)
        return scrub_text(format_warning(message, category, filename, lineno, line))

    def showwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        show_warning(_scrubbed_warning(message, category), category, filename, lineno, file, line)

    warnings.formatwarning = formatwarning
    warnings.showwarning = showwarning  # same signature as the standard one


def _write_exception(kind: type[BaseException], value: BaseException, trace: TracebackType | None) -> None:
    if sys.stderr is not None:
        sys.stderr.write(scrub_text("".join(traceback.format_exception(kind, value, trace))))


def _thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or sys.stderr is None:
        return
    name = args.thread.name if args.thread is not None else threading.get_ident()
    sys.stderr.write(f"Exception in thread {name}:\n")
    _write_exception(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


def _install_exception_hooks() -> None:
    """Only Python's own hooks are replaced: a hook someone else set (a debugger, an error tracker) stays."""
    if sys.excepthook is sys.__excepthook__:
        sys.excepthook = _write_exception
    if threading.excepthook is threading.__excepthook__:
        threading.excepthook = _thread_exception


def install() -> None:
    """Scrub every log record, warning and uncaught exception of this process from now on. Calling it again
    does nothing."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def scrubbed_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(make_record(*args, **kwargs))

    logging.setLogRecordFactory(scrubbed_record)
    _install_warnings()
    _install_exception_hooks()
    _installed = True
