"""Gathering a report's numbers from a project, each from the domain function that owns it (the
same ones the CLI's ``--json`` prints), and writing the page.

:func:`render_report` takes a :class:`~qualcode.store.db.Project`, so it renders whatever
project it is given: the project itself, or a pseudonymised copy of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from qualcode.agreement.project_report import agreement_report
from qualcode.analysis import tables
from qualcode.analysis.coders import CountedCoders, counted_coders
from qualcode.analysis.data import load_code_tree, text_attributes
from qualcode.analysis.saturation_data import saturation_report
from qualcode.codebook import Codebook, codebook_from_project
from qualcode.coding.coders import coder_names
from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import check_target, replacing
from qualcode.interop.tables_for_export import (
    ExportFilters,
    ExtraSheets,
    extra_sheets,
    overview_table,
    qualcode_version,
    resolve,
    segment_rows,
)
from qualcode.report.audit import AuditSummary, audit_summary
from qualcode.store.db import Project

#: quotes shown per code, and the longest quote (characters) before it is cut
QUOTES_PER_CODE = 3
QUOTE_CHARS = 400
#: passages per code the quotes are chosen from (the first ones, in document order)
QUOTE_CANDIDATES = 60
#: heatmaps of codes by attribute: attributes with at most this many values
HEATMAP_MAX_VALUES = 30
#: co-occurring pairs listed
TOP_PAIRS = 25


@dataclass(frozen=True)
class Quote:
    code: str
    text: str
    document: str
    participant: str | None


@dataclass
class ReportData:
    """Everything the page shows, read before any HTML is written."""

    title: str
    generated: dt.datetime
    version: str
    glance: dict[str, Any]
    counted: CountedCoders
    codebook: Codebook
    #: code path -> (own name, depth), for the charts' indented labels
    code_labels: dict[str, tuple[str, int]]
    frequencies: list[dict[str, Any]]
    matrices: dict[str, tuple[list[str], list[str], list[list[int]]]]
    cooccurrence: list[dict[str, Any]]
    agreement: dict[str, Any] | None
    agreement_error: str | None
    extras: list[ExtraSheets]
    saturation: dict[str, Any]
    quotes: dict[str, list[Quote]]
    audit: AuditSummary
    coder: str | None = None

    def counted_text(self) -> str:
        """Whose codings the counts count (the rule of :mod:`qualcode.analysis.coders`)."""
        if self.counted.breakdown:
            return f"codings of {', '.join(self.counted.coders)}, added up"
        return self.counted.describe()


def gather(project: Project, coder: str | None = None) -> ReportData:
    """Read every number of the report (``coder``: only that coder's codings)."""
    try:
        agreement: dict[str, Any] | None = agreement_report(project)
        agreement_error = None
    except QualcodeError as exc:
        agreement, agreement_error = None, str(exc)
    with project.session() as s:
        sel = resolve(s, ExportFilters(coder=coder))
        extras = extra_sheets(s)
        overview = {str(k): v for k, v in overview_table(project, s, sel, "", extras).rows}
        counted = counted_coders(s, coder)
        frequencies = tables.to_records(tables.frequency_table(s, coder=coder))
        return ReportData(
            title=str(overview.get("Project") or project.display_name),
            generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
            version=qualcode_version(),
            glance={
                "documents": overview["Documents"],
                "participants": overview["Participants"],
                "coders": coder_names(s),
                "codes": overview["Codes"],
                "codings": overview["Codings exported"],
            },
            counted=counted,
            codebook=codebook_from_project(s),
            code_labels=load_code_tree(s).labels(),
            frequencies=frequencies,
            matrices=_matrices(s, coder),
            cooccurrence=tables.to_records(tables.cooccurrence_table(s, coder=coder)),
            agreement=agreement,
            agreement_error=agreement_error,
            extras=extras,
            saturation=saturation_report(s, coder=coder),
            quotes=_quotes(s, coder, counted),
            audit=audit_summary(s),
            coder=coder,
        )


def _matrices(
    s: Session, coder: str | None
) -> dict[str, tuple[list[str], list[str], list[list[int]]]]:
    """Codes by each text attribute (codings), as ``qualcode matrix --cols A`` counts them."""
    out: dict[str, tuple[list[str], list[str], list[list[int]]]] = {}
    for name in text_attributes(s):
        frame = tables.matrix_table(s, cols=name, coder=coder)
        if 0 < len(frame.columns) <= HEATMAP_MAX_VALUES:
            rows = [str(c) for c in frame.index]
            values = [[int(v) for v in row] for row in frame.to_numpy()]
            out[name] = (rows, [str(c) for c in frame.columns], values)
    return out


def _quotes(s: Session, coder: str | None, counted: CountedCoders) -> dict[str, list[Quote]]:
    """Up to :data:`QUOTES_PER_CODE` passages per code, from different participants where
    possible, in document order; the same passage coded by two coders is shown once."""
    sel = resolve(s, ExportFilters(coder=coder))
    found: dict[str, list[Quote]] = {}
    for row in segment_rows(s, sel, []):
        _cid, document, participant, who, path, _start, _end, _before, text, _after, _memo = row
        if who not in counted.coders:
            continue
        candidates = found.setdefault(path, [])
        if len(candidates) >= QUOTE_CANDIDATES:
            continue
        text = " ".join(str(text).split())
        if len(text) > QUOTE_CHARS:
            text = text[: QUOTE_CHARS - 1].rstrip() + "…"
        candidates.append(Quote(path, text, document, participant))
    return {path: _pick(quotes) for path, quotes in found.items()}


def _pick(quotes: list[Quote]) -> list[Quote]:
    chosen: list[Quote] = []
    texts: set[str] = set()
    people: set[str | None] = set()
    for spread in (True, False):  # first one per participant, then any others
        for q in quotes:
            if len(chosen) == QUOTES_PER_CODE:
                return chosen
            if q.text in texts or (spread and q.participant in people):
                continue
            chosen.append(q)
            texts.add(q.text)
            people.add(q.participant)
    return chosen


def render_report(project: Project, coder: str | None = None) -> str:
    """The whole report as one HTML page."""
    from qualcode.report.page import page

    return page(gather(project, coder))


def write_report(project: Project, out: Path, coder: str | None = None) -> Path:
    """Write the report to ``out`` (an ``.html`` file), whole or not at all."""
    target = check_target(out, ".html")
    html = render_report(project, coder)
    with replacing(target) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return target
