"""The demo project: 24 fictional prosecutor interviews, the study's codebook, participants'
attributes and (where present) two demo coders' codings. Building it again changes nothing.

The demo is built only into an empty project or one that is already the demo (marked by the
``demo`` setting, or, for a demo built before the mark, holding only demo transcripts):
anything else is refused before a row is written, so 24 fictional transcripts never land in a
real study."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.codebook import apply_codebook, load_codebook
from qualcode.coding.csv_import import import_codings_csv
from qualcode.errors import QualcodeError
from qualcode.features import attribute_ranges
from qualcode.ingest.attributes import import_attributes
from qualcode.ingest.importer import import_files, text_sha256
from qualcode.ingest.readers import read_transcript
from qualcode.store.db import Project
from qualcode.store.models import Code, Document, Memo, Participant
from qualcode.store.settings import PROJECT_NAME, get_setting, project_name, set_setting

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CODEBOOK = REPO / "codebooks" / "prosecutor_barriers.yaml"
DEFAULT_DEMO_PROJECT = REPO / "exports" / "demo.qualcode.db"
DEMO_ACTOR = "qualcode-demo"
#: the setting that marks a project as the demo
DEMO_MARK = "demo"


@dataclass
class DemoReport:
    imported: list[str] = field(default_factory=list)
    codes_added: int = 0
    participants: int = 0
    codings_added: int = 0

    def as_json(self) -> dict[str, object]:
        return {
            "imported": self.imported,
            "codes_added": self.codes_added,
            "participants": self.participants,
            "codings_added": self.codings_added,
        }


def build_demo(
    project: Project,
    *,
    corpus: Path = CORPUS,
    codebook: Path = CODEBOOK,
    progress: Callable[[int, int, str], None] | None = None,
) -> DemoReport:
    report = DemoReport()
    book = load_codebook(codebook)
    files = sorted(corpus.glob("P*.txt"))
    demo_texts = {text_sha256(read_transcript(f).text): f for f in files}
    with project.write() as s:
        refuse_unless_demo(s, set(demo_texts), project.display_name)
        set_setting(s, DEMO_MARK, "yes")
        report.codes_added = len(apply_codebook(s, book, actor=DEMO_ACTOR).added)
        if project_name(s) is None:
            set_setting(s, PROJECT_NAME, "Prosecutors and CSAM cases (demo)")
    with project.session() as s:
        have = set(s.scalars(select(Document.sha256)).all())
    new = [f for sha, f in demo_texts.items() if sha not in have]
    if new:
        report.imported = import_files(
            project, sorted(new), actor=DEMO_ACTOR, progress=progress
        ).imported
    participants = corpus / "participants.csv"
    if participants.exists():
        report.participants = import_attributes(
            project, participants, actor=DEMO_ACTOR, ranges=attribute_ranges()
        ).participants
    codings = corpus / "demo_codings.csv"
    if codings.exists():
        report.codings_added = import_codings_csv(project, codings).added
    return report


def refuse_unless_demo(s: Session, demo_texts: set[str], where: str) -> None:
    """A one-line error unless the project is empty or already the demo (``demo_texts``: the
    demo transcripts' text hashes)."""
    if get_setting(s, DEMO_MARK) is not None:
        return
    texts = set(s.scalars(select(Document.sha256)).all())
    if texts and texts <= demo_texts:
        return  # a demo built before the mark
    held = {
        "document(s)": len(texts),
        "code(s)": s.scalar(select(func.count()).select_from(Code)) or 0,
        "participant(s)": s.scalar(select(func.count()).select_from(Participant)) or 0,
        "memo(s)": s.scalar(select(func.count()).select_from(Memo)) or 0,
    }
    if any(held.values()):
        what = ", ".join(f"{n} {k}" for k, n in held.items() if n)
        raise QualcodeError(
            f"{where} holds a project that is not the demo ({what}); the demo builds only its "
            "own project, a new or empty one: run 'qualcode demo' without --project, or give "
            "a new file"
        )
