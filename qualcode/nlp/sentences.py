"""The sentence pipeline: ``spacy.blank("en")`` plus the rule-based sentencizer.

No trained model is downloaded or needed. Built once per process by :func:`sentence_nlp`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

import spacy
from spacy.language import Language

T = TypeVar("T")
BATCH_SIZE = 64


@lru_cache(maxsize=1)
def sentence_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


def sentence_spans(
    items: Iterable[tuple[str, T]], batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[tuple[int, int]], T]]:
    """For each (text, context), the sentence spans as (start, end) character offsets.

    Streams with ``nlp.pipe`` so that memory stays bounded however many texts come in.
    Spans are trimmed of surrounding white space; empty sentences are dropped.
    """
    nlp = sentence_nlp()
    pairs: Iterable[tuple[Any, T]] = nlp.pipe(items, as_tuples=True, batch_size=batch_size)
    for doc, ctx in pairs:
        spans: list[tuple[int, int]] = []
        text = doc.text
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        yield spans, ctx
