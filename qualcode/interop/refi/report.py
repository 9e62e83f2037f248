"""What an import did, and what it could not do (REFI-QDA asks importers to say so)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class RefiImportReport:
    file: str
    origin: str = ""
    documents_added: list[str] = field(default_factory=list)
    documents_reused: list[str] = field(default_factory=list)
    codes_added: int = 0
    codes_reused: int = 0
    coders: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_already_there: int = 0
    memos_added: int = 0
    participants_added: int = 0
    participants_reused: int = 0
    attribute_values_set: int = 0
    groups_added: int = 0
    groups_reused: int = 0
    group_members_added: int = 0
    #: Per source with selections: how positions were counted, and how well they fit.
    positions: list[dict[str, object]] = field(default_factory=list)
    #: Adjustments worth knowing about (renamed codes, merged codes, replaced characters...).
    notes: list[str] = field(default_factory=list)
    #: What the file holds that was not imported, counted.
    not_imported: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "origin": self.origin,
            "documents_added": self.documents_added,
            "documents_reused": self.documents_reused,
            "codes_added": self.codes_added,
            "codes_reused": self.codes_reused,
            "coders": self.coders,
            "codings_added": self.codings_added,
            "codings_already_there": self.codings_already_there,
            "memos_added": self.memos_added,
            "participants_added": self.participants_added,
            "participants_reused": self.participants_reused,
            "attribute_values_set": self.attribute_values_set,
            "groups_added": self.groups_added,
            "groups_reused": self.groups_reused,
            "group_members_added": self.group_members_added,
            "positions": self.positions,
            "notes": self.notes,
            "not_imported": dict(sorted(self.not_imported.items())),
        }

    def summary(self) -> list[str]:
        """The report as lines for people."""
        docs = f"{len(self.documents_added)} document(s) added"
        if self.documents_reused:
            docs += f", {len(self.documents_reused)} already in the project"
        codes = f"{self.codes_added} code(s) added"
        if self.codes_reused:
            codes += f", {self.codes_reused} matched existing codes"
        codings = f"{self.codings_added} coding(s) added"
        if self.codings_already_there:
            codings += f", {self.codings_already_there} already there"
        lines = [
            f"{self.file} (from {self.origin or 'an unnamed tool'}):",
            f"  {docs}; {codes}; {codings}",
            f"  coders: {', '.join(self.coders) or 'none'}; {self.memos_added} memo(s); "
            f"{self.participants_added} participant(s) added, {self.participants_reused} matched, "
            f"{self.attribute_values_set} attribute value(s); {self.groups_added} group(s) added, "
            f"{self.groups_reused} matched, {self.group_members_added} member(s) added",
        ]
        lines += [f"  positions: {line}" for line in self._positions()]
        lines += [f"  note: {n}" for n in self.notes]
        if self.not_imported:
            lines.append("  not imported:")
            lines += [f"    {n} {what}" for what, n in sorted(self.not_imported.items())]
        return lines

    def _positions(self) -> list[str]:
        """One line per way of counting positions, with how well the selections fit."""
        totals: dict[str, list[int]] = {}
        for p in self.positions:
            sums = totals.setdefault(str(p["counting"]), [0, 0, 0, 0])
            for n, name in enumerate(("edges_ok", "edges", "names_ok")):
                value = p[name]
                sums[n] += value if isinstance(value, int) else 0
            sums[3] += 1
        return [
            f"{sources} source(s) in {counting}; {ok} of {edges} selection edges on word "
            f"boundaries" + (f", {names} selection names match their text" if names else "")
            for counting, (ok, edges, names, sources) in totals.items()
        ]
