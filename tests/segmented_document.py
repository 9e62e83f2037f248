"""A stored document cut the way the hand-built test projects need: each ``Label: body`` line
is a speaker turn (and, unless told otherwise, a paragraph), and each run of text ending in
``.``, ``?`` or ``!`` inside a turn's body is a sentence."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from qualcode.ingest.importer import record_segmenter_version
from qualcode.store.models import Document, Participant, Segment

TURN = re.compile(r"(?P<label>\w+): (?P<body>[^\n]+)")
SENTENCE = re.compile(r"[^ .?!][^.?!]*[.?!]")


def add_document(
    s: Session,
    name: str,
    text: str,
    participant: Participant | None,
    *,
    paragraphs: bool = True,
) -> Document:
    """A document with its turns, paragraphs (one per turn) and sentences as segments, recorded
    as cut by the current rules (so that opening the project does not re-cut them)."""
    record_segmenter_version(s)
    doc = Document(
        name=name,
        text=text,
        sha256=name,
        source_name=name,
        source_format="txt",
        participant=participant,
    )
    s.add(doc)
    s.flush()
    for m in TURN.finditer(text):
        speaker = m["label"]
        kinds = ("turn", "paragraph") if paragraphs else ("turn",)
        for kind in kinds:
            s.add(
                Segment(
                    document_id=doc.id, kind=kind, start=m.start(), end=m.end(), speaker=speaker
                )
            )
        for sent in SENTENCE.finditer(m["body"]):
            a, b = m.start("body") + sent.start(), m.start("body") + sent.end()
            s.add(Segment(document_id=doc.id, kind="sentence", start=a, end=b, speaker=speaker))
    return doc
