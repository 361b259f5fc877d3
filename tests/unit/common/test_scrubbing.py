"""Review M2, M3 and L1: scrubbing personal data is linear, complete for the written variants, and covers warnings.

M2: ``scrub_text`` rebuilt the whole string for every match and re-ran every pattern over the whole text until
nothing changed, so 32,000 BSN-like numbers took 2.75 s and blocked the event loop for every user.
M3: Rasa's ``raise_warning`` calls ``warnings.warn``; warnings are written to stderr (the log file) without
passing through Python's logging, so the log scrubbing never saw them.
L1: ``111/222/333``, ``111 - 222 - 333``, ``06/12345678``, ``06‑12345678`` (U+2011), ``jan at example.nl`` and
``NL91.ABNA.0417.1643.00`` were stored as typed; sender ids were never checked for personal data.

That they never reach the database: tests/unit/reintegratie/stores/test_tracker_store.py; that the running
assistant logs Rasa's warning without them: tests/integration/security/test_scrubbing.py.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

import pytest

from common import privacy
from common.privacy import (
    BSN_PLACEHOLDER,
    EMAIL_PLACEHOLDER,
    IBAN_PLACEHOLDER,
    PHONE_PLACEHOLDER,
    scrub_text,
)
from tests.conftest import ROOT

# --- L1: the variants the review found stored raw ---


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        # BSN with other separators
        ("mijn bsn is 111/222/333", f"mijn bsn is {BSN_PLACEHOLDER}"),
        ("mijn bsn is 111 - 222 - 333.", f"mijn bsn is {BSN_PLACEHOLDER}."),
        ("bsn 1112.22.333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111\u2011222\u2011333", f"bsn {BSN_PLACEHOLDER}"),  # non-breaking hyphen
        ("bsn 111\u00a0222\u00a0333", f"bsn {BSN_PLACEHOLDER}"),  # non-breaking space
        ("bsn 111\u202f222\u202f333", f"bsn {BSN_PLACEHOLDER}"),  # narrow non-breaking space
        ("bsn 111 \u2013 222 \u2013 333", f"bsn {BSN_PLACEHOLDER}"),  # en dash with spaces
        # phone with other separators
        ("bel 06/12345678", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 06\u201112345678", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 06\u201012345678", f"bel {PHONE_PLACEHOLDER}"),  # hyphen
        ("bel 06\u201212345678", f"bel {PHONE_PLACEHOLDER}"),  # figure dash
        ("bel 06\u201312345678", f"bel {PHONE_PLACEHOLDER}"),  # en dash
        ("bel 06\u221212345678", f"bel {PHONE_PLACEHOLDER}"),  # minus sign
        ("bel 06\u00a012345678", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 06\u202f12\u202f34\u202f56\u202f78", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 06 - 12 34 56 78", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 020/123\u00a04567", f"bel {PHONE_PLACEHOLDER}"),
        ("bel +31\u00a06\u00a012345678", f"bel {PHONE_PLACEHOLDER}"),
        # e-mail written out
        ("mail jan at example.nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan AT example.nl graag", f"mail {EMAIL_PLACEHOLDER} graag"),
        ("mail jan [at] example.nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan(at)example.nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan (at) example.nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan{at}example.nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan apenstaartje example.nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan.jansen at gemeente-utrecht.nl.", f"mail {EMAIL_PLACEHOLDER}."),
        ("mail jan at example dot com", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan at example punt nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan [at] example [dot] nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan @ example.nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan\uff20example.nl", f"mail {EMAIL_PLACEHOLDER}"),  # fullwidth @
        # IBAN with other separators
        ("rekening NL91.ABNA.0417.1643.00", f"rekening {IBAN_PLACEHOLDER}"),
        ("rekening NL91-ABNA-0417-1643-00", f"rekening {IBAN_PLACEHOLDER}"),
        ("rekening NL91\u00a0ABNA\u00a00417\u00a01643\u00a000", f"rekening {IBAN_PLACEHOLDER}"),
        ("rekening NL91 ABNA 0417 1643 00", f"rekening {IBAN_PLACEHOLDER}"),
        # digits from other scripts carry the same number: fullwidth and Arabic-Indic
        ("bsn \uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn \u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663", f"bsn {BSN_PLACEHOLDER}"),
        ("bel \uff10\uff16\uff0d\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18", f"bel {PHONE_PLACEHOLDER}"),
    ],
)
def test_written_variants_are_scrubbed(text: str, scrubbed: str) -> None:
    assert scrub_text(text) == scrubbed


@pytest.mark.parametrize(
    "text",
    [
        # ordinary re-integration questions with numbers
        "ik werk 24 uur per week",
        "per 1 juli 2023 krijg ik 2070 euro",
        "op 06-07-2023 ben ik begonnen",
        "wat zegt art. 10d Participatiewet?",
        "mijn loonwaarde is 35%",
        "100 - 35 = 65, dus 65% loonverlies",
        "tussen 2019 en 2023 had ik een WW-uitkering",
        "1/2 dag per week, 24/7 bereikbaar",
        "WIA 35-80 en IVA",
        "ik verdien € 1.234,56 per maand, 13e maand",
        "artikel 7:658 BW en 7:629",
        # dates and year ranges that happen to pass the 11-proef as 8-digit numbers
        "op 09-01-2023 begonnen",
        "op 09/01/2023 begonnen",
        "op 09.01.2023 begonnen",
        "sinds 2023-01-09",
        "in 2024-2025 en 2017 - 2023",
        "het schooljaar 2024/2025",
        # "at" in an ordinary sentence, and words that look like it
        "kijk at home",
        "ik zit at work vandaag",
        "ik at om 12 uur een boterham",
        "Jan at brood. Daarna ging hij werken.",
        "wat is het verschil tussen een proefplaatsing en een werkervaringsplek?",
        "mijn klantmanager zegt dat ik 3 maanden mag proberen",
    ],
)
def test_ordinary_questions_are_left_alone(text: str) -> None:
    assert scrub_text(text) == text


# --- L1: sender ids ---


@pytest.mark.parametrize(
    "sender",
    ["111222333", "jan@example.nl", "0612345678", "NL91ABNA0417164300", "x-123456782"],
)
def test_a_sender_id_with_personal_data_is_recognised(sender: str) -> None:
    assert privacy.contains_personal_data(sender)


@pytest.mark.parametrize(
    "sender", ["default", "privacy-stack-1a2b3c4d", "0f8fad5bd9cb469fa16570867728950e", "user_42", "c:9f86d081884c7d65"]
)
def test_an_ordinary_sender_id_is_not_flagged(sender: str) -> None:
    assert not privacy.contains_personal_data(sender)


# --- M2: linear time ---

ADVERSARIAL: dict[str, Callable[[int], str]] = {
    # what the review sent: valid BSNs separated by spaces (each one is replaced)
    "bsns": lambda n: "111222333 " * (n // 10),
    # one long digit run without separators, and digits separated by single spaces
    "digit run": lambda n: "1234567890" * (n // 10),
    "spaced digits": lambda n: "1 2 3 4 5 6 7 8 9 " * (n // 18),
    "dotted digits": lambda n: "1.2-3/4 5.6-7/8 9 " * (n // 18),
    "at signs": lambda n: "a@a@a." * (n // 6),
    "mail prefix": lambda n: "a" * n + "@",
    "spelled at": lambda n: "a at a punt " * (n // 12),
    "iban prefixes": lambda n: "NL91 " * (n // 5),
    # items glued together: each replacement makes the next one a match (a naive fixpoint loop is quadratic)
    "glued ibans": lambda n: "NL91ABNA0417164300" * (n // 18),
    "glued iban and bsn": lambda n: "NL91ABNA0417164300111222333" * (n // 27),
    "phones": lambda n: "06-12345678 " * (n // 12),
    "postcodes": lambda n: "1234 AB 12 " * (n // 11),
    # random digits between separators: many windows pass the 11-proef, and every pattern is looked for
    "random digits": lambda n: " ".join(random.Random(n).choices("0123456789", k=n // 2)) + " jan@x.nl NL 0 +",
}


def fastest_of_three(text: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        scrub_text(text)
        times.append(time.perf_counter() - start)
    return min(times)


#: Input sizes at which the old code's quadratic time showed; glued items were so slow that they start smaller.
BASE_SIZE = {"glued ibans": 16_000, "glued iban and bsn": 16_000}


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_scrubbing_time_grows_linearly(kind: str) -> None:
    """8 times the input may take about 8 times as long (quadratic would be 64 times); ratios, no clock limits."""
    size = BASE_SIZE.get(kind, 32_000)
    small, large = ADVERSARIAL[kind](size), ADVERSARIAL[kind](8 * size)
    ratio = fastest_of_three(large) / max(fastest_of_three(small), 1e-4)
    assert ratio < 20, f"{kind}: 8x the input took {ratio:.1f}x the time"


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_scrubbing_memory_stays_small(kind: str) -> None:
    """A regular expression that repeats a group keeps state per repetition: one over a 1 MB run of digits held
    123 MB. The scrubber stays within a small multiple of the text (its copies, the flags, the output). Bytes per
    character do not depend on the size (29 at most for 64 kB and for 256 kB), so 64 kB shows such a regex."""
    text = ADVERSARIAL[kind](64_000)
    tracemalloc.start()
    try:
        scrub_text(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * len(text), f"{kind}: {peak / len(text):.0f} bytes per character"


def test_scrubbing_replaces_every_glued_item() -> None:
    """The fixpoint is reached in one go: every IBAN of a glued row is replaced, not only the first."""
    assert scrub_text("NL91ABNA0417164300" * 3) == IBAN_PLACEHOLDER * 3
    assert scrub_text("x@y.BA111222333") == EMAIL_PLACEHOLDER + BSN_PLACEHOLDER


# --- M3: warnings go through the same scrubbing (and log forging: a warning cannot write a line of its own) ---

TEXT = "/mijn bsn is 111222333 en mail jan@example.nl"
FORGED = "/x\\n2026-12-05 09:00:00 ERROR console.auth - FORGED\\n\\x1b[31mRED\\x1b[0m\\r"

#: One process per case (with and without the scrubbing); each part is announced on stderr, so the tests read
#: only their own part. Rasa's part is what its RegexMessageHandler does (YAMLStoryReader.unpack_regex_message)
#: with a message that starts with "/" but names no intent of the domain.
WARNINGS = f"""
import logging, sys, warnings
{{install}}
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.utils.io import raise_warning

def part(name):
    print("=== " + name + " ===", file=sys.stderr, flush=True)

part("rasa")
YAMLStoryReader.unpack_regex_message(Message({{"text": {TEXT!r}}}), Domain.from_dict({{"intents": ["faq"]}}))
part("forged")
raise_warning("Failed to parse arguments in line '{FORGED}'")
part("plain")
warnings.warn("stdlib: " + {TEXT!r})
logging.basicConfig(level=logging.WARNING)
logging.captureWarnings(True)  # what a server that sends warnings to its log does
warnings.warn("captured: " + {TEXT!r})
part("end")
"""


def warnings_output(install: str) -> dict[str, str]:
    """What each part of ``WARNINGS`` wrote (stdout and stderr, in order), by part."""
    done = subprocess.run(
        [sys.executable, "-W", "always", "-c", WARNINGS.replace("{install}", install)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    pieces = re.split(r"=== (\w+) ===\n", done.stdout)  # Rasa's colour ends right before a marker
    parts = dict(zip(pieces[1::2], pieces[2::2], strict=True))
    assert list(parts) == ["rasa", "forged", "plain", "end"], done.stdout[-3000:]
    return parts


@pytest.fixture(scope="module")
def scrubbed() -> dict[str, str]:
    return warnings_output("from common import log_privacy; log_privacy.install()")


@pytest.fixture(scope="module")
def unscrubbed() -> dict[str, str]:
    """The reason for the fix: without the scrubbing Rasa and Python write the text as it is (so the tests can fail)."""
    return warnings_output("")


def test_rasas_warning_with_the_users_text_is_scrubbed(scrubbed: dict[str, str]) -> None:
    output = scrubbed["rasa"]
    assert "Failed to parse arguments in line" in output
    assert "111222333" not in output and "jan@example.nl" not in output
    assert BSN_PLACEHOLDER in output and EMAIL_PLACEHOLDER in output


def test_without_the_scrubbing_rasas_warning_carries_the_text(unscrubbed: dict[str, str]) -> None:
    assert "Failed to parse arguments in line" in unscrubbed["rasa"] and "111222333" in unscrubbed["rasa"]


def test_plain_and_captured_warnings_are_scrubbed(scrubbed: dict[str, str], unscrubbed: dict[str, str]) -> None:
    output = scrubbed["plain"]
    assert "stdlib: " in output and "captured: " in output
    assert "111222333" not in output and "jan@example.nl" not in output
    assert unscrubbed["plain"].count("111222333") == 2


# --- second attack (issue 15): more separators, spaced IBANs and addresses, country code without + ---

ADDRESS_PLACEHOLDER = privacy.ADDRESS_PLACEHOLDER


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("bsn 111,222,333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111_222_333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111  222  333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111\n222\n333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111\t222\t333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111\u200e222\u200e333", f"bsn {BSN_PLACEHOLDER}"),  # left-to-right mark
        ("bsn 111\u200f222\u200f333", f"bsn {BSN_PLACEHOLDER}"),  # right-to-left mark
        ("bsn 111\u200b222\u200b333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111\ufeff222\ufeff333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 111\u2060222\u2060333", f"bsn {BSN_PLACEHOLDER}"),
        ("bsn 1 1 1 , 2 2 2 , 3 3 3", f"bsn {BSN_PLACEHOLDER}"),
        ("mail jan @ example . nl", f"mail {EMAIL_PLACEHOLDER}"),
        ("mail jan@[192.168.1.1] graag", f"mail {EMAIL_PLACEHOLDER} graag"),
        ("bel 06_12345678", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 06 -- 12345678", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 06\u200e12345678", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 31612345678", f"bel {PHONE_PLACEHOLDER}"),
        ("bel 31201234567.", f"bel {PHONE_PLACEHOLDER}."),
        ("iban NL 91 ABNA 0417 1643 00", f"iban {IBAN_PLACEHOLDER}"),
        ("iban nl 91 abna 0417 1643 00 graag", f"iban {IBAN_PLACEHOLDER} graag"),
    ],
)
def test_the_second_attacks_variants_are_scrubbed(text: str, scrubbed: str) -> None:
    assert scrub_text(text) == scrubbed
    assert scrub_text(scrubbed) == scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "ik verdien € 2.070,00 bruto",
        "dat is 1.234,56 euro",
        "een schuld van € 123.456,78 en € 1.234.567,89",
        "ik werk 12, 24 en 32 uur",
        "ik werk 12,  24 of 36 uur",
        "van 9:00-17:00 en 9.00 - 17.00 uur",
        "in 2019, 2020 en 2021 was ik ziek",
        "op 09-01-2023, 10-01-2023",
        "mijn loonwaarde is 35,5%",
        "wat zegt art. 10d, lid 2 Participatiewet?",
        "klantnummer 12345678901 en 31 612",
        "in 2023 kreeg 31 van de 612 mensen werk",
        "artikelnummer 41612345678",
        "ordernummer 316123456789",
        "regel_1_2_3 en item_24",
        "het kost 31.612,34 euro",
        "zie Sectie 7\n12 uur per week\n24 uur",
        "mail mij op het werk. nl is mijn land",
    ],
)
def test_ordinary_questions_stay_after_the_second_attack(text: str) -> None:
    assert scrub_text(text) == text


# --- log forging: a user's text in a warning cannot write a log line of its own or raw escapes ---


def test_a_warning_cannot_forge_a_log_line_or_write_escapes(scrubbed: dict[str, str]) -> None:
    output = scrubbed["forged"]
    assert "Failed to parse arguments in line" in output and "FORGED" in output
    # Rasa colours its warnings itself (ESC[93m ... ESC[0m); the user's own escape must not get through raw.
    assert "\x1b[31m" not in output and "\r" not in output
    assert not any(line.startswith("2026-12-05 09:00:00 ERROR") for line in output.splitlines())
    assert "\\n2026-12-05 09:00:00 ERROR" in output and "\\x1b[31mRED" in output


def test_without_the_scrubbing_the_warning_forges_a_log_line(unscrubbed: dict[str, str]) -> None:
    """The reason for the fix: Python writes the text as it is (so the test above can fail)."""
    output = unscrubbed["forged"]
    assert "\x1b[31m" in output
    assert any(line.startswith("2026-12-05 09:00:00 ERROR") for line in output.splitlines())
