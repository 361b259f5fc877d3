"""One regex for a list of phrases: case-insensitive, whole words, the longest phrase first.

Used where a fixed list of phrases decides: the place names the intent classifier masks
(``linear_classifier.LinearTextClassifier.prepare``) and the frustration phrases (``frustration_guard``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def phrase_pattern(phrases: Iterable[str], fillers: Iterable[str] = ()) -> re.Pattern[str] | None:
    """Any of the phrases, on word boundaries, any run of spaces between its words; None for no phrase.
    With ``fillers``, one of those words may stand between two words of a phrase ("word echt gek van").

    Longest first, so "den haag" wins over "den".
    """
    cleaned = sorted({" ".join(p.lower().split()) for p in phrases if p.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    words = sorted({w.lower() for w in fillers if w.strip()})
    gap = rf"\s+(?:(?:{'|'.join(map(re.escape, words))})\s+)?" if words else r"\s+"
    alternatives = "|".join(gap.join(map(re.escape, phrase.split())) for phrase in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
