"""``qualcode pseudonyms risk``: what a share package still gives away.

* the k-anonymity of the participant table over the named quasi-identifiers (the size of the
  smallest group of participants who share every value), and the groups smaller than k;
* generalisations that reach k (numbers in bands, US states in census regions, dates in years,
  a value withheld), the least coarse first: each can be applied to an export
  (``--generalise``);
* the identifiers still waiting for review;
* the numbers and dates left in the pseudonymised text (counts and a few examples, shown in
  the replaced text, never the original).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from qualcode.errors import QualcodeError
from qualcode.pseudonyms.generalise import Generalisation, Value, region_of
from qualcode.pseudonyms.replace import Replacer
from qualcode.pseudonyms.review import accepted_forms
from qualcode.store.db import Project
from qualcode.store.models import Attribute, AttributeValue, Document, Participant, Pseudonym

MISSING = "(missing)"
EXAMPLES = 5
MAX_SUGGESTIONS = 3
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
MONTH_DATE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{1,2}(?:st|nd|rd|th)?\b"
)
NUMBER = re.compile(r"(?<![\w\[])\d[\d,.:/-]*\d(?![\w\]])|(?<![\w\[ ])\d(?![\w\]])")
PSEUDONYM = re.compile(r"\[[^\[\]\n]{1,60} (?:\d+|[A-Z]+)\]")


@dataclass(frozen=True)
class RiskOptions:
    quasi: tuple[str, ...] = ()
    k: int = 3


@dataclass
class Leftover:
    """Numbers or dates left in the text: how many, and a few in their (pseudonymised) context."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, text: str, start: int, end: int) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            before = " ".join(text[max(0, start - 30) : start].split())
            after = " ".join(text[end : end + 30].split())
            self.examples.append(f"…{before} **{text[start:end]}** {after}…")

    def as_json(self) -> dict[str, object]:
        return {"count": self.count, "examples": self.examples}


@dataclass
class RiskReport:
    quasi: tuple[str, ...]
    k: int
    participants: int = 0
    k_anonymity: int | None = None
    small_groups: list[tuple[tuple[str, ...], int]] = field(default_factory=list)
    suggestions: list[tuple[Generalisation, int]] = field(default_factory=list)
    applied: Generalisation | None = None
    k_after: int | None = None
    unreviewed: dict[str, int] = field(default_factory=dict)
    accepted: int = 0
    numbers: Leftover = field(default_factory=Leftover)
    dates: Leftover = field(default_factory=Leftover)

    def as_json(self) -> dict[str, object]:
        return {
            "quasi_identifiers": list(self.quasi),
            "k": self.k,
            "participants": self.participants,
            "k_anonymity": self.k_anonymity,
            "groups_smaller_than_k": [
                {"values": dict(zip(self.quasi, values, strict=True)), "size": size}
                for values, size in self.small_groups
            ],
            "generalisations": [
                {"generalise": g.describe(), "k_anonymity": k} for g, k in self.suggestions
            ],
            "applied": self.applied.describe() if self.applied else None,
            "k_anonymity_applied": self.k_after,
            "accepted_pseudonyms": self.accepted,
            "unreviewed": self.unreviewed,
            "numbers_left": self.numbers.as_json(),
            "dates_left": self.dates.as_json(),
        }

    def lines(self) -> list[str]:
        out = []
        if self.quasi:
            out.append(
                f"k-anonymity over {', '.join(self.quasi)}: {self.k_anonymity} "
                f"({self.participants} participant(s); wanted k = {self.k})"
            )
            for values, size in self.small_groups:
                shown = ", ".join(f"{q}={v}" for q, v in zip(self.quasi, values, strict=True))
                out.append(f"  group of {size}: {shown}")
            for g, k in self.suggestions:
                out.append(f"  generalise {g.describe()} -> k = {k}")
            if self.k_anonymity is not None and self.k_anonymity < self.k and not self.suggestions:
                out.append("  no generalisation of these attributes reaches k")
            if self.applied is not None:
                out.append(f"  applied: {self.applied.describe()} -> k = {self.k_after}")
        else:
            out.append("k-anonymity: no quasi-identifiers named (--quasi)")
        waiting = sum(self.unreviewed.values())
        detail = ", ".join(f"{n} {c}" for c, n in sorted(self.unreviewed.items()))
        out.append(f"identifiers accepted: {self.accepted}; still unreviewed: {waiting}")
        if detail:
            out.append(f"  unreviewed: {detail}")
        out.append(f"numbers left in the text: {self.numbers.count}")
        out.extend(f"  {e}" for e in self.numbers.examples)
        out.append(f"dates and years left in the text: {self.dates.count}")
        out.extend(f"  {e}" for e in self.dates.examples)
        return out

    def as_markdown(self) -> str:
        head = [
            "# Pseudonymised share package",
            "",
            "Names, places, organisations, case numbers, dates, phone numbers, e-mail and street",
            "addresses reviewed in the project were replaced by pseudonyms such as `[Judge 1]` or",
            "`[County A]`, the same across the package; every coding was moved to its place in",
            "the replaced text. The key (original <-> pseudonym) is not part of this package.",
            "",
            "## Residual risk",
            "",
        ]
        return "\n".join([*head, *(f"- {line.strip()}" for line in self.lines()), ""])


def participant_table(s: Session, quasi: tuple[str, ...]) -> list[tuple[Value, ...]]:
    """One row per participant: the values of the quasi-identifiers (None when missing)."""
    known = {n: i for n, i in s.execute(select(Attribute.name, Attribute.id))}
    missing = [q for q in quasi if q not in known]
    if missing:
        names = ", ".join(sorted(known)) or "none"
        raise QualcodeError(f"no attribute {missing[0]!r} (the attributes are: {names})")
    rows: dict[int, list[Value]] = {
        pid: [None] * len(quasi) for pid in s.scalars(select(Participant.id))
    }
    index = {known[q]: i for i, q in enumerate(quasi)}
    for value in s.scalars(
        select(AttributeValue).where(AttributeValue.attribute_id.in_(list(index)))
    ):
        rows[value.participant_id][index[value.attribute_id]] = value.value
    return [tuple(r) for r in rows.values()]


def _cell(value: object) -> str:
    if value is None:
        return MISSING
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def groups(
    rows: list[tuple[Value, ...]], general: Generalisation, quasi: tuple[str, ...]
) -> Counter[tuple[str, ...]]:
    return Counter(
        tuple(_cell(general.apply(q, v)) for q, v in zip(quasi, row, strict=True)) for row in rows
    )


def levels(values: list[Value]) -> list[str | None]:
    """The generalisations worth trying for one attribute, finest first (None: as it is)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, int | float) for v in present):
        return [None, "band:5", "band:10", "band:20", "suppress"]
    if present and all(isinstance(v, dt.date) for v in present):
        return [None, "year", "suppress"]
    if present and all(region_of(str(v)) for v in present):
        return [None, "region", "suppress"]
    return [None, "suppress"]


def suggest(
    rows: list[tuple[Value, ...]], quasi: tuple[str, ...], k: int
) -> list[tuple[Generalisation, int]]:
    """The least coarse generalisations whose smallest group reaches k (at most three)."""
    options = [levels([r[i] for r in rows]) for i in range(len(quasi))]
    combos = sorted(itertools.product(*(range(len(o)) for o in options)), key=lambda c: (sum(c), c))
    found: list[tuple[Generalisation, int]] = []
    best: int | None = None
    for combo in combos:
        if best is not None and sum(combo) > best:
            break
        if sum(combo) == 0:
            continue
        rules = {q: options[i][n] for i, (q, n) in enumerate(zip(quasi, combo, strict=True))}
        general = Generalisation({q: r for q, r in rules.items() if r is not None})
        smallest = min(groups(rows, general, quasi).values(), default=0)
        if smallest >= k:
            found.append((general, smallest))
            best = sum(combo)
            if len(found) >= MAX_SUGGESTIONS:
                break
    return found


def residual_risk(
    project: Project,
    options: RiskOptions,
    *,
    generalised: Generalisation | None = None,
    pseudonymised: bool = False,
) -> RiskReport:
    """The report (see the module's docstring); ``pseudonymised`` shows the values of small
    groups as the share package has them (a share package's README)."""
    if options.k < 2:
        raise QualcodeError("k is at least 2")
    report = RiskReport(options.quasi, options.k)
    with project.session() as s:
        if options.quasi:
            rows = participant_table(s, options.quasi)
            report.participants = len(rows)
            counts = groups(rows, Generalisation(), options.quasi)
            report.k_anonymity = min(counts.values(), default=0)
            shown = Replacer(accepted_forms(s)) if pseudonymised else str
            report.small_groups = sorted(
                (
                    (tuple(shown(x) for x in values), n)
                    for values, n in counts.items()
                    if n < options.k
                ),
                key=lambda x: (x[1], x[0]),
            )
            if report.small_groups:
                report.suggestions = suggest(rows, options.quasi, options.k)
            if generalised is not None and generalised.rules:
                report.applied = generalised
                after = groups(rows, generalised, options.quasi)
                report.k_after = min(after.values(), default=0)
        for status, category in s.execute(select(Pseudonym.status, Pseudonym.category)):
            if status == "candidate":
                report.unreviewed[category] = report.unreviewed.get(category, 0) + 1
            elif status == "accepted":
                report.accepted += 1
        replace = Replacer(accepted_forms(s))
        for doc_id in s.scalars(select(Document.id).order_by(Document.id)):
            text = replace(s.scalar(select(Document.text).where(Document.id == doc_id)) or "")
            _leftovers(text, report)
    return report


def _leftovers(text: str, report: RiskReport) -> None:
    hidden = [(m.start(), m.end()) for m in PSEUDONYM.finditer(text)]

    def inside(pos: int) -> bool:
        return any(a <= pos < b for a, b in hidden)

    dates: list[tuple[int, int]] = []
    for pattern in (MONTH_DATE, YEAR):
        for m in pattern.finditer(text):
            if not inside(m.start()) and not any(a <= m.start() < b for a, b in dates):
                dates.append((m.start(), m.end()))
                report.dates.add(text, m.start(), m.end())
    for m in NUMBER.finditer(text):
        if not inside(m.start()) and not any(a <= m.start() < b for a, b in dates):
            report.numbers.add(text, m.start(), m.end())
