"""The suggester scored as a coder, by the agreement engine (:mod:`qualcode.agreement`).

Its held-out decisions (each document's units as predicted by the model that did not see the
document) are one more coder's codings. Over the codes it learned, pooled as in the agreement
report's overall row (each unit and code one present/absent decision), Krippendorff's alpha
is computed for the humans among themselves, for the humans with the suggester, and for the
suggester beside each human alone. The consensus coder is not a human here; it is compared
with the suggester when the suggester learned from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from qualcode.agreement.alpha import alpha_parts
from qualcode.agreement.errors import NotComputable
from qualcode.agreement.units import CodingData, DocumentCodings, Variable, build_variable
from qualcode.analysis.coders import CONSENSUS
from qualcode.analysis.spans import Span

#: the suggester's name as a coder in the agreement figures
SUGGESTER = "suggester"


@dataclass(frozen=True)
class Alpha:
    coders: tuple[str, ...]
    value: float | None
    reason: str | None = None

    def as_json(self) -> dict[str, object]:
        value = None if self.value is None else round(self.value, 4)
        return {"coders": list(self.coders), "alpha": value, "not_computable": self.reason}


def pooled_alpha(data: CodingData, unit: str, coders: tuple[str, ...]) -> Alpha:
    """Krippendorff's alpha (nominal) of ``coders`` over every code of ``data``, pooled."""
    if len(coders) < 2:
        return Alpha(coders, None, "needs two coders or more")
    parts = [build_variable(data, code, unit, coders=coders) for code in data.codes]
    pooled = Variable.concat(coders, parts)
    try:
        return Alpha(coders, alpha_parts(pooled.ratings(), "nominal").value)
    except NotComputable as exc:
        return Alpha(coders, None, str(exc))


def suggester_agreement(
    *,
    unit: str,
    codes: Sequence[str],
    documents: Sequence[tuple[str, int, Sequence[Span]]],
    human_spans: Sequence[Mapping[tuple[str, str], Sequence[Span]]],
    predicted: Sequence[Mapping[str, Sequence[Span]]],
    source: tuple[str, ...],
) -> dict[str, object]:
    """``documents``: (name, length, units) of each document it was measured on;
    ``human_spans``: per document, (coder, code) -> spans; ``predicted``: per document, code ->
    the units the suggester proposed held out. ``source``: whom it learned from."""
    coders = sorted({c for spans in human_spans for c, _code in spans})
    humans = tuple(c for c in coders if c != CONSENSUS)
    everyone = (*coders, SUGGESTER)
    docs = []
    for (name, length, units), spans, guessed in zip(
        documents, human_spans, predicted, strict=True
    ):
        merged = {key: tuple(v) for key, v in spans.items()}
        merged.update({(SUGGESTER, code): tuple(v) for code, v in guessed.items()})
        docs.append(
            DocumentCodings(
                name=name,
                length=length,
                coders=frozenset({c for c, _code in spans} | {SUGGESTER}),
                spans=merged,
                units=tuple(units),
            )
        )
    data = CodingData(tuple(everyone), tuple(codes), tuple(docs))
    versus = [h for h in humans] + [c for c in source if c == CONSENSUS]
    return {
        "codes": len(codes),
        "humans": pooled_alpha(data, unit, humans).as_json(),
        "humans_and_suggester": pooled_alpha(data, unit, (*humans, SUGGESTER)).as_json(),
        "suggester_with": [pooled_alpha(data, unit, (c, SUGGESTER)).as_json() for c in versus],
    }
