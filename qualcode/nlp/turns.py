"""Speaker turns with roles: who asks (the interviewer) and who answers (the participant).

Turns come from the project's transcript reader rules
(:func:`qualcode.nlp.turn_finder.find_turns`): ``Interviewer:``, ``Q:``, ``P07:``, ``A:``, a
name... at the start of a line. Text before the first label belongs to no turn; a transcript
without any labels is one participant turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from qualcode.nlp.turn_finder import find_turns

Role = Literal["interviewer", "participant"]

INTERVIEWER_LABELS = frozenset(
    {"interviewer", "int", "i", "q", "question", "moderator", "researcher", "facilitator"}
    | {"采访者", "访谈者", "主持人", "问", "インタビュアー", "質問者", "聞き手"}
)


@dataclass(frozen=True)
class Turn:
    """One speaker turn: ``start``/``end`` span the turn with its label; the spoken text
    starts at ``body_start``."""

    index: int
    speaker: str
    role: Role
    start: int
    body_start: int
    end: int


def speaker_role(label: str) -> Role:
    """``interviewer`` for Interviewer/Q/I/Int/Moderator/... labels, else ``participant``."""
    name = " ".join(label.lower().rstrip(".").split())
    if name in INTERVIEWER_LABELS or name.startswith(("interviewer", "moderator")):
        return "interviewer"
    return "participant"


def speaker_turns(text: str) -> list[Turn]:
    """The speaker turns of ``text`` in order, each with its role."""
    found = find_turns(text)
    if not found:
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return [Turn(0, "", "participant", start, start, end)] if end > start else []
    return [
        Turn(i, t.speaker, speaker_role(t.speaker), t.start, t.body_start, t.end)
        for i, t in enumerate(found)
    ]
