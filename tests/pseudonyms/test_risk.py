"""Residual risk: k-anonymity checked against pandas' own group sizes; generalisations that
reach k; candidates unreviewed; numbers and dates left in the text."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from qualcode.pseudonyms.generalise import Generalisation
from qualcode.pseudonyms.risk import RiskOptions, residual_risk
from tests.pseudonyms.study import FIXTURES, Study
from tests.run_cli import cli

QUASI = ("state", "office_type", "years_experience")


def test_k_anonymity_is_the_smallest_group(study: Study) -> None:
    table = pd.read_csv(FIXTURES / "attributes.csv")
    sizes = table.groupby(list(QUASI[:2])).size()
    report = residual_risk(study.project, RiskOptions(QUASI[:2], 2))
    assert report.k_anonymity == sizes.min() == 1
    small = {values for values, n in report.small_groups}
    assert small == {tuple(str(x) for x in key) for key, n in sizes.items() if n < 2}
    # the least coarse generalisation that reaches k = 2, checked with pandas
    # (regions leave Georgia's one urban prosecutor alone in the South: only withholding the
    # state reaches k = 2)
    general, k = report.suggestions[0]
    assert general.rules == {"state": "suppress"}
    for rule, smallest in (("region", 1), ("suppress", 2)):
        coarse = Generalisation({"state": rule})
        table_g = table.assign(state=[coarse.apply("state", s) for s in table["state"]])
        assert table_g.groupby(list(QUASI[:2])).size().min() == smallest
    assert k == 2


def test_numbers_dates_and_unreviewed(study: Study) -> None:
    report = residual_risk(study.project, RiskOptions())
    assert report.accepted == 0 and sum(report.unreviewed.values()) > 20
    # nothing is accepted: every planted date and number is still there
    assert report.dates.count >= 4  # 2009, March 3, 2019, and the years inside the others
    assert report.numbers.count >= 4


def test_risk_command(study: Study, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys,
        "--project",
        str(study.path),
        "pseudonyms",
        "risk",
        "--quasi",
        ",".join(QUASI),
        "--k",
        "3",
        "--json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["k_anonymity"] == 1 and report["participants"] == 5
    assert len(report["groups_smaller_than_k"]) == 5
    assert report["generalisations"], "some generalisation reaches k = 3"
    general = Generalisation.parse(report["generalisations"][0]["generalise"])
    table = pd.read_csv(FIXTURES / "attributes.csv")
    for name, rule in general.rules.items():
        table[name] = [general.apply(name, v) for v in table[name]]
        assert rule
    assert table.groupby(list(QUASI)).size().min() >= 3
    code, _out, err = cli(
        capsys, "--project", str(study.path), "pseudonyms", "risk", "--quasi", "shoe_size"
    )
    assert code == 2 and "no attribute 'shoe_size'" in err
