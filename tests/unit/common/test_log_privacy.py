"""Log lines carry no personal data: Rasa's structlog lines, standard logging, exception text, uncaught exceptions."""

from __future__ import annotations

import importlib
import logging
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import log_privacy
from common.privacy import BSN_PLACEHOLDER, EMAIL_PLACEHOLDER, IBAN_PLACEHOLDER, PHONE_PLACEHOLDER

ROOT = Path(__file__).resolve().parents[3]
TEXT = "Mijn BSN is 111222333, mail jan.jansen@example.nl of bel 06-12345678"
INSTALL = "from common import log_privacy; log_privacy.install()"


@pytest.fixture(autouse=True)
def installed() -> None:
    """What every entry point does first (tests below check that each one does)."""
    log_privacy.install()


def test_a_log_line_with_arguments_is_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="test.log_privacy"):
        logging.getLogger("test.log_privacy").info("Bericht van %s: %r", "gebruiker-1", TEXT)
    [record] = caplog.records
    assert "111222333" not in caplog.text and "jan.jansen@example.nl" not in caplog.text
    assert "06-12345678" not in caplog.text
    assert record.getMessage() == (
        f"Bericht van gebruiker-1: 'Mijn BSN is {BSN_PLACEHOLDER}, mail {EMAIL_PLACEHOLDER} of bel {PHONE_PLACEHOLDER}'"
    )


def test_the_text_of_an_exception_is_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="test.log_privacy"):
        try:
            raise ValueError("(psycopg2.DataError) [parameters: ('IBAN NL91ABNA0417164300',)]")
        except ValueError:
            logging.getLogger("test.log_privacy").exception("Opslaan mislukt")
    assert "NL91ABNA0417164300" not in caplog.text
    assert IBAN_PLACEHOLDER in caplog.text and "Traceback" in caplog.text and "ValueError" in caplog.text


def test_a_line_without_personal_data_is_unchanged(caplog: pytest.LogCaptureFixture) -> None:
    line = "2026-11-30 01:32:32 Starting Rasa server on http://0.0.0.0:5005 (event 1764466352.1234567)"
    with caplog.at_level(logging.INFO, logger="test.log_privacy"):
        logging.getLogger("test.log_privacy").info(line)
    assert caplog.records[0].getMessage() == line
    assert caplog.records[0].msg == line  # not rewritten


def test_install_twice_wraps_the_factory_once() -> None:
    factory = logging.getLogRecordFactory()
    log_privacy.install()
    assert logging.getLogRecordFactory() is factory


RASA_FAILURE_LOG = f"""
import logging, structlog
{{imports}}
from rasa.utils.log_utils import configure_structlog
configure_structlog(logging.INFO)
try:
    raise RuntimeError("tracker store down")
except RuntimeError:
    # what Rasa's REST channel logs when a turn fails (rasa/core/channels/rest.py)
    structlog.get_logger().exception("rest.message.received.failure", text={TEXT!r})
"""


def rasa_failure_log(imports: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", RASA_FAILURE_LOG.replace("{imports}", imports)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


def test_rasas_own_failure_line_is_scrubbed_once_installed() -> None:
    log = rasa_failure_log(INSTALL)
    assert "rest.message.received.failure" in log and "tracker store down" in log
    assert "111222333" not in log and "jan.jansen@example.nl" not in log
    assert BSN_PLACEHOLDER in log and EMAIL_PLACEHOLDER in log


def test_importing_our_packages_changes_nothing_and_rasa_writes_the_text_as_it_is() -> None:
    """The reason for log_privacy: Rasa itself does not scrub (so the test above can fail). Importing a
    package has no side effect: scrubbing is an explicit call, made by each entry point."""
    assert "111222333" in rasa_failure_log("import common, reintegratie, handoff, reintegratie.stores.tracker_store")


UNCAUGHT = f"""
{{imports}}
import threading

def fail():
    raise ValueError({TEXT!r})

worker = threading.Thread(target=fail, name="werker")
worker.start()
worker.join()
fail()
"""


def uncaught_exceptions(imports: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", UNCAUGHT.replace("{imports}", imports)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-3000:]
    return done.stderr


def test_the_traceback_of_an_uncaught_exception_is_scrubbed() -> None:
    """In the main thread and in another thread: Python writes these to stderr, not through logging."""
    stderr = uncaught_exceptions(INSTALL)
    assert stderr.count("ValueError: Mijn BSN is") == 2 and "Exception in thread werker" in stderr
    assert "Traceback (most recent call last)" in stderr and "in fail" in stderr
    assert "111222333" not in stderr and "jan.jansen@example.nl" not in stderr and "06-12345678" not in stderr
    assert stderr.count(BSN_PLACEHOLDER) == 2


def test_without_our_package_an_uncaught_exception_carries_the_text() -> None:
    assert uncaught_exceptions("").count("111222333") == 2


def test_an_exception_hook_someone_else_set_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    def other_hook(*args: object) -> None:
        """A debugger's or error tracker's hook."""

    monkeypatch.setattr(sys, "excepthook", other_hook)
    log_privacy._install_exception_hooks()
    assert sys.excepthook is other_hook


def test_control_characters_in_a_warning_are_made_visible() -> None:
    """Tab stays (readable), line breaks and escapes are written out, ordinary text is untouched."""
    text = "a\tb\nc\rd\x1b[31me\x00f\x85g\u2028h"
    assert log_privacy.visible_controls(text) == "a\tb\\nc\\rd\\x1b[31me\\x00f\\x85g\\u2028h"
    assert log_privacy.visible_controls("Gewoon: € 2.070,00 — prima") == "Gewoon: € 2.070,00 — prima"


def test_a_formatted_warning_keeps_its_own_lines_but_not_the_users() -> None:
    """Only the warning's text is escaped: the line break between it and the source line stays."""
    formatted = warnings.formatwarning("regel 1\nERROR vals", UserWarning, "x.py", 3, "print('bron')")
    assert formatted == "x.py:3: UserWarning: regel 1\\nERROR vals\n  print('bron')\n"


ENTRY_POINTS = {
    "reintegratie.launch": ["--help"],  # the Rasa server
    "reintegratie.action_server": ["--help"],
    "handoff.worker": ["--help"],
    "ops.retention": ["--help"],
    "console.__main__": None,  # reads sys.argv
}


@pytest.fixture
def not_installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process as if nothing had installed the scrubbing yet; everything is put back afterwards."""
    monkeypatch.setattr(log_privacy, "_installed", False)
    monkeypatch.setattr(warnings, "formatwarning", warnings.formatwarning)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    yield
    logging.setLogRecordFactory(factory)


@pytest.mark.parametrize("module", sorted(ENTRY_POINTS))
def test_every_entry_point_installs_the_scrubbing_first(
    module: str, not_installed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = importlib.import_module(module)
    argv = ENTRY_POINTS[module]
    monkeypatch.setattr(sys, "argv", [module, "--help"])
    assert logging.getLogRecordFactory() is logging.LogRecord
    with pytest.raises(SystemExit):
        entry.main() if argv is None else entry.main(argv)
    record = logging.getLogRecordFactory()("t", logging.INFO, __file__, 1, TEXT, None, None)
    assert "111222333" not in record.getMessage() and BSN_PLACEHOLDER in record.getMessage()
