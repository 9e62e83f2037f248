"""Importing a batch of transcripts as one transaction.

The batch is all-or-nothing unless ``skip_bad`` is set, in which case bad files are skipped and
reported. Files stream through the sentence pipeline one batch at a time, so memory stays
bounded however large the folder.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import QualcodeError
from qualcode.ingest.decode import BadInput
from qualcode.ingest.readers import FORMATS, RawTranscript, read_transcript
from qualcode.ingest.segment import SEGMENTER_SETTING, SEGMENTER_VERSION, SegmentRow, with_sentences
from qualcode.nlp.turn_finder import TurnRules
from qualcode.store.audit import audit
from qualcode.store.db import Project
from qualcode.store.models import Document, Participant, Setting

Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    #: Imported documents in which no speaker turn was found.
    no_turns: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "renamed": [{"file": f, "name": n} for f, n in self.renamed],
            "no_turns": self.no_turns,
        }


class ImportFailed(QualcodeError):
    def __init__(self, problems: list[tuple[str, str]], total: int) -> None:
        self.problems = problems
        lines = [f"{f}: {r}" for f, r in problems]
        if len(problems) == 1:  # one line: the file and why
            others = " (use --skip-bad to import the others)" if total > 1 else ""
            super().__init__(f"import refused: {lines[0]}; nothing was imported{others}")
            return
        head = (
            f"import refused: {len(problems)} of {total} file(s) cannot be imported; "
            "nothing was imported (use --skip-bad to import the others)"
        )
        super().__init__("\n".join([head, *lines]))


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files as given, and the supported files inside any folder (recursively, sorted)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FORMATS)
            )
        else:
            out.append(p)
    return out


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_files(
    project: Project,
    paths: list[str | Path],
    *,
    actor: str,
    skip_bad: bool = False,
    rules: TurnRules | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    files = expand_paths(paths)
    if not files:
        raise QualcodeError("nothing to import: no transcript files given")
    report = ImportReport()
    with project.write() as s:
        _import(s, files, report, actor=actor, skip_bad=skip_bad, rules=rules, progress=progress)
        if report.skipped and not skip_bad:
            raise ImportFailed(report.skipped, len(files))
    return report


def _import(
    s: Session,
    files: list[Path],
    report: ImportReport,
    *,
    actor: str,
    skip_bad: bool,
    rules: TurnRules | None,
    progress: Progress | None,
) -> None:
    known_hashes = dict(s.execute(select(Document.sha256, Document.name)).all())
    new_ids: list[int] = []
    names = set(known_hashes.values())
    participants = dict(s.execute(select(Participant.label, Participant.id)).all())

    def good_files() -> Iterator[tuple[RawTranscript, tuple[Path, str, RawTranscript]]]:
        for path in files:
            try:
                raw = read_transcript(path)
            except BadInput as exc:
                report.skipped.append((str(path), str(exc)))
                continue
            except OSError as exc:
                report.skipped.append((str(path), f"cannot read: {exc.strerror or exc}"))
                continue
            digest = text_sha256(raw.text)
            if digest in known_hashes:
                report.skipped.append(
                    (str(path), f"duplicate of document {known_hashes[digest]!r} (same sha256)")
                )
                continue
            name = _unique_name(path.name, names)
            if name != path.name:
                report.renamed.append((str(path), name))
            known_hashes[digest] = name
            names.add(name)
            if report.skipped and not skip_bad:
                continue  # the batch is doomed: keep checking files, skip the work
            yield raw, (path, digest, raw)

    for rows, (path, digest, raw) in with_sentences(good_files(), rules):
        name = known_hashes[digest]
        doc = add_document(
            s,
            name=name,
            text=raw.text,
            sha256=digest,
            source_name=str(path),
            source_format=raw.format,
            participant_id=participants.get(path.stem),
        )
        new_ids.append(doc.id)
        if rows:
            insert_segments(s, doc.id, rows)
        if not any(r.kind == "turn" for r in rows):
            report.no_turns.append(name)
        audit(s, actor, "import", "document", doc.id, name=name, source=str(path))
        report.imported.append(name)
        s.expunge(doc)
        if progress is not None:
            progress(len(report.imported) + len(report.skipped), len(files), name)
    if new_ids:
        record_segmenter_version_if_new(s, new_ids)


def add_document(
    s: Session,
    *,
    name: str,
    text: str,
    source_name: str,
    source_format: str,
    participant_id: int | None = None,
    sha256: str | None = None,
) -> Document:
    """The one place a document (its text, which never changes) is stored: flushed, so it has
    its id. Callers check the name is free and the text new (by ``sha256``)."""
    doc = Document(
        name=name,
        text=text,
        sha256=sha256 or text_sha256(text),
        source_name=source_name,
        source_format=source_format,
        participant_id=participant_id,
    )
    s.add(doc)
    s.flush()
    return doc


def record_segmenter_version(s: Session) -> None:
    """Record that the project's segments are cut by the current rules. An import records it
    only in a project that had no documents: one whose documents were cut by older rules is
    re-cut when next opened (:mod:`qualcode.ingest.resegment`), and then records it."""
    s.merge(Setting(key=SEGMENTER_SETTING, value=str(SEGMENTER_VERSION)))


def record_segmenter_version_if_new(s: Session, new_documents: Collection[int]) -> None:
    """Record the current rules if the project holds no documents but ``new_documents``."""
    others = select(Document.id).where(Document.id.not_in(list(new_documents))).limit(1)
    if s.scalar(others) is None:
        record_segmenter_version(s)


def insert_segments(s: Session, document_id: int, rows: list[SegmentRow]) -> None:
    """Insert segment rows with the driver's executemany: a document has hundreds of them."""
    conn = s.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        'INSERT INTO segments (document_id, kind, start, "end", speaker, time_start, time_end) '
        f"VALUES ({', '.join([mark] * 7)})"
    )
    conn.exec_driver_sql(
        sql,
        [(document_id, *r) for r in rows],  # a SegmentRow is the other six columns, in order
    )


def _unique_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        if candidate not in taken:
            return candidate
        n += 1
