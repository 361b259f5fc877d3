"""Recognise personal data the assistant must never ask for, echo or keep.

Pure Python, no Rasa imports. ``scrub_text`` replaces:

- a BSN: 9 digits (8-digit numbers get a leading zero) that pass the 11-proef:
  9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11 and not 0;
- an IBAN: a known country code, its exact length and a valid mod-97 check;
- an e-mail address, also written out: "jan at example.nl", "jan [at] example [dot] nl", "jan(at)example.nl";
- a Dutch phone number (06-12345678, 020-1234567, +31 6 12345678, 0031 ...);
- a postcode with a house number (1234 AB 12, 1234AB 12a, 12, 1234 AB).

People group numbers as they like: spaces, dots, hyphens, slashes, underscores, tabs and line breaks, one or two,
also with spaces around them ("111 - 222 - 333", "06/12345678", "06 -- 12345678"); a BSN also with commas
("111,222,333", but "€ 123.456,78" is an amount). "31612345678" is a phone number (country code without +),
"NL 91 ABNA 0417 1643 00" an IBAN, "jan @ example . nl" and "jan@[192.168.1.1]" addresses.

Text pasted from a word processor or a phone adds look-alikes: the non-breaking space and hyphen, invisible
marks (zero-width space, U+200E/U+200F, U+2060, U+FEFF), dashes, the minus sign, fullwidth and Arabic-Indic
digits. The patterns run on a *shadow* of the text in which every look-alike is replaced by its plain ASCII
character, one character for one, so a position in the shadow is the same position in the text.

Short numbers ("24 uur", "60%", "2070 euro", "1 juli 2023") and dates ("09-01-2023", "2024-2025") are left
alone, even when their digits happen to pass the 11-proef.

Time is linear in the length of the text (review M2: 40,000 BSNs in one message blocked the server for seconds;
1 MB of "111222333 " took 23 s, now about 0.4 s). One scan from left to right takes the leftmost item of any
kind (IBAN, e-mail, phone, address, BSN in that order when two start at the same place) and goes on after it
as if it were already replaced, so the result needs no second scan. Each kind's finder remembers its next
candidate and reads every position once; a regular expression either matches a bounded length or reads a run
of characters once. The 11-proef is done for all digits of the text at once, in C (``_BSNs``).
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import compress

BSN_PLACEHOLDER = "[BSN verwijderd]"
IBAN_PLACEHOLDER = "[IBAN verwijderd]"
EMAIL_PLACEHOLDER = "[e-mail verwijderd]"
PHONE_PLACEHOLDER = "[telefoon verwijderd]"
ADDRESS_PLACEHOLDER = "[adres verwijderd]"

# IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24,
    "AE": 23,
    "AL": 28,
    "AT": 20,
    "AZ": 28,
    "BA": 20,
    "BE": 16,
    "BG": 22,
    "BH": 22,
    "BR": 29,
    "BY": 28,
    "CH": 21,
    "CR": 22,
    "CY": 28,
    "CZ": 24,
    "DE": 22,
    "DK": 18,
    "DO": 28,
    "EE": 20,
    "EG": 29,
    "ES": 24,
    "FI": 18,
    "FO": 18,
    "FR": 27,
    "GB": 22,
    "GE": 22,
    "GI": 23,
    "GL": 18,
    "GR": 27,
    "GT": 28,
    "HR": 21,
    "HU": 28,
    "IE": 22,
    "IL": 23,
    "IQ": 23,
    "IS": 26,
    "IT": 27,
    "JO": 30,
    "KW": 30,
    "KZ": 20,
    "LB": 28,
    "LC": 32,
    "LI": 21,
    "LT": 20,
    "LU": 20,
    "LV": 21,
    "MC": 27,
    "MD": 24,
    "ME": 22,
    "MK": 19,
    "MR": 27,
    "MT": 31,
    "MU": 30,
    "NL": 18,
    "NO": 15,
    "PK": 24,
    "PL": 28,
    "PS": 29,
    "PT": 25,
    "QA": 29,
    "RO": 24,
    "RS": 22,
    "SA": 24,
    "SC": 31,
    "SE": 24,
    "SI": 19,
    "SK": 24,
    "SM": 27,
    "ST": 25,
    "SV": 28,
    "TL": 23,
    "TN": 24,
    "TR": 26,
    "UA": 29,
    "VA": 22,
    "VG": 24,
    "XK": 20,
}

# --- the shadow text: look-alikes become plain ASCII, one character for one ---

_DASHES = frozenset("\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d")
_SLASHES = frozenset("\u2044\u2215\u29f8\uff0f")
# Invisible characters inside a number or address still join it: "111\u200b222\u200b333" is one number.
# The left-to-right and right-to-left marks too (U+200E, U+200F).
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


@functools.lru_cache(maxsize=4096)
def _plain(char: str) -> str:
    """The ASCII character ``char`` stands for in a number or address, or ``char`` itself."""
    if char in _DASHES or char in _INVISIBLE:
        return "-"
    if char in _SLASHES:
        return "/"
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    folded = unicodedata.normalize("NFKC", char)  # no-break spaces, fullwidth letters, ＠ and ．
    return folded if len(folded) == 1 and folded.isascii() else char


# In a number an underscore is a hyphen and a tab or line break a space ("111_222_333", "111\n222\n333").
_ASCII_LOOK_ALIKES = {ord("_"): "-", ord("\t"): " ", ord("\n"): " ", ord("\r"): " ", ord("\v"): " ", ord("\f"): " "}


def _shadow(text: str) -> str:
    """``text`` with look-alikes replaced (same length, so positions carry over)."""
    if text.isascii():
        return text.translate(_ASCII_LOOK_ALIKES)
    table = {ord(char): plain for char in set(text) if not char.isascii() and (plain := _plain(char)) != char}
    return text.translate({**_ASCII_LOOK_ALIKES, **table})


# --- patterns, written for the shadow text ---

# A separator inside a number: one or two spaces, or one or two of - . / with at most two spaces on either
# side ("111  222  333", "06 -- 12345678"). A BSN may also be grouped with commas ("111,222,333"); a phone
# number or an IBAN may not ("06, 12, 24, 36, 48" can be a list of weeks).
_SEP = r"(?: {0,2}[-./]{1,2} {0,2}| {1,2})"
_BSN_SEP = r"(?: {0,2}[-./,]{1,2} {0,2}| {1,2})"
_DROP_SEPARATORS = str.maketrans("", "", " -./,")
_ONLY_DIGITS = str.maketrans("", "", " -./,x")

_PHONE_DIGIT = rf"(?:{_SEP}?\d)"
_DATE_AHEAD = r"\d\d ?(?P<datesep>[-/.]) ?\d\d ?(?P=datesep) ?\d{4}"
# Dutch numbers: 10 digits from 0[1-9]; the area code (06, 0xx or 0xxx) may be followed by a separator.
# A date like 06-07-2023 is not the start of a phone number.
_PHONE_BODY = (
    rf"(?:(?:\+|00)31{_SEP}?(?:\(?0\)?{_SEP}?)?[1-9]{_PHONE_DIGIT}{{8}}"  # +31 6 12345678, 0031 (0)20 123 4567
    # 31612345678, 31201234567: the country code without + or 00 only as one whole number (or "31 6..."),
    # for a mobile (6) or a geographic area code (1-5, 7); other 11-digit numbers are left alone.
    r"|31[ -]?6\d{8}|31[1-57]\d{8}"
    rf"|(?!{_DATE_AHEAD})(?:"
    rf"\(?06\)?{_SEP}?\d{_PHONE_DIGIT}{{7}}"  # 06-12345678, 06 12 34 56 78, 06/12345678
    rf"|\(?0[1-9]\d\)?{_SEP}?\d{_PHONE_DIGIT}{{6}}"  # 020-1234567, 010 123 4567
    rf"|\(?0[1-9]\d\d\)?{_SEP}?\d{_PHONE_DIGIT}{{5}}"  # 0512-123456
    r"))(?!\d)"
)

_LOCAL_PART = r"[\w.%+-]+"
# An address ends at a character that cannot continue its top-level domain. A digit can: "jan@x.nl111222333"
# is an address and a BSN, so the address is found in the same scan as the BSN that follows it.
_DOMAIN_END = r"(?![^\W\d]|-)"
# At most 30 labels: the engine keeps state for every repetition (a real domain has a handful).
# An address literal ("jan@[192.168.1.1]") is an address too.
_DOMAIN = rf"@(?:\[\d{{1,3}}(?:\.\d{{1,3}}){{3}}\]|[\w-]+(?:\.[\w-]+){{0,30}}\.[A-Za-z]{{2,}}{_DOMAIN_END})"
# Written out: " at ", "[at]", "(at)", " apenstaartje ", " @ "; " dot ", " punt ", "[dot]" for the dots. Only with
# a common top-level domain, so "ik zit at work" or "Jan at brood. Daarna ..." stay as they are.
_AT_WORD = (
    r"(?:[ \t]{0,3}[\[({][ \t]{0,3}(?:at|@)[ \t]{0,3}[\])}][ \t]{0,3}"
    r"|[ \t]{1,3}(?:at|apenstaartje)[ \t]{1,3}|[ \t]{1,3}@[ \t]{0,3}|@[ \t]{1,3})"
)
# A dot may have spaces around it ("jan @ example . nl").
_DOT_WORD = (
    r"(?:[ \t]{0,3}\.[ \t]{0,3}|[ \t]{0,3}[\[({][ \t]{0,3}(?:dot|punt)[ \t]{0,3}[\])}][ \t]{0,3}"
    r"|[ \t]{1,3}(?:dot|punt)[ \t]{1,3})"
)
_COMMON_TLD = "nl|com|net|org|eu|be|de|fr|uk|info|nu|frl|amsterdam|online|email|biz|io|me|es|it|at|ch|pl|tr|ma|sr|cw|aw"
_DOMAIN_WRITTEN = (
    rf"(?i:{_AT_WORD})[\w-]+(?:(?i:{_DOT_WORD})[\w-]+){{0,30}}(?i:{_DOT_WORD}(?:{_COMMON_TLD})){_DOMAIN_END}"
)
# An address as a callback needs it: written with @, ending where the top-level domain ends.
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# What follows the local part of an address, written either way.
_AFTER_LOCAL_PART = re.compile(rf"{_DOMAIN}|{_DOMAIN_WRITTEN}")
_LOCAL_RUN = re.compile(r"[\w.%+-]*")

# Postcode (1234 AB, 1234ab) with a house number after it (12, 12a, 12-2) or before it ("12, 1234 AB").
_ADDRESS_BODY = (
    r"(?:[1-9]\d{3} ?(?P<after>[A-Za-z]{2}),? ?\d{1,5}"
    r"(?:[A-Za-z]{1,2}(?![A-Za-z])|-[A-Za-z0-9]{1,4}(?![A-Za-z0-9]))?(?!\d)"
    r"|\d{1,5}[A-Za-z]?,? [1-9]\d{3} ?(?P<before>[A-Za-z]{2})(?![A-Za-z]))"
)
# Lower-case Dutch words that look like postcode letters after a year: "in 2025 is 12 uur genoeg".
_NOT_POSTCODE_LETTERS = frozenset(
    "aa al bv da de dm en er ex ga ha he hé ik in is ja je jo ma na nu of oh ok om op pa te to uw we wo ze zo".split()
)


def _iban_body() -> str:
    """Country code, check digits and exactly as many letters and digits as that country's IBAN has."""
    by_length: dict[int, list[str]] = {}
    for country, length in IBAN_LENGTHS.items():
        by_length.setdefault(length, []).append(country)
    return (
        rf"(?=[A-Za-z]{{2}}{_SEP}?\d{_SEP}?\d)(?:"
        + "|".join(
            rf"(?:{'|'.join(sorted(countries))})(?:{_SEP}?[A-Za-z0-9]){{{length - 2}}}"
            for length, countries in sorted(by_length.items())
        )
        + ")"
    )


_BSN_SHAPES = (re.compile(rf"\d(?:{_BSN_SEP}?\d){{8}}(?!\d)"), re.compile(rf"\d(?:{_BSN_SEP}?\d){{7}}(?!\d)"))
# Dates and year ranges of 8 digits: many pass the 11-proef (09-01-2023, 2024-2025), none is written as a BSN.
_DAY, _MONTH, _YEAR = r"(?:0[1-9]|[12]\d|3[01])", r"(?:0[1-9]|1[0-2])", r"(?:19|20)\d\d"
_DATE = re.compile(
    rf"{_DAY} ?(?P<a>[-./]) ?{_MONTH} ?(?P=a) ?{_YEAR}|{_YEAR} ?(?P<b>[-./]) ?{_MONTH} ?(?P=b) ?{_DAY}"
    rf"|{_YEAR}{_BSN_SEP}{_YEAR}"
    # amounts: "€ 123.456,78", "1.234.567,89", "12345678,00"
    r"|(?:\d{1,3}(?:\. ?\d{3})+|\d+),\d\d"
)
_DIGIT_VALUES = bytes.maketrans(b"0123456789", bytes(range(10)))
_BSN_WEIGHTS = {9: (9, 8, 7, 6, 5, 4, 3, 2, -1), 8: (8, 7, 6, 5, 4, 3, 2, -1)}  # 8 digits: leading zero


def is_valid_bsn(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or set(digits) == {"0"}:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def is_valid_iban(number: str) -> bool:
    """Known country, its exact length and the mod-97 check (separators are ignored)."""
    return _valid_compact_iban(_shadow(number).translate(_DROP_SEPARATORS).upper())


@functools.lru_cache(maxsize=1024)
def _valid_written_iban(shadow: str) -> bool:
    compact = shadow.translate(_DROP_SEPARATORS).upper()
    if not shadow[2:3].isdigit() and sum(map(str.isdigit, compact[4:])) * 2 < len(compact) - 4:
        # "NL 91 ABNA 0417 1643 00" is an IBAN, but with a space after the country code words can be taken
        # for one ("NL 24 uur per week werken" passes the mod-97 check once in 97): its account part must be
        # mostly digits, as every real one is.
        return False
    return _valid_compact_iban(compact)


def _valid_compact_iban(compact: str) -> bool:
    if not compact.isascii() or not compact.isalnum() or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    if not compact[2:4].isdigit():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


# --- finders: where each kind of item is in a shadow text ---


@dataclass(frozen=True)
class _Pattern:
    """One kind of item found by a regular expression, with the check on what comes before it kept apart.

    ``find`` uses the check (``before``), ``at`` skips it: right after a replaced item the text before is a
    placeholder, which every check accepts.
    """

    placeholder: str
    before: str
    body: str
    flags: int = 0
    valid: Callable[[re.Match[str]], bool] = lambda match: True

    @functools.cached_property
    def _search(self) -> re.Pattern[str]:
        return re.compile(self.before + self.body, self.flags)

    @functools.cached_property
    def _here(self) -> re.Pattern[str]:
        return re.compile(self.body, self.flags)

    def find(self, shadow: str, position: int) -> tuple[int, int] | None:
        while match := self._search.search(shadow, position):
            if self.valid(match):
                return match.span()
            position = match.start() + 1
        return None

    def at(self, shadow: str, position: int) -> int | None:
        match = self._here.match(shadow, position)
        return match.end() if match and self.valid(match) else None


def _is_address(match: re.Match[str]) -> bool:
    letters = match.group("after") or match.group("before")
    return letters.isupper() or letters.lower() not in _NOT_POSTCODE_LETTERS


_IBAN = _Pattern(
    IBAN_PLACEHOLDER,
    r"(?<![A-Za-z0-9])",
    _iban_body(),
    re.IGNORECASE,
    lambda match: _valid_written_iban(match.group()),
)
_EMAIL_ANY = _Pattern(EMAIL_PLACEHOLDER, r"(?<![\w.%+-])", rf"{_LOCAL_PART}(?:{_DOMAIN}|{_DOMAIN_WRITTEN})")
_PHONE = _Pattern(PHONE_PLACEHOLDER, r"(?<![\w+])", _PHONE_BODY)
_ADDRESS = _Pattern(ADDRESS_PLACEHOLDER, r"(?<![\w-])", _ADDRESS_BODY, valid=_is_address)


def _is_bsn(digits: bytes, start: int, size: int) -> bool:
    """The ``size`` digit values from ``start`` pass the 11-proef and are not all zero."""
    window = digits[start : start + size]
    return any(window) and sum(map(int.__mul__, _BSN_WEIGHTS[size], window)) % 11 == 0


def _bsn_in(shadow: str, start: int, end: int) -> bool:
    number = shadow[start:end]
    digits = number.translate(_DROP_SEPARATORS).encode().translate(_DIGIT_VALUES)
    return _is_bsn(digits, 0, len(digits)) and not _DATE.fullmatch(number)


# For the bulk 11-proef (_eleven_proof_misses): the weights as 16-bit lanes of one integer, last weight first.
_KERNELS = {size: sum((w % 11) << (16 * (size - 1 - k)) for k, w in enumerate(ws)) for size, ws in _BSN_WEIGHTS.items()}
# Rows of flags are bytes b"0" (yes) and b"1" (no), so that | and & on them as big integers work per byte.
# A weighted sum is below 512, a low byte and a high bit; it is a multiple of 11 when the low byte is (high bit
# 0) or when low + 256 is (high bit 1).
_MISS_IF_HIGH_0 = bytes(ord("0") + int(low % 11 != 0) for low in range(256))
_MISS_IF_HIGH_1 = bytes(ord("0") + int((low + 256) % 11 != 0) for low in range(256))
_HIGH_1, _HIGH_0 = bytes.maketrans(b"\x00\x01", b"01"), bytes.maketrans(b"\x00\x01", b"10")
_YES = ord("0")
_NONE = (sys.maxsize, sys.maxsize)  # no (more) BSN

# What follows each digit, as one letter per digit (see _BSNs): c another digit, s a separator and a digit,
# b anything else. First every character that is not a digit or separator becomes "x", so no letter of the
# text can be mistaken for one of these.
_OTHER_ASCII = str.maketrans({char: "x" for char in map(chr, range(128)) if char not in "0123456789 ./-,"})
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")
_EIGHT_DIGITS = re.compile(rf"\d(?:{_BSN_SEP}?\d){{7}}")
_BEFORE_SEPARATOR = re.compile(rf"\d(?={_BSN_SEP}\d)")
_BARS = str.maketrans(" ./-,x", "||||||")
_ONLY_CODES = str.maketrans("0123456789", "cccccccccc", "|")
_IS_DIGIT = str.maketrans("0123456789 ./-,x", "\x01" * 10 + "\x00" * 6)
_NOT_LAST, _NOT_FIRST_NEXT, _BREAK = (str.maketrans("csb", flags) for flags in ("100", "100", "001"))


def _eleven_proof_misses(digits: bytes, size: int) -> int:
    """A row of flags: byte ``i`` of ``len(digits) - size + 1`` (as a big-endian integer) is b"0" exactly
    when the ``size`` digits from ``i`` pass the 11-proef (ignoring the all-zero rule).

    All windows at once, in C: the digits are the 16-bit lanes of one integer, and multiplying it by the
    weights (as lanes, in reverse) puts each window's weighted sum in a lane of the product.
    """
    count = len(digits) - size + 1
    lanes = bytearray(2 * len(digits))
    lanes[::2] = digits
    product = (int.from_bytes(lanes, "little") * _KERNELS[size]).to_bytes(2 * (len(digits) + size), "little")
    low, high = product[2 * (size - 1) :: 2][:count], product[2 * size - 1 :: 2][:count]
    return (int.from_bytes(low.translate(_MISS_IF_HIGH_0), "big") & int.from_bytes(high.translate(_HIGH_0), "big")) | (
        int.from_bytes(low.translate(_MISS_IF_HIGH_1), "big") & int.from_bytes(high.translate(_HIGH_1), "big")
    )


def _part(row: int, length: int, start: int, count: int) -> int:
    """Bytes ``start`` to ``start + count`` of a row of ``length`` bytes held as a big-endian integer."""
    return (row >> 8 * (length - start - count)) & ((1 << 8 * count) - 1)


class _BSNs:
    """The BSN finder for one shadow text.

    A BSN is 9 (or 8) digits joined by separators, starting at a digit that does not follow a digit and ending
    at one that no digit follows. Which windows of digits are one is worked out for the whole text at once,
    in C, as a row of flags per size: the 11-proef (``_eleven_proof_misses``), the window starts and ends a
    group, and it does not cross anything but a separator. ``find`` then jumps to the next flag, so
    "1 2 3 4 5 ..." costs no Python work per digit, and a window that is passed over costs nothing.
    """

    placeholder = BSN_PLACEHOLDER

    def __init__(self, shadow: str) -> None:
        self._shadow = shadow
        self._candidates: dict[int, bytes] = {}  # per size: b"0" where a window starts that is a BSN
        self._next: dict[int, tuple[int, int]] = {}  # per size: the window handed out last
        first = _EIGHT_DIGITS.search(shadow)  # nothing before it can be part of a BSN
        if first is None:
            return
        plain = shadow[first.start() :].translate(_OTHER_ASCII)
        if not plain.isascii():
            plain = _NOT_ASCII.sub("x", plain)
        # s: a digit before a separator and a digit; then every other character becomes "|"
        marked = _BEFORE_SEPARATOR.sub("s", plain).translate(_BARS) + "|"
        for digit in "0123456789":  # b: a digit before anything but a digit or s (a "|")
            marked = marked.replace(digit + "|", "b")
        codes = marked.translate(_ONLY_CODES)  # c: the digits left, before a digit
        self._positions = array("q", compress(range(first.start(), len(shadow)), plain.translate(_IS_DIGIT).encode()))
        self._digits = plain.translate(_ONLY_DIGITS).encode().translate(_DIGIT_VALUES)
        length = len(codes)
        not_last = int.from_bytes(codes.translate(_NOT_LAST).encode(), "big")
        not_first = int.from_bytes(("b" + codes[:-1]).translate(_NOT_FIRST_NEXT).encode(), "big")
        breaks = int.from_bytes(codes.translate(_BREAK).encode(), "big")
        for size in _BSN_WEIGHTS:
            count = length - size + 1
            if count <= 0:
                continue
            row = _eleven_proof_misses(self._digits, size) | _part(not_first, length, 0, count)
            row |= _part(not_last, length, size - 1, count)
            for inside in range(size - 1):  # no break between the first and the last digit
                row |= _part(breaks, length, inside, count)
            self._candidates[size] = row.to_bytes(count, "big")
            self._next[size] = (-1, -1)

    def find(self, shadow: str, position: int) -> tuple[int, int] | None:
        """The first BSN that starts at or after ``position`` (9 digits before 8 at one place)."""
        found = _NONE
        for size, window in self._next.items():
            if window[0] < position:
                window = self._next[size] = self._window(size, position)
            if window[0] < found[0]:
                found = window
        return None if found is _NONE else found

    def _window(self, size: int, position: int) -> tuple[int, int]:
        flags, index = self._candidates[size], bisect_left(self._positions, position)
        while (index := flags.find(_YES, index)) >= 0:
            start, end = self._positions[index], self._positions[index + size - 1] + 1
            if any(self._digits[index : index + size]) and not _DATE.fullmatch(self._shadow, start, end):
                return start, end
            index += 1
        return _NONE

    def at(self, shadow: str, position: int) -> int | None:
        for shape in _BSN_SHAPES:
            match = shape.match(shadow, position)
            if match and _bsn_in(shadow, position, match.end()):
                return match.end()
        return None


class _Emails:
    """The e-mail finder for one shadow text.

    Right after a replaced item an address may start in the middle of a long run of letters and digits
    ("NL91ABNA0417164300jan@x.nl"). The local part then runs to the end of that run, and whether an address
    follows depends only on where the run ends, so that is looked up once per run, not once per position.
    """

    placeholder = EMAIL_PLACEHOLDER

    def __init__(self) -> None:
        self._run = (0, 0)  # the run of local-part characters looked at last
        self._address_end: dict[int, int | None] = {}  # run end -> end of the address, if there is one

    def find(self, shadow: str, position: int) -> tuple[int, int] | None:
        return _EMAIL_ANY.find(shadow, position)

    def at(self, shadow: str, position: int) -> int | None:
        start, end = self._run
        if not start <= position < end:
            end = _LOCAL_RUN.match(shadow, position).end()  # type: ignore[union-attr]  # * always matches
            self._run = (position, end)
        if end == position:
            return None
        if end not in self._address_end:
            match = _AFTER_LOCAL_PART.match(shadow, end)
            self._address_end[end] = match.end() if match else None
        return self._address_end[end]


_Finder = _Pattern | _Emails | _BSNs
# A character that can begin an item: only there does "right after a replaced item" need a look.
_CAN_START = re.compile(r"[\w.%+(-]")


def _items(shadow: str, finders: list[_Finder]) -> Iterator[tuple[int, int, str]]:
    """The items in ``shadow`` from left to right, without overlap: (start, end, placeholder).

    Each finder remembers its next candidate, which stays valid until an item is taken that covers its start,
    so every finder reads every position at most once: linear time.
    """
    upcoming: list[tuple[int, int] | None] = [finder.find(shadow, 0) for finder in finders]
    position, after_item = 0, False
    while True:
        if after_item and _CAN_START.match(shadow, position):
            for finder in finders:
                if end := finder.at(shadow, position):
                    yield position, end, finder.placeholder
                    position = end
                    break
            else:
                after_item = False
            continue
        best: tuple[int, int, str] | None = None
        for index, finder in enumerate(finders):
            candidate = upcoming[index]
            if candidate is not None and candidate[0] < position:
                candidate = upcoming[index] = finder.find(shadow, position)
            if candidate is not None and (best is None or candidate[0] < best[0]):
                best = (*candidate, finder.placeholder)
        if best is None:
            return
        yield best
        position, after_item = best[1], True


_LETTER = re.compile("[A-Za-z]")
_EMAIL_SIGN = re.compile(r"@|\b(?:at|apenstaartje)\b", re.IGNORECASE)


def _finders(shadow: str) -> list[_Finder]:
    """The finders that can find something in ``shadow``, in the order that decides between two items
    starting at the same place. A finder that cannot match is left out, which saves a scan of the text."""
    letters = _LETTER.search(shadow) is not None
    return [
        *([_IBAN] if letters else []),
        *([_Emails()] if "@" in shadow or _EMAIL_SIGN.search(shadow) else []),
        *([_PHONE] if "0" in shadow or "+" in shadow or "31" in shadow else []),
        *([_ADDRESS] if letters else []),
        _BSNs(shadow),
    ]


def _found(text: str | None, finder: Callable[[str], _Finder]) -> list[str]:
    """The items one finder finds in ``text``, as written."""
    text = text or ""
    shadow = _shadow(text)
    return [text[start:end] for start, end, _ in _items(shadow, [finder(shadow)])]


def find_bsns(text: str) -> list[str]:
    """The substrings of ``text`` that are valid BSNs."""
    return _found(text, _BSNs)


def contains_bsn(text: str) -> bool:
    return bool(find_bsns(text))


def find_ibans(text: str) -> list[str]:
    """The substrings of ``text`` that are valid IBANs."""
    return _found(text, lambda shadow: _IBAN)


def find_emails(text: str) -> list[str]:
    """The e-mail addresses in ``text`` (written with @, as a callback address must be)."""
    return _EMAIL.findall(text or "")


def find_phones(text: str) -> list[str]:
    """The Dutch phone numbers in ``text``, as written (06 12345678, +31 20 123 4567)."""
    return _found(text, lambda shadow: _PHONE)


# Text without a digit, an @ or the word "at" holds nothing to scrub (most log lines and answers).
_MAYBE_PERSONAL = re.compile(r"[\d@\uff20\ufe6b]|\b(?:at|apenstaartje)\b", re.IGNORECASE)


def scrub_text(text: str) -> str:
    """``text`` with every BSN, IBAN, e-mail address, phone number and address replaced by a placeholder.

    One scan, and scrubbing is idempotent: the scan treats every item it takes as already replaced when it
    looks at what comes after it, and no pattern rejects an item because of what follows it when that could be
    the start of another item (a BSN can follow the letters of an address; nothing can follow a digit).
    """
    if not _MAYBE_PERSONAL.search(text):
        return text
    shadow = _shadow(text)
    pieces: list[str] = []
    position = 0
    for start, end, placeholder in _items(shadow, _finders(shadow)):
        pieces += (text[position:start], placeholder)
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def contains_personal_data(text: str) -> bool:
    """Whether ``text`` holds anything ``scrub_text`` would replace (for ids that must not carry any)."""
    if not _MAYBE_PERSONAL.search(text):
        return False
    shadow = _shadow(text)
    return next(_items(shadow, _finders(shadow)), None) is not None


def scrub(value: object) -> object:
    """A copy of a JSON-like value (dicts, lists, strings) with personal data scrubbed from every string."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value
