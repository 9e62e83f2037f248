"""Re-cutting a project's segments when the segmenting rules have changed.

A project records the version of the rules that cut its segments (setting
``segmenter_version``, see :data:`qualcode.ingest.segment.SEGMENTER_VERSION`). When a project
cut by older rules (or without the setting) is opened for work, every document's turns,
paragraphs and sentences are cut again, in one transaction. Texts and codings are not touched;
caption cues (timed at import, from the .vtt/.srt file) are kept as they are.

The turn rules a document was imported with (``--turn-label``) are not stored, so each
document is re-cut with the default rules plus the speakers of its stored turns as extra
labels: a turn found before is found again.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from qualcode.ingest.importer import insert_segments, record_segmenter_version
from qualcode.ingest.readers import RawTranscript
from qualcode.ingest.segment import SEGMENTER_SETTING, SEGMENTER_VERSION, with_sentences
from qualcode.nlp.turn_finder import TurnRules
from qualcode.store.audit import audit
from qualcode.store.db import Project
from qualcode.store.models import Document, Segment, Setting

#: Any constant: the PostgreSQL advisory lock that keeps two re-cuts from running at once.
PG_LOCK = 0x5E6_0002


def segmenter_version(s: Session) -> int:
    """The version of the rules that cut the project's segments (1 when not recorded)."""
    setting = s.get(Setting, SEGMENTER_SETTING)
    try:
        return int(setting.value) if setting is not None else 1
    except ValueError:
        return 1


def bring_segments_up_to_date(project: Project, *, actor: str = "qualcode-upgrade") -> int:
    """Re-cut every document's segments if the project's rules are older than this qualcode's.

    Returns the number of documents re-cut (0 when the project was up to date). A project
    without stored segments (no documents yet, or documents added by a script, which are cut on
    the fly) is not written to; a project newer than this qualcode is left alone.
    """
    with project.session() as s:
        if segmenter_version(s) >= SEGMENTER_VERSION:
            return 0
        if s.scalar(select(Segment.id).where(Segment.kind != "cue").limit(1)) is None:
            return 0
    with project.write() as s:
        if not project.is_sqlite:
            s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})
        old = segmenter_version(s)
        if old >= SEGMENTER_VERSION:
            return 0
        n = resegment_documents(s)
        record_segmenter_version(s)
        audit(s, actor, "resegment", "project", None, documents=n, rules=SEGMENTER_VERSION)
    return n


def resegment_documents(s: Session) -> int:
    """Cut every document's turns, paragraphs and sentences again (cues kept); the count."""
    speakers: dict[int, set[str]] = {}
    rows = s.execute(
        select(Segment.document_id, Segment.speaker).where(Segment.kind == "turn").distinct()
    )
    for doc_id, speaker in rows:
        if speaker:
            speakers.setdefault(doc_id, set()).add(speaker)
    doc_ids = list(s.scalars(select(Document.id).order_by(Document.id)))
    s.execute(delete(Segment).where(Segment.kind != "cue"))
    for doc_id in doc_ids:
        doc_text = s.scalar(select(Document.text).where(Document.id == doc_id)) or ""
        rules = TurnRules(extra=[_literal(n) for n in sorted(speakers.get(doc_id, ()))])
        raw = RawTranscript(text=doc_text, format="txt")
        for segments, _ in with_sentences([(raw, doc_id)], rules):
            if segments:
                insert_segments(s, doc_id, segments)
    return len(doc_ids)


def _literal(speaker: str) -> str:
    """A stored speaker name as a label pattern (its words, any white space between)."""
    return r"\s+".join(re.escape(word) for word in speaker.split())
