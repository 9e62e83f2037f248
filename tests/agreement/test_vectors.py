"""Every published reference vector in ../shared/reference/agreement_vectors.json."""

from __future__ import annotations

from typing import Any

import pytest

from qualcode import agreement as ag


def compute(vector: dict[str, Any], stat: str) -> float:
    data = vector["data"]
    fmt = vector["data_format"]
    if fmt.startswith("contingency_table"):
        weights = {"cohen_kappa": None, "cohen_kappa_weighted_linear": "linear"}
        assert stat in weights, f"no table form for {stat}"
        return ag.cohen_kappa_from_table(data, weights[stat])
    if fmt.startswith("subject_by_category_counts"):
        assert stat == "fleiss_kappa"
        return ag.fleiss_kappa_from_counts(data)
    assert fmt.startswith("reliability_matrix")
    functions = {
        "krippendorff_alpha": lambda d: ag.krippendorff_alpha(d, vector["level"]),
        "cohen_kappa": ag.cohen_kappa,
        "cohen_kappa_weighted_linear": lambda d: ag.cohen_kappa(d, "linear"),
        "fleiss_kappa": ag.fleiss_kappa,
        "percent_agreement": ag.percent_agreement,
        "gwet_ac1": ag.gwet_ac1,
        "conger_kappa": ag.conger_kappa,
        "brennan_prediger": ag.brennan_prediger,
        "scott_pi": ag.scott_pi,
    }
    return float(functions[stat](data))


def test_reference_vector(reference_case: tuple[dict[str, Any], str]) -> None:
    vector, stat = reference_case
    if vector["expected"] is None:
        with pytest.raises(ag.NotComputable) as info:
            compute(vector, stat)
        assert str(info.value), "NotComputable must say why"
        return
    value = compute(vector, stat)
    assert value == pytest.approx(vector["expected"], abs=vector["tolerance"])
