"""Cases become participants, variables become attributes, and case values their values.

A case's sources are linked to it as its documents (a document belongs to one participant: a
document already linked elsewhere keeps its participant). Variables map to attribute kinds:
Integer and Float to number, Date to date, the others (Text, Boolean, DateTime) to text. An
attribute that already exists keeps its kind; values already set are kept.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import select

from qualcode.errors import QualcodeError
from qualcode.features import attribute_ranges
from qualcode.ingest.attributes import parse_number
from qualcode.interop.refi.import_state import ImportState
from qualcode.store.models import Attribute, AttributeValue, Document, Participant

KINDS = {"integer": "number", "float": "number", "date": "date"}
MAX_NAME = 100


def _attributes(state: ImportState) -> dict[str, Attribute]:
    s = state.s
    found: dict[str, Attribute] = {}
    for key, var in state.proj.variables.items():
        name = " ".join(var.name.split())[:MAX_NAME]
        if not name:
            state.report.not_imported["variables without a name"] += 1
            continue
        attr = s.scalar(select(Attribute).where(Attribute.name == name))
        if attr is None:
            attr = Attribute(name=name, kind=KINDS.get(var.kind.lower(), "text"))
            s.add(attr)
            s.flush()
        found[key] = attr
    return found


def parse_value(raw: str, kind: str) -> str | float | dt.date | None:
    """A value of an attribute's kind, or None when it is not one."""
    try:
        if kind == "number":
            return parse_number(raw)
        if kind == "date":
            return dt.date.fromisoformat(raw[:10])
    except ValueError:
        return None
    return raw


def _not_finite(raw: str) -> bool:
    try:
        return not math.isfinite(float(raw))
    except ValueError:
        return False


def import_cases(state: ImportState) -> None:
    s = state.s
    report = state.report
    attributes = _attributes(state)
    for case in state.proj.cases:
        label = case.name[:MAX_NAME] or f"case {case.key[:8]}"
        person = s.scalar(select(Participant).where(Participant.label == label))
        if person is None:
            person = Participant(label=label)
            s.add(person)
            s.flush()
            report.participants_added += 1
        else:
            report.participants_reused += 1
        for ref in case.source_refs:
            doc_id = state.doc_of_source.get(ref)
            if doc_id is None:
                report.not_imported["case links to sources not imported"] += 1
                continue
            doc = s.get_one(Document, doc_id)
            if doc.participant_id is None:
                doc.participant_id = person.id
            elif doc.participant_id != person.id:
                report.not_imported["case links to documents of another participant"] += 1
        for var_key, raw in case.values:
            attr = attributes.get(var_key)
            if attr is None:
                report.not_imported["case values of unknown variables"] += 1
                continue
            _set_value(state, person, attr, raw)
    s.flush()


def _set_value(state: ImportState, person: Participant, attr: Attribute, raw: str) -> None:
    s = state.s
    if not raw:
        return
    value = parse_value(raw, attr.kind)
    low, high = attribute_ranges().get(attr.name, (-math.inf, math.inf))
    if isinstance(value, float) and not low <= value <= high:
        raise QualcodeError(
            f"{state.report.file}: refused: case {person.label!r} gives {attr.name!r} the value "
            f"{raw!r}; it is from {low:g} to {high:g}"
        )
    if value is None and attr.kind == "number" and _not_finite(raw):
        raise QualcodeError(
            f"{state.report.file}: refused: case {person.label!r} gives {attr.name!r} the value "
            f"{raw!r}, which is not a finite number"
        )
    if value is None:
        state.report.not_imported[f"case values that are not a {attr.kind}"] += 1
        return
    row = s.scalar(
        select(AttributeValue).where(
            AttributeValue.participant_id == person.id, AttributeValue.attribute_id == attr.id
        )
    )
    if row is not None:
        if row.value != value:
            state.report.not_imported["case values differing from the project's (kept)"] += 1
        return
    row = AttributeValue(participant_id=person.id, attribute_id=attr.id)
    row.text_value = value if isinstance(value, str) else None
    row.number_value = value if isinstance(value, float) else None
    row.date_value = value if isinstance(value, dt.date) else None
    s.add(row)
    state.report.attribute_values_set += 1
