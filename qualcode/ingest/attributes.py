"""Importing participants and their attributes from a CSV file.

One row per participant. The participant column is ``participant`` (or ``case``/``id``); an
optional ``document`` column names the participant's documents (several separated by ``;``).
Without it, a document whose name without extension equals the participant's label is linked.
Every other column is an attribute. A column's type is given in its header (``years:number``,
``interviewed:date``, ``state:text``) or inferred: numbers, then ISO dates, then text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import QualcodeError
from qualcode.ingest.decode import decode_bytes, normalise_text
from qualcode.store.audit import audit
from qualcode.store.db import Project
from qualcode.store.models import Attribute, AttributeValue, Document, Participant

ID_COLUMNS = ("participant", "case", "id")
KINDS = ("text", "number", "date")
MAX_BYTES = 20_000_000


@dataclass
class AttributesReport:
    participants: int = 0
    created: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    linked: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "participants": self.participants,
            "created": self.created,
            "attributes": self.attributes,
            "linked": [{"participant": p, "document": d} for p, d in self.linked],
        }


def read_csv_rows(path: str | Path) -> list[dict[str, str]]:
    p = Path(path)
    if not p.is_file():
        raise QualcodeError(f"{p}: no such file")
    if p.stat().st_size > MAX_BYTES:
        raise QualcodeError(f"{p}: larger than {MAX_BYTES // 1_000_000} MB")
    text, _enc = decode_bytes(p.read_bytes())
    text = normalise_text(text)
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
    except csv.Error as exc:
        raise QualcodeError(f"{p}: not a valid CSV file ({exc})") from None
    if not reader.fieldnames:
        raise QualcodeError(f"{p}: the CSV file has no header row")
    for n, row in enumerate(rows, start=2):
        if None in row:
            raise QualcodeError(f"{p}: line {n} has more cells than the header")
    return rows


def parse_number(value: str) -> float:
    """A finite number, or ValueError: ``inf``, ``-Infinity`` and ``nan`` are not numbers here
    (a project cannot store NaN on SQLite, nor can REFI-QDA's ``FloatValue`` hold either)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _parse(value: str, kind: str) -> float | dt.date | str:
    if kind == "number":
        return parse_number(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _infer(values: list[str], name: str = "", source: str = "") -> str:
    """A column's kind from its values: number, then date, then text. A column of numbers with
    some words among them ("6", "three") is refused with the words named, not read as text."""
    for kind in ("number", "date"):
        try:
            for v in values:
                _parse(v, kind)
        except ValueError:
            continue
        if values:
            return kind
    numbers = [v for v in values if _is_number(v)]
    words = [v for v in values if not _is_number(v)]
    if numbers and len(numbers) >= len(words):
        shown = ", ".join(repr(w) for w in sorted(set(words))[:5])
        where = f"{source}: " if source else ""
        raise QualcodeError(
            f"{where}{name!r} mixes numbers ({len(numbers)}) and words ({shown}): write the "
            f"words as numbers, or head the column '{name}:text' to keep it as text"
        )
    return "text"


def _header(name: str) -> tuple[str, str | None]:
    base, sep, kind = name.rpartition(":")
    if sep and kind.strip().lower() in KINDS:
        return base.strip(), kind.strip().lower()
    return name.strip(), None


def import_attributes(project: Project, path: str | Path, *, actor: str) -> AttributesReport:
    rows = read_csv_rows(path)
    with project.write() as s:
        return _apply(s, rows, str(path), actor)


def _apply(s: Session, rows: list[dict[str, str]], source: str, actor: str) -> AttributesReport:
    if not rows:
        raise QualcodeError(f"{source}: no rows")
    headers = list(rows[0].keys())
    lower = {h.strip().lower(): h for h in headers}
    id_col = next((lower[c] for c in ID_COLUMNS if c in lower), None)
    if id_col is None:
        raise QualcodeError(f"{source}: needs a 'participant' column naming each participant")
    doc_col = lower.get("document") or lower.get("documents")
    attr_cols = [h for h in headers if h not in (id_col, doc_col)]
    report = AttributesReport()
    kinds: dict[str, tuple[str, str]] = {}
    for col in attr_cols:
        name, kind = _header(col)
        values = [r[col].strip() for r in rows if (r[col] or "").strip()]
        existing = s.scalar(select(Attribute).where(Attribute.name == name))
        kind = kind or (existing.kind if existing else _infer(values, name, source))
        if existing is not None and existing.kind != kind:
            raise QualcodeError(f"{source}: attribute {name!r} is {existing.kind}, not {kind}")
        for v in values:
            try:
                _parse(v, kind)
            except ValueError:
                raise QualcodeError(f"{source}: {name!r} value {v!r} is not a {kind}") from None
        kinds[col] = (name, kind)
        report.attributes[name] = kind
    attributes = {}
    for col, (name, kind) in kinds.items():
        attr = s.scalar(select(Attribute).where(Attribute.name == name))
        if attr is None:
            attr = Attribute(name=name, kind=kind)
            s.add(attr)
        attributes[col] = attr
    s.flush()
    seen: set[str] = set()
    for n, row in enumerate(rows, start=2):
        label = (row[id_col] or "").strip()
        if not label:
            raise QualcodeError(f"{source}: line {n} has no participant")
        if label in seen:
            raise QualcodeError(f"{source}: participant {label!r} appears twice (line {n})")
        seen.add(label)
        participant = s.scalar(select(Participant).where(Participant.label == label))
        if participant is None:
            participant = Participant(label=label)
            s.add(participant)
            s.flush()
            report.created.append(label)
        for col, attr in attributes.items():
            _set_value(s, participant, attr, (row[col] or "").strip())
        cell = (row[doc_col] or "") if doc_col else None
        _link_documents(s, participant, cell, source, report.linked)
        report.participants += 1
    audit(s, actor, "import", "attributes", None, source=source, participants=report.participants)
    s.flush()
    return report


def _set_value(s: Session, participant: Participant, attr: Attribute, raw: str) -> None:
    value = s.scalar(
        select(AttributeValue).where(
            AttributeValue.participant_id == participant.id,
            AttributeValue.attribute_id == attr.id,
        )
    )
    if not raw:
        if value is not None:
            s.delete(value)
        return
    if value is None:
        value = AttributeValue(participant_id=participant.id, attribute_id=attr.id)
        s.add(value)
    parsed = _parse(raw, attr.kind)
    value.text_value = parsed if isinstance(parsed, str) else None
    value.number_value = parsed if isinstance(parsed, float) else None
    value.date_value = parsed if isinstance(parsed, dt.date) else None


def _link_documents(
    s: Session,
    participant: Participant,
    cell: str | None,
    source: str,
    linked: list[tuple[str, str]],
) -> None:
    """Link the documents a cell names (separated by ``;``), or without a cell those whose name
    without extension is the participant's label."""
    if cell is not None and cell.strip():
        for name in (n.strip() for n in cell.split(";") if n.strip()):
            doc = s.scalar(select(Document).where(Document.name == name))
            if doc is None:
                raise QualcodeError(
                    f"{source}: participant {participant.label!r} names document {name!r}, "
                    "which is not in the project (import the transcripts first)"
                )
            doc.participant_id = participant.id
            linked.append((participant.label, name))
        return
    for doc in s.scalars(select(Document)).all():
        if doc.name.rsplit(".", 1)[0] == participant.label:
            doc.participant_id = participant.id
            linked.append((participant.label, doc.name))


# -- one participant's attributes, set by hand --------------------------------------------------
@dataclass
class AttributesSet:
    participant: str
    created: bool = False
    #: attribute -> its value as written ('' when removed)
    values: dict[str, str] = field(default_factory=dict)
    new_attributes: dict[str, str] = field(default_factory=dict)
    #: documents linked to a new participant (their name without extension is its label)
    linked: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "participant": self.participant,
            "created": self.created,
            "linked": self.linked,
            "values": self.values,
            "new_attributes": self.new_attributes,
        }


def parse_assignments(texts: list[str]) -> list[tuple[str, str | None, str]]:
    """``key=value`` (or ``key:number=value``) pairs as (name, kind or None, value)."""
    out = []
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise QualcodeError(f"{text!r}: write an attribute as key=value (key= removes it)")
        name, kind = _header(key)
        out.append((name, kind, value.strip()))
    return out


def set_attributes(
    s: Session,
    participant: str,
    assignments: list[tuple[str, str | None, str]],
    *,
    actor: str,
    create: bool = True,
) -> AttributesSet:
    """Set (or, with an empty value, remove) attributes of one participant, created if new
    (unless ``create`` is False) and linked, as an import links it, to the documents named
    after it. A new attribute's kind is the one given or the value's own
    (number, date, text); an existing attribute keeps its kind and the value must fit it."""
    label = participant.strip()
    if not label:
        raise QualcodeError("say which participant")
    if not assignments:
        raise QualcodeError("give at least one key=value")
    report = AttributesSet(label)
    person = s.scalar(select(Participant).where(Participant.label == label))
    if person is None:
        if not create:
            raise QualcodeError(f"no participant {label!r}")
        person = Participant(label=label)
        s.add(person)
        s.flush()
        report.created = True
        linked: list[tuple[str, str]] = []
        _link_documents(s, person, None, "", linked)
        report.linked = [name for _, name in linked]
    for name, kind, value in assignments:
        attr = s.scalar(select(Attribute).where(Attribute.name == name))
        if attr is not None and kind is not None and kind != attr.kind:
            raise QualcodeError(f"attribute {name!r} is {attr.kind}, not {kind}")
        if attr is None:
            if not value:
                continue
            attr = Attribute(name=name, kind=kind or _infer([value], name))
            s.add(attr)
            s.flush()
            report.new_attributes[name] = attr.kind
        if value:
            try:
                _parse(value, attr.kind)
            except ValueError:
                raise QualcodeError(f"{name!r} is a {attr.kind}; {value!r} is not") from None
        _set_value(s, person, attr, value)
        report.values[name] = value
    s.flush()
    audit(s, actor, "set", "attributes", person.id, participant=label, values=report.values)
    return report
