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


#: texts longer than this are parsed in pieces of at most this many characters, cut at a
#: paragraph break (else a line break, else a space), so a transcript of any length is cut into
#: sentences with bounded memory (spaCy refuses a text over its ``max_length``)
PIECE_CHARS = 1_000_000


@lru_cache(maxsize=1)
def sentence_nlp() -> Language:
    nlp = blank_english()
    nlp.add_pipe("sentencizer")
    nlp.max_length = PIECE_CHARS
    return nlp


def pieces(text: str, size: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` pieces of ``text``, each at most ``size`` characters, cut after a
    blank line, else after a line break, else after a space, else anywhere."""
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        for sep in ("\n\n", "\n", " "):
            cut = text.rfind(sep, start + 1, limit)
            if cut != -1:
                cut += len(sep)
                break
        else:
            cut = limit
        out.append((start, cut))
        start = cut
    out.append((start, len(text)))
    return out


def pipe_in_pieces(
    nlp: Language, items: Iterable[tuple[str, T]], batch_size: int = BATCH_SIZE
) -> Iterator[tuple[Any, int, bool, str, T]]:
    """``nlp.pipe`` over texts of any length: a text longer than ``PIECE_CHARS`` (or than the
    pipeline reads at once) goes through in :func:`pieces`. Yields each piece's doc with its
    offset in its text, whether it is the text's last piece, the text and its context."""
    size = min(PIECE_CHARS, nlp.max_length)

    def split() -> Iterator[tuple[str, tuple[int, bool, str, T]]]:
        for text, ctx in items:
            spans = pieces(text, size)
            for i, (a, b) in enumerate(spans):
                yield text[a:b], (a, i == len(spans) - 1, text, ctx)

    for doc, (offset, last, text, ctx) in nlp.pipe(split(), as_tuples=True, batch_size=batch_size):
        yield doc, offset, last, text, ctx


def sentence_starts(
    items: Iterable[tuple[str, T]], batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[int], T]]:
    """For each (text, context), the character offsets where sentences start (sorted).

    Streams with ``nlp.pipe`` so that memory stays bounded however many texts come in; a text
    longer than ``PIECE_CHARS`` goes through in :func:`pieces` (a piece starts a sentence). The
    offsets are read as arrays from the parsed doc, without building Python token objects.
    """
    from spacy.attrs import IDX, SENT_START

    starts: list[int] = []
    for doc, offset, last, text, ctx in pipe_in_pieces(sentence_nlp(), items, batch_size):
        if len(doc) > 0:
            arr = doc.to_array([IDX, SENT_START])
            found = arr[arr[:, 1] == 1, 0].tolist()
            if not found or found[0] != int(arr[0, 0]):
                found.insert(0, int(arr[0, 0]))
            starts.extend(offset + s for s in found)
        if last:
            yield (refine_starts(text, starts) if starts else []), ctx
            starts = []


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
