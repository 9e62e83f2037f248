"""Context for share statements: clauses, cues near a candidate, and caseload questions.

The cue spans come from the ``qc_cues`` component of
:func:`qualcode.caseload.domain.rules.share_pipeline`.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.tokens import Doc, Span

from qualcode.caseload.domain.rules import CUES_KEY

CLAUSE_PUNCT = frozenset({",", ";", ":", "—", "–", "--", "(", ")", "…", "...", "?", "!"})
CLAUSE_WORDS = frozenset(
    {"but", "and", "while", "whereas", "though", "although", "because", "except"}
)
# "Ballpark?", "If you had to guess?": a short follow-up that re-asks the share question.
FOLLOWUP_WORDS = frozenset({"guess", "number", "figure", "ballpark", "estimate", "roughly"})
FOLLOWUP_MAX_WORDS = 15
CSAM_WORDS = frozenset({"csam", "cse", "exploitation", "icac", "these", "those"})


def cues(doc: Doc) -> dict[str, list[Span]]:
    """The cue spans of a processed doc, by label."""
    out: dict[str, list[Span]] = defaultdict(list)
    if CUES_KEY in doc.spans:
        for span in doc.spans[CUES_KEY]:
            out[span.label_].append(span)
    return out


def clause_ids(sent: Span, protect: tuple[int, int] | None = None) -> dict[int, int]:
    """Token index -> clause number within ``sent``. Clauses end at commas, semicolons,
    dashes and conjunctions ("but", "and", ...); tokens in ``protect`` (a candidate's own
    tokens, e.g. the "and" of "between 60 and 65") never end a clause."""
    ids: dict[int, int] = {}
    clause = 0
    for tok in sent:
        inside = protect is not None and protect[0] <= tok.i < protect[1]
        boundary = tok.text in CLAUSE_PUNCT or tok.lower_ in CLAUSE_WORDS
        if boundary and not inside:
            clause += 1
        ids[tok.i] = clause
    return ids


def in_span(span: Span, outer: Span) -> bool:
    return outer.start <= span.start and span.end <= outer.end


def is_share_question(doc: Doc) -> bool:
    """Does this interviewer turn ask what share of the participant's caseload is CSAM?

    Some clause must hold a share word ("portion", "percentage", "how much of"; "how many" if
    the sentence says "of the cases you carry") together with a caseload word ("caseload",
    "docket", "cases", "what you handle", "CSAM") and no distractor ("plea", "conviction",
    "tips went up"...), and the turn must address the participant ("you", "your").
    """
    found = cues(doc)
    if not found.get("YOUR") or not (found.get("SHARE_WORD") or found.get("HOW_MANY")):
        return False
    for sent in doc.sents:
        ids = clause_ids(sent)
        shares = {ids[c.start] for c in found.get("SHARE_WORD", []) if in_span(c, sent)}
        if any(in_span(c, sent) for c in found.get("PART_OF", [])):
            shares |= {ids[c.start] for c in found.get("HOW_MANY", []) if in_span(c, sent)}
        topical = {ids[c.start] for c in found.get("CASE_NOUN", []) if in_span(c, sent)}
        topical |= {ids[c.start] for c in found.get("HANDLE", []) if in_span(c, sent)}
        topical |= {ids[t.i] for t in sent if t.lower_ in CSAM_WORDS}
        bad = {ids[c.start] for c in found.get("DISTRACTOR", []) if in_span(c, sent)}
        if (shares & topical) - bad:
            return True
    return False


def is_share_followup(doc: Doc) -> bool:
    """A short interviewer turn that presses for the number ("Ballpark?", "As a percentage?")."""
    words = [t for t in doc if t.is_alpha]
    if len(words) > FOLLOWUP_MAX_WORDS:
        return False
    found = cues(doc)
    if found.get("DISTRACTOR"):
        return False
    return bool(found.get("SHARE_WORD") or any(t.lower_ in FOLLOWUP_WORDS for t in doc))
