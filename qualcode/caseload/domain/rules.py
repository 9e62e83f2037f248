"""Rules for finding caseload shares in text: a spaCy pipeline with no trained model.

``share_pipeline()`` builds, once per process, ``spacy.blank("en")`` with:

1. a tokenizer that also splits digit ranges with en/em dashes ("60–65");
2. ``sentencizer``;
3. ``qc_numbers``: merges spelled-out numbers ("sixty - five", "a hundred") into one token;
   every token has ``token._.qc_num`` (its value or None) and ``token._.qc_is_num``;
4. ``entity_ruler``: candidate share expressions as entities labelled ``SHARE`` whose
   ``ent_id_`` says the form: ``pct`` ("65 percent"), ``range`` ("between 60 and 65 percent",
   "thirty-forty"), ``fraction`` ("three quarters", "half"), ``ratio`` ("two out of every five");
5. ``qc_cues``: a Matcher that stores context cues in ``doc.spans["qc_cues"]`` with labels
   from ``CUE_LABELS`` (caseload nouns, share words, distractor words, hedges, ...).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import compile_infix_regex, filter_spans

from qualcode.caseload.domain.words import (
    CASE_NOUNS,
    DISTRACTOR_WORDS,
    GROUP_NOUNS,
    HANDLE_VERBS,
    HEDGE_WORDS,
    PCT_WORDS,
    SCOPE_WORDS,
    SHARE_WORDS,
)
from qualcode.nlp.numbers import FRACTIONS, NUMBER_START_WORDS, NUMBER_WORDS, parse_number

CUES_KEY = "qc_cues"
SHARE_LABEL = "SHARE"

Pattern = list[dict[str, Any]]

NUM: dict[str, Any] = {"_": {"qc_is_num": True}}
DASHES = ["-", "–", "—", "‐", "‑"]
DASH: dict[str, Any] = {"ORTH": {"IN": DASHES}}
FRACTION_DENOMS = [w for w in FRACTIONS if not w.startswith("hal")]


def _lower(*words: str) -> Pattern:
    return [{"LOWER": w} for w in words]


def _in(words: list[str], op: str | None = None) -> dict[str, Any]:
    pat: dict[str, Any] = {"LOWER": {"IN": words}}
    if op:
        pat["OP"] = op
    return pat


def _with_pct(core: Pattern, *, optional: bool = False) -> list[Pattern]:
    """``core`` followed by a percent word ("%", "percent", "per cent")."""
    variants = [[*core, _in(PCT_WORDS)], core + _lower("per", "cent")]
    return [*variants, core] if optional else variants


def share_patterns() -> list[dict[str, Any]]:
    """EntityRuler patterns for share expressions; ``id`` is the form of the expression."""
    out: list[dict[str, Any]] = []

    def add(kind: str, patterns: list[Pattern]) -> None:
        out.extend({"label": SHARE_LABEL, "id": kind, "pattern": p} for p in patterns)

    # "40 percent", "ninety-plus percent", "40-odd %", "sixty-ish percent"
    add("pct", _with_pct([NUM, _in([*DASHES, "+", "plus", "odd", "ish"], "*")]))
    link = _in(["and", "to", "or", *DASHES])
    add(
        "range",
        [
            *_with_pct([NUM, link, NUM], optional=True),
            *_with_pct([{"LOWER": "between"}, NUM, {"LOWER": "and"}, NUM], optional=True),
            *_with_pct([NUM, _in(PCT_WORDS), link, NUM]),
            *_with_pct([NUM, {"ORTH": ","}, NUM]),  # "sixty, seventy percent"
        ],
    )
    # "2/3", "1/4" of the caseload; other denominators are dates or rates ("9/11", "24/7")
    add("slash", [[{"TEXT": {"REGEX": r"^\d{1,2}/(?:2|3|4|5|10)$"}}]])
    # "It's all I do", "all of my cases": the whole caseload
    add(
        "all",
        [
            [{"LOWER": "all"}, {"LOWER": "i"}, _in(["do", "handle", "carry", "prosecute"])],
            [{"LOWER": "all"}, {"LOWER": "of"}, {"LOWER": "my"}, _in(CASE_NOUNS)],
            [
                _in(["every", "each"]),
                {"LOWER": "single", "OP": "?"},
                _in(["case", "file"]),
                {"LOWER": "i"},
                _in(["have", "carry", "handle"]),
            ],
        ],
    )
    add(
        "fraction",
        [
            [_in(["a", "one"], "?"), {"LOWER": "half"}],
            [{"LOWER": {"IN": ["a", "one"]}}, DASH, {"LOWER": "half"}],
            [_in(["a"]), _in(FRACTION_DENOMS)],
            [NUM, {**DASH, "OP": "?"}, _in(FRACTION_DENOMS)],
        ],
    )
    add(
        "ratio",
        [
            [NUM, {"LOWER": "out"}, {"LOWER": "of"}, _in(["every"], "?"), NUM],
            [
                NUM,
                {**DASH, "OP": "?"},
                {"LOWER": "in"},
                {**DASH, "OP": "?"},
                _in(["every"], "?"),
                NUM,
            ],
            [NUM, {"LOWER": "of"}, _in(["every"], "?"), NUM],
        ],
    )
    return out


def cue_patterns() -> dict[str, list[Pattern]]:
    """Matcher patterns for context cues, by label."""
    case_noun = _in(CASE_NOUNS)
    modifier = {"IS_ALPHA": True, "OP": "?", "LOWER": {"NOT_IN": ["and", "but", "or", "of"]}}
    return {
        # first-person caseload: "my caseload", "my active files", "cases I carry", "all I do"
        "POSSESSIVE": [
            [{"LOWER": "my"}, modifier, modifier, case_noun],
            [case_noun, _in(["that", "which"], "?"), {"LOWER": "i"}, _in(HANDLE_VERBS)],
            [_in(["what", "all"]), {"LOWER": "i"}, _in(["do", "handle", "carry", "see"])],
            [{"LOWER": "of"}, {"LOWER": "mine"}],
            [{"LOWER": "for"}, {"LOWER": "me"}],
        ],
        "CASE_NOUN": [[case_noun]],
        "SHARE_WORD": [[_in(SHARE_WORDS)], [_in(["much", "many"]), {"LOWER": "of"}]],
        # "how many are CSAM" asks for a share only with "of the cases you carry" nearby
        "HOW_MANY": [[{"LOWER": "how"}, _in(["many", "much"])]],
        "PART_OF": [
            [{"LOWER": "of"}, _in(["the", "your", "all", "those", "these"]), modifier, case_noun],
            [{"LOWER": "of"}, {"LOWER": "what"}, {"LOWER": "you"}],
        ],
        "HANDLE": [[{"LOWER": "you"}, _in(HANDLE_VERBS)]],
        "YOUR": [[_in(["your", "you", "yours", "yourself"])]],
        "SCOPE": [
            [_in(SCOPE_WORDS)],
            [_in(GROUP_NOUNS), DASH, {"LOWER": "wide"}],
            [_in(["whole", "entire", "our", "the"]), _in(GROUP_NOUNS)],
            [_in(["across", "throughout"]), {"LOWER": "the"}, _in(GROUP_NOUNS)],
            [{"LOWER": "the"}, {"LOWER": "state"}, {"LOWER": "as"}, {"LOWER": "a"}],
        ],
        "DISTRACTOR": [
            [_in(DISTRACTOR_WORDS)],
            [
                _in(["went", "gone", "go", "goes", "going", "is", "are", "was", "were", "'s"]),
                _in(["up", "down"]),
            ],
            [_in(["up", "down"]), _in(["by"], "?"), NUM],
            [{"LOWER": "than"}, _in(["last", "before", "when", "ever"])],
            [_in(["last", "this", "next", "per", "a"]), _in(["year", "month"])],
            [_in(["years", "year"]), {"LOWER": "old"}],
            [{"LOWER": "of"}, _in(["them", "those", "these"])],
        ],
        "BOUND": [
            [
                _in(["a", "just"], "?"),
                _in(["little", "bit", "hair", "tad", "touch"], "?"),
                _in(["over", "under", "above", "below"]),
            ],
            [_in(["more", "less", "fewer"]), {"LOWER": "than"}],
            [_in(["north", "south", "upwards", "shy"]), {"LOWER": "of"}],
            [{"LOWER": "at"}, _in(["least", "most"])],
        ],
        "PREFER": [
            [{"LOWER": "call"}, {"LOWER": "it"}],
            [
                {"LOWER": "i"},
                {"LOWER": {"IN": ["'d", "would", "'ll", "will"]}},
                _in(["say", "estimate", "guess", "put"]),
            ],
            [{"LOWER": "put"}, {"LOWER": "it"}, _in(["at", "around"], "?")],
            [_in(["really", "actually", "more", "honestly", "something"]), {"LOWER": "like"}],
            [_in(["closer", "nearer", "up"]), {"LOWER": "to"}],
        ],
        # a self-correction before a figure: "no, call it 58", "actually, more like seventy"
        "CORRECTION": [
            [{"LOWER": "no"}, {"ORTH": {"IN": [",", "-", "—", "–", "..."]}}],
            [{"LOWER": "actually"}],
            [{"LOWER": "i"}, {"LOWER": "mean"}],
            [_in(["make", "scratch"]), {"LOWER": "that"}],
            [{"LOWER": "or"}, {"LOWER": "rather"}],
        ],
        # the figure is the past, or the present: "it used to be 20 percent", "now it's 60"
        "PAST": [
            [{"LOWER": "used"}, {"LOWER": "to"}],
            [{"LOWER": "when"}, {"LOWER": "i"}, _in(["started", "began", "joined", "came"])],
            [{"LOWER": "back"}, _in(["then", "when"])],
            [{"LOWER": "at"}, {"LOWER": "first"}],
            [_in(["previously", "originally", "formerly"])],
            [NUM, {"LOWER": "years"}, {"LOWER": "ago"}],
        ],
        "NOW": [
            [_in(["now", "currently", "nowadays", "today"])],
            [{"LOWER": "these"}, {"LOWER": "days"}],
            [{"LOWER": "right"}, {"LOWER": "now"}],
            [{"LOWER": "at"}, {"LOWER": "the"}, {"LOWER": "moment"}],
        ],
        "HEDGE": [
            [_in(HEDGE_WORDS)],
            [{"LOWER": "or"}, {"LOWER": "so"}],
            [{"LOWER": "give"}, {"LOWER": "or"}, {"LOWER": "take"}],
            [{"LOWER": "more"}, {"LOWER": "or"}, {"LOWER": "less"}],
            [{"LOWER": "if"}, {"LOWER": "that"}],
        ],
    }


CUE_LABELS = tuple(cue_patterns())


def _ensure_extensions() -> None:
    if not Token.has_extension("qc_num"):
        Token.set_extension("qc_num", getter=_token_value)
    if not Token.has_extension("qc_is_num"):
        Token.set_extension("qc_is_num", getter=lambda t: t._.qc_num is not None)


@lru_cache(maxsize=4096)
def _cached_number(text: str) -> float | None:
    return parse_number(text)


def _token_value(token: Token) -> float | None:
    text = token.text
    if text.lower() in {"a", "and", "point"}:
        return None
    return _cached_number(text)


def _number_spans(doc: Doc) -> list[Span]:
    """Longest runs of tokens that spell one number, e.g. "sixty - five", "a hundred"."""
    spans: list[Span] = []
    i, n = 0, len(doc)
    while i < n:
        tok = doc[i]
        if tok.lower_ not in NUMBER_START_WORDS:
            i += 1
            continue
        best = 0
        j = i + 1
        while j <= n and j - i <= 8:
            last = doc[j - 1]
            low = last.lower_
            if j > i + 1 and not (low in NUMBER_WORDS or last.text in {"-", "‐", "‑"}):
                break
            if j > i + 1 and doc[j - 2].whitespace_ and last.text in {"-", "‐", "‑"}:
                break
            if low not in {"-", "‐", "‑"} and _cached_number(doc[i:j].text) is not None:
                best = j
            j += 1
        if best > i + 1:
            spans.append(doc[i:best])
            i = best
        else:
            i += 1
    return spans


@Language.component("qc_numbers")
def merge_numbers(doc: Doc) -> Doc:
    """Merge multi-token spelled-out numbers into single tokens."""
    with doc.retokenize() as retokenizer:
        for span in _number_spans(doc):
            retokenizer.merge(span)
    return doc


@Language.factory("qc_cues")
def make_cue_matcher(nlp: Language, name: str) -> CueMatcher:
    return CueMatcher(nlp)


class CueMatcher:
    """Finds context cues and stores them, labelled, in ``doc.spans["qc_cues"]``."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        for label, patterns in cue_patterns().items():
            self.matcher.add(label, patterns)

    def __call__(self, doc: Doc) -> Doc:
        spans = self.matcher(doc, as_spans=True)
        doc.spans[CUES_KEY] = spans
        return doc


@lru_cache(maxsize=1)
def share_pipeline() -> Language:
    """The pipeline, built once per process."""
    _ensure_extensions()
    nlp = spacy.blank("en")
    nlp.max_length = 5_000_000
    infixes = [*(nlp.Defaults.infixes or []), r"(?<=[0-9])[–—](?=[0-9])"]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("qc_numbers")
    ruler: Any = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(share_patterns())
    nlp.add_pipe("qc_cues")
    return nlp


def longest(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longest first (spaCy's filter_spans)."""
    return list(filter_spans(spans))
