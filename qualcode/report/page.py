"""The report page: one HTML file with its stylesheet and charts inline, no script, nothing
fetched. Sections in the order a reader wants them; the methods paragraph last."""

from __future__ import annotations

from typing import Any

from qualcode.report import charts
from qualcode.report.build import ReportData
from qualcode.report.html import (
    Cell,
    esc,
    figure,
    num,
    para,
    section,
    table,
    txt,
)
from qualcode.report.methods import methods_section
from qualcode.report.style import CSS

CONTENTS = [
    ("glance", "The project at a glance"),
    ("frequencies", "Code frequencies"),
    ("attributes", "Codes by attribute"),
    ("cooccurrence", "Co-occurrence"),
    ("agreement", "Intercoder agreement"),
    ("features", "Study measures"),
    ("saturation", "Saturation"),
    ("quotes", "Quotes"),
    ("codebook", "Codebook"),
    ("audit", "Audit trail"),
    ("methods", "Methods"),
]


def page(data: ReportData) -> str:
    from qualcode.report.sections import (
        agreement_section,
        audit_section,
        feature_sections,
        quotes_section,
        saturation_section,
    )

    features = feature_sections(data)
    contents = [(a, t) for a, t in CONTENTS if a != "features" or features]
    body = [
        f"<header><h1>{esc(data.title)}</h1>",
        f'<p class="sub">Report from qualcode {esc(data.version)}, '
        f"{esc(data.generated.strftime('%Y-%m-%d %H:%M UTC'))} · counting "
        f"{esc(data.counted_text())}</p></header>",
        "<nav><ol>" + "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in contents),
        "</ol></nav>",
        glance_section(data),
        frequencies_section(data),
        attributes_section(data),
        cooccurrence_section(data),
        agreement_section(data),
        features,
        saturation_section(data),
        quotes_section(data),
        codebook_section(data),
        audit_section(data),
        methods_section(data),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(data.title)} · qualcode report</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def glance_section(data: ReportData) -> str:
    g = data.glance
    coders: list[str] = g["coders"]
    items = [
        ("documents", "Documents", g["documents"]),
        ("participants", "Participants", g["participants"]),
        ("coders", "Coders", len(coders)),
        ("codes", "Codes", g["codes"]),
        ("codings", "Codings", g["codings"]),
    ]
    tiles = "".join(
        f'<li data-glance="{esc(key)}" data-value="{esc(value)}">'
        f'<span class="big">{esc(f"{value:,}")}</span>{esc(label)}</li>'
        for key, label, value in items
    )
    who = para(f"Coders: {', '.join(coders)}.") if coders else ""
    return section("glance", "The project at a glance", f'<ul class="glance">{tiles}</ul>', who)


def codebook_section(data: ReportData) -> str:
    book = data.codebook
    parts = []
    if book.name or book.version:
        parts.append(
            para(" ".join(x for x in (book.name, book.version and f"v{book.version}") if x))
        )
    if book.description:
        parts.append(para(book.description))
    items = []
    for path, spec, _parent in book.walk():
        dd = [f"<p>{esc(spec.description)}</p>" if spec.description else ""]
        for label, value in (
            ("Include", spec.inclusion),
            ("Exclude", spec.exclusion),
            ("Example", spec.example),
        ):
            if value:
                dd.append(f'<p class="crit"><b>{label}:</b> {esc(value)}</p>')
        items.append(f'<dt data-code="{esc(path)}">{esc(path)}</dt><dd>{"".join(dd)}</dd>')
    parts.append(f'<dl class="codebook">{"".join(items)}</dl>' if items else para("No codes."))
    return section("codebook", "Codebook", *parts)


def frequencies_section(data: ReportData) -> str:
    own = [r for r in data.frequencies if not r["rolled_up"]]
    chart = ""
    if any(r["codings"] for r in own):
        svg = charts.bar_chart(
            "frequencies",
            charts.tree_labels([r["code"] for r in own], data.code_labels),
            [r["codings"] for r in own],
            "codings",
            horizontal=True,
        )
        chart = figure(svg, "Codings of each code (its own codings, without its sub-codes).")

    def row(r: dict[str, Any]) -> tuple[str, list[Cell]]:
        key = f"{r['code']} (+ children)" if r["rolled_up"] else r["code"]
        return key, [
            txt("code", key),
            num("codings", r["codings"]),
            num("documents", r["documents"]),
            num("participants", r["participants"]),
            num("pct_participants", r["pct_participants"], 1),
            num("words", r["words"]),
        ]

    headers = ["Code", "Codings", "Documents", "Participants", "% of participants", "Words"]
    listing = table("frequencies", headers, [row(r) for r in data.frequencies])
    lead = "Per code: codings, documents, participants, share of participants and words coded."
    return section("frequencies", "Code frequencies", chart, listing, lead=lead)


def attributes_section(data: ReportData) -> str:
    parts = []
    for name, (rows, columns, values) in data.matrices.items():
        if not any(any(r) for r in values):
            continue
        svg = charts.heatmap(
            f"matrix-{name}", charts.tree_labels(rows, data.code_labels), columns, values
        )
        parts.append(f"<h3>By {esc(name)}</h3>")
        parts.append(figure(svg, f"Codings of each code by {name} (own codings)."))
        body = [
            (
                code,
                [txt("code", code), *(num(col, v) for col, v in zip(columns, vals, strict=True))],
            )
            for code, vals in zip(rows, values, strict=True)
        ]
        parts.append(
            f"<details><summary>The numbers by {esc(name)}</summary>"
            + table(f"matrix:{name}", ["Code", *columns], body)
            + "</details>"
        )
    if not parts:
        parts.append(para("No text attributes with coded participants."))
    return section("attributes", "Codes by attribute", *parts)


def cooccurrence_section(data: ReportData) -> str:
    from qualcode.report.build import TOP_PAIRS

    pairs = data.cooccurrence
    if not pairs:
        return section("cooccurrence", "Co-occurrence", para("No codings of two codes overlap."))
    rows = [
        (
            f"{p['code_a']} | {p['code_b']}",
            [
                txt("code_a", p["code_a"]),
                txt("code_b", p["code_b"]),
                num("count", p["count"]),
                num("documents", p["documents"]),
            ],
        )
        for p in pairs[:TOP_PAIRS]
    ]
    shown = f"the {TOP_PAIRS} most frequent of {len(pairs)}" if len(pairs) > TOP_PAIRS else "all"
    lead = (
        f"Pairs of codes whose codings by one coder share at least one character ({shown} pairs)."
    )
    headers = ["Code A", "Code B", "Overlapping pairs", "Documents"]
    return section("cooccurrence", "Co-occurrence", table("cooccurrence", headers, rows), lead=lead)
