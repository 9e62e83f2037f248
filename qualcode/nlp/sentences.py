"""The sentence pipeline: ``spacy.blank("en")`` plus the rule-based sentencizer, whose starts
are then corrected for transcripts by :func:`qualcode.nlp.sentence_rules.refine_starts`
(bracketed annotations, ``¿``/``¡``, abbreviations, Chinese and Japanese sentence ends).

No trained model is downloaded or needed. Built once per process by :func:`sentence_nlp`;
spaCy is imported then, not with this module (commands that cut no sentences never load it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, TypeVar

from qualcode.nlp.sentence_rules import refine_starts

if TYPE_CHECKING:
    from spacy.language import Language

T = TypeVar("T")
BATCH_SIZE = 32


def blank_english() -> Language:
    """A new ``spacy.blank("en")`` (tokenizer only, no model) that takes long transcripts; each
    pipeline adds its own rule components to it."""
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 5_000_000
    return nlp


@lru_cache(maxsize=1)
def sentence_nlp() -> Language:
    nlp = blank_english()
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_starts(
    items: Iterable[tuple[str, T]], batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[int], T]]:
    """For each (text, context), the character offsets where sentences start (sorted).

    Streams with ``nlp.pipe`` so that memory stays bounded however many texts come in. The
    offsets are read as arrays from the parsed doc, without building Python token objects.
    """
    from spacy.attrs import IDX, SENT_START

    nlp = sentence_nlp()
    pairs: Iterable[tuple[Any, T]] = nlp.pipe(items, as_tuples=True, batch_size=batch_size)
    for doc, ctx in pairs:
        if len(doc) == 0:
            yield [], ctx
            continue
        arr = doc.to_array([IDX, SENT_START])
        starts = arr[arr[:, 1] == 1, 0].tolist()
        if not starts or starts[0] != int(arr[0, 0]):
            starts.insert(0, int(arr[0, 0]))
        yield refine_starts(doc.text, starts), ctx


def cut_sentences(text: str, starts: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """Sentences inside ``[start, end)``: cut at the sentence starts, trimmed of white space."""
    from bisect import bisect_right

    cuts = [start]
    i = bisect_right(starts, start)
    while i < len(starts) and starts[i] < end:
        cuts.append(starts[i])
        i += 1
    cuts.append(end)
    spans = []
    for a, b in pairwise(cuts):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def sentence_spans(
    items: Iterable[tuple[str, T]], batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[tuple[int, int]], T]]:
    """For each (text, context), the sentence spans of the whole text."""
    texts: dict[int, str] = {}

    def keep(source: Iterable[tuple[str, T]]) -> Iterator[tuple[str, tuple[int, T]]]:
        for n, (text, ctx) in enumerate(source):
            texts[n] = text
            yield text, (n, ctx)

    for starts, (n, ctx) in sentence_starts(keep(items), batch_size):
        text = texts.pop(n)
        yield cut_sentences(text, starts, 0, len(text)), ctx
