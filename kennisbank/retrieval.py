"""Which articles' words a message shares: TF-IDF over each article's title, questions and answer text.

The ResponseSelector learns from the articles' questions alone. On a long message in the user's own words it is often
unsure (0.1 to 0.3), and its pick at that level is mostly wrong. The answer text holds the words the questions lack
("een eigen collega opleiden om hem te begeleiden" is in the answer on the interne jobcoach, not in its questions), and
a follow-up shares its words with the question before it ("kunnen we zelf iemand opleiden?" after "... de jobcoach
van de gemeente stopt nu"). ``actions.kennisbank.with_word_evidence`` adds these scores to an unsure selector ranking.

Measured on the blind conversations (tests/conversations/blind; turns whose expectation one to six articles meet): the
selector's pick was such an article for 119 of 196 turns in the rounds we studied, with these words 134; in the round
held out at the time (blind6) 34 and 39 of 57 (docs/benchmarks.md, 2026-12-06).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict

from sklearn.feature_extraction.text import TfidfVectorizer

from eligibility.vocabulary import Audience
from kennisbank.loader import Kennisbank, default
from kennisbank.render import render_article


class WordIndex:
    """TF-IDF (words and word pairs, sublinear counts) over one document per article: its title, its questions and its
    answer for every audience. A word in more than half of the articles says nothing about which one is meant."""

    def __init__(self, kb: Kennisbank) -> None:
        self.ids = list(kb.articles)
        documents = []
        for article_id in self.ids:
            article = kb.articles[article_id]
            answers = [render_article(kb, article_id, audience).text for audience in Audience]
            documents.append(" ".join([article.title, *article.questions, *answers]))
        self.vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), max_df=0.5)
        self.matrix = self.vectorizer.fit_transform(documents)

    def scores(self, text: str) -> Dict[str, float]:
        """Per article, its cosine similarity to ``text``, scaled so the best article has 1.0; empty: no word known."""
        similarity = (self.matrix @ self.vectorizer.transform([text]).T).toarray().ravel()
        best = float(similarity.max()) if similarity.size else 0.0
        if best <= 0.0:
            return {}
        return {
            article_id: float(value) / best
            for article_id, value in zip(self.ids, similarity, strict=True)
            if value > 0.0
        }


@lru_cache(maxsize=1)
def default_index() -> WordIndex:
    """The index of the kennisbank the assistant answers from (built once, about a second)."""
    return WordIndex(default())
