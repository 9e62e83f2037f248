"""Selection positions: how other tools count them, and converting them to ours.

Ours are code points into the normalised text (``\\n`` line ends, no BOM). The standard says code
points into the file; NVivo counts UTF-16 code units (an emoji is two) in the text *with* its CRLF
line ends and without the BOM (NVivo for Windows); NVivo for Mac writes LF text and counts UTF-16
units in it. :class:`SourceText` holds one source's text both ways and maps
positions between them; :func:`choose_counting` checks which counting the selections fit best
(edges on word boundaries, the selection's name matching its text).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")
#: Control characters no transcript has (tab and line ends are kept); they become spaces.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Counting:
    utf16: bool  # UTF-16 code units instead of code points
    crlf: bool  # counted in the text with its CR LF line ends, not the normalised one

    @property
    def label(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        ends = "CRLF line ends" if self.crlf else "LF line ends"
        return f"{unit}, {ends}"

    def describe(self, has_crlf: bool) -> str:
        """The counting as it matters for one text (line ends only when it has CRLF)."""
        return self.label if has_crlf else self.label.split(",")[0]


STANDARD = Counting(utf16=False, crlf=True)
NVIVO = Counting(utf16=True, crlf=True)
#: NVivo for Mac: UTF-16 code units in text with LF line ends (a Mac's own).
NVIVO_MAC = Counting(utf16=True, crlf=False)
ALL_COUNTINGS = (STANDARD, NVIVO, Counting(False, False), NVIVO_MAC)


def counting_for_origin(origin: str) -> Counting:
    """The counting a tool is known to use, from the file's ``origin``."""
    return NVIVO if "nvivo" in origin.lower() else STANDARD


@dataclass(frozen=True)
class Selection:
    start: int
    end: int
    name: str = ""


class SourceText:
    """A source's text as its file has it (minus the BOM) and normalised, with position maps."""

    def __init__(self, raw: str) -> None:
        raw = raw.removeprefix("\ufeff")
        self.raw = raw
        self.removed = [m.start() for m in re.finditer("\r\n", raw)]
        text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
        self.controls = len(_CONTROLS.findall(text))
        if self.controls:
            text = _CONTROLS.sub(" ", text)
        self.text = text
        self._lf_at = [r - k for k, r in enumerate(self.removed)]
        self._astral = {
            True: [m.start() for m in _ASTRAL.finditer(raw)],
            False: [m.start() for m in _ASTRAL.finditer(text)],
        }
        self._astral16 = {
            crlf: [c + k for k, c in enumerate(a)] for crlf, a in self._astral.items()
        }

    @property
    def has_crlf(self) -> bool:
        return bool(self.removed)

    @property
    def has_astral(self) -> bool:
        return bool(self._astral[False])

    def units(self, counting: Counting) -> int:
        """The length of the text in the counting's units."""
        base = len(self.raw) if counting.crlf else len(self.text)
        return base + (len(self._astral[counting.crlf]) if counting.utf16 else 0)

    def to_text(self, pos: int, counting: Counting, *, end: bool = False) -> int:
        """A position in ``counting`` units as an offset into the normalised text.

        A position inside a surrogate pair rounds down for a start and up for an ``end``.
        """
        cp = pos
        if counting.utf16:
            n = bisect_left(self._astral16[counting.crlf], pos)
            cp = pos - n
            if n and self._astral16[counting.crlf][n - 1] == pos - 1 and end:
                cp += 1
        if counting.crlf:
            cp -= bisect_left(self.removed, cp)
        return cp

    def from_text(self, offset: int, counting: Counting) -> int:
        """An offset into the normalised text as a position in ``counting`` units."""
        pos = offset
        if counting.crlf:
            pos += bisect_left(self._lf_at, offset)
        if counting.utf16:
            pos += bisect_left(self._astral[counting.crlf], pos)
        return pos


@dataclass(frozen=True)
class Fit:
    """How well selections fit a counting."""

    counting: Counting
    edges_ok: int = 0
    edges: int = 0
    names_ok: int = 0
    out_of_range: int = 0

    @property
    def score(self) -> int:
        return self.edges_ok + 2 * self.names_ok - 4 * self.out_of_range

    def describe(self) -> str:
        text = f"{self.edges_ok} of {self.edges} selection edges on word boundaries"
        if self.names_ok:
            text += f", {self.names_ok} selection names match their text"
        return text


def fit(src: SourceText, counting: Counting, selections: list[Selection]) -> Fit:
    text = src.text
    units = src.units(counting)
    edges_ok = edges = names_ok = bad = 0
    for sel in selections:
        if not 0 <= sel.start <= sel.end <= units:
            bad += 1
            continue
        start = src.to_text(sel.start, counting)
        end = src.to_text(sel.end, counting, end=True)
        edges += 2
        edges_ok += on_boundary(text, start) + on_boundary(text, end)
        names_ok += name_matches(sel.name, text[start:end])
    return Fit(counting, edges_ok, edges, names_ok, bad)


def choose_counting(
    src: SourceText, selections: list[Selection], preferred: Counting
) -> tuple[Counting, Fit]:
    """The counting the selections fit best; ``preferred`` (from the origin) wins ties."""
    candidates = [preferred, *(c for c in ALL_COUNTINGS if c != preferred)]
    if not src.has_crlf:
        candidates = [c for c in candidates if c.crlf == preferred.crlf]
    if not src.has_astral:
        candidates = [c for c in candidates if c.utf16 == preferred.utf16]
    fits = [fit(src, c, selections) for c in candidates]
    best = max(fits, key=lambda f: f.score)  # max keeps the first of equals: the preferred
    return best.counting, best


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def on_boundary(text: str, pos: int) -> bool:
    if pos <= 0 or pos >= len(text):
        return True
    return not (_is_word(text[pos - 1]) and _is_word(text[pos]))


def name_matches(name: str, selected: str) -> bool:
    """Whether a selection's name (tools often name it by its first words) matches its text."""
    wanted = _SPACES.sub(" ", name.strip().rstrip("…").removesuffix("...")).strip()
    if len(wanted) < 4:
        return False
    got = _SPACES.sub(" ", selected).strip()
    return got.startswith(wanted) or (len(got) >= 4 and wanted.startswith(got))


NAME_CHARS = 60


def snippet(text: str) -> str:
    """What we name a selection (and an untitled note) by: its first words, cut with ``…``."""
    words = " ".join(text.split())
    return words if len(words) <= NAME_CHARS else words[: NAME_CHARS - 1].rstrip() + "…"
