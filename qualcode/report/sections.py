"""The report's later sections: agreement, a study feature's tables, saturation, quotes and the
audit trail."""

from __future__ import annotations

from typing import Any

from qualcode.agreement.report_rows import RELIABLE, TENTATIVE
from qualcode.interop.tables_for_export import Table
from qualcode.report import charts
from qualcode.report.build import ReportData
from qualcode.report.html import Cell, esc, figure, num, para, pct, section, table, txt

KAPPA_LABEL = {"cohen_kappa": "Cohen's κ", "fleiss_kappa": "Fleiss' κ"}
#: a study feature's table longer than this is folded (open it to read; printing shows it)
FOLD_ROWS = 20


def interval(col: str, low: float | None, high: float | None) -> Cell:
    text = "–" if low is None or high is None else f"{low:.3f} – {high:.3f}"
    return Cell(col, text, None if low is None or high is None else [low, high], numeric=True)


def agreement_section(data: ReportData) -> str:
    report = data.agreement
    if report is None:
        return section(
            "agreement", "Intercoder agreement", para(f"Not computed: {data.agreement_error}.")
        )
    kappa = report["kappa"]
    ci = report["bootstrap"]["ci"]

    def row(key: str, r: dict[str, Any]) -> tuple[str, list[Cell]]:
        verdict = r["verdict"]
        return key, [
            txt("code", key),
            num("units", r["units"], 1),
            pct("percent_agreement", r["percent_agreement"]),
            num(kappa, r.get(kappa), 3),
            interval("kappa_interval", r["kappa_low"], r["kappa_high"]),
            num("krippendorff_alpha", r["krippendorff_alpha"], 3),
            interval("alpha_interval", r["alpha_low"], r["alpha_high"]),
            txt("verdict", verdict or "n/a", css=verdict or ""),
        ]

    rows = [row(r["code"], r) for r in report["codes"]]
    rows.append(row("(all codes pooled)", report["overall"]))
    headers = [
        "Code",
        "Units",
        "Agreement",
        KAPPA_LABEL.get(kappa, kappa),
        f"{ci:.0%} CI (κ)",
        "Krippendorff's α",
        f"{ci:.0%} CI (α)",
        "Verdict",
    ]
    lead = (
        f"Coders {', '.join(report['coders'])}, by {report['unit']}, over "
        f"{report['documents']} document(s) that the coders coded. Verdict from α: reliable at "
        f"{RELIABLE:.3f} or more, tentative from {TENTATIVE:.3f}, unreliable below."
    )
    return section(
        "agreement", "Intercoder agreement", table("agreement", headers, rows), lead=lead
    )


def feature_sections(data: ReportData) -> str:
    """A study feature's tables (the ones its exports hold), each with its chart if it has one."""
    parts = []
    for extra in data.extras:
        for t in extra.tables:
            parts.append(_feature_table(t, extra.descriptions.get(t.title, "")))
    if not parts:
        return ""
    return section("features", "Study measures", *parts)


def _feature_table(t: Table, description: str) -> str:
    rows = [list(r) for r in t.rows]
    out = [f"<h3>{esc(t.title)}</h3>"]
    if description:
        out.append(para(description[0].upper() + description[1:] + "."))
    if t.chart is not None and len(t.columns) >= 2:
        svg = charts.bar_chart(
            f"feature-{t.key}",
            [str(r[0]) for r in rows],
            [float(r[1] or 0) for r in rows],
            t.chart.y_title,
            horizontal=False,
        )
        out.append(figure(svg, f"{t.chart.title}: {t.chart.y_title} by {t.chart.x_title}."))

    def cell(col: str, kind: str, value: Any) -> Cell:
        if kind in ("int", "number", "float", "stat", "percent"):
            return num(col, value, 0 if kind == "int" else 2)
        if kind == "fraction":
            return pct(col, value)
        return txt(col, value)

    body = [
        (str(r[0]), [cell(c.name, c.kind, v) for c, v in zip(t.columns, r, strict=True)])
        for r in rows
    ]
    listing = table(t.key, [c.label for c in t.columns], body)
    if len(rows) > FOLD_ROWS:
        listing = f"<details><summary>All {len(rows)} rows</summary>{listing}</details>"
    out.append(listing)
    return "\n".join(out)


def saturation_section(data: ReportData) -> str:
    from qualcode.report.methods import saturation_sentence

    sat = data.saturation
    docs = sat["documents"]
    if not docs:
        return section("saturation", "Saturation", para("No coded documents yet."))
    svg = charts.saturation_chart("saturation", sat)
    rows = [
        (
            d["document"],
            [
                num("position", d["position"]),
                txt("document", d["document"]),
                txt("participant", d["participant"]),
                num("new_codes", d["new_codes"]),
                num("new_pairs", d["new_pairs"]),
                num("cumulative_codes", d["cumulative_codes"]),
                pct("share_of_codes", d["share_of_codes"], 0),
                interval_band(d),
            ],
        )
        for d in docs
    ]
    headers = [
        "#",
        "Document",
        "Participant",
        "New codes",
        "New pairs",
        "Cumulative",
        "Seen",
        "Random orders",
    ]
    return section(
        "saturation",
        "Saturation",
        figure(svg, "Codes by document in interview order (by document name)."),
        para(saturation_sentence(sat)),
        table("saturation", headers, rows),
    )


def interval_band(d: dict[str, Any]) -> Cell:
    low, high = d["band_low"], d["band_high"]
    text = "–" if low is None else f"{low:g} – {high:g}"
    return Cell("band", text, None if low is None else [low, high], numeric=True)


def quotes_section(data: ReportData) -> str:
    parts = []
    for path, _spec, _parent in data.codebook.walk():
        quotes = data.quotes.get(path)
        if not quotes:
            continue
        parts.append(f'<h3 data-code="{esc(path)}">{esc(path)}</h3>')
        for q in quotes:
            who = q.participant or "no participant"
            parts.append(
                f"<blockquote><p>{esc(q.text)}</p>"
                f"<footer>{esc(who)}, {esc(q.document)}</footer></blockquote>"
            )
    if not parts:
        parts.append(para("No codings yet."))
    lead = "Up to three coded passages per code, from different participants where possible."
    return section("quotes", "Quotes", *parts, lead=lead)


def audit_section(data: ReportData) -> str:
    a = data.audit
    if not a.entries:
        return section("audit", "Audit trail", para("The audit trail is empty."))
    span = ""
    if a.first is not None and a.last is not None:
        span = f" from {a.first:%Y-%m-%d %H:%M} to {a.last:%Y-%m-%d %H:%M} UTC"
    lead = f"{a.entries:,} recorded change(s){span}, by {len(a.actors)} person(s) or tool(s)."
    actions = table(
        "audit",
        ["Change", "Entries", "People"],
        [
            (action, [txt("action", action), num("entries", n), num("people", people)])
            for action, n, people in a.actions
        ],
    )
    actors = table(
        "audit-actors",
        ["Who", "Entries"],
        [(actor, [txt("actor", actor), num("entries", n)]) for actor, n in a.actors],
    )
    return section("audit", "Audit trail", actions, actors, lead=lead)
