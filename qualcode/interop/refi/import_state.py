"""What the steps of one .qdpx import share: the session, the file read, and what became what."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from qualcode.coding.coders import MAX_CODER_NAME, get_or_create_coder
from qualcode.interop.refi.model import RefiCoding, RefiProject
from qualcode.interop.refi.report import RefiImportReport

DEFAULT_CODER = "imported"


@dataclass
class ImportState:
    s: Session
    proj: RefiProject
    report: RefiImportReport
    actor: str
    default_coder: str = DEFAULT_CODER
    coder_of_user: dict[str, int] = field(default_factory=dict)
    code_of_guid: dict[str, int] = field(default_factory=dict)  # GUID key -> Code.id
    doc_of_source: dict[str, int] = field(default_factory=dict)  # source key -> Document.id
    codings: dict[int, int] = field(default_factory=dict)  # id(RefiCoding) -> its coding's id
    defaulted: int = 0  # codings and notes without a user, given the default coder

    def add_coders(self) -> None:
        """Every user of the file becomes a coder (matched by name)."""
        for key, raw in self.proj.users.items():
            name = _coder_name(raw, key)
            coder = get_or_create_coder(self.s, name)
            self.coder_of_user[key] = coder.id
            if name not in self.report.coders:
                self.report.coders.append(name)

    def coder_for(self, *users: str) -> int:
        """The coder of the first user given; a user the file does not list gets a coder of
        their own; with no user at all, the default coder."""
        user = next((u for u in users if u), "")
        if not user:
            self.defaulted += 1
            user = "\x00default"
        if user not in self.coder_of_user:
            if user == "\x00default":
                name = self.default_coder
            else:
                name = _coder_name("", user)
                self.report.notes.append(f"user {user} is not listed in <Users>; coder {name!r}")
            self.coder_of_user[user] = get_or_create_coder(self.s, name).id
            if name not in self.report.coders:
                self.report.coders.append(name)
        return self.coder_of_user[user]

    def coding_of(self, coding: RefiCoding) -> int | None:
        return self.codings.get(id(coding))


def _coder_name(raw: str, key: str) -> str:
    name = " ".join(raw.split())[:MAX_CODER_NAME]
    return name or f"user {key[:8]}"
