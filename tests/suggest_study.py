"""A small synthetic study for the suggester: eight interviews whose sentences talk about the
forensic lab, about plea deals, or about something else. ``ana`` codes the lab and plea
sentences of P1-P6 (``Lab``, ``Plea``) and a random third of all sentences ``Noise``; ``bob``
codes P1-P3 the same way but misses some; P7 and P8 are not coded (the suggestions land
there). Every sentence is unique (it names its interview and its place), so a test can tell
which document a text came from."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from qualcode.store import open_project
from qualcode.store.db import Project
from qualcode.store.models import Code, Coder, Coding, Document

from .segmented_document import add_document

LAB = [
    "The forensic lab backlog holds our phones for months",
    "We wait on the lab to image every device",
    "The lab examiners are buried under extraction requests",
    "Forensic reports from the lab come back late",
    "Our lab has one examiner for the whole county",
]
PLEA = [
    "Most of these cases end in a plea deal",
    "The defence asks for a plea offer early",
    "We plead out cases to spare the victims",
    "A plea bargain saves the child from testifying",
    "Plea negotiations start after discovery",
]
OTHER = [
    "I went to law school in the city",
    "My office is on the third floor",
    "The weather here is mild in spring",
    "I have two kids and a dog",
    "Our team meets every Monday morning",
    "The parking lot is always full",
]


@dataclass
class Study:
    project: Project
    path: Path | str
    docs: dict[str, int]
    codes: dict[str, int]


def _sentences(rng: random.Random, doc: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for i in range(18):
        kind = rng.choice(["lab", "plea", "other", "other"])
        pool = LAB if kind == "lab" else PLEA if kind == "plea" else OTHER
        text = f"{rng.choice(pool)}, said {doc} at point {i}."
        out.append((text, {"lab": "Lab", "plea": "Plea"}.get(kind)))
    return out


def build_study(path: Path | str) -> None:
    project = open_project(path, create=True)
    rng = random.Random(7)
    with project.write() as s:
        codes = {
            name: Code(name=name, guid=f"g-{name}") for name in ("Lab", "Plea", "Noise", "Unused")
        }
        s.add_all(codes.values())
        ana, bob = Coder(name="ana"), Coder(name="bob")
        s.add_all([ana, bob])
        s.flush()
        for n in range(1, 9):
            name = f"P{n}"
            sentences = _sentences(rng, name)
            lines = []
            for k in range(0, len(sentences), 3):
                lines.append(f"{name}: " + " ".join(t for t, _c in sentences[k : k + 3]))
            text = "\n\n".join(lines)
            doc = add_document(s, f"{name}.txt", text, None)
            if n > 6:
                continue
            for j, (sentence, code) in enumerate(sentences):
                start = text.index(sentence)
                span = {"start": start, "end": start + len(sentence) - 1}
                if rng.random() < 0.3:
                    s.add(
                        Coding(
                            document_id=doc.id, code_id=codes["Noise"].id, coder_id=ana.id, **span
                        )
                    )
                if code is None:
                    continue
                s.add(Coding(document_id=doc.id, code_id=codes[code].id, coder_id=ana.id, **span))
                if n <= 3 and j % 4:
                    s.add(
                        Coding(document_id=doc.id, code_id=codes[code].id, coder_id=bob.id, **span)
                    )
    project.engine.dispose()


def study_ids(project: Project, path: Path | str) -> Study:
    """The study with its documents' and codes' ids."""
    with project.session() as s:
        docs = {n: i for i, n in s.execute(select(Document.id, Document.name))}
        codes = {n: i for i, n in s.execute(select(Code.id, Code.name))}
    return Study(project, path, docs, codes)
