"""The demo project: 24 fictional prosecutor interviews, the study's codebook, participants'
attributes and (where present) two demo coders' codings. Building it again changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from qualcode.codebook import apply_codebook, load_codebook
from qualcode.coding.csv_import import import_codings_csv
from qualcode.ingest.attributes import import_attributes
from qualcode.ingest.importer import import_files, text_sha256
from qualcode.ingest.readers import read_transcript
from qualcode.store.db import Project
from qualcode.store.models import Document
from qualcode.store.settings import PROJECT_NAME, project_name, set_setting

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
CODEBOOK = REPO / "codebooks" / "prosecutor_barriers.yaml"
DEFAULT_DEMO_PROJECT = REPO / "exports" / "demo.qualcode.db"
DEMO_ACTOR = "qualcode-demo"


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
    with project.write() as s:
        report.codes_added = len(apply_codebook(s, book, actor=DEMO_ACTOR).added)
        if project_name(s) is None:
            set_setting(s, PROJECT_NAME, "Prosecutors and CSAM cases (demo)")
    with project.session() as s:
        have = set(s.scalars(select(Document.sha256)).all())
    files = sorted(corpus.glob("P*.txt"))
    new = [f for f in files if text_sha256(read_transcript(f).text) not in have]
    if new:
        report.imported = import_files(
            project, list(new), actor=DEMO_ACTOR, progress=progress
        ).imported
    participants = corpus / "participants.csv"
    if participants.exists():
        report.participants = import_attributes(
            project, participants, actor=DEMO_ACTOR
        ).participants
    codings = corpus / "demo_codings.csv"
    if codings.exists():
        report.codings_added = import_codings_csv(project, codings).added
    return report
