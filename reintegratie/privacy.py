"""Recognise personal data the assistant must never ask for, echo or keep.

Pure Python, no Rasa imports. ``scrub_text`` replaces:

- a BSN: 9 digits (8-digit numbers get a leading zero) that pass the 11-proef:
  9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11 and not 0;
- an IBAN: a known country code, its exact length and a valid mod-97 check;
- an e-mail address;
- a Dutch phone number (06-12345678, 020-1234567, +31 6 12345678, 0031 ...);
- a postcode with a house number (1234 AB 12, 1234AB 12a, 12, 1234 AB).

Short numbers ("24 uur", "60%", "2070 euro", "1 juli 2023") are left alone.
"""
from __future__ import annotations

import re
from collections.abc import Callable

BSN_PLACEHOLDER = "[BSN verwijderd]"
IBAN_PLACEHOLDER = "[IBAN verwijderd]"
EMAIL_PLACEHOLDER = "[e-mail verwijderd]"
PHONE_PLACEHOLDER = "[telefoon verwijderd]"
ADDRESS_PLACEHOLDER = "[adres verwijderd]"

# 9 or 8 digits, optionally grouped with single spaces, dots or hyphens (123 456 782, 123.45.6782),
# starting at a digit that does not follow a digit.
_NUMBER_START = re.compile(r"(?<!\d)\d")
_BSN_SHAPES = (re.compile(r"\d(?:[ .-]?\d){8}(?!\d)"), re.compile(r"\d(?:[ .-]?\d){7}(?!\d)"))

# IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}")

_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# Dutch numbers: 10 digits from 0[1-9]; the area code (06, 0xx or 0xxx) may be followed by a separator.
# A date like 06-07-2023 is not the start of a phone number.
_DIGITS = r"(?:[ .-]?\d)"
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    rf"(?:\+|00)31[ .-]?(?:\(?0\)?[ .-]?)?[1-9]{_DIGITS}{{8}}"  # +31 6 12345678, 0031 (0)20 123 4567
    r"|(?!\d\d([-/.])\d\d\1\d{4})(?:"
    rf"\(?06\)?[ .-]?\d{_DIGITS}{{7}}"  # 06-12345678, 06 12 34 56 78
    rf"|\(?0[1-9]\d\)?[ .-]?\d{_DIGITS}{{6}}"  # 020-1234567, 010 123 4567
    rf"|\(?0[1-9]\d\d\)?[ .-]?\d{_DIGITS}{{5}}"  # 0512-123456
    r"))(?!\d)"
)

# Postcode (1234 AB, 1234ab) with a house number after it (12, 12a, 12-2) or before it ("12, 1234 AB").
_ADDRESS = re.compile(
    r"(?<![\w-])[1-9]\d{3} ?(?P<after>[A-Za-z]{2}),? ?\d{1,5}"
    r"(?:[A-Za-z]{1,2}(?![A-Za-z])|-[A-Za-z0-9]{1,4}(?![A-Za-z0-9]))?(?!\d)"
    r"|(?<![\w-])\d{1,5}[A-Za-z]?,? [1-9]\d{3} ?(?P<before>[A-Za-z]{2})(?![A-Za-z])"
)
# Lower-case Dutch words that look like postcode letters after a year: "in 2025 is 12 uur genoeg".
_NOT_POSTCODE_LETTERS = frozenset(
    "aa al bv da de dm en er ex ga ha he hé ik in is ja je jo ma na nu of oh ok om op pa te to uw we wo ze zo".split()
)


def is_valid_bsn(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or set(digits) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def _bsn_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a valid BSN; "00 111 222 333" holds one even though "00 111 222" is tried first."""
    spans: list[tuple[int, int]] = []
    position = 0
    while start := _NUMBER_START.search(text, position):
        shapes = (shape.match(text, start.start()) for shape in _BSN_SHAPES)
        valid = next((match for match in shapes if match and is_valid_bsn(match.group(0))), None)
        if valid:
            spans.append(valid.span())
            position = valid.end()
        else:
            position = start.start() + 1
    return spans


def find_bsns(text: str) -> list[str]:
    """The substrings of ``text`` that are valid BSNs."""
    return [text[start:end] for start, end in _bsn_spans(text or "")]


def contains_bsn(text: str) -> bool:
    return bool(find_bsns(text))


def is_valid_iban(number: str) -> bool:
    """Known country, its exact length and the mod-97 check (spaces and hyphens are ignored)."""
    compact = re.sub(r"[ -]", "", number).upper()
    if not compact.isascii() or not compact.isalnum() or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    if not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _is_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _iban_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a valid IBAN, written compact or in groups (NL91 ABNA 0417 1643 00)."""
    spans: list[tuple[int, int]] = []
    position = 0
    while match := _IBAN_START.search(text, position):
        length = IBAN_LENGTHS.get(match.group(1).upper())
        end, count = match.end(), 4
        while length and count < length and end < len(text):
            if _is_alnum(text[end]):
                count += 1
                end += 1
            elif text[end] in " -" and end + 1 < len(text) and _is_alnum(text[end + 1]) and _is_alnum(text[end - 1]):
                end += 1
            else:
                break
        if length and count == length and is_valid_iban(text[match.start() : end]):
            spans.append((match.start(), end))
            position = end
        else:
            position = match.start() + 1
    return spans


def find_ibans(text: str) -> list[str]:
    """The substrings of ``text`` that are valid IBANs."""
    return [text[start:end] for start, end in _iban_spans(text or "")]


def find_emails(text: str) -> list[str]:
    """The e-mail addresses in ``text``."""
    return _EMAIL.findall(text or "")


def find_phones(text: str) -> list[str]:
    """The Dutch phone numbers in ``text``, as written (06 12345678, +31 20 123 4567)."""
    return [match.group(0) for match in _PHONE.finditer(text or "")]


def _replace(text: str, spans: list[tuple[int, int]], placeholder: str) -> str:
    for start, end in reversed(spans):
        text = text[:start] + placeholder + text[end:]
    return text


def _address(match: re.Match[str]) -> str:
    letters = match.group("after") or match.group("before")
    if letters.lower() in _NOT_POSTCODE_LETTERS and not letters.isupper():
        return match.group(0)
    return ADDRESS_PLACEHOLDER


_STEPS: tuple[Callable[[str], str], ...] = (
    lambda text: _replace(text, _iban_spans(text), IBAN_PLACEHOLDER),
    lambda text: _EMAIL.sub(EMAIL_PLACEHOLDER, text) if "@" in text else text,
    lambda text: _PHONE.sub(PHONE_PLACEHOLDER, text),
    lambda text: _ADDRESS.sub(_address, text),
    lambda text: _replace(text, _bsn_spans(text), BSN_PLACEHOLDER),
)


def scrub_text(text: str) -> str:
    """``text`` with every BSN, IBAN, e-mail address, phone number and address replaced by a placeholder.

    Repeated until nothing changes (a replacement can end a longer number), so scrubbing is idempotent.
    Every replacement removes digits or an ``@``, so this ends.
    """
    if not any(char.isdigit() or char == "@" for char in text):
        return text
    while True:
        scrubbed = text
        for step in _STEPS:
            scrubbed = step(scrubbed)
        if scrubbed == text:
            return scrubbed
        text = scrubbed


def scrub(value: object) -> object:
    """A copy of a JSON-like value (dicts, lists, strings) with personal data scrubbed from every string."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value
