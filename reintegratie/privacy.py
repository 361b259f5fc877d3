"""Recognise personal numbers the assistant must never ask for, echo or keep.

Pure Python, no Rasa imports. A BSN is 9 digits (8-digit numbers get a
leading zero) that pass the 11-proef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a
multiple of 11 and not 0.
"""
from __future__ import annotations

import re

# 8 or 9 digits, optionally grouped with single spaces, dots or hyphens (123 456 782, 123.45.6782).
_CANDIDATE = re.compile(r"(?<![\d])(\d(?:[ .-]?\d){7,8})(?![\d])")


def is_valid_bsn(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or set(digits) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def find_bsns(text: str) -> list[str]:
    """The substrings of ``text`` that are valid BSNs."""
    return [match.group(1) for match in _CANDIDATE.finditer(text or "") if is_valid_bsn(match.group(1))]


def contains_bsn(text: str) -> bool:
    return bool(find_bsns(text))


BSN_PLACEHOLDER = "[BSN verwijderd]"


def scrub_text(text: str) -> str:
    """``text`` with every valid BSN replaced by a placeholder."""
    return _CANDIDATE.sub(lambda m: BSN_PLACEHOLDER if is_valid_bsn(m.group(1)) else m.group(0), text)


def scrub(value: object) -> object:
    """A copy of a JSON-like value (dicts, lists, strings) with BSNs scrubbed from every string."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value
