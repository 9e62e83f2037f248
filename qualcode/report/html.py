"""Building the report's HTML: every piece of project text is escaped here, and every number
in a table carries its exact value in ``data-value`` (so a test or a script can read the figures
back: ``table[data-table] > tr[data-row] > td[data-col][data-value]``)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute."""
    return escape(str(value), quote=True)


def number_text(value: Any, digits: int = 2) -> str:
    """A number as the CLI prints it: integers whole, others to ``digits`` places; "–" for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def data_value(value: Any) -> str:
    """The exact value for ``data-value``: JSON (numbers in full precision, ``null``)."""
    if isinstance(value, float) and math.isnan(value):
        value = None
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class Cell:
    """A table cell: ``text`` is shown (escaped), ``value`` is its machine value (a number or
    text; ``col`` names it), ``css`` a class for colour."""

    col: str
    text: str
    value: Any = None
    css: str = ""
    numeric: bool = False


def num(col: str, value: Any, digits: int = 2, css: str = "") -> Cell:
    return Cell(col, number_text(value, digits), value, css, numeric=True)


def pct(col: str, value: float | None, digits: int = 1) -> Cell:
    """A fraction (0-1) shown as a percentage; its value stays the fraction."""
    text = "–" if value is None else f"{100 * value:.{digits}f}%"
    return Cell(col, text, value, numeric=True)


def txt(col: str, value: Any, css: str = "") -> Cell:
    return Cell(col, "–" if value is None else str(value), value, css)


def table(
    name: str,
    headers: Sequence[str],
    rows: Iterable[tuple[str, Sequence[Cell]]],
    *,
    caption: str = "",
) -> str:
    """A table whose rows carry ``data-row`` (their key) and cells ``data-col``/``data-value``."""
    out = [f'<table data-table="{esc(name)}">']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr></thead>")
    out.append("<tbody>")
    for key, cells in rows:
        tds = []
        for c in cells:
            classes = " ".join(x for x in (c.css, "n" if c.numeric else "") if x)
            attr = f' class="{classes}"' if classes else ""
            tds.append(
                f'<td data-col="{esc(c.col)}" data-value="{esc(data_value(c.value))}"{attr}>'
                f"{esc(c.text)}</td>"
            )
        out.append(f'<tr data-row="{esc(key)}">' + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def section(anchor: str, title: str, *parts: str, lead: str = "") -> str:
    """A section with its heading; ``lead`` is plain text (escaped), ``parts`` are HTML."""
    body = [f'<section id="{esc(anchor)}">', f"<h2>{esc(title)}</h2>"]
    if lead:
        body.append(f"<p>{esc(lead)}</p>")
    body.extend(parts)
    body.append("</section>")
    return "\n".join(body)


def figure(svg: str, caption: str) -> str:
    """A chart (SVG that matplotlib wrote; no project text is unescaped in it: matplotlib
    escapes the labels it writes) with its caption."""
    return f'<figure class="chart">{svg}<figcaption>{esc(caption)}</figcaption></figure>'


def para(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def definition_list(items: Iterable[tuple[str, str]]) -> str:
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items)
    return f"<dl>{rows}</dl>"
