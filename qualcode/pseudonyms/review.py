"""Reviewing the pseudonym list: list it with occurrence counts and contexts, accept or reject
identifiers, add one by hand, change a pseudonym, its category or its forms, and export the key
(original <-> pseudonym) to a file of its own. Every change is audited."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qualcode.errors import NotFound, QualcodeError
from qualcode.interop.atomic_file import refuse_database
from qualcode.pseudonyms.replace import Replacer, form_pattern, variants
from qualcode.pseudonyms.scan import LABEL, Labeller
from qualcode.pseudonyms.texts import project_texts
from qualcode.store.audit import audit
from qualcode.store.models import (
    PSEUDONYM_CATEGORIES,
    PSEUDONYM_STATUSES,
    Pseudonym,
    PseudonymForm,
)

CONTEXT = 40
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Occurrence:
    """A form in a text: where ("document P01.txt"), and the text around it."""

    where: str
    before: str
    match: str
    after: str

    def as_json(self) -> dict[str, str]:
        return {
            "where": self.where,
            "before": self.before,
            "match": self.match,
            "after": self.after,
        }


@dataclass
class PseudonymRow:
    id: int
    pseudonym: str
    category: str
    status: str
    source: str
    forms: list[str]
    occurrences: int = 0
    contexts: list[Occurrence] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "pseudonym": self.pseudonym,
            "category": self.category,
            "status": self.status,
            "source": self.source,
            "forms": self.forms,
            "occurrences": self.occurrences,
            "contexts": [c.as_json() for c in self.contexts],
        }


def list_pseudonyms(
    s: Session,
    *,
    status: str | None = None,
    category: str | None = None,
    counts: bool = True,
    contexts: int = 0,
) -> list[PseudonymRow]:
    """The list, in order of pseudonym; with ``counts`` the occurrences of each in the project,
    with ``contexts`` up to that many of them in context."""
    if status is not None and status not in PSEUDONYM_STATUSES:
        raise QualcodeError(f"status is one of {', '.join(PSEUDONYM_STATUSES)}, not {status!r}")
    category = check_category(category) if category is not None else None
    stmt = select(Pseudonym).options(selectinload(Pseudonym.forms)).order_by(Pseudonym.id)
    if status is not None:
        stmt = stmt.where(Pseudonym.status == status)
    if category is not None:
        stmt = stmt.where(Pseudonym.category == category)
    rows = [
        PseudonymRow(p.id, p.pseudonym, p.category, p.status, p.source, [f.form for f in p.forms])
        for p in s.scalars(stmt)
    ]
    if counts or contexts:
        _count(s, rows, contexts)
    return rows


def _count(s: Session, rows: list[PseudonymRow], contexts: int) -> None:
    owner = {v: r for r in rows for f in r.forms for v in variants(f)}
    pattern = form_pattern(owner)
    if pattern is None:
        return
    for text in project_texts(s):
        for m in pattern.finditer(text.text):
            row = owner[m.group()]
            row.occurrences += 1
            if len(row.contexts) < contexts:
                row.contexts.append(
                    occurrence(text.kind, text.label, text.text, m.start(), m.end())
                )


def occurrence(kind: str, label: str, text: str, start: int, end: int) -> Occurrence:
    before = SPACE.sub(" ", text[max(0, start - CONTEXT) : start]).lstrip()
    after = SPACE.sub(" ", text[end : end + CONTEXT]).rstrip()
    return Occurrence(f"{kind} {label}", before, text[start:end], after)


def check_category(category: str) -> str:
    value = category.strip().lower().replace("_", " ").replace("-", " ")
    value = {"organization": "organisation", "case": "case number", "other": "other identifier",
             "id": "other identifier"}.get(value, value)  # fmt: skip
    if value not in PSEUDONYM_CATEGORIES:
        raise QualcodeError(
            f"category is one of {', '.join(PSEUDONYM_CATEGORIES)}, not {category!r}"
        )
    return value


def find_pseudonym(s: Session, ref: str | int) -> Pseudonym:
    """By id, by pseudonym ("[Judge 1]" or "Judge 1") or by one of its forms."""
    text = str(ref).strip()
    if text.isdigit():
        p = s.get(Pseudonym, int(text))
        if p is not None:
            return p
    label = text if text.startswith("[") else f"[{text}]"
    p = s.scalar(select(Pseudonym).where(Pseudonym.pseudonym == label))
    if p is not None:
        return p
    form = s.scalar(select(PseudonymForm).where(PseudonymForm.form == text))
    if form is not None:
        return form.pseudonym
    raise NotFound(f"no pseudonym or form {text!r}; 'qualcode pseudonyms list' shows them")


def set_status(
    s: Session, refs: Sequence[str | int], status: str, *, actor: str, every: bool = False
) -> list[str]:
    """Accept or reject identifiers (with ``every``, every candidate); their pseudonyms."""
    if status not in ("accepted", "rejected", "candidate"):
        raise QualcodeError(f"a status is accepted, rejected or candidate, not {status!r}")
    if every:
        targets = list(s.scalars(select(Pseudonym).where(Pseudonym.status == "candidate")))
    else:
        if not refs:
            raise QualcodeError("say which pseudonyms (ids, pseudonyms or forms), or --all")
        targets = list(dict.fromkeys(find_pseudonym(s, r) for r in refs))
    for p in targets:
        if p.status != status:
            action = {"accepted": "accept", "rejected": "reject"}.get(status, "reopen")
            audit(s, actor, action, "pseudonym", p.id, pseudonym=p.pseudonym, was=p.status)
            p.status = status
    s.flush()
    return [p.pseudonym for p in targets]


def check_form(form: str) -> str:
    text = " ".join(form.split())
    if not text:
        raise QualcodeError("a form needs some text")
    if len(text) > 255:
        raise QualcodeError("a form is at most 255 characters")
    return text


def check_label(label: str) -> str:
    text = label.strip()
    if not text.startswith("["):
        text = f"[{text}]"
    if not LABEL.match(text) and not (text.endswith("]") and len(text) > 2):
        raise QualcodeError(f"a pseudonym looks like [Colleague 4], not {label!r}")
    if len(text) > 100:
        raise QualcodeError("a pseudonym is at most 100 characters")
    return text


def add_form(
    s: Session, form: str, *, actor: str, pseudonym: str | None = None, category: str = "person"
) -> Pseudonym:
    """Add a form by hand, accepted: to the pseudonym it names (made if new; the next free
    "[Person N]" when none is named)."""
    text = check_form(form)
    held = s.scalar(select(PseudonymForm).where(PseudonymForm.form == text))
    if held is not None:
        raise QualcodeError(f"{text!r} is already a form of {held.pseudonym.pseudonym}")
    cat = check_category(category)
    if pseudonym is None:
        role = {"person": "Person", "place": "Place", "organisation": "Organisation",
                "case number": "Case", "date": "Date", "phone": "Phone", "email": "Email",
                "address": "Address"}.get(cat, "ID")  # fmt: skip
        label = Labeller(list(s.scalars(select(Pseudonym.pseudonym)))).next(role)
    else:
        label = check_label(pseudonym)
    p = s.scalar(select(Pseudonym).where(Pseudonym.pseudonym == label))
    if p is None:
        p = Pseudonym(pseudonym=label, category=cat, status="accepted", source="manual")
        s.add(p)
        s.flush()
    elif p.status != "accepted":
        p.status = "accepted"
    s.add(PseudonymForm(pseudonym_id=p.id, form=text))
    s.flush()
    audit(s, actor, "add", "pseudonym form", p.id, pseudonym=p.pseudonym, form=text)
    return p


def edit_pseudonym(
    s: Session,
    ref: str | int,
    *,
    actor: str,
    pseudonym: str | None = None,
    category: str | None = None,
    add_forms: Iterable[str] = (),
    remove_forms: Iterable[str] = (),
) -> Pseudonym:
    """Change a pseudonym's label or category, or add and remove its forms (a form held by
    another pseudonym moves here: all forms of one person share one pseudonym)."""
    p = find_pseudonym(s, ref)
    changes: dict[str, object] = {}
    added: list[str] = []
    removed: list[str] = []
    if pseudonym is not None:
        label = check_label(pseudonym)
        other = s.scalar(select(Pseudonym).where(Pseudonym.pseudonym == label))
        if other is not None and other.id != p.id:
            raise QualcodeError(f"{label} is taken; merge by moving forms with --form")
        changes["pseudonym"] = (p.pseudonym, label)
        p.pseudonym = label
    if category is not None:
        p.category = check_category(category)
        changes["category"] = p.category
    for form in add_forms:
        text = check_form(form)
        held = s.scalar(select(PseudonymForm).where(PseudonymForm.form == text))
        if held is None:
            s.add(PseudonymForm(pseudonym_id=p.id, form=text))
        elif held.pseudonym_id != p.id:
            held.pseudonym_id = p.id
        added.append(text)
    for form in remove_forms:
        text = check_form(form)
        held = s.scalar(
            select(PseudonymForm).where(
                PseudonymForm.form == text, PseudonymForm.pseudonym_id == p.id
            )
        )
        if held is None:
            raise NotFound(f"{text!r} is not a form of {p.pseudonym}")
        s.delete(held)
        removed.append(text)
    if added:
        changes["added"] = added
    if removed:
        changes["removed"] = removed
    if not changes:
        raise QualcodeError("nothing to change: give --as, --category, --form or --drop-form")
    s.flush()
    s.refresh(p)
    audit(s, actor, "edit", "pseudonym", p.id, **{k: str(v) for k, v in changes.items()})
    return p


def accepted_forms(s: Session) -> dict[str, str]:
    """Every accepted form -> its pseudonym."""
    rows = s.execute(
        select(PseudonymForm.form, Pseudonym.pseudonym)
        .join(Pseudonym, PseudonymForm.pseudonym_id == Pseudonym.id)
        .where(Pseudonym.status == "accepted")
    )
    return {form: label for form, label in rows}


def replacer(s: Session) -> Replacer:
    """The project's replacer: its accepted forms."""
    return Replacer(accepted_forms(s))


def export_key(s: Session, out: Path, *, actor: str) -> int:
    """Write the key (pseudonym, category, form; accepted forms only) as CSV, readable by its
    owner only. The key is never part of a share package. Returns the rows written."""
    out = out.expanduser()
    if out.is_dir():
        raise QualcodeError(f"{out} is a folder; give a file name for the key")
    refuse_database(out)
    rows = s.execute(
        select(Pseudonym.pseudonym, Pseudonym.category, PseudonymForm.form)
        .join(PseudonymForm, PseudonymForm.pseudonym_id == Pseudonym.id)
        .where(Pseudonym.status == "accepted")
        .order_by(Pseudonym.id, PseudonymForm.id)
    ).all()
    tmp = out.with_name(f".{out.name}.key-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["pseudonym", "category", "original"])
            writer.writerows(rows)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    audit(s, actor, "export key", "pseudonyms", None, file=str(out), rows=len(rows))
    return len(rows)


def occurrences(s: Session, ref: str | int, limit: int = 20) -> list[Occurrence]:
    """Where one pseudonym's forms occur in the project, in context (at most ``limit``)."""
    p = find_pseudonym(s, ref)
    pattern = form_pattern(v for f in p.forms for v in variants(f.form))
    out: list[Occurrence] = []
    if pattern is None:
        return out
    for text in project_texts(s):
        for m in pattern.finditer(text.text):
            out.append(occurrence(text.kind, text.label, text.text, m.start(), m.end()))
            if len(out) >= limit:
                return out
    return out
