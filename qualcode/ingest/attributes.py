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
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import NotFound, QualcodeError
from qualcode.ingest.decode import BadInput, decode_bytes, normalise_text
from qualcode.ingest.documents import find_document
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


def read_csv_rows(path: str | Path) -> list[dict[str, str | None]]:
    """The rows of a CSV file as ``{header: cell}``; a cell missing from a short row is
    ``None`` (an empty cell is ``""``). A header named twice is refused; a column without a
    name is refused when it holds a value, and left out when it is empty (as spreadsheets
    write a trailing empty column)."""
    p = Path(path)
    if not p.is_file():
        raise QualcodeError(f"{p}: no such file")
    if p.stat().st_size > MAX_BYTES:
        raise QualcodeError(f"{p}: larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = normalise_text(decode_bytes(p.read_bytes(), "CSV file")[0], "CSV file")
    except BadInput as exc:
        raise QualcodeError(f"{p}: {exc}") from None
    try:
        table = [row for row in csv.reader(io.StringIO(text)) if row]
    except csv.Error as exc:
        raise QualcodeError(f"{p}: not a valid CSV file ({exc})") from None
    if not table:
        raise QualcodeError(f"{p}: the CSV file has no header row")
    header, body = table[0], table[1:]
    for n, row in enumerate(body, start=2):
        if len(row) > len(header):
            raise QualcodeError(f"{p}: line {n} has more cells than the header")
    keep: list[int] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        label = name.strip()
        if not label:
            if any(i < len(row) and row[i].strip() for row in body):
                raise QualcodeError(f"{p}: column {i + 1} has no name in the header row")
            continue
        if label in seen:
            raise QualcodeError(
                f"{p}: column {label!r} appears twice in the header row "
                f"(columns {seen[label] + 1} and {i + 1})"
            )
        seen[label] = i
        keep.append(i)
    return [{header[i]: row[i] if i < len(row) else None for i in keep} for row in body]


#: a number as people write it: an optional sign, ASCII digits with an optional decimal point,
#: an optional exponent. Python's float() also takes ``1_2`` (as 12), ``inf``, ``nan`` and
#: digits of other scripts; none of those is a number here.
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_number(value: str) -> float:
    """A finite number in plain decimal notation, or ValueError: ``1_2``, ``inf``, ``-Infinity``,
    ``nan`` and a number too large for a float (``1e999``) are not numbers here (a project
    cannot store NaN on SQLite, nor can REFI-QDA's ``FloatValue`` hold either)."""
    text = value.strip()
    if NUMBER.fullmatch(text) is None:
        raise ValueError(f"{value!r} is not a number")
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


def _parse(value: str, kind: str) -> float | dt.date | str:
    if kind == "number":
        return parse_number(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    return value


#: bounds some attributes' numbers must keep, by attribute name (a study feature's own, such as
#: a share in percent); given by the caller, see :func:`qualcode.features.attribute_ranges`
Ranges = Mapping[str, tuple[float, float]]


def _check(value: str, kind: str, name: str, ranges: Ranges) -> None:
    """ValueError unless ``value`` is a ``kind``; QualcodeError if it is outside the
    attribute's range."""
    parsed = _parse(value, kind)
    if isinstance(parsed, float) and name in ranges:
        low, high = ranges[name]
        if not low <= parsed <= high:
            raise QualcodeError(f"{name!r} is from {low:g} to {high:g}; {value!r} is not")


def _is_number(value: str) -> bool:
    try:
        parse_number(value)
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


def import_attributes(
    project: Project, path: str | Path, *, actor: str, ranges: Ranges
) -> AttributesReport:
    rows = read_csv_rows(path)
    with project.write() as s:
        return _apply(s, rows, str(path), actor, ranges)


def _apply(
    s: Session, rows: list[dict[str, str | None]], source: str, actor: str, ranges: Ranges
) -> AttributesReport:
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
        twice = next((c for c, (n, _k) in kinds.items() if n == name), None)
        if twice is not None:
            raise QualcodeError(
                f"{source}: attribute {name!r} appears twice in the header row "
                f"({twice!r} and {col!r})"
            )
        values = [v.strip() for r in rows if (v := r[col]) and v.strip()]
        existing = s.scalar(select(Attribute).where(Attribute.name == name))
        kind = kind or (existing.kind if existing else _infer(values, name, source))
        if existing is not None and existing.kind != kind:
            raise QualcodeError(f"{source}: attribute {name!r} is {existing.kind}, not {kind}")
        for v in values:
            try:
                _check(v, kind, name, ranges)
            except ValueError:
                raise QualcodeError(f"{source}: {name!r} value {v!r} is not a {kind}") from None
            except QualcodeError as exc:
                raise QualcodeError(f"{source}: {exc}") from None
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
            cell = row[col]
            if cell is not None:  # a cell missing from a short row changes nothing
                _set_value(s, participant, attr, cell.strip(), actor)
        _link_documents(
            s, participant, (row[doc_col] or "") if doc_col else None, source, report.linked
        )
        report.participants += 1
    audit(s, actor, "import", "attributes", None, source=source, participants=report.participants)
    s.flush()
    return report


def _set_value(s: Session, participant: Participant, attr: Attribute, raw: str, actor: str) -> None:
    """Set (or, for an empty cell, clear) one value; the audit log keeps a value that is
    cleared or replaced."""
    value = s.scalar(
        select(AttributeValue).where(
            AttributeValue.participant_id == participant.id,
            AttributeValue.attribute_id == attr.id,
        )
    )
    old = _stored(value) if value is not None else None
    if not raw:
        if value is not None:
            s.delete(value)
            audit(
                s,
                actor,
                "clear",
                "attribute_value",
                value.id,
                participant=participant.label,
                attribute=attr.name,
                old=old,
            )
        return
    if value is None:
        value = AttributeValue(participant_id=participant.id, attribute_id=attr.id)
        s.add(value)
    parsed = _parse(raw, attr.kind)
    value.text_value = parsed if isinstance(parsed, str) else None
    value.number_value = parsed if isinstance(parsed, float) else None
    value.date_value = parsed if isinstance(parsed, dt.date) else None
    new = _stored(value)
    if old is not None and old != new:
        audit(
            s,
            actor,
            "change",
            "attribute_value",
            value.id,
            participant=participant.label,
            attribute=attr.name,
            old=old,
            new=new,
        )


def _stored(value: AttributeValue) -> str | float | None:
    """A stored value as the audit log writes it (a date as ISO text)."""
    if value.date_value is not None:
        return value.date_value.isoformat()
    if value.number_value is not None:
        return value.number_value
    return value.text_value


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
            try:
                doc = find_document(s, name)
            except NotFound:
                raise QualcodeError(
                    f"{source}: participant {participant.label!r} names document {name!r}, "
                    "which is not in the project (import the transcripts first)"
                ) from None
            except QualcodeError as exc:
                raise QualcodeError(f"{source}: participant {participant.label!r}: {exc}") from None
            doc.participant_id = participant.id
            linked.append((participant.label, doc.name))
        return
    for doc in s.scalars(select(Document)).all():
        if doc.name.rsplit(".", 1)[0] == participant.label:
            doc.participant_id = participant.id
            linked.append((participant.label, doc.name))


def ensure_participant(s: Session, label: str) -> Participant:
    """The participant with this label, made (and flushed) if new."""
    person = s.scalar(select(Participant).where(Participant.label == label))
    if person is None:
        person = Participant(label=label)
        s.add(person)
        s.flush()
    return person


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
    ranges: Ranges,
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
        person = ensure_participant(s, label)
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
                _check(value, attr.kind, name, ranges)
            except ValueError:
                raise QualcodeError(f"{name!r} is a {attr.kind}; {value!r} is not") from None
        _set_value(s, person, attr, value, actor)
        report.values[name] = value
    s.flush()
    audit(s, actor, "set", "attributes", person.id, participant=label, values=report.values)
    return report
