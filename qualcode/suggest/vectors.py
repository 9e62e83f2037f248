"""The suggester's text features: word and character n-gram tf-idf, fitted on the texts given.

One owner of the features for training, suggesting and "more like this". Each block is
l2-normalised and the two are weighed equally, so the dot product of two rows is a cosine
similarity in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: the settings a training run stores (and that fit the same features again)
FEATURE_SETTINGS: dict[str, Any] = {
    "word_ngrams": [1, 2],
    "char_ngrams": [3, 5],
    "min_df": 2,
    "max_char_features": 20000,
    "sublinear_tf": True,
}


@dataclass
class TextVectors:
    """Fitted word and character tf-idf; :meth:`transform` gives the rows of new texts."""

    word: Any
    char: Any

    @classmethod
    def fit(cls, texts: Sequence[str]) -> TextVectors:
        return cls.fit_transform(texts)[0]

    @classmethod
    def fit_transform(cls, texts: Sequence[str]) -> tuple[TextVectors, Any]:
        """Fit on ``texts``; returns the features and the rows of ``texts`` (one pass)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        settings = FEATURE_SETTINGS
        min_df = settings["min_df"] if len(texts) >= 20 else 1
        word = TfidfVectorizer(
            ngram_range=tuple(settings["word_ngrams"]),
            min_df=min_df,
            sublinear_tf=settings["sublinear_tf"],
        )
        char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(settings["char_ngrams"]),
            min_df=min_df,
            max_features=settings["max_char_features"],
            sublinear_tf=settings["sublinear_tf"],
        )
        vectors = cls(word, char)
        return vectors, vectors._join(word.fit_transform(texts), char.fit_transform(texts))

    def transform(self, texts: Sequence[str]) -> Any:
        """A sparse matrix, one row per text."""
        return self._join(self.word.transform(texts), self.char.transform(texts))

    @staticmethod
    def _join(word: Any, char: Any) -> Any:
        import scipy.sparse as sp

        half = np.sqrt(0.5)
        return sp.hstack([word * half, char * half]).tocsr()
