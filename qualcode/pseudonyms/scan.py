"""``qualcode pseudonyms scan``: propose the identifiers found in every document, memo,
attribute value and speaker label, grouped so that every surface form of one identifier
("Detective Kim Oduya", "Kim Oduya", "Oduya") shares one pseudonym ("[Detective 1]"), numbered
in order of first appearance and the same across the whole project.

A scan only adds: known forms keep their pseudonym and status; a new form of a known identifier
joins it (a person's surname or first name alone is added with the full name); nothing a
reviewer accepted, rejected or edited is changed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.pseudonyms.detect import Mention, find_in_texts, person_name
from qualcode.pseudonyms.texts import attribute_texts, project_texts, speaker_labels
from qualcode.pseudonyms.vocabulary import FIELD_TERMS, NOT_NAMES, PLACE_SUFFIXES, WORD_NAMES
from qualcode.store.audit import audit
from qualcode.store.models import Pseudonym, PseudonymForm

#: roles whose pseudonyms count in letters ("[County A]"); the others in numbers ("[Judge 1]")
LETTER_ROLES = frozenset({"County", "Parish", "Township", "Borough", "City", "State", "Place",
                          "Organisation"})  # fmt: skip
LABEL = re.compile(r"^\[(?P<role>.+) (?P<n>[A-Z]+|\d+)\]$")
#: attribute names whose values identify directly (the whole value is a candidate)
IDENTIFYING_ATTRIBUTES: dict[str, tuple[str, str]] = {
    "name": ("person", "Person"),
    "full_name": ("person", "Person"),
    "county": ("place", "County"),
    "city": ("place", "City"),
    "town": ("place", "City"),
    "office": ("organisation", "Organisation"),
    "office_name": ("organisation", "Organisation"),
    "court": ("organisation", "Organisation"),
    "email": ("email", "Email"),
    "phone": ("phone", "Phone"),
    "address": ("address", "Address"),
}
Progress = Callable[[int, str], None]


@dataclass
class Found:
    """One identifier found by the scan: its forms in order of first appearance."""

    category: str
    role: str
    key: str
    forms: dict[str, None] = field(default_factory=dict)
    #: forms made by the scan, not seen as such (a surname alone): never merge two identifiers
    derived: dict[str, None] = field(default_factory=dict)
    #: a person's name words ("Kim", "Oduya"), to add the surname and first name alone
    names: list[str] = field(default_factory=list)


@dataclass
class ScanReport:
    texts: int = 0
    new: dict[str, int] = field(default_factory=dict)  # category -> new pseudonyms
    new_forms: int = 0
    candidates: int = 0  # still to review, after the scan

    def as_json(self) -> dict[str, object]:
        return {
            "texts": self.texts,
            "new": self.new,
            "new_forms": self.new_forms,
            "candidates": self.candidates,
        }


def letters(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA."""
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def number_of(tag: str) -> int:
    if tag.isdigit():
        return int(tag)
    n = 0
    for ch in tag:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


class Labeller:
    """The next free pseudonym of each role ("[Judge 3]" after "[Judge 2]")."""

    def __init__(self, taken: list[str]) -> None:
        self.taken = set(taken)
        self.last: dict[str, int] = {}
        for label in taken:
            m = LABEL.match(label)
            if m:
                role = m["role"]
                self.last[role] = max(self.last.get(role, 0), number_of(m["n"]))

    def next(self, role: str) -> str:
        while True:
            n = self.last.get(role, 0) + 1
            self.last[role] = n
            label = f"[{role} {letters(n) if role in LETTER_ROLES else n}]"
            if label not in self.taken:
                self.taken.add(label)
                return label


def collect(s: Session, progress: Progress | None = None) -> tuple[list[Found], int]:
    """Every identifier found in the project, in order of first appearance; and how many
    texts were read."""
    found: dict[tuple[str, str], Found] = {}

    def add(m: Mention) -> None:
        item = found.setdefault((m.category, m.key), Found(m.category, m.role, m.key))
        item.forms.setdefault(m.text)
        if m.category == "person":
            if not item.names:
                item.names = m.key.split()
            if item.role == "Person" and m.role != "Person":
                item.role = m.role

    for label in speaker_labels(s):
        names = person_name(label)
        if names:
            key = " ".join(names)
            add(Mention("person", 0, len(label), label, key, "Person"))
            found[("person", key)].forms.setdefault(key)
    for attr, value in attribute_texts(s):
        kind = IDENTIFYING_ATTRIBUTES.get(attr.strip().lower())
        if kind is not None and value.strip():
            text = " ".join(value.split())
            if kind[1] == "County" and text.split()[-1] not in PLACE_SUFFIXES:
                # "Maple" in a county column is "Maple County" in the text
                key = f"{text} County"
                add(Mention("place", 0, len(key), key, key, "County"))
                found[("place", key)].forms.setdefault(text)
            else:
                add(Mention(kind[0], 0, len(text), text, text, kind[1]))
    sources = project_texts(s)
    count = 0

    def stream() -> Iterator[str]:
        nonlocal count
        for item in sources:
            count += 1
            if progress is not None:
                progress(count, item.label)
            yield item.text

    for mentions in find_in_texts(stream()):
        for m in mentions:
            add(m)
    return _merge_people(list(found.values())), count


def _merge_people(items: list[Found]) -> list[Found]:
    """A one-word name ("Judge Marsh") joins the one full name that ends with it, and every
    full name gains its surname and first name alone (unless the word is also a word, a term
    of the field, or the first name of two people)."""
    people = [f for f in items if f.category == "person"]
    full = [f for f in people if len(f.names) >= 2]
    out: list[Found] = []
    for item in items:
        if item.category == "person" and len(item.names) == 1:
            word = item.names[0]
            owners = [f for f in full if word in (f.names[-1], f.names[0])]
            if len(owners) == 1:
                owner = owners[0]
                owner.forms.update(item.forms)
                if owner.role == "Person":
                    owner.role = item.role
                continue
        out.append(item)
    holders: dict[str, int] = {}  # a word -> how many people's names hold it
    for f in full:
        for word in set(f.names):
            holders[word] = holders.get(word, 0) + 1
    field_words = set(FIELD_TERMS)
    for f in full:
        core = " ".join(f.names)  # "Nora Quill" of "Detective Nora Quill"
        if core not in f.forms:
            f.derived.setdefault(core)
        alone = [f.names[-1]]
        if f.names[0] not in WORD_NAMES:
            alone.append(f.names[0])
        for word in alone:
            unique = holders[word] == 1 and word not in field_words and word not in NOT_NAMES
            if unique and len(word) > 2 and word not in f.forms:
                f.derived.setdefault(word)
    return out


def scan_project(s: Session, *, actor: str, progress: Progress | None = None) -> ScanReport:
    """Propose candidates for every identifier found (see the module's docstring)."""
    items, count = collect(s, progress)
    report = ScanReport(texts=count)
    owner = dict(s.execute(select(PseudonymForm.form, PseudonymForm.pseudonym_id)).all())
    labeller = Labeller(list(s.scalars(select(Pseudonym.pseudonym)).all()))
    for item in items:
        forms = [f for f in item.forms if f.strip()]
        known = next((owner[f] for f in forms if f in owner), None)
        forms += [f for f in item.derived if f not in item.forms]
        if known is None:
            p = Pseudonym(
                pseudonym=labeller.next(item.role), category=item.category, status="candidate"
            )
            s.add(p)
            s.flush()
            known = p.id
            report.new[item.category] = report.new.get(item.category, 0) + 1
        for form in forms:
            if form not in owner and len(form) <= 255:
                s.add(PseudonymForm(pseudonym_id=known, form=form))
                owner[form] = known
                report.new_forms += 1
    s.flush()
    report.candidates = len(
        s.scalars(select(Pseudonym.id).where(Pseudonym.status == "candidate")).all()
    )
    audit(s, actor, "scan", "pseudonyms", None, new=report.new, new_forms=report.new_forms)
    return report
