"""A REFI-QDA project as read from its XML, before anything touches the store."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from qualcode.interop.refi.codes_xml import RefiCodeTree


@dataclass
class RefiCoding:
    code: str  # compared-form GUID of the code
    user: str = ""
    created: dt.datetime | None = None
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiSelection:
    guid: str
    name: str
    start: int
    end: int
    user: str = ""
    created: dt.datetime | None = None
    description: str = ""
    codings: list[RefiCoding] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiTextSource:
    key: str
    name: str
    plain_path: str = ""
    inline_text: str | None = None
    user: str = ""
    description: str = ""
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # on the whole source
    note_refs: list[str] = field(default_factory=list)


@dataclass
class RefiNote:
    key: str
    name: str
    text: str | None
    plain_path: str = ""
    user: str = ""
    created: dt.datetime | None = None
    #: The passage a note holds (QualCoder's annotations: a Note with a PlainTextSelection,
    #: referenced from its TextSource), as positions in the source's counting.
    span: tuple[int, int] | None = None


@dataclass
class RefiVariable:
    name: str
    kind: str  # typeOfVariable: Text, Boolean, Integer, Float, Date, DateTime


@dataclass
class RefiCase:
    key: str
    name: str
    source_refs: list[str] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)  # (variable key, value)


@dataclass
class RefiSet:
    guid: str
    name: str
    description: str = ""
    code_refs: list[str] = field(default_factory=list)
    source_refs: list[str] = field(default_factory=list)
    note_refs: int = 0


@dataclass
class RefiProject:
    name: str = ""
    origin: str = ""
    description: str = ""
    users: dict[str, str] = field(default_factory=dict)  # GUID key -> name
    codes: RefiCodeTree = field(default_factory=RefiCodeTree)
    variables: dict[str, RefiVariable] = field(default_factory=dict)
    cases: list[RefiCase] = field(default_factory=list)
    text_sources: list[RefiTextSource] = field(default_factory=list)
    notes: list[RefiNote] = field(default_factory=list)
    sets: list[RefiSet] = field(default_factory=list)
    note_refs: list[str] = field(default_factory=list)  # notes on the project itself
    #: Sources of kinds qualcode cannot hold (PDF, picture, audio, video), by GUID key.
    other_sources: dict[str, str] = field(default_factory=dict)
    #: What the file has that qualcode does not import, counted ("PDF sources": 2, ...).
    skipped: Counter[str] = field(default_factory=Counter)
