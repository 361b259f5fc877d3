"""Typos in the words the classifiers know: "jobcaoch" is read as "jobcoach" (issue 19: low-literacy users).

The classifiers' character n-grams already absorb small typos in long messages, but in a short one a single
misspelt key word decides: "kan ik een jobcaoch krijgen? ik zit in de bijstand" was taken for a question the sources
do not answer (niet_in_bronnen 0.64). ``Speller`` knows the words of the training examples (``word_counts``, stored
with the model). At prediction, a word it has never seen, of at least ``MIN_LENGTH`` letters, becomes the most
similar frequent training word (same first letter, at most two letters longer or shorter, ``difflib`` similarity at
least ``CUTOFF``); any other word stays.
Pure Python, no Rasa.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache
from typing import Dict, Iterable, List

WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Shorter words are left alone: "uvw" or "ww" are too short to correct safely.
MIN_LENGTH = 6
#: A word is a correction target when the training examples use it at least this often.
MIN_COUNT = 2
#: At most this many unknown words of one message are looked up: a typo is one or two words, a message full of unknown
#: words is no typo, and each lookup costs about 0.1 ms (a 1,000-character message of made-up words: 11 ms unbounded).
MAX_LOOKUPS = 8
#: difflib's ratio: "jobcaoch" / "jobcoach" 0.875, "bijstant" / "bijstand" 0.875, "verdienen" / "verdient" 0.82.
CUTOFF = 0.84


def word_counts(texts: Iterable[str]) -> Dict[str, int]:
    """The words of ``texts`` (lower case) and how often each occurs: what ``Speller`` learns from."""
    return dict(Counter(word for text in texts for word in WORD.findall(text.lower())))


class Speller:
    """Corrects unknown words to known frequent ones; ``counts``: the training words and how often they occur."""

    def __init__(self, counts: Dict[str, int]) -> None:
        self.known = frozenset(counts)
        self.targets: Dict[str, List[str]] = {}
        for word, count in counts.items():
            if count >= MIN_COUNT and len(word) >= MIN_LENGTH - 2:
                self.targets.setdefault(word[0], []).append(word)
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _correct(self, word: str) -> str:
        if len(word) < MIN_LENGTH or word in self.known:
            return word
        candidates = [t for t in self.targets.get(word[0], []) if abs(len(t) - len(word)) <= 2]
        found = difflib.get_close_matches(word, candidates, n=1, cutoff=CUTOFF)
        return found[0] if found else word

    def __call__(self, text: str) -> str:
        """``text`` in lower case with its unknown words corrected (the first ``MAX_LOOKUPS`` of them)."""
        lookups = 0

        def one(match: re.Match[str]) -> str:
            nonlocal lookups
            word = match.group(0)
            if len(word) < MIN_LENGTH or word in self.known or lookups >= MAX_LOOKUPS:
                return word
            lookups += 1
            return self.correct(word)

        return WORD.sub(one, text.lower())
