"""Find where a participant says what share of their caseload is CSAM.

``extract_share(text)`` returns the best-supported statement as a :class:`ShareEstimate`
(percent, low and high ends, the evidence sentence and its character span in ``text``), or
None. How it decides:

1. The transcript is cut into speaker turns; interviewer turns that ask for the share of the
   participant's caseload ("what portion of your caseload...", "how much of what you handle")
   are marked, with short follow-ups that press for the number ("Ballpark?").
2. In participant turns, the rule pipeline (:mod:`qualcode.caseload.domain.rules`) finds share
   expressions: "60 percent", "between 60 and 65 percent", "three quarters", "two out of every
   five", "one in five"... In the turn right after a caseload question a bare number ("Forty.")
   also counts.
3. Each candidate is scored (:data:`WEIGHTS`): answering a caseload question, a first-person
   caseload phrase ("my docket", "cases I carry") in the same clause, a preferred phrasing
   ("call it 55"), hedges; minus distractor cues in the same clause (plea and conviction rates,
   growth "went up", office-wide or statewide figures, tips, ages...) and bounds ("a little over
   half" when a precise figure follows). The best candidate scoring at least
   :data:`MIN_SCORE` wins; ties go to the earlier turn, then the later mention in the turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from spacy.tokens import Doc, Span, Token

from qualcode.caseload.domain.context import (
    clause_ids,
    cues,
    in_span,
    is_share_followup,
    is_share_question,
)
from qualcode.caseload.domain.rules import SHARE_LABEL, share_pipeline
from qualcode.caseload.domain.values import ShareValue, value_of
from qualcode.caseload.domain.words import BARE_BAD_PREV, FILLERS
from qualcode.nlp.sentences import PIECE_CHARS, pieces
from qualcode.nlp.turns import Turn, speaker_turns

WEIGHTS: dict[str, float] = {
    "answer": 4.0,  # in the participant turn right after a caseload question
    "follow": 2.5,  # in the next participant turn
    "later": 1.0,  # the one after that
    "off_topic": -2.0,  # answering another question that has distractor cues ("plea rate?")
    "explicit": 1.0,  # percent, range with percent, fraction or ratio
    "bare": -1.0,  # a number without "percent" (only right after the question)
    "bare_alone": 1.0,  # ... that is the whole sentence ("Forty.")
    "bare_loose": -1.5,  # ... inside a longer sentence with no "call it", "more like", "no,"
    "first_sentence": 0.5,  # first sentence of the answer turn
    "possessive": 3.0,  # "my caseload", "cases I carry" in the same clause
    "possessive_near": 1.0,  # ... elsewhere in the sentence
    "attached": 1.0,  # "... percent of my docket", "half my caseload"
    "prefer": 0.75,  # "call it 55", "I'd say 60"
    "hedge": 0.5,  # "roughly", "or so", "give or take"
    "correction": 2.5,  # "no, call it 58": the figure after a self-correction
    "past": -2.5,  # "it used to be 20 percent", "when I started it was..." (same clause)
    "now": 0.5,  # "now it's closer to 60" (same clause)
    "bound": -1.5,  # "a little over half", "more than a third"
    "distractor": -7.0,  # plea/conviction/growth/office-wide cue in the same clause
    "distractor_near": -1.5,  # ... elsewhere in the sentence
    "scope": -7.0,  # "office-wide", "our office", "statewide" in the sentence, no "my"/"for me"
}
MIN_SCORE = 2.5
MAX_TURN_DISTANCE = 2
BARE_OK_NEXT = FILLERS | {"and", "but", "at", "on", "-", "ish"}


@dataclass(frozen=True)
class ShareEstimate:
    """A caseload-share statement found in a text.

    ``start``/``end`` span the evidence sentence in the text (code points, end exclusive);
    ``match_start``/``match_end`` span the share expression itself.
    """

    share_pct: float
    low: float
    high: float
    evidence: str
    start: int
    end: int
    match: str
    match_start: int
    match_end: int
    kind: str
    score: float
    speaker: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _TurnContext:
    turn: Turn
    distance: int | None  # participant turns since the last caseload question (0 = answer)
    off_topic: bool = False  # right after a question about something else with numbers


def extract_share(text: str) -> ShareEstimate | None:
    """The best caseload-share statement in one transcript, or None."""
    return extract_shares([text])[0]


def extract_shares(texts: Sequence[str]) -> list[ShareEstimate | None]:
    """The best statement for each text."""
    return [found[0] if found else None for found in share_candidates_many(texts)]


def share_candidates(text: str) -> list[ShareEstimate]:
    """Every statement that passes the threshold, best first."""
    return share_candidates_many([text])[0]


def share_candidates_many(texts: Sequence[str]) -> list[list[ShareEstimate]]:
    """For each text, every statement that passes the threshold, best first."""
    return [_candidates(text) for text in texts]


def _candidates(text: str) -> list[ShareEstimate]:
    nlp = share_pipeline()
    turns = readable_turns(text, speaker_turns(text), min(PIECE_CHARS, nlp.max_length))
    docs = list(nlp.pipe((text[t.body_start : t.end] for t in turns), batch_size=64))
    found: list[tuple[float, int, int, ShareEstimate]] = []
    for ctx, doc in zip(_contexts(turns, docs), docs, strict=True):
        if ctx.turn.role != "participant":
            continue
        for est in _turn_candidates(doc, ctx):
            # best score first; ties: earlier turn, then later mention in the turn
            found.append((-est.score, ctx.turn.index, -est.match_start, est))
    found.sort(key=lambda item: item[:3])
    return [est for *_key, est in found]


def readable_turns(text: str, turns: list[Turn], size: int) -> list[Turn]:
    """The turns, a turn longer than ``size`` characters (more than spaCy reads at once) cut
    into pieces at paragraph, line or word breaks: each piece a turn with the same index, so
    it counts as the same answer."""
    out: list[Turn] = []
    for turn in turns:
        if turn.end - turn.body_start <= size:
            out.append(turn)
            continue
        for a, b in pieces(text[turn.body_start : turn.end], size):
            start = turn.start if a == 0 else turn.body_start + a
            body = turn.body_start + a
            out.append(replace(turn, start=start, body_start=body, end=turn.body_start + b))
    return out


def _contexts(turns: list[Turn], docs: list[Doc]) -> Iterable[_TurnContext]:
    """Each turn's context, in order; a piece of a long turn (same index as the one before)
    continues it: the same distance from the question."""
    distance: int | None = None
    previous_question = False
    off_topic = False
    previous: int | None = None
    for turn, doc in zip(turns, docs, strict=True):
        continued = turn.index == previous
        previous = turn.index
        if turn.role == "interviewer":
            asks = is_share_question(doc) or (
                previous_question and distance is not None and is_share_followup(doc)
            )
            if continued:
                asks = asks or previous_question
            if asks:
                distance = -1
            previous_question = asks
            off_topic = not asks and bool(cues(doc).get("DISTRACTOR"))
            yield _TurnContext(turn, None)
            continue
        if distance is not None and not continued:
            distance += 1
        yield _TurnContext(turn, distance, off_topic)
        if not continued:
            off_topic = False


def _turn_candidates(doc: Doc, ctx: _TurnContext) -> list[ShareEstimate]:
    values: list[ShareValue] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ != SHARE_LABEL:
            continue
        taken.update(range(ent.start, ent.end))
        value = value_of(ent)
        if value is None:
            continue
        if value.kind == "range" and not value.has_pct:
            # "thirty-forty" only answers the question; "five to ten years" never does
            nxt = doc[ent.end] if ent.end < len(doc) else None
            loose = nxt is not None and not (nxt.is_punct or nxt.lower_ in BARE_OK_NEXT)
            if ctx.distance != 0 or loose:
                continue
        values.append(value)
    if ctx.distance == 0:
        values.extend(_bare_numbers(doc, taken))
    found = cues(doc)
    out: list[ShareEstimate] = []
    sents = list(doc.sents)
    for value in values:
        span = doc[value.start : value.end]
        sent = span.sent
        score = _score(value, span, sent, sents.index(sent), found, ctx)
        if score < MIN_SCORE:
            continue
        base = ctx.turn.body_start
        out.append(
            ShareEstimate(
                share_pct=value.mid,
                low=value.low,
                high=value.high,
                evidence=sent.text,
                start=base + sent.start_char,
                end=base + sent.end_char,
                match=span.text,
                match_start=base + span.start_char,
                match_end=base + span.end_char,
                kind=value.kind,
                score=round(score, 2),
                speaker=ctx.turn.speaker,
            )
        )
    return out


def _bare_numbers(doc: Doc, taken: set[int]) -> list[ShareValue]:
    out: list[ShareValue] = []
    for tok in doc:
        value = tok._.qc_num
        if value is None or tok.i in taken or not 0 < value <= 100 or tok.lower_ == "one":
            continue
        prev = doc[tok.i - 1] if tok.i > 0 else None
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if prev is not None and prev.lower_ in BARE_BAD_PREV:
            continue
        if nxt is not None and not (nxt.is_punct or nxt.lower_ in BARE_OK_NEXT):
            continue
        out.append(ShareValue(float(value), float(value), "bare", False, tok.i, tok.i + 1))
    return out


def _alone_in_sentence(span: Span, sent: Span) -> bool:
    def filler(tok: Token) -> bool:
        return tok.is_punct or tok.is_space or tok.lower_ in FILLERS

    return all(filler(t) for t in sent if not span.start <= t.i < span.end)


def _score(
    value: ShareValue,
    span: Span,
    sent: Span,
    sent_index: int,
    found: dict[str, list[Span]],
    ctx: _TurnContext,
) -> float:
    w = WEIGHTS
    score = 0.0
    if ctx.distance is not None and ctx.distance <= MAX_TURN_DISTANCE:
        score += (w["answer"], w["follow"], w["later"])[ctx.distance]
    if value.kind in {"bare", "all"} or (value.kind == "range" and not value.has_pct):
        score += w["bare"]
        if _alone_in_sentence(span, sent):
            score += w["bare_alone"]
        elif value.kind == "bare" and not any(
            span.start - 3 <= c.end <= span.start
            for label in ("PREFER", "CORRECTION")
            for c in found.get(label, [])
        ):
            score += w["bare_loose"]
    elif value.kind != "ratio_of":
        score += w["explicit"]
    if ctx.off_topic:
        score += w["off_topic"]
    if ctx.distance == 0 and sent_index == 0:
        score += w["first_sentence"]
    ids = clause_ids(sent, (span.start, span.end))
    own = ids[span.start]

    def near(label: str) -> tuple[bool, bool]:
        spans = [c for c in found.get(label, []) if in_span(c, sent) and not _overlaps(c, span)]
        same = any(ids[c.start] == own or ids[c.end - 1] == own for c in spans)
        return same, bool(spans) and not same

    poss_same, poss_near = near("POSSESSIVE")
    score += w["possessive"] if poss_same else w["possessive_near"] if poss_near else 0.0
    if any(span.end <= c.start <= span.end + 2 for c in found.get("POSSESSIVE", [])):
        score += w["attached"]
    bad_same, bad_near = near("DISTRACTOR")
    score += w["distractor"] if bad_same else w["distractor_near"] if bad_near else 0.0
    scope_same, scope_near = near("SCOPE")
    if (scope_same or scope_near) and not poss_same:
        score += w["scope"]
    if any(span.start - 1 <= c.end <= span.start for c in found.get("BOUND", [])):
        score += w["bound"]
    if any(span.start - 2 <= c.end <= span.start for c in found.get("PREFER", [])):
        score += w["prefer"]
    if any(in_span(c, sent) for c in found.get("HEDGE", [])):
        score += w["hedge"]
    if any(span.start - 4 <= c.end <= span.start for c in found.get("CORRECTION", [])):
        score += w["correction"]
    if near("PAST")[0]:
        score += w["past"]
    if near("NOW")[0]:
        score += w["now"]
    return score


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
