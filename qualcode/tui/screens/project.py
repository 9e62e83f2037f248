"""The project screen: documents, participants with their attributes, and the codebook."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Label

from qualcode.coding.code_entries import CodeEntry, code_counts, codebook_entries
from qualcode.coding.document_view import DocumentRow, document_rows
from qualcode.coding.participants import ParticipantRow, attribute_text, participant_overview
from qualcode.store.db import StoreError
from qualcode.tui.context import AppContext
from qualcode.tui.keys import PROJECT
from qualcode.tui.messages import OpenDocument
from qualcode.tui.screens.data_screen import DataScreen
from qualcode.tui.widgets.codebook_tree import CodebookTree
from qualcode.tui.widgets.key_footer import KeyFooter


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

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="project-body"):
            with Vertical(id="project-left"):
                yield Label("Documents", classes="section-title", id="documents-title")
                yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
                yield Label("Participants", classes="section-title", id="participants-title")
                yield DataTable(id="participants", cursor_type="row", zebra_stripes=True)
            with Vertical(id="project-right"):
                yield Label("Codebook (codings by all coders)", classes="section-title")
                yield CodebookTree(id="project-codebook")
        yield KeyFooter()

    def on_mount(self) -> None:
        docs = self.query_one("#documents", DataTable)
        docs.add_column("Document", key="document")
        docs.add_column("Participant", key="participant")
        docs.add_column("Characters", key="characters")
        docs.add_column("Codings", key="codings")
        docs.add_column(f"Mine ({self.ctx.coder})", key="mine")
        docs.add_column("Coded", key="coded")
        docs.focus()
        self._load()

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
        docs = self.query_one("#documents", DataTable)
        keep = docs.cursor_row
        docs.clear()
        for row in message.documents:
            docs.add_row(  # names as Text: a DataTable reads str cells as markup
                Text(row.name),
                Text(row.participant or ""),
                f"{row.characters:,}",
                str(row.codings),
                str(row.mine),
                f"{row.coded_share:.0%}",
                key=str(row.id),
            )
        if message.documents:
            docs.move_cursor(row=min(keep, len(message.documents) - 1))
        self.query_one("#documents-title", Label).update(
            f"Documents ({len(message.documents)}) · Enter opens one for coding"
        )
        people = self.query_one("#participants", DataTable)
        people.clear(columns=True)
        people.add_columns("Participant", "Documents", *message.attributes)
        for p in message.participants:
            people.add_row(
                Text(p.label),
                Text(", ".join(p.documents)),
                *[Text(attribute_text(p.attributes.get(a))) for a in message.attributes],
            )
        self.query_one("#participants-title", Label).update(
            f"Participants ({len(message.participants)})"
        )
        self.code_order = message.codes
        self.query_one("#project-codebook", CodebookTree).set_codes(message.codes, message.counts)
        self.loaded = True
        self.loads_done += 1

    @on(DataTable.RowSelected, "#documents")
    def _document_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(OpenDocument(int(event.row_key.value)))

    def action_open_document(self) -> None:
        docs = self.query_one("#documents", DataTable)
        if docs.row_count:
            row_key, _ = docs.coordinate_to_cell_key(docs.cursor_coordinate)
            if row_key.value is not None:
                self.post_message(OpenDocument(int(row_key.value)))

    def action_focus_codebook(self) -> None:
        self.query_one("#project-codebook", CodebookTree).focus()

    def action_focus_documents(self) -> None:
        self.query_one("#documents", DataTable).focus()
