"""The project screen: documents, participants with their attributes, and the codebook.

Documents are renamed (r), deleted (d; one with codings only after saying so, the codings
removed and audited one by one) and their turns cut again (t) here; a participant's attributes
are edited (e) or a participant added (n) as ``key=value`` pairs. Each change is one write in a
worker; the screen then reads the project again and tells the other screens."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Label

from qualcode.coding.code_entries import CodeEntry, code_counts, codebook_entries
from qualcode.coding.document_removal import delete_document
from qualcode.coding.document_view import DocumentRow, document_rows
from qualcode.coding.participants import ParticipantRow, attribute_text, participant_overview
from qualcode.errors import QualcodeError, first_line
from qualcode.features import attribute_ranges
from qualcode.ingest.attributes import parse_assignments, set_attributes
from qualcode.ingest.documents import rename_document, resegment_document
from qualcode.nlp.turn_finder import TurnRules
from qualcode.store.db import StoreError
from qualcode.tui.context import AppContext
from qualcode.tui.keys import PROJECT
from qualcode.tui.messages import CodingsChanged, OpenDocument
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.screens.text_prompt import TextPrompt
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.key_footer import KeyFooter
from qualcode.tui.widgets.sized_table import SizedTable

#: what the title of the documents list says about its keys
DOCUMENT_KEYS = "r rename · d delete · t turns"
PARTICIPANT_KEYS = "e edit · n new"
#: a change to the project, run in a worker: (session) -> what to tell the user. (The session
#: is the store's; a face does not name its type.)
Change = Callable[[Any], str]


class ProjectScreen(DataScreen):
    BINDINGS = PROJECT.bindings()
    KEY_GROUPS = (PROJECT,)

    class Loaded(Message):
        def __init__(
            self,
            documents: list[DocumentRow],
            attributes: list[str],
            participants: list[ParticipantRow],
            codes: list[CodeEntry],
            counts: dict[int, int],
        ) -> None:
            super().__init__()
            self.documents = documents
            self.attributes = attributes
            self.participants = participants
            self.codes = codes
            self.counts = counts

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loaded = False
        #: reads shown (tests wait on it)
        self.loads_done = 0
        self.code_order: list[CodeEntry] = []
        self.documents: dict[int, DocumentRow] = {}
        self.participants: dict[str, ParticipantRow] = {}
        self.attribute_names: list[str] = []
        #: changes written (tests wait on it)
        self.changes_done = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="project-body"):
            with Vertical(id="project-left"):
                yield Label("Documents", classes="section-title", id="documents-title")
                yield SizedTable(id="documents", cursor_type="row", zebra_stripes=True)
                yield Label("Participants", classes="section-title", id="participants-title")
                yield SizedTable(id="participants", cursor_type="row", zebra_stripes=True)
            with Vertical(id="project-right"):
                yield Label("Codebook (codings by all coders)", classes="section-title")
                yield CodebookTree(id="project-codebook")
        yield KeyFooter()

    def on_mount(self) -> None:
        docs = self.query_one("#documents", SizedTable)
        docs.fill(self._document_columns(), [])
        docs.focus()
        self._load()

    def _document_columns(self) -> list[tuple[str, str]]:
        return [
            ("Document", "document"),
            ("Participant", "participant"),
            ("Characters", "characters"),
            ("Codings", "codings"),
            (f"Mine ({self.ctx.coder})", "mine"),
            ("Coded", "coded"),
        ]

    def reload_data(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="project")
    def _load(self) -> None:
        try:
            with self.ctx.project.session() as s:
                documents = document_rows(s, self.ctx.coder)
                attributes, participants = participant_overview(s)
                codes = codebook_entries(s)
                counts = code_counts(s)
        except StoreError as exc:
            self.app.call_from_thread(
                self.notify, f"could not read the project: {exc}", severity="error"
            )
            return
        self.post_message(self.Loaded(documents, attributes, participants, codes, counts))

    def on_project_screen_loaded(self, message: Loaded) -> None:
        self.documents = {row.id: row for row in message.documents}
        self.participants = {p.label: p for p in message.participants}
        self.attribute_names = message.attributes
        docs = self.query_one("#documents", SizedTable)
        keep = docs.cursor_row
        docs.fill(
            self._document_columns(),
            [
                (
                    str(row.id),
                    [  # names as Text: a DataTable reads str cells as markup
                        Text(row.name),
                        Text(row.participant or ""),
                        f"{row.characters:,}",
                        str(row.codings),
                        str(row.mine),
                        f"{row.coded_share:.0%}",
                    ],
                )
                for row in message.documents
            ],
        )
        if message.documents:
            docs.move_cursor(row=min(keep, len(message.documents) - 1))
        self.query_one("#documents-title", Label).update(
            f"Documents ({len(message.documents)}) · {DOCUMENT_KEYS}"
        )
        people = self.query_one("#participants", SizedTable)
        keep_person = people.cursor_row
        people.fill(
            [
                ("Participant", "participant"),
                ("Documents", "documents"),
                *((Text(name), f"attribute:{name}") for name in message.attributes),
            ],
            [
                (
                    p.label,
                    [
                        Text(p.label),
                        Text(", ".join(p.documents)),
                        *[Text(attribute_text(p.attributes.get(a))) for a in message.attributes],
                    ],
                )
                for p in message.participants
            ],
        )
        if message.participants:
            people.move_cursor(row=min(keep_person, len(message.participants) - 1))
        self.query_one("#participants-title", Label).update(
            f"Participants ({len(message.participants)}) · {PARTICIPANT_KEYS}"
        )
        self.code_order = message.codes
        self.query_one("#project-codebook", CodebookTree).set_codes(message.codes, message.counts)
        self.loaded = True
        self.loads_done += 1

    @on(DataTable.RowSelected, "#documents")
    def _document_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenDocument(int(event.row_key.value)))

    def _current(self, table_id: str) -> str | None:
        table = self.query_one(table_id, SizedTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def _current_document(self) -> DocumentRow | None:
        key = self._current("#documents")
        return self.documents.get(int(key)) if key is not None else None

    def action_open_document(self) -> None:
        doc = self._current_document()
        if doc is not None:
            self.post_message(OpenDocument(doc.id))

    # -- caring for documents and participants ------------------------------------------------
    def action_rename_document(self) -> None:
        doc = self._current_document()
        if doc is None:
            return

        def answered(name: str | None) -> None:
            if name and name.strip() and name.strip() != doc.name:

                def rename(s: Any) -> str:
                    return f"renamed to {rename_document(s, doc.id, name, actor=self._actor).name}"

                self._change(rename, doc.id)

        self.app.push_screen(TextPrompt(f"Rename {doc.name}", value=doc.name), answered)

    def action_delete_document(self) -> None:
        doc = self._current_document()
        if doc is None:
            return
        with_codings = doc.codings > 0
        hint = (
            f"It has {doc.codings} coding(s), by every coder: they are deleted with it, each "
            "written to the audit log. "
            if with_codings
            else "It has no codings. "
        ) + "Its memos go with it; it can be imported again. Type yes to delete."

        def answered(answer: str | None) -> None:
            if answer is None:
                return
            if answer.strip().lower() != "yes":
                self.notify("not deleted (type yes to delete)", severity="warning")
                return

            def delete(s: Any) -> str:
                gone = delete_document(s, doc.id, actor=self._actor, with_codings=with_codings)
                return f"deleted {gone.name} with {gone.codings} coding(s)"

            self._change(delete, doc.id)

        self.app.push_screen(TextPrompt(f"Delete {doc.name}?", hint), answered)

    def action_resegment_document(self) -> None:
        doc = self._current_document()
        if doc is None:
            return

        def answered(pattern: str | None) -> None:
            if pattern is None:
                return
            extra = [pattern.strip()] if pattern.strip() else []

            def recut(s: Any) -> str:
                # a pattern that is no regular expression is refused here, shown as an error
                done = resegment_document(s, doc.id, TurnRules(extra=extra), actor=self._actor)
                return f"{done.document}: {done.turns} turn(s) (were {done.turns_before})"

            self._change(recut, doc.id)

        self.app.push_screen(
            TextPrompt(
                f"Re-cut the turns of {doc.name}",
                "A regular expression for the speaker labels the import missed, e.g. "
                "DET\\. \\w+ (empty: the usual labels). The text and codings are not touched.",
                placeholder="turn label pattern",
            ),
            answered,
        )

    def action_edit_attributes(self) -> None:
        label = self._current("#participants")
        person = self.participants.get(label) if label is not None else None
        if person is None:
            self.notify("no participant to edit: n adds one", severity="warning")
            return
        current = " ".join(
            f"{name}={shlex.quote(attribute_text(person.attributes.get(name)))}"
            for name in self.attribute_names
        )
        self.app.push_screen(
            TextPrompt(
                f"Attributes of {person.label}",
                "key=value pairs; quote values with spaces (state='New York'); key= removes "
                "a value; years:number=6 gives a new attribute its kind.",
                current,
            ),
            lambda text: self._set_attributes(person.label, text, create=False),
        )

    def action_new_participant(self) -> None:
        self.app.push_screen(
            TextPrompt(
                "New participant",
                "Its label, then key=value pairs: P09 state=Ohio years=6. It is linked to "
                "documents named after it (P09.txt).",
                placeholder="LABEL key=value ...",
            ),
            lambda text: self._set_attributes(None, text, create=True),
        )

    def _set_attributes(self, label: str | None, text: str | None, *, create: bool) -> None:
        if text is None:
            return
        try:
            words = shlex.split(text)
            if label is None:
                if not words:
                    raise QualcodeError("type the participant's label first")
                label, words = words[0], words[1:]
            pairs = parse_assignments(words)
        except (ValueError, QualcodeError) as exc:
            self.notify(first_line(exc), severity="error", markup=False)
            return
        who = label

        def write(s: Any) -> str:
            done = set_attributes(
                s, who, pairs, actor=self._actor, ranges=attribute_ranges(), create=create
            )
            return f"{done.participant}: attributes saved" + (" (new)" if done.created else "")

        self._change(write, None)

    @property
    def _actor(self) -> str:
        return self.ctx.coder

    @work(thread=True, group="project-change")
    def _change(self, change: Change, document_id: int | None) -> None:
        """Write one change; then say what it did, read the project again, tell the others."""
        try:
            with self.ctx.project.write() as s:
                said = change(s)
        except (QualcodeError, StoreError) as exc:
            self.app.call_from_thread(self.notify, first_line(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._changed, said, document_id)

    def _changed(self, said: str, document_id: int | None) -> None:
        self.changes_done += 1
        self.notify(said, markup=False)
        self._load()
        ids = frozenset({document_id}) if document_id is not None else frozenset[int]()
        self.post_message(CodingsChanged(ids))

    def action_focus_codebook(self) -> None:
        self.query_one("#project-codebook", CodebookTree).focus()

    def action_focus_documents(self) -> None:
        self.query_one("#documents", SizedTable).focus()
