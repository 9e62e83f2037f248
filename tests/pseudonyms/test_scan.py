"""The scan: categories, one pseudonym for every form of one identifier, the field's
vocabulary and word-names kept out, rescans that only add; and the measured recall on the
planted identifiers of ``fixtures/``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from qualcode.ingest.importer import import_files
from qualcode.pseudonyms.detect import find_mentions, person_name
from qualcode.pseudonyms.review import list_pseudonyms, replacer, set_status
from qualcode.pseudonyms.scan import letters, scan_project
from qualcode.store import open_project
from qualcode.store.models import Pseudonym
from tests.pseudonyms.study import FIXTURES, PLANTED, Study, document_texts


def by_form(study: Study) -> dict[str, tuple[str, str, str]]:
    with study.project.session() as s:
        rows = list_pseudonyms(s, counts=False)
    return {f: (r.pseudonym, r.category, r.status) for r in rows for f in r.forms}


def test_every_form_of_one_person_shares_one_pseudonym(study: Study) -> None:
    forms = by_form(study)
    assert forms["Detective Kim Oduya"] == forms["Kim Oduya"] == forms["Oduya"]
    assert forms["Kim Oduya"] == ("[Detective 1]", "person", "candidate")
    assert forms["Judge Harriet Marsh"][0] == forms["Judge Marsh"][0] == "[Judge 1]"
    assert forms["Sergeant Tom Reyes"][0] == forms["Reyes"][0]
    # "Kim" is the first name of one person and the surname of another: it is neither's
    assert "Kim" not in forms
    assert forms["Rachel Kim"][0] != forms["Kim Oduya"][0]
    # speaker labels in capitals are people too
    assert forms["LEON WHITAKER"][0] == forms["Whitaker"][0]


def test_categories_and_consistent_pseudonyms(study: Study) -> None:
    forms = by_form(study)
    expected = {
        "Maple County": ("[County A]", "place"),
        "Maple": ("[County A]", "place"),  # the county attribute's value
        "CR-2019-004512": ("[Case 1]", "case number"),
        "19-CR-4512": ("[Case 2]", "case number"),
        "March 3, 2019": ("[Date 1]", "date"),
        "(555) 123-4567": ("[Phone 1]", "phone"),
        "dana.whitfield@maplecountyda.gov": ("[Email 1]", "email"),
        "412 Elm Street": ("[Address 1]", "address"),
        "Riverside Police Department": ("[Organisation B]", "organisation"),
        "40817": ("[ID 1]", "other identifier"),
        "Dayton": ("[City A]", "place"),
    }
    for form, (label, category) in expected.items():
        assert forms[form][:2] == (label, category), form


def test_field_vocabulary_and_word_names_are_not_candidates(study: Study) -> None:
    forms = by_form(study)
    for term in PLANTED["vocabulary"]:
        assert term not in forms, term
    assert not any(re.search(r"\b(Adam Walsh|Hope|Grace)\b", f) and "Holloway" not in f
                   for f in forms)  # fmt: skip
    mentions = {m.text for m in find_mentions("Miranda Lopez got her Miranda warnings.")}
    assert mentions == {"Miranda Lopez"}


def test_a_first_name_alone_is_a_person_when_its_role_introduces_it() -> None:
    """ "Grace, our paralegal," was missed (a first name alone, and a word too); "Hope helps",
    "Grace periods" and a month before a role stay words."""

    def people(text: str) -> list[str]:
        return [m.text for m in find_mentions(text) if m.category == "person"]

    assert people("Cy Tran: Grace, our paralegal, keeps us sane. Hope helps.") == [
        "Cy Tran",
        "Grace",
    ]
    assert people("I asked our paralegal, Grace, about it.") == ["Grace"]
    assert people("Then my colleague Ann said no.") == ["Ann"]
    assert people("Mark, the forensic analyst, said so.") == ["Mark"]
    assert people("Hope is what keeps us going. Grace periods are short.") == []
    assert people("In May, our director retired. We will, my friend, win.") == []


def test_a_rescan_only_adds(study: Study) -> None:
    with study.project.write() as s:
        set_status(s, ["[Judge 1]"], "rejected", actor="ana")
        count = len(s.scalars(select(Pseudonym)).all())
        report = scan_project(s, actor="ana")
        assert report.new == {} and report.new_forms == 0
        assert len(s.scalars(select(Pseudonym)).all()) == count
        judge = s.scalar(select(Pseudonym).where(Pseudonym.pseudonym == "[Judge 1]"))
        assert judge is not None and judge.status == "rejected"


def test_speaker_labels() -> None:
    assert person_name("KIM ODUYA") == ["Kim", "Oduya"]
    assert person_name("Det. Kim Oduya") == ["Kim", "Oduya"]
    assert person_name("Interviewer") is None
    assert person_name("P01") is None
    assert [letters(n) for n in (1, 26, 27)] == ["A", "Z", "AA"]


@pytest.mark.parametrize("folder", ["", "heldout"])
def test_measured_recall_and_vocabulary_kept(tmp_path: Path, folder: str) -> None:
    """What the README reports: planted identifiers that do not survive, field terms that do
    (``fixtures/`` and ``fixtures/heldout/``, each with its own ``planted.json``)."""
    source = FIXTURES / folder
    planted = json.loads((source / "planted.json").read_text(encoding="utf-8"))
    project = open_project(tmp_path / "m.db", create=True)
    import_files(project, sorted(source.glob("P0*.txt")), actor="ana")
    with project.write() as s:
        scan_project(s, actor="ana")
        set_status(s, [], "accepted", actor="ana", every=True)
        replace = replacer(s)
    originals = list(document_texts(project).values())
    project.dispose()
    texts = [replace(t) for t in originals]

    def present(term: str, among: list[str]) -> int:
        return sum(len(re.findall(rf"(?<!\w){re.escape(term)}(?!\w)", t)) for t in among)

    planted_ids = [(t, present(t, originals)) for t in planted["identifiers"]]
    assert all(n for _t, n in planted_ids), [t for t, n in planted_ids if not n]
    survived = sum(present(t, texts) for t, _n in planted_ids)
    recall = 1 - survived / sum(n for _t, n in planted_ids)
    vocabulary = sum(present(t, originals) for t in planted["vocabulary"])
    kept = sum(present(t, texts) for t in planted["vocabulary"]) / vocabulary
    assert recall >= 0.98, recall
    assert kept >= 0.95, kept


def test_places_before_people_and_the_acts_name_alone() -> None:
    """On the demo corpus these were the scan's false persons: "New York" (a state) and "the
    Adam Walsh way" (the act, named without "Act")."""
    found = {(m.text, m.category) for m in find_mentions("I moved from New York to San Diego.")}
    assert found == {("New York", "place"), ("San Diego", "place")}
    assert find_mentions("Michigan does it basically the Adam Walsh way.") == [
        m
        for m in find_mentions("Michigan does it basically the Adam Walsh way.")
        if m.text == "Michigan"
    ]
