"""Where two coders disagree on a code: the list behind the supervisor's review screen.

The codings of both coders for one code in one document are grouped into clusters of spans
that overlap (``start < other.end and other.start < end``). A cluster is

* ``a_not_b``: only coder A coded there;
* ``b_not_a``: only coder B coded there;
* ``different_spans``: both coded there but the spans differ: some span of one coder has no
  span of the other that overlaps it by at least ``threshold`` (intersection / union; the
  default 1.0 asks for identical spans);

and clusters where every span is matched are agreements, not listed. Only documents that both
coders coded (with any code) are searched: in a document one of them has not done yet, every
coding would look like a disagreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qualcode.agreement.project_report import load_coding_data, resolve_coders
from qualcode.agreement.spans import OverlapMeasure, as_spans, overlap_ratio
from qualcode.agreement.units import DocumentCodings
from qualcode.analysis.spans import Span
from qualcode.errors import QualcodeError
from qualcode.store import Project

KINDS = ("a_not_b", "b_not_a", "different_spans")


@dataclass(frozen=True)
class Disagreement:
    document: str
    kind: str
    start: int
    end: int
    spans_a: tuple[Span, ...]
    spans_b: tuple[Span, ...]
    text: str
    code: str = ""  # its path

    def as_json(self, coder_a: str, coder_b: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "document": self.document,
            "kind": self.kind,
            "coder_a": coder_a,
            "coder_b": coder_b,
            "start": self.start,
            "end": self.end,
            "spans_a": [list(s) for s in self.spans_a],
            "spans_b": [list(s) for s in self.spans_b],
            "text": self.text,
        }


def _matched(
    spans: Sequence[Span], others: Sequence[Span], threshold: float, measure: OverlapMeasure
) -> bool:
    other_arr = as_spans(others)
    return all(
        bool((overlap_ratio(span, other_arr, measure) >= threshold - 1e-12).any()) for span in spans
    )


def find_disagreements(
    spans_a: Sequence[Span],
    spans_b: Sequence[Span],
    *,
    threshold: float = 1.0,
    measure: OverlapMeasure = "union",
) -> list[tuple[str, int, int, tuple[Span, ...], tuple[Span, ...]]]:
    """Clusters of overlapping spans that are not agreements: (kind, start, end, A's, B's)."""
    tagged = sorted(
        [(s, e, 0) for s, e in set(spans_a) if e > s]
        + [(s, e, 1) for s, e in set(spans_b) if e > s]
    )
    clusters: list[list[tuple[int, int, int]]] = []
    reach = -1
    for start, end, who in tagged:
        if clusters and start < reach:
            clusters[-1].append((start, end, who))
            reach = max(reach, end)
        else:
            clusters.append([(start, end, who)])
            reach = end
    out = []
    for cluster in clusters:
        a = tuple((s, e) for s, e, who in cluster if who == 0)
        b = tuple((s, e) for s, e, who in cluster if who == 1)
        low = min(s for s, _, _ in cluster)
        high = max(e for _, e, _ in cluster)
        if not b:
            out.append(("a_not_b", low, high, a, b))
        elif not a:
            out.append(("b_not_a", low, high, a, b))
        elif not (_matched(a, b, threshold, measure) and _matched(b, a, threshold, measure)):
            out.append(("different_spans", low, high, a, b))
    return out


def document_disagreements(
    doc: DocumentCodings,
    code: str,
    coder_a: str,
    coder_b: str,
    *,
    threshold: float = 1.0,
    measure: OverlapMeasure = "union",
) -> list[Disagreement]:
    if coder_a not in doc.coders or coder_b not in doc.coders:
        return []
    found = find_disagreements(
        doc.spans.get((coder_a, code), ()),
        doc.spans.get((coder_b, code), ()),
        threshold=threshold,
        measure=measure,
    )
    text = doc.text or ""
    return [
        Disagreement(doc.name, kind, start, end, a, b, text[start:end], code)
        for kind, start, end, a, b in found
    ]


def the_two_coders(project: Project) -> tuple[str, str]:
    """The two coders with codings (``consensus`` aside), when there are exactly two."""
    with project.session() as s:
        names = list(resolve_coders(s, None))
    if len(names) != 2:
        raise QualcodeError(
            f"{len(names)} coders have codings ({', '.join(names)}); name two with --coders a,b"
        )
    return names[0], names[1]


def list_disagreements(
    project: Project,
    code: str | Sequence[str] | None,
    coder_a: str | None = None,
    coder_b: str | None = None,
    *,
    threshold: float = 1.0,
    measure: OverlapMeasure = "union",
) -> list[Disagreement]:
    """Every disagreement of two coders on a code (by path, name or key), on several, or on
    every code either coded (``None``): by code, document and position. Without coders, the
    two coders of the project (see :func:`the_two_coders`)."""
    if coder_a is None or coder_b is None:
        coder_a, coder_b = the_two_coders(project)
    if coder_a == coder_b:
        raise QualcodeError("compare two different coders")
    if not 0.0 < threshold <= 1.0:
        raise QualcodeError(f"the overlap threshold must lie in (0, 1], not {threshold}")
    codes = [code] if isinstance(code, str) else (list(code) if code else None)
    data = load_coding_data(
        project, coders=[coder_a, coder_b], codes=codes, unit="document", with_text=True
    )
    out: list[Disagreement] = []
    for path in data.codes:
        for doc in data.documents:
            out.extend(
                document_disagreements(
                    doc, path, coder_a, coder_b, threshold=threshold, measure=measure
                )
            )
    return out


def count_by_kind(items: Sequence[Disagreement]) -> dict[str, int]:
    return {k: sum(1 for d in items if d.kind == k) for k in KINDS}
