"""Caseload-share extraction: phrasings, distractors, spans, and the demo corpus.

None of the phrasings below is one of the corpus phrasings (corpus.md); they test the same
rules on new wording.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from qualcode.caseload.domain.extract import extract_share, extract_shares, share_candidates

CORPUS = Path(__file__).resolve().parents[2] / "corpus"

ASK = "Interviewer: What share of your caseload is CSAM at the moment?\n\nP03: "


def _doc(answer: str, question: str = ASK) -> str:
    return f"[Interview P03 | test]\n\n{question}{answer}\n\nInterviewer: Thanks.\n"


# (answer turn after the standard question, expected percent, low, high)
ANSWERS = [
    ("I'd say roughly 60 percent of what I handle.", 60, 60, 60),
    ("Probably about two-thirds of my files.", 66.67, 66.67, 66.67),
    ("Three-quarters, maybe a bit more.", 75, 75, 75),
    ("Somewhere from 30 to 40% of my docket.", 35, 30, 40),
    ("Thirty-forty, depending on the month.", 35, 30, 40),
    ("Four out of five cases on my desk.", 80, 80, 80),
    ("One in four, roughly.", 25, 25, 25),
    ("Eighty.", 80, 80, 80),
    ("Um, twenty-five? Give or take.", 25, 25, 25),
    ("It's a solid seventy-five per cent.", 75, 75, 75),
    ("Just under a third of my caseload.", 33.33, 33.33, 33.33),
    ("A hair under half of my docket.", 50, 50, 50),
    ("Nine out of ten files I open are CSAM.", 90, 90, 90),
    ("About 45 percent, and the rest is homicide and robbery.", 45, 45, 45),
    ("Half, more or less.", 50, 50, 50),
    ("Close to 20%.", 20, 20, 20),
    ("A fifth of my caseload, maybe.", 20, 20, 20),
    ("Ninety-five percent of my work, honestly.", 95, 95, 95),
    ("Between 70 and 80 percent of my cases.", 75, 70, 80),
    ("If I had to put a number on it, sixty-two point five percent.", 62.5, 62.5, 62.5),
    ("My caseload? I'd put it at 55 percent.", 55, 55, 55),
    ("Well over half... no, call it 58 percent.", 58, 58, 58),
    ("One out of every three files I carry.", 33.33, 33.33, 33.33),
    ("Seven in ten.", 70, 70, 70),
    ("Twelve percent, if I'm honest.", 12, 12, 12),
    ("Something like 30–40 percent.", 35, 30, 40),
    (
        "It's thirty-five percent of my caseload, though it was lower when I started in 2016.",
        35,
        35,
        35,
    ),
    # a distractor next to the real answer, in the same turn
    (
        "Tips went up 40 percent last year, but for me it's about 25 percent of my caseload.",
        25,
        25,
        25,
    ),
    ("Office-wide it's maybe 5 percent, but it's about 70 percent of my files.", 70, 70, 70),
    (
        "Around 30 percent of my cases. Nearly all of those end in a plea, like 95 percent.",
        30,
        30,
        30,
    ),
    ("Fifteen. We've got 12 attorneys in the unit and I'm one of two on these.", 15, 15, 15),
    # later forms: "-plus", comma ranges, slashes, "all I do", corrections, then and now
    ("Ninety-plus percent, no question.", 90, 90, 90),
    ("Probably sixty, seventy percent.", 65, 60, 70),
    ("Maybe 2/3 of my files.", 66.67, 66.67, 66.67),
    ("Honestly? All I handle, day in and day out.", 100, 100, 100),
    ("I'd say sixty percent... no, more like seventy.", 70, 70, 70),
    ("It used to be 20 percent. Now it's closer to 60.", 60, 60, 60),
    ("When I started it was maybe 15 percent; now it's 45 percent of my docket.", 45, 45, 45),
]


@pytest.mark.parametrize(("answer", "pct", "low", "high"), ANSWERS)
def test_answer_phrasings(answer: str, pct: float, low: float, high: float) -> None:
    found = extract_share(_doc(answer))
    assert found is not None, answer
    assert (found.share_pct, found.low, found.high) == pytest.approx((pct, low, high), abs=0.01)


# Other question wordings and transcript layouts.
DIALOGUES = [
    # Q:/A: labels
    ("Q: What percentage of your workload involves CSAM?\n\nA: Roughly 85%.\n", 85),
    # "how many" with "of the cases you carry"
    ("Interviewer: Of the cases you carry, how many are CSAM?\n\nR: Most. Eight in ten.\n", 80),
    # the interviewer presses for a number after a vague answer
    (
        "Interviewer: How much of your docket is CSAM?\n\nP11: Hard to say, it swings.\n\n"
        "Interviewer: Ballpark?\n\nP11: Sixty.\n",
        60,
    ),
    # the answer comes one turn later, after a clarification
    (
        "Interviewer: What proportion of your cases are exploitation cases?\n\n"
        "P02: Mine, or the unit's?\n\nInterviewer: Yours.\n\nP02: Oh. About 35 percent.\n",
        35,
    ),
    # no labels at all: a first-person statement still counts
    ("About 40 percent of my caseload is CSAM, and it keeps growing.\n", 40),
    # a named speaker, and the share stated later in a long turn with "my caseload"
    (
        "Interviewer: Tell me about your week.\n\nDana: Court most mornings. Honestly, "
        "three in ten of my cases are CSAM now.\n",
        30,
    ),
]


@pytest.mark.parametrize(("text", "pct"), DIALOGUES)
def test_dialogues(text: str, pct: float) -> None:
    found = extract_share(text)
    assert found is not None
    assert found.share_pct == pytest.approx(pct, abs=0.01)


NONE_CASES = [
    # conviction, plea and trial rates
    "Interviewer: What's your conviction rate on these?\n\nP04: Ninety-eight percent.\n",
    "Interviewer: How many of these resolve by plea?\n\nP04: I'd guess 90 percent plead.\n",
    "Interviewer: Do many go to trial?\n\nP04: Maybe 5 percent go to trial, tops.\n",
    # growth
    "Interviewer: How has tip volume changed?\n\nP04: Tips went up 40 percent in two years.\n",
    # someone else's share: the office, the state
    "Interviewer: How big a part of the office's work is this?\n\n"
    "P04: Office-wide it's maybe 8 percent of filings.\n",
    "Interviewer: Is it common?\n\nP04: Statewide, it's maybe 4 percent of felony cases.\n",
    # counts, ages, years, durations
    "Interviewer: How many open files do you have?\n\nP04: I have 37 open files right now.\n",
    "Interviewer: How old were you when you started?\n\nP04: Twenty-six.\n",
    "Interviewer: When did you join the unit?\n\nP04: In 2015, so about nine years.\n",
    "Interviewer: How long is your commute?\n\nP04: About half an hour each way.\n",
    "Interviewer: And the appeal?\n\nP04: That took a year and a half.\n",
    # people, not cases
    "Interviewer: Do they have records?\n\nP04: One in three defendants has a prior.\n",
    "Interviewer: Staffing?\n\nP04: We lost a third of the unit last spring.\n",
    # only the interviewer says a number
    "Interviewer: Others told us half their caseload is CSAM. Is that true for you?\n\n"
    "P04: Yeah, I think so.\n",
    # asked, but no number given
    ASK + "I honestly couldn't tell you. It changes every week.\n",
    # asked, but the number is a head count
    ASK + "We have 12 attorneys in the unit.\n",
    # right after the question, but a count inside a longer sentence
    ASK + "Hard to say. We have about thirty, maybe forty open files.\n",
    ASK + "One more thing first: the lab is slow.\n",
    ASK + "I've done this five to ten years, so I couldn't say.\n",
    # a bare number that does not answer a caseload question
    "Interviewer: How many continuances in the Miller case?\n\nP04: Eleven.\n",
]


@pytest.mark.parametrize("text", NONE_CASES)
def test_distractors_give_none(text: str) -> None:
    assert extract_share(text) is None


def test_evidence_is_the_sentence_at_its_offsets() -> None:
    text = _doc("Hmm. Honestly? I'd estimate 48 percent of my active docket. The rest is fraud.")
    found = extract_share(text)
    assert found is not None
    assert found.share_pct == 48
    assert found.evidence == "I'd estimate 48 percent of my active docket."
    assert text[found.start : found.end] == found.evidence
    assert text[found.match_start : found.match_end] == "48 percent"
    assert found.start <= found.match_start < found.match_end <= found.end


def test_offsets_are_code_points_after_non_ascii_text() -> None:
    text = (
        "Interviewer: Café chat — what share of your caseload is CSAM? 🙂\n\n"
        "P09: About 65 percent.\n"
    )
    found = extract_share(text)
    assert found is not None
    assert text[found.start : found.end] == "About 65 percent."


def test_interviewer_numbers_are_never_answers() -> None:
    text = "Interviewer: Would you say 70 percent of your caseload is CSAM?\n\nP01: Sure.\n"
    assert extract_share(text) is None
    assert share_candidates(text) == []


def test_best_of_several_candidates_is_the_answer_to_the_question() -> None:
    text = (
        "Interviewer: How do cases come in?\n\nP08: Tips went up 30 percent this year.\n\n"
        + ASK.replace("P03", "P08")
        + "About 20 percent.\n"
    )
    found = share_candidates(text)
    assert [c.share_pct for c in found] == [20]


def test_batch_matches_single_calls() -> None:
    texts = [_doc(a) for a, *_ in ANSWERS[:5]] + [NONE_CASES[0]]
    assert extract_shares(texts) == [extract_share(t) for t in texts]


def _corpus_rows() -> list[dict[str, str]]:
    with (CORPUS / "participants.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_demo_corpus_shares_match_participants_csv() -> None:
    files = sorted(CORPUS.glob("P*.txt"))
    if len(files) < 24 or not (CORPUS / "participants.csv").exists():
        pytest.skip(f"demo corpus incomplete: {len(files)} of 24 transcripts in {CORPUS}")
    expected = {r["document"]: float(r["csam_share_pct"]) for r in _corpus_rows()}
    texts = [f.read_text(encoding="utf-8") for f in files]
    got = {f.name: est for f, est in zip(files, extract_shares(texts), strict=True)}
    wrong = {
        name: (est.share_pct if est else None, expected[name])
        for name, est in got.items()
        if est is None or est.share_pct != expected[name]
    }
    assert wrong == {}
    for f, text in zip(files, texts, strict=True):
        est = got[f.name]
        assert est is not None and text[est.start : est.end] == est.evidence
