"""Understand short Dutch answers to the check questions: numbers in words, hours, percentages, months,
amounts, yes / no / "weet ik niet", benefit types and corrections. Pure Python, no Rasa.

Every parser returns ``None`` when it does not understand the answer (then the form asks again), and
:data:`WEET_NIET` when the user says they do not know (a valid answer: the verdict says "onbekend").
"""

from __future__ import annotations

import re
from typing import Final

from eligibility.vocabulary import Uitkering

WEET_NIET: Final = "onbekend"

UNITS = {
    "nul": 0,
    "een": 1,
    "één": 1,
    "eén": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
TENS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_COMPOUND = re.compile(r"^(een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(" + "|".join(TENS) + r")$")
_DIGITS = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:[.,](\d+))?(?![\d])")

_DONT_KNOW = re.compile(
    r"\b(weet\s+(ik\s+)?(het\s+)?niet|weet\s+niet|geen\s+(flauw\s+)?idee|geen\s+flauw|onbekend|geen\s+benul|"
    r"ik\s+weet\s+het\s+niet|vraag\s+ik\s+me\s+ook\s+af|niet\s+zeker|ik\s+twijfel|dunno|idk)\b",
    re.IGNORECASE,
)
_YES = re.compile(
    r"^\s*(ja+|jazeker|jawel|jep|jup|yes|yep|klopt|dat\s+klopt|zeker|inderdaad|correct|"
    r"absoluut|natuurlijk|ok[eé]?|ja\s+hoor|ja\s+dat\s+klopt|ja\s+zeker)\b",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^\s*(nee+|neen|nope|nah|niet|klopt\s+niet|helaas\s+niet|zeker\s+niet|nee\s+hoor|"
    r"dat\s+klopt\s+niet|no)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(ruim|bijna|ongeveer\s+de\s+helft|de\s+helft|paar|een\s+beetje|weinig|veel|soms|"
    r"wisselend|verschilt)\b",
    re.IGNORECASE,
)
_CORRECTION = re.compile(
    r"\b(bedoel|bedoelde|sorry|verkeerd|foutje|ik\s+vergis|correctie|toch)\b|^\s*nee\s*,", re.IGNORECASE
)


def _clean(text: str) -> str:
    return " ".join(str(text or "").strip().split())


def numbers(text: str) -> list[float]:
    """All numbers in the text, in digits or Dutch words: '24,5' -> 24.5, 'vierentwintig' -> 24."""
    found: list[tuple[int, float]] = []
    for match in _DIGITS.finditer(text):
        whole = match.group(1).replace(".", "")
        value = float(f"{whole}.{match.group(2)}") if match.group(2) else float(whole)
        found.append((match.start(), value))
    for match in re.finditer(r"[a-zëé]+", text.lower()):
        word = match.group(0)
        value: float | None = None
        if word in UNITS:
            value = UNITS[word]
        elif word in TENS:
            value = TENS[word]
        elif word == "honderd":
            value = 100
        else:
            compound = _COMPOUND.match(word)
            if compound:
                value = UNITS[compound.group(1)] + TENS[compound.group(2)]
        if value is not None and not (word in ("een", "één") and _article(text, match.end())):
            found.append((match.start(), float(value)))
    return [value for _, value in sorted(found)]


def _article(text: str, end: int) -> bool:
    """'een' as an article ('een vast contract'), not the number one."""
    rest = text[end:].lower().lstrip()
    return not re.match(r"(uur|u\b|maand|jaar|procent|%|of\b|\d)", rest)


def dont_know(text: str) -> bool:
    return bool(_DONT_KNOW.search(_clean(text)))


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.search(_clean(text)))


def yes_no(text: str) -> bool | str | None:
    """True, False, WEET_NIET, or None when not understood."""
    text = _clean(text)
    if dont_know(text):
        return WEET_NIET
    if _NO.match(text):
        return False
    if _YES.match(text):
        return True
    return None


def _single(text: str, low: float, high: float) -> float | None:
    values = [v for v in numbers(text) if low <= v <= high]
    if not values or (_VAGUE.search(text) and len(values) != 1):
        return None
    if _VAGUE.search(text) and not re.search(r"\d", text):
        return None
    return values[-1] if is_correction(text) else values[0]


def hours(text: str) -> float | str | None:
    """Hours per week: '24', '20u', 'twaalf uur', '32 uur per week'. A zero-hours contract is 0."""
    text = _clean(text)
    if dont_know(text):
        return WEET_NIET
    if re.search(r"nul[- ]?uren|0[- ]?uren|oproep", text, re.IGNORECASE):
        return 0.0
    if re.search(r"%|procent|maand|jaar|euro|€", text, re.IGNORECASE) and not re.search(r"\buur|\d\s*u\b", text):
        return None
    return _single(text, 0, 80)


def percentage(text: str) -> float | str | None:
    """A share in percent: '60%', 'zestig procent', '60'. 'Ruim de helft' is not an answer."""
    text = _clean(text)
    if dont_know(text):
        return WEET_NIET
    if re.search(r"\buur\b|\d\s*u\b|maand|jaar|euro|€", text, re.IGNORECASE):
        return None
    return _single(text, 0, 100)


PERMANENT_MONTHS = 999


def months(text: str) -> float | str | None:
    """Contract length in months: '8 maanden', 'een jaar' (12), 'half jaar' (6), 'vast' (999)."""
    text = _clean(text).lower().replace("jaarcontract", "jaar contract")
    if dont_know(text):
        return WEET_NIET
    if re.search(r"\b(vast|onbepaalde\s+tijd|vaste\s+baan|vaste\s+aanstelling|voor\s+altijd)\b", text):
        return float(PERMANENT_MONTHS)
    if re.search(r"\b(half|halve|halfjaar)\b", text) and "jaar" in text and not re.search(r"\d|anderhalf", text):
        return 6.0
    if "anderhalf" in text:
        return 18.0
    if re.search(r"\buur|%|procent|euro|€", text):
        return None
    value = _single(text, 0, 600)
    if value is None:
        return 12.0 if re.search(r"\bjaar\b", text) else None
    if re.search(r"\bjaar\b", text) and not re.search(r"maand", text):
        return value * 12
    if re.search(r"\bweken?\b", text):
        return round(value / 4.33, 1)
    return value


def euros(text: str) -> tuple[float | str | None, int | None]:
    """An amount in euro and the year it is from: '2070 euro, 2025' -> (2070.0, 2025); '€ 2.070,50' -> (2070.5, None).

    The first number of at least 100 is the amount; a later 19xx/20xx number is its year."""
    text = _clean(text)
    if dont_know(text):
        return WEET_NIET, None
    values = [v for v in numbers(text) if v >= 100]
    if not values or values[0] > 100_000:
        return None, None
    years = [int(v) for v in values[1:] if v.is_integer() and 1950 <= v <= 2100]
    return values[0], (years[0] if years else None)


#: The words for each benefit, in the order they are tried.
UITKERINGEN = {
    Uitkering.wajong: r"wajong",
    Uitkering.ww: r"\bww\b|werkloosheid",
    Uitkering.wia: r"\bwia\b|\bwga\b|\biva\b|arbeidsongeschikt",
    Uitkering.ziektewet: r"ziektewet|\bzw\b",
    Uitkering.bijstand: r"bijstand|participatiewet|\bpw\b",
    Uitkering.geen: r"\bgeen(\s+\w+)?\s+uitkering\b|^geen$|\bgeen\b",
}


def uitkering(text: str) -> str | None:
    """'wajong', 'ww', 'wia', 'ziektewet', 'bijstand', 'geen', WEET_NIET or None."""
    text = _clean(text).lower()
    if dont_know(text):
        return WEET_NIET
    for benefit, pattern in UITKERINGEN.items():
        if re.search(pattern, text):
            return benefit.value
    return None


def uwv_advies(text: str) -> str | None:
    """'positief', 'negatief', 'niet_aangevraagd', WEET_NIET or None."""
    text = _clean(text).lower()
    if dont_know(text):
        return WEET_NIET
    if re.search(r"nog\s+niet|niet\s+aangevraagd|geen\s+advies|nooit|niet\s+gedaan|nee", text):
        return "niet_aangevraagd"
    if re.search(r"negatief|afgewezen|niet\s+nodig|mocht\s+niet|nee\s+gekregen", text):
        return "negatief"
    if re.search(r"positief|ja|goedgekeurd|indicatie|wel\s+nodig", text):
        return "positief"
    return None
