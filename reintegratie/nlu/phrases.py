"""One regex for a list of phrases: case-insensitive, whole words, the longest phrase first.

Used where a fixed list of phrases decides: the place names the intent classifier masks
(``linear_classifier.LinearTextClassifier.prepare``) and the frustration phrases (``frustration_guard``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def phrase_pattern(
    phrases: Iterable[str], fillers: Iterable[str] = (), heads: Iterable[str] = (), tails: Iterable[str] = ()
) -> re.Pattern[str] | None:
    """Any of the phrases, on word boundaries, any run of spaces between its words; None for no phrase.
    With ``fillers``, one or two of those words may stand between two words of a phrase ("word echt gek van", "ik word
    er echt depri van").
    With ``heads`` and ``tails``, also any head followed by any tail ("ik voel me" + "belazerd"): two alternations
    in a row, not every combination spelled out (the regex stays as short as its lists).

    Longest first, so "den haag" wins over "den".
    """
    words = sorted({w.lower() for w in fillers if w.strip()})
    gap = rf"\s+(?:(?:{'|'.join(map(re.escape, words))})\s+){{0,2}}" if words else r"\s+"
    alternatives = [_alternation(phrases, gap)]
    head, tail = _alternation(heads, gap), _alternation(tails, gap)
    if head and tail:
        alternatives.append(f"(?:{head}){gap}(?:{tail})")
    body = "|".join(a for a in alternatives if a)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE) if body else None


def _alternation(phrases: Iterable[str], gap: str) -> str:
    """The phrases as one regex alternation, longest first, ``gap`` between their words; "" for none."""
    cleaned = sorted({" ".join(p.lower().split()) for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(gap.join(map(re.escape, phrase.split())) for phrase in cleaned)
