"""Finding identifiers in one text: rules on ``spacy.blank("en")`` (a Matcher for names after a
title, first name + surname, places and organisations, dates written with a month; an
EntityRuler for the field's own vocabulary, which blocks candidates inside it) and patterns for
numbers (phones, case and docket numbers, numeric dates, street addresses, e-mail addresses,
social security numbers). No model is loaded.

A :class:`Mention` is one occurrence; :mod:`qualcode.pseudonyms.scan` groups mentions of one
identifier ("Detective Kim Oduya", "Kim Oduya") and gives each group a pseudonym.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from qualcode.nlp.sentences import blank_english, pipe_in_pieces
from qualcode.pseudonyms.vocabulary import (
    FIELD_TERMS,
    MONTHS,
    NOT_NAMES,
    ORG_SUFFIXES,
    PLACE_SUFFIXES,
    ROLE_DETERMINERS,
    ROLE_NOUNS,
    TITLES,
    WORD_NAMES,
    first_names,
    last_names,
    us_places,
    us_states,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc


@dataclass(frozen=True)
class Mention:
    """One occurrence of an identifier: ``text[start:end]``.

    ``key`` groups mentions of one identifier (a person's name without title); ``role`` names
    its pseudonym ("Judge", "County", "Case")."""

    category: str
    start: int
    end: int
    text: str
    key: str
    role: str


CAP = r"^(?:[A-Z][a-z]+(?:['’\-][A-Za-z]+)*|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O'[A-Z][a-z]+)$"


def _name_token() -> dict[str, Any]:
    """A capitalised word that is not a common word ("In", "The", "Monday") nor a stop word."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return {
        "TEXT": {"REGEX": CAP, "NOT_IN": sorted(NOT_NAMES)},
        "LOWER": {"NOT_IN": sorted(STOP_WORDS)},
    }


PREPOSITIONS = ["in", "from", "to", "near", "at", "of", "outside", "around", "into", "past",
                "toward", "towards", "by", "through", "across"]  # fmt: skip
#: the prosecution's side of a case caption ("State v. Hargrove": the defendant is named)
PROSECUTION = ["State", "People", "Commonwealth", "Government", "US", "U.S."]

#: patterns for numbers, on the text: (category, role, pattern)
NUMBER_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("email", "Email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("phone", "Phone", re.compile(r"(?<![\w-])(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}\b")),
    ("other identifier", "ID", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    (
        "case number",
        "Case",
        re.compile(
            r"\b(?:[A-Z]{1,4}[- ]?)?\d{2,4}[- ]?[A-Z]{1,4}[- ]?\d{3,8}\b"
            r"|\b[A-Z]{1,4}-\d{2,4}-\d{3,8}\b"
            r"|\b[Cc]ase (?:[Nn]o\.? ?|[Nn]umber |#)?(?P<v>\d[\d-]{3,}\d)\b"
            r"|\b[Dd]ocket (?:[Nn]o\.? ?|[Nn]umber |#)?(?P<w>[\dA-Z][\dA-Z-]{3,})\b"
        ),
    ),
    (
        "date",
        "Date",
        re.compile(
            r"\b(?:\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\b"
        ),
    ),
    (
        "address",
        "Address",
        re.compile(
            r"\b\d{1,5} (?:[A-Z][a-z]+ ){1,3}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Ln\.?|"
            r"Drive|Dr\.?|Boulevard|Blvd\.?|Court|Ct\.?|Way|Place|Pl\.?|Circle|Highway|Hwy\.?)"
            r"(?!\w)"
        ),
    ),
    (
        "other identifier",
        "ID",
        re.compile(r"\b[Bb]adge (?:[Nn]umber |#|[Nn]o\.? ?)?(?P<v>\d{3,})\b"),
    ),
)


@lru_cache(maxsize=1)
def identifier_nlp() -> Language:
    """The scan's pipeline: blank English with an EntityRuler for the field's vocabulary."""
    nlp = blank_english()
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns([{"label": "FIELD", "pattern": term} for term in FIELD_TERMS])  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=1)
def _matchers() -> tuple[Matcher, PhraseMatcher]:
    from spacy.matcher import Matcher, PhraseMatcher

    nlp = identifier_nlp()
    m = Matcher(nlp.vocab)
    name = _name_token()
    words = sorted({t for t in TITLES if not t.endswith(".")})
    dotted = sorted({t.capitalize() for t in TITLES if t.endswith(".")})
    title = {"ORTH": {"IN": [w.capitalize() for w in words] + [w.upper() for w in words] + dotted}}
    short = {"ORTH": {"IN": [t.rstrip(".") for t in dotted]}}
    opt_name = {**name, "OP": "?"}
    m.add(
        "TITLED",
        [[title, name, opt_name, opt_name], [short, {"ORTH": "."}, name, opt_name, opt_name]],
        greedy="LONGEST",
    )
    first = {"ORTH": {"IN": sorted(first_names())}}
    initial = {"TEXT": {"REGEX": r"^[A-Z]\.?$"}, "OP": "?"}
    m.add("NAME", [[first, initial, name], [first, name, name]], greedy="LONGEST")
    # a first name alone, introduced by its role: "Grace, our paralegal," / "our paralegal, Grace"
    lone = {"ORTH": {"IN": sorted((first_names() | WORD_NAMES) - NOT_NAMES)}}
    det = {"LOWER": {"IN": sorted(ROLE_DETERMINERS)}}
    modifier = {"IS_ALPHA": True, "IS_LOWER": True, "OP": "?"}
    role = {"LOWER": {"IN": sorted(ROLE_NOUNS)}}
    comma = {"ORTH": ","}
    m.add(
        "ROLE_AFTER",
        [[lone, comma, det, modifier, role], [lone, comma, det, modifier, modifier, role]],
    )
    m.add("ROLE_BEFORE", [[det, modifier, role, {**comma, "OP": "?"}, lone]])
    versus = {"LOWER": {"IN": ["v.", "v", "vs.", "vs"]}}
    m.add("CAPTION", [[{"ORTH": {"IN": PROSECUTION}}, versus, {"ORTH": ".", "OP": "?"}, name]])
    m.add("SURNAMED", [[name, {"ORTH": {"IN": sorted(last_names())}}]], greedy="LONGEST")
    cap_run = [name, opt_name]
    m.add("COUNTY", [[*cap_run, {"ORTH": {"IN": list(PLACE_SUFFIXES)}}]], greedy="LONGEST")
    county = {"ORTH": {"IN": list(PLACE_SUFFIXES)}, "OP": "?"}
    suffixes = [[{"ORTH": t.text} for t in nlp.make_doc(x)] for x in ORG_SUFFIXES]
    m.add("ORG", [[*cap_run, county, *suffix] for suffix in suffixes], greedy="LONGEST")
    month = {"ORTH": {"IN": MONTHS}}
    day = {"TEXT": {"REGEX": r"^\d{1,2}(?:st|nd|rd|th)?$"}}
    year = {"TEXT": {"REGEX": r"^(?:19|20)\d\d$"}}
    comma = {"ORTH": ",", "OP": "?"}
    m.add(
        "DATE",
        [[month, {"ORTH": ".", "OP": "?"}, day, comma, year], [day, month, year], [month, day]],
        greedy="LONGEST",
    )
    m.add("EMAIL", [[{"LIKE_EMAIL": True}]])
    places = PhraseMatcher(nlp.vocab, attr="ORTH")
    places.add("STATE", [nlp.make_doc(s) for s in us_states() if len(s) > 2])
    places.add("CITY", [nlp.make_doc(s) for s in us_places()])
    return m, places


def find_mentions(text: str) -> list[Mention]:
    """Every identifier found in ``text``, in text order, none overlapping another."""
    return next(find_in_texts([text]))


def find_in_texts(texts: Iterable[str]) -> Iterator[list[Mention]]:
    """:func:`find_mentions` of each text, streamed through the pipeline in batches; a text
    longer than spaCy reads at once goes through in pieces cut at paragraph, line or word
    breaks (:func:`qualcode.nlp.sentences.pipe_in_pieces`)."""
    found: list[Mention] = []
    items = ((text, None) for text in texts)
    for doc, offset, last, _text, _ in pipe_in_pieces(identifier_nlp(), items, batch_size=16):
        mentions = [*_token_mentions(doc), *_number_mentions(doc.text)]
        for m in _resolve(doc.text, _field_spans(doc), mentions):
            found.append(replace(m, start=m.start + offset, end=m.end + offset) if offset else m)
        if last:
            yield found
            found = []


def _field_spans(doc: Doc) -> list[tuple[int, int]]:
    return [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "FIELD"]


def _resolve(text: str, field: list[tuple[int, int]], found: list[Mention]) -> list[Mention]:
    """Drop mentions inside the field's vocabulary, then keep the longest of overlapping ones
    (of two as long, a place or organisation before a person: "New York" is a state)."""
    kept = [m for m in found if not any(a <= m.start and m.end <= b for a, b in field)]
    kept.sort(key=lambda m: (m.start, -(m.end - m.start), m.category == "person"))
    out: list[Mention] = []
    for m in kept:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


def _token_mentions(doc: Doc) -> Iterator[Mention]:
    matcher, places = _matchers()
    vocab = doc.vocab.strings
    for match_id, start, end in matcher(doc):
        label = vocab[match_id]
        span = doc[start:end]
        if label == "TITLED":
            title = doc[start].lower_
            names = [t.text for t in span[1:] if t.text != "."]
            role = TITLES.get(title, TITLES.get(title + ".", "Person"))
            yield _person(span.start_char, span.end_char, span.text, names, role)
        elif label == "CAPTION":  # only the defendant's name, not "State v."
            last = doc[end - 1]
            yield _person(last.idx, last.idx + len(last), last.text, [last.text], "Defendant")
        elif label == "ROLE_AFTER":  # the name only, not its role
            first = doc[start]
            yield _person(first.idx, first.idx + len(first), first.text, [first.text], "Person")
        elif label == "ROLE_BEFORE":
            last = doc[end - 1]
            yield _person(last.idx, last.idx + len(last), last.text, [last.text], "Person")
        elif label in ("NAME", "SURNAMED"):
            names = [t.text for t in span]
            yield _person(span.start_char, span.end_char, span.text, names, "Person")
        elif label == "COUNTY":
            yield Mention(
                "place", span.start_char, span.end_char, span.text, span.text, span[-1].text
            )
        elif label == "ORG":
            yield _plain("organisation", span.start_char, span.end_char, span.text, "Organisation")
        elif label == "DATE":
            yield _plain("date", span.start_char, span.end_char, span.text, "Date")
        elif label == "EMAIL":
            yield _plain("email", span.start_char, span.end_char, span.text, "Email")
    for match_id, start, end in places(doc):
        label = vocab[match_id]
        span = doc[start:end]
        lone = label == "CITY" and len(span) == 1
        if lone and (start == 0 or doc[start - 1].lower_ not in PREPOSITIONS):
            continue  # a one-word place name is also a word ("Independence"): only after "in"
        role = "State" if label == "STATE" else "City"
        yield _plain("place", span.start_char, span.end_char, span.text, role)


def _person(start: int, end: int, text: str, names: list[str], role: str) -> Mention:
    return Mention("person", start, end, text, " ".join(names), role)


def _plain(category: str, start: int, end: int, text: str, role: str) -> Mention:
    return Mention(category, start, end, text, " ".join(text.split()), role)


def _number_mentions(text: str) -> Iterator[Mention]:
    for category, role, pattern in NUMBER_PATTERNS:
        for m in pattern.finditer(text):
            # a number named by the words before it ("badge number 40817") is the number alone
            group = next((g for g in ("v", "w") if g in pattern.groupindex and m.group(g)), 0)
            yield _plain(category, m.start(group), m.end(group), m.group(group), role)


def person_name(label: str) -> list[str] | None:
    """The name in a speaker label ("Kim Oduya", "KIM ODUYA", "Det. Kim Oduya"), as
    title-case words without the title, or None when the label is a role or code ("P01",
    "Interviewer")."""
    from qualcode.pseudonyms.vocabulary import ROLE_SPEAKERS

    words = label.replace(".", ". ").split()
    if not words or any(ch.isdigit() for ch in label):
        return None
    if words[0].lower().rstrip(".") in {t.rstrip(".") for t in TITLES}:
        words = words[1:]
    words = [w.strip(".,:") for w in words if w.strip(".,:")]
    if not words or len(words) > 4 or any(w.lower() in ROLE_SPEAKERS for w in words):
        return None
    names = [w if not w.isupper() or len(w) == 1 else w.capitalize() for w in words]
    if not all(re.match(CAP, n) for n in names):
        return None
    if len(names) == 1 and names[0] not in first_names() and names[0] not in last_names():
        return None
    return names
