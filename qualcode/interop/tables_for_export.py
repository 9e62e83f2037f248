"""The tables the Excel and CSV exports write, in sheet order (:func:`export_tables`): the ONE
adapter between the exports and the domain. Frequencies, the code-by-participant matrix and
co-occurrence come from :mod:`qualcode.analysis.tables`, agreement from
:func:`qualcode.agreement.project_report.agreement_report`, the codebook from
:func:`qualcode.codebook.codebook_from_project`. Coded segments and participants' attributes have
no analysis function yet: small queries below read them. A study feature adds its own sheets
after "Coded segments" in a project that has its data (:func:`extra_sheets`); a plain project
gets none.

``percent`` columns hold percentage points (0-100, as the analysis tables do); ``fraction``
columns hold 0-1 (as the agreement report does). Excel shows both as percentages; CSV keeps them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Literal, Protocol, cast

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qualcode.agreement.project_report import agreement_report
from qualcode.analysis import tables as analysis
from qualcode.analysis.data import text_attributes
from qualcode.analysis.spans import Sliceable
from qualcode.codebook import codebook_from_project
from qualcode.coding.codes import code_paths, find_code
from qualcode.coding.codings import coding_memos
from qualcode.errors import NotFound, QualcodeError
from qualcode.features import hook_modules
from qualcode.interop.safe_cells import EXCEL_MAX_COLUMNS
from qualcode.store import Project
from qualcode.store.models import (
    Attribute,
    AttributeValue,
    Code,
    Coder,
    Coding,
    Document,
    Participant,
    Setting,
)
from qualcode.store.texts import read_passages

Kind = Literal[
    "text", "long", "int", "number", "float", "stat", "percent", "fraction", "date", "bool"
]
CONTEXT_CHARS = 80
#: codings of "Coded segments" read, and their passages with them, at a time
SEGMENT_BATCH = 2000
BIN_WIDTH = 10.0


@dataclass(frozen=True)
class Column:
    """``name`` is the CSV header (snake_case), ``label`` the Excel header."""

    name: str
    label: str
    kind: Kind = "text"


def cols(*specs: str) -> list[Column]:
    """Columns from ``"name|Label|kind"`` specs (kind defaults to text)."""
    out = []
    for spec in specs:
        name, label, *kind = spec.split("|")
        out.append(Column(name, label, cast(Kind, kind[0] if kind else "text")))
    return out


@dataclass(frozen=True)
class Chart:
    """A bar chart of the second column against the first."""

    kind: Literal["bar", "histogram"]
    title: str
    x_title: str
    y_title: str


@dataclass
class Table:
    key: str  # CSV file stem
    title: str  # sheet name (31 characters at most)
    columns: list[Column]
    rows: Iterable[Sequence[Any]]  # may be a stream: consume before asking for the next table
    freeze_columns: int = 0  # leading columns kept in view when scrolling sideways
    chart: Chart | None = None


@dataclass(frozen=True)
class ExportFilters:
    """One coder's codings only, and/or some codes (by path, name or key) with their sub-codes,
    and/or some tables only (by key, as :data:`TABLE_KEYS`; comma-separated allowed)."""

    coder: str | None = None
    codes: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtraSheets:
    """What a study feature adds to a project's export (:mod:`qualcode.features`, hook
    ``domain.sheets``): its tables, which follow "Coded segments", and its Overview lines."""

    tables: list[Table]
    #: sheet title -> what it holds (the Overview's "Sheet:" lines)
    descriptions: dict[str, str]
    #: (item, value) rows for the Overview
    overview: list[tuple[str, Any]]


class _SheetsHook(Protocol):
    def extra_sheets(self, s: Session) -> ExtraSheets | None: ...


def extra_sheets(s: Session) -> list[ExtraSheets]:
    """The extra sheets the study features give this project (none in a plain project)."""
    out: list[ExtraSheets] = []
    for module in hook_modules("domain.sheets"):
        found = cast(_SheetsHook, module).extra_sheets(s)
        if found is not None:
            out.append(found)
    return out


@dataclass
class ExportSelection:
    coder: str | None
    paths: list[str] = field(default_factory=list)

    def keeps(self, path: str) -> bool:
        return not self.paths or any(path == p or path.startswith(p + "/") for p in self.paths)


def resolve(s: Session, filters: ExportFilters) -> ExportSelection:
    coder = filters.coder.strip() if filters.coder and filters.coder.strip() else None
    if coder is not None and s.scalar(select(Coder.id).where(Coder.name == coder)) is None:
        known = ", ".join(s.scalars(select(Coder.name).order_by(Coder.name))) or "none"
        raise QualcodeError(f"no coder {coder!r} in this project (coders: {known})")
    paths = code_paths(s)
    chosen: list[str] = []
    for ref in filters.codes:
        try:
            chosen.append(paths[find_code(s, ref).id])
        except NotFound:  # a comma-separated list, unless a code is named so
            if "," not in ref:
                raise
            chosen += [paths[find_code(s, r).id] for r in ref.split(",") if r.strip()]
    return ExportSelection(coder, list(dict.fromkeys(chosen)))


def frame_rows(frame: pd.DataFrame) -> Iterator[tuple[Any, ...]]:
    return frame.itertuples(index=False, name=None)


def attribute_columns(s: Session, skip: Sequence[str] = ()) -> list[tuple[str, Kind]]:
    kinds: dict[str, Kind] = {"number": "number", "date": "date"}
    rows = s.execute(select(Attribute.name, Attribute.kind).order_by(Attribute.id))
    return [(name, kinds.get(kind, "text")) for name, kind in rows if name not in skip]


# --- tables from qualcode.analysis --------------------------------------------------------

FREQ_COLUMNS = cols(
    "by|Grouped by", "group|Group", "code|Code", "rolled_up|With sub-codes|bool",
    "codings|Codings|int", "documents|Documents|int", "participants|Participants|int",
    "pct_participants|% of participants|percent", "words|Words coded|int",
)  # fmt: skip


def frequency_rows(
    s: Session, sel: ExportSelection, overall: list[dict[str, Any]] | None = None
) -> Iterator[tuple[Any, ...]]:
    """All codings, then by document, participant, coder and each text attribute, streamed
    (thousands of attributes make millions of rows: an Excel sheet stops at its row limit
    without holding them all). ``overall`` gets the ungrouped rows, for the chart."""
    bys = [None, "document", "participant", "coder", *text_attributes(s)]
    names = [c.name for c in FREQ_COLUMNS]
    for by, part in zip(bys, analysis.frequency_rows(s, bys, coder=sel.coder), strict=True):
        if by is None and overall is not None:
            overall.extend(part)
        for r in part:
            if sel.keeps(r["code"]):
                yield tuple([by or "all", *(r[n] for n in names[1:])])


def frequencies_table(
    s: Session, sel: ExportSelection, overall: list[dict[str, Any]] | None = None
) -> Table:
    rows = frequency_rows(s, sel, overall)
    return Table("code_frequencies", "Code frequencies", FREQ_COLUMNS, rows, 3)


def frequency_chart_table(
    s: Session, sel: ExportSelection, overall: list[dict[str, Any]] | None = None
) -> Table:
    """Each code's own codings; from the frequencies' ungrouped rows when they were read
    (``overall``), else read here."""
    if not overall:
        overall = next(analysis.frequency_rows(s, [None], coder=sel.coder))
    own = [
        (r["code"], r["codings"]) for r in overall if not r["rolled_up"] and sel.keeps(r["code"])
    ]
    columns = cols("code|Code", "codings|Codings (own)|int")
    chart = Chart("bar", "Codings per code (own codings)", "Code", "Codings")
    return Table("frequency_chart", "Frequency chart", columns, own, chart=chart)


def matrix_table(s: Session, sel: ExportSelection) -> Table:
    frame = analysis.matrix_table(s, cols="participant", coder=sel.coder)
    frame = frame[[sel.keeps(str(code)) for code in frame.index]]
    columns = [Column("code", "Code")] + [Column(str(c), str(c), "int") for c in frame.columns]
    rows = frame_rows(frame.reset_index())
    return Table("code_by_participant", "Code by participant", columns, rows, 1)


def cooccurrence_table(s: Session, sel: ExportSelection) -> Table:
    frame = analysis.cooccurrence_table(s, unit="overlap", coder=sel.coder)
    keep = frame["code_a"].map(sel.keeps).astype(bool) & frame["code_b"].map(sel.keeps)
    columns = cols("code_a|Code A", "code_b|Code B", "count|Overlapping codings|int")
    columns += cols("documents|Documents|int")
    return Table("cooccurrence", "Co-occurrence", columns, frame_rows(frame[keep]), 2)


# --- tables read by the queries below -------------------------------------------------------


#: columns of "Coded segments" besides the attributes
SEGMENT_COLUMNS = 11


def attributes_fit(s: Session) -> bool:
    """Do the participants' attributes fit as columns of "Coded segments" in an Excel sheet?
    When they do not, they go to the long "Attributes" sheet instead
    (:func:`attribute_long_table`), in the CSV files too, so both exports hold the same."""
    n = int(s.scalar(select(func.count()).select_from(Attribute)) or 0)
    return SEGMENT_COLUMNS + n <= EXCEL_MAX_COLUMNS


def attribute_long_table(s: Session) -> Table:
    """Every participant's attribute values, one row each: participant, attribute, value."""
    columns = cols("participant|Participant", "attribute|Attribute", "value|Value")
    rows = s.execute(
        select(Participant.label, Attribute.name, Attribute.kind)
        .add_columns(
            AttributeValue.text_value, AttributeValue.number_value, AttributeValue.date_value
        )
        .join(Participant, AttributeValue.participant_id == Participant.id)
        .join(Attribute, AttributeValue.attribute_id == Attribute.id)
        .order_by(Participant.label, Attribute.id)
        .execution_options(yield_per=5000)
    )
    values = (
        (label, name, number if kind == "number" else date if kind == "date" else text)
        for label, name, kind, text, number, date in rows
    )
    return Table("attributes", "Attributes", columns, values, 2)


def segments_table(s: Session, sel: ExportSelection, with_attributes: bool = True) -> Table:
    attrs = attribute_columns(s) if with_attributes else []
    fixed = {"coding_id", "document", "participant", "coder", "code", "start", "end", "text"}
    columns = cols("coding_id|Coding|int", "document|Document", "participant|Participant")
    columns += [Column(n if n not in fixed else f"{n}_attribute", n, k) for n, k in attrs]
    columns += cols(
        "coder|Coder", "code|Code", "start|Start|int", "end|End|int", "before|Before",
        "text|Coded text|long", "after|After", "memo|Memo|long",
    )  # fmt: skip
    rows = segment_rows(s, sel, [n for n, _k in attrs])
    return Table("coded_segments", "Coded segments", columns, rows, 3)


def codebook_table(s: Session) -> Table:
    columns = cols(
        "code|Code", "level|Level|int", "description|Description|long",
        "inclusion|Inclusion criteria|long", "exclusion|Exclusion criteria|long",
        "example|Example|long", "colour|Colour", "key|Key",
    )  # fmt: skip
    rows = [
        (p, p.count("/") + 1, c.description, c.inclusion, c.exclusion, c.example, c.colour, c.key)
        for p, c, _parent in codebook_from_project(s).walk()
    ]
    return Table("codebook", "Codebook", columns, rows, 1)


# --- the queries ----------------------------------------------------------------------------

SPACE = re.compile(r"\s+")


def context(text: Sliceable, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str]:
    """A little text before and after a span, cut at spaces, with ``…`` where it was cut
    (``text`` may be the passages read around the span: :func:`read_passages`)."""
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and " " in before.strip():
        before = "…" + before[before.index(" ", 1 if before[0] == " " else 0) :]
    if hi < len(text) and " " in after.strip():
        after = after[: after.rindex(" ")] + "…"
    return SPACE.sub(" ", before), SPACE.sub(" ", after)


def attribute_rows(s: Session, names: Sequence[str]) -> dict[int, list[Any]]:
    """Participant id -> values of the named attributes (None where absent)."""
    index = {name: i for i, name in enumerate(names)}
    out: dict[int, list[Any]] = {}
    rows = s.execute(
        select(AttributeValue.participant_id, Attribute.name, Attribute.kind)
        .add_columns(
            AttributeValue.text_value, AttributeValue.number_value, AttributeValue.date_value
        )
        .join(Attribute, AttributeValue.attribute_id == Attribute.id)
    )
    for pid, name, kind, text, number, date in rows:
        if name in index:
            value = {"number": number, "date": date}.get(kind, text)
            out.setdefault(pid, [None] * len(names))[index[name]] = value
    return out


def segment_rows(
    s: Session, sel: ExportSelection, attributes: Sequence[str]
) -> Iterator[list[Any]]:
    """Codings in document and offset order, read in batches; each batch's coded passages and
    their context are read together (:func:`read_passages`), never a whole text kept."""
    paths = code_paths(s)
    attrs = attribute_rows(s, attributes)
    blank = [None] * len(attributes)
    docs = {
        d: (name, label, pid)
        for d, name, label, pid in s.execute(
            select(
                Document.id, Document.name, Participant.label, Document.participant_id
            ).outerjoin(Participant, Document.participant_id == Participant.id)
        )
    }
    memos = coding_memos(s)
    stmt = (
        select(Coding.id, Coding.document_id, Coding.code_id, Coder.name)
        .add_columns(Coding.start, Coding.end)
        .join(Coder, Coding.coder_id == Coder.id)
        .join(Document, Coding.document_id == Document.id)
        .order_by(Document.name, Coding.start, Coding.end, Coding.id)
        .execution_options(yield_per=SEGMENT_BATCH)
    )
    if sel.coder is not None:
        stmt = stmt.where(Coder.name == sel.coder)
    if sel.paths:
        stmt = stmt.where(Coding.code_id.in_([c for c, p in paths.items() if sel.keeps(p)]))
    for batch in s.execute(stmt).partitions():
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for _cid, doc_id, _code, _coder, start, end in batch:
            spans[doc_id].append((max(0, start - CONTEXT_CHARS), end + CONTEXT_CHARS))
        texts = read_passages(s, spans)
        for cid, doc_id, code_id, coder, start, end in batch:
            text = texts[doc_id]
            name, label, pid = docs[doc_id]
            before, after = context(text, start, end)
            values = attrs.get(pid, blank) if pid is not None else blank
            row = [cid, name, label, *values, coder, paths[code_id], start, end]
            row.extend((before, text[start:end], after, memos.get(cid)))
            yield row


def participant_rows(s: Session, attributes: Sequence[str]) -> list[list[Any]]:
    attrs = attribute_rows(s, attributes)
    docs: dict[int, list[str]] = {}
    for pid, name in s.execute(
        select(Document.participant_id, Document.name).order_by(Document.name)
    ):
        if pid is not None:
            docs.setdefault(pid, []).append(name)
    rows = s.execute(select(Participant.id, Participant.label).order_by(Participant.label))
    blank = [None] * len(attributes)
    return [[label, "; ".join(docs.get(pid, [])), *attrs.get(pid, blank)] for pid, label in rows]


def bins(values: Sequence[float], width: float = BIN_WIDTH) -> list[tuple[str, int, float, float]]:
    """Histogram bins (label, count, from, to) of ``width`` points covering 0-100 and every
    value; each bin holds from <= x < to, the last one also its upper edge."""
    lo = min([0.0, *(math.floor(v / width) * width for v in values)])
    hi = max([100.0, *(math.ceil(v / width) * width for v in values)])
    n = max(1, round((hi - lo) / width))
    counts = [0] * n
    for v in values:
        counts[min(n - 1, int((v - lo) // width))] += 1
    edges = [(lo + i * width, lo + (i + 1) * width) for i in range(n)]
    return [(f"{a:g}–{b:g}%", c, a, b) for (a, b), c in zip(edges, counts, strict=True)]


# --- agreement, overview, and the tables in sheet order -----------------------------------

SHEETS = {
    "Overview": "this sheet: the project, the filters and how the numbers are defined",
    "Code frequencies": "codings, documents, participants and words per code, overall and by "
    "document, participant, coder and text attribute; 'With sub-codes' rows add descendants",
    "Frequency chart": "bar chart of each code's own codings",
    "Code by participant": "codings of each code (own codings) per participant",
    "Co-occurrence": "pairs of codes whose codings by one coder overlap",
    "Coded segments": "every coding with its participant's attributes, text, context and memo",
    "Memos": "every memo (on the project, a document, a passage, a code or a coding) with what "
    "it is on, who wrote it and when",
    "Agreement": "intercoder agreement per code and overall (as 'qualcode agreement' reports it)",
    "Codebook": "each code's description, inclusion and exclusion criteria and example",
}


LONG_ATTRIBUTES = (
    "every participant's attribute values, one per row (too many attributes for columns: "
    f"an Excel sheet holds {EXCEL_MAX_COLUMNS:,})"
)
ATTRIBUTES = "every participant's attribute values, one per row"
SEGMENTS_WITHOUT_ATTRIBUTES = (
    "every coding with its text, context and memo (the attributes: see Attributes)"
)


def agreement_table(project: Project, s: Session, sel: ExportSelection) -> tuple[Table | None, str]:
    """The per-code agreement report as a table, or None and why it is left out."""
    if sel.coder is not None:
        return None, "left out: the export is limited to one coder (--coder)"
    coders = s.scalars(
        select(Coder.name).where(Coder.id.in_(select(Coding.coder_id))).order_by(Coder.name)
    ).all()
    if len(coders) < 2:
        return None, f"left out: needs two or more coders with codings (found {len(coders)})"
    codes = None
    if sel.paths:
        paths = code_paths(s)
        used = {paths[c] for c in s.scalars(select(Coding.code_id).distinct())}
        codes = sorted(p for p in used if sel.keeps(p))
        if not codes:
            return None, "left out: nobody applied the chosen codes"
    try:
        report = agreement_report(project, codes=codes)
    except QualcodeError as exc:
        return None, f"left out: {exc}"
    kappa = "Cohen's kappa" if report["kappa"] == "cohen_kappa" else "Fleiss' kappa"
    who = list(report["coders"])
    columns = cols("code|Code", f"units|Units ({report['unit']})|number")
    columns += cols("percent_agreement|Agreement|fraction", f"{report['kappa']}|{kappa}|stat")
    columns += cols(
        "krippendorff_alpha|Krippendorff's alpha|stat", "alpha_low|Alpha, CI low|stat",
        "alpha_high|Alpha, CI high|stat", "p_alpha_below_0_667|P(alpha < .667)|fraction",
        "p_alpha_below_0_8|P(alpha < .800)|fraction", "verdict|Verdict",
    )  # fmt: skip
    columns += [Column(f"codings_{c}", f"Codings: {c}", "int") for c in who]
    columns += cols("not_computable|Not computable because")

    def row(name: str, r: dict[str, Any]) -> list[Any]:
        q = r.get("alpha_q") or {}
        reasons = "; ".join(f"{k}: {v}" for k, v in r["not_computable"].items())
        return [
            name, r["units"], r["percent_agreement"], r[report["kappa"]],
            r["krippendorff_alpha"], r["alpha_low"], r["alpha_high"], q.get("0.667"),
            q.get("0.8"), r["verdict"], *[r["usage"].get(c, 0) for c in who], reasons or None,
        ]  # fmt: skip

    rows = [row(r["code"], r) for r in report["codes"]]
    rows.append(row("(all codes pooled)", report["overall"]))
    note = (
        f"by {report['unit']}, coders {', '.join(who)}, {report['documents']} documents, "
        f"{report['bootstrap']['samples']} bootstrap samples (seed {report['bootstrap']['seed']})"
    )
    return Table("agreement", "Agreement", columns, rows, 1), note


def overview_table(
    project: Project,
    s: Session,
    sel: ExportSelection,
    agreement: str,
    extras: Sequence[ExtraSheets],
    attributes_fit: bool = True,
    shown: Collection[str] | None = None,
) -> Table:
    """The project, the filters, the definitions, and a line per sheet written (``shown``:
    the titles of the sheets written when not all are)."""

    def count(model: type[Any]) -> int:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)

    setting = {k: v for k, v in s.execute(select(Setting.key, Setting.value))}
    coders = s.scalars(select(Coder.name).order_by(Coder.name)).all()
    path = project.path
    rows: list[tuple[str, Any]] = [
        ("Project", setting.get("project_name", "")),
        ("Project file", path.name if path is not None else project.display_name),
        ("Exported (UTC)", dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)),
        ("qualcode version", qualcode_version()),
        ("Documents", count(Document)),
        ("Participants", count(Participant)),
        ("Coders", ", ".join(coders)),
        ("Codes", count(Code)),
        ("Codings exported", count_codings(s, sel)),
        ("Codebook", setting.get("codebook_name", "")),
        ("Codebook version", setting.get("codebook_version", "")),
        ("Filter: coder", sel.coder or "(all coders)"),
        ("Filter: codes", "; ".join(sel.paths) + " (with sub-codes)" if sel.paths else "(all)"),
        *(row for extra in extras for row in extra.overview),
        ("Co-occurrence", "pairs of codings of two codes, by one coder, that share a character"),
        ("Words coded", "words in the union of each coder's spans per document, summed"),
        ("% of participants", "participants with the code / participants in the group"),
        ("Agreement", agreement),
    ]
    sheets = dict(SHEETS)
    if not attributes_fit:
        sheets = _insert_after(sheets, "Coded segments", {"Attributes": LONG_ATTRIBUTES})
        sheets["Coded segments"] = SEGMENTS_WITHOUT_ATTRIBUTES
    elif shown is not None and "Attributes" in shown:
        sheets = _insert_after(sheets, "Coded segments", {"Attributes": ATTRIBUTES})
    for extra in reversed(extras):  # after "Coded segments", where export_tables puts them
        sheets = _insert_after(sheets, "Coded segments", extra.descriptions)
    rows += [
        (f"Sheet: {name}", text)
        for name, text in sheets.items()
        if (name != "Agreement" or agreement.startswith("by ")) and (shown is None or name in shown)
    ]
    columns = cols("item|Item", "value|Value")
    return Table("overview", "Overview", columns, rows, 1)


def _insert_after(items: dict[str, str], key: str, new: dict[str, str]) -> dict[str, str]:
    pairs = list(items.items())
    at = [k for k, _v in pairs].index(key) + 1
    return dict([*pairs[:at], *new.items(), *pairs[at:]])


def qualcode_version() -> str:
    try:
        return metadata.version("qualcode")
    except metadata.PackageNotFoundError:
        return "unknown"


def count_codings(s: Session, sel: ExportSelection) -> int:
    stmt = select(func.count(Coding.id)).join(Coder, Coding.coder_id == Coder.id)
    if sel.coder is not None:
        stmt = stmt.where(Coder.name == sel.coder)
    if sel.paths:
        stmt = stmt.where(Coding.code_id.in_([c for c, p in code_paths(s).items() if sel.keeps(p)]))
    return int(s.scalar(stmt) or 0)


#: the tables' keys (CSV file stems) in sheet order; a study feature's follow "attributes"
TABLE_KEYS = {
    "overview": "Overview",
    "code_frequencies": "Code frequencies",
    "frequency_chart": "Frequency chart",
    "code_by_participant": "Code by participant",
    "cooccurrence": "Co-occurrence",
    "coded_segments": "Coded segments",
    "attributes": "Attributes",
    "memos": "Memos",
    "agreement": "Agreement",
    "codebook": "Codebook",
}


def requested_tables(tables: Sequence[str]) -> list[str] | None:
    """The table keys asked for (each entry may be comma-separated), or None for all."""
    keys = [k.strip() for entry in tables for k in entry.split(",") if k.strip()]
    return list(dict.fromkeys(keys)) or None


def check_tables(wanted: Sequence[str], extras: Sequence[ExtraSheets]) -> None:
    """Refuse a key that names no table of this project's export."""
    known = list(TABLE_KEYS)
    at = known.index("attributes") + 1
    known[at:at] = [t.key for extra in extras for t in extra.tables]
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise QualcodeError(f"no table {unknown[0]!r} to export (tables: {', '.join(known)})")


def _made(table: Table) -> Callable[[], Table]:
    return lambda: table


def export_tables(
    project: Project, filters: ExportFilters, notes: dict[str, str] | None = None
) -> Iterator[Table]:
    """Every table in sheet order, or those ``filters.tables`` names (``notes`` gets
    ``agreement``: how it was computed or why it was left out). Write each table's rows before
    asking for the next one: the coded segments stream from the open session, and the
    frequency chart reuses what the frequencies read."""
    from qualcode.interop.memo_sheet import memos_table  # it builds on this module's types

    wanted = requested_tables(filters.tables)
    with project.session() as s:
        sel = resolve(s, filters)
        # a study feature's tables cost time: read them only when they may be written
        builtin = wanted is not None and "overview" not in wanted
        builtin = builtin and all(k in TABLE_KEYS for k in wanted or ())
        extras = [] if builtin else extra_sheets(s)
        if wanted is not None:
            check_tables(wanted, extras)
        if wanted is None or "agreement" in wanted:
            agreement, note = agreement_table(project, s, sel)
        else:
            agreement, note = None, "left out: not among the tables asked for (--only)"
        if notes is not None:
            notes["agreement"] = note
        fit = attributes_fit(s)
        overall: list[dict[str, Any]] = []
        tables: list[tuple[str, Callable[[], Table]]] = [
            ("overview", lambda: overview_table(project, s, sel, note, extras, fit, shown)),
            ("code_frequencies", lambda: frequencies_table(s, sel, overall)),
            ("frequency_chart", lambda: frequency_chart_table(s, sel, overall)),
            ("code_by_participant", lambda: matrix_table(s, sel)),
            ("cooccurrence", lambda: cooccurrence_table(s, sel)),
            ("coded_segments", lambda: segments_table(s, sel, with_attributes=fit)),
        ]
        if not fit or wanted is not None:  # asked for by name, it is written however many
            tables.append(("attributes", lambda: attribute_long_table(s)))
        tables += [(t.key, _made(t)) for extra in extras for t in extra.tables]
        tables.append(("memos", lambda: memos_table(s, sel)))
        if agreement is not None:
            tables.append(("agreement", _made(agreement)))
        tables.append(("codebook", lambda: codebook_table(s)))
        if wanted is not None:
            tables = [(key, make) for key, make in tables if key in wanted]
            if not tables:  # only the agreement was asked for, and it is left out
                raise QualcodeError(f"no agreement table to export: {note}")
        titles = {**TABLE_KEYS, **{t.key: t.title for extra in extras for t in extra.tables}}
        shown = None if wanted is None else {titles[key] for key, _make in tables}
        for _key, make in tables:
            yield make()
