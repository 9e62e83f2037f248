"""A codebook as plain data, independent of any project, with its validation rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from qualcode.coding.codes import MAX_IMPORTED_CODES, SEP, escape_name
from qualcode.errors import QualcodeError

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
KEY = re.compile(r"^[a-z0-9]$")
#: Keys the coding screen uses for its own actions; codes cannot take them.
RESERVED_KEYS = frozenset("acefgmnqrstuvwx")
DEFAULT_COLOUR = "#888888"


@dataclass
class CodeSpec:
    name: str
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    colour: str = DEFAULT_COLOUR
    key: str | None = None
    guid: str | None = None
    children: list[CodeSpec] = field(default_factory=list)


@dataclass
class Codebook:
    name: str = ""
    version: str = ""
    description: str = ""
    codes: list[CodeSpec] = field(default_factory=list)

    def walk(self) -> Iterator[tuple[str, CodeSpec, str | None]]:
        """Every code as (path, spec, parent path), parents before children."""

        def rec(
            specs: list[CodeSpec], parent: str | None
        ) -> Iterator[tuple[str, CodeSpec, str | None]]:
            for spec in specs:
                name = escape_name(spec.name)
                path = name if parent is None else f"{parent}{SEP}{name}"
                yield path, spec, parent
                yield from rec(spec.children, path)

        return rec(self.codes, None)

    def validate(self) -> None:
        """Raise QualcodeError listing every problem (duplicates, bad colours and keys)."""
        problems: list[str] = []
        paths: set[str] = set()
        keys: dict[str, str] = {}
        for path, spec, _parent in self.walk():
            if len(paths) >= MAX_IMPORTED_CODES:
                raise CodebookError(too_many_codes(self.count()))
            name = spec.name
            if not name.strip():
                problems.append(f"a code under {_parent or 'the top level'} has no name")
            if path in paths:
                problems.append(f"duplicate code {path!r}")
            paths.add(path)
            if not COLOUR.match(spec.colour):
                problems.append(f"code {path!r}: colour {spec.colour!r} is not #rrggbb")
            if spec.key is not None:
                key = spec.key
                if not KEY.match(key):
                    problems.append(
                        f"code {path!r}: key {key!r} must be one lower-case letter or digit"
                    )
                elif key in RESERVED_KEYS:
                    reserved = " ".join(sorted(RESERVED_KEYS))
                    problems.append(
                        f"code {path!r}: key {key!r} is used by the coding screen "
                        f"(reserved: {reserved})"
                    )
                elif key in keys:
                    problems.append(f"key {key!r} is given to both {keys[key]!r} and {path!r}")
                else:
                    keys[key] = path
        if problems:
            raise CodebookError(problems_text(problems), problems)

    def count(self) -> int:
        return sum(1 for _ in self.walk())


def too_many_codes(count: int) -> str:
    return f"refused: {count:,} codes; a codebook holds at most {MAX_IMPORTED_CODES:,}"


def problems_text(problems: list[str]) -> str:
    """Every problem on one line: the one, or "3 problems: a; b; c"."""
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems: " + "; ".join(problems)


class CodebookError(QualcodeError):
    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]
