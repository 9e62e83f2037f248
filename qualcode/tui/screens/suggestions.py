"""The code suggester in the workbench: the review screen and "more like this".

The review screen walks through the open suggestions code by code, best first (each code with
its held-out precision); ``a`` accepts the highlighted one through the app's coding service
(so ``u`` undoes it), ``x`` rejects it, Enter opens it in the coding screen, ``t`` trains
again. The similar screen lists the passages most like a coding. Reading, rejecting and
training run in worker threads, which post the dataclass messages below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from qualcode.coding.edits import Undo
from qualcode.errors import QualcodeError, first_line
from qualcode.suggest.suggestions import (
    ModelInfo,
    SuggestionRow,
    edit_accepting,
    read_open,
    reject_ids,
)
from qualcode.tui.coding_service import Edited, EditFailed
from qualcode.tui.context import AppContext
from qualcode.tui.keys import Key, KeyGroup
from qualcode.tui.messages import CodingsChanged, OpenDocument
from qualcode.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:  # the similarity (numpy, scikit-learn) loads when it is first asked for
    from qualcode.suggest.similar import SimilarResult

REVIEW = KeyGroup(
    "Suggestions review screen",
    (
        Key("suggestions.accept", "a", "accept", "Accept", show=True, help="Code it (u undoes)"),
        Key("suggestions.reject", "x", "reject", "Reject", show=True, help="Turn it down"),
        Key("suggestions.undo", "u", "undo", "Undo", show=True, help="Undo the last coding change"),
        Key(
            "suggestions.train",
            "t",
            "train",
            "Train",
            show=True,
            help="Train the suggester again from the codings (held-out figures, then suggestions)",
        ),
        Key("suggestions.back", "q,escape", "back", "Back", show=True),
    ),
)
SIMILAR = KeyGroup(
    "More like this",
    (Key("similar.back", "q,escape", "back", "Back", show=True),),
)
OPEN = Key("suggestions.open", "enter", "select", "Open in coding screen", show=True)


class PassageList(OptionList):
    """Enter opens the highlighted passage in the coding screen."""

    BINDINGS: ClassVar[list[BindingType]] = [OPEN.binding()]


@dataclass
class SuggestionsRead(Message):
    """Open suggestions read (of one document, or all); ``error``: why not."""

    document_id: int | None
    rows: list[SuggestionRow]
    model: ModelInfo | None
    error: str | None = None
    note: str = ""


@dataclass
class SimilarFound(Message):
    result: SimilarResult | None
    error: str | None = None


def read_suggestions(
    pump: Screen[None], ctx: AppContext, document_id: int | None, reject: tuple[int, ...] = ()
) -> None:
    """(In a worker thread.) Reject these suggestions first, then read the open ones; post
    :class:`SuggestionsRead` to ``pump``."""
    try:
        note = ""
        if reject:
            reject_ids(ctx.project, reject, ctx.coder)
            note = "rejected: it will not be suggested again, and teaches the next training"
        found = read_open(ctx.project, document_id)
    except QualcodeError as exc:
        pump.post_message(SuggestionsRead(document_id, [], None, first_line(exc)))
        return
    pump.post_message(SuggestionsRead(document_id, found.rows, found.model, note=note))


def passage_label(document: str, start: int, end: int, text: str, figure: str) -> Text:
    body = " ".join(text.split())
    return Text.assemble(
        (figure, "bold"), "  ", (document, "bold"), (f"  {start}-{end}", "dim"), "\n  ", body
    )


class SuggestionReviewScreen(Screen[None]):
    """Review the suggestions, code by code, best first."""

    CSS_PATH = "suggestions.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*REVIEW.bindings()]
    KEY_GROUPS = (REVIEW,)

    @dataclass
    class Trained(Message):
        summary: str
        error: str | None = None

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.rows: list[SuggestionRow] = []
        self.model: ModelInfo | None = None
        self.loaded = False
        #: answers received (reads, trainings, edits): tests wait on them
        self.answers = 0

    def compose(self) -> ComposeResult:
        yield Label("Code suggestions (offline; measured held out)", id="suggestions-title")
        yield Label("reading…", id="suggestions-summary")
        yield PassageList(id="suggestions-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(PassageList).focus()
        self._read()

    @work(thread=True, exclusive=True, group="suggestions-read")
    def _read(self, reject: tuple[int, ...] = ()) -> None:
        read_suggestions(self, self.ctx, None, reject)

    def on_suggestions_read(self, message: SuggestionsRead) -> None:
        self.answers += 1
        if message.error:
            self._summary(message.error)
            return
        self.rows, self.model = message.rows, message.model
        self.loaded = True
        listing = self.query_one(PassageList)
        keep = listing.highlighted
        listing.clear_options()
        code = None
        for row in self.rows:
            if row.code != code:
                code = row.code
                precision = self.model.precision.get(code) if self.model else None
                held = f" (held-out precision {precision:.2f})" if precision is not None else ""
                listing.add_option(Option(Text(f"{code}{held}", style="bold"), disabled=True))
            figure = f"p {row.probability:.2f}"
            listing.add_option(
                Option(
                    passage_label(row.document, row.start, row.end, row.text, figure),
                    id=str(row.id),
                )
            )
        if self.rows:
            first = next(i for i in range(listing.option_count) if _enabled(listing, i))
            listing.highlighted = (
                keep if keep is not None and keep < listing.option_count else first
            )
        if self.model is None:
            self._summary("no suggestions yet: press t to train on the codings")
        else:
            codes = len({r.code for r in self.rows})
            note = f"; {message.note}" if message.note else ""
            self._summary(
                f"{len(self.rows)} open suggestion(s) in {codes} code(s), from training run "
                f"{self.model.id} ({self.model.algorithm}){note}"
            )

    def _summary(self, text: str) -> None:
        self.query_one("#suggestions-summary", Label).update(text)

    def current(self) -> SuggestionRow | None:
        listing = self.query_one(PassageList)
        index = listing.highlighted
        if index is None:
            return None
        option = listing.get_option_at_index(index)
        return next((r for r in self.rows if str(r.id) == option.id), None)

    def action_accept(self) -> None:
        row = self.current()
        if row is None or self.model is None:
            self.notify("no suggestion highlighted")
            return
        self.ctx.coding.submit(edit_accepting([row], self.model), self)

    def action_reject(self) -> None:
        row = self.current()
        if row is None:
            self.notify("no suggestion highlighted")
            return
        self._read((row.id,))

    def action_undo(self) -> None:
        self.ctx.coding.submit(Undo(), self)

    def on_edited(self, message: Edited) -> None:
        self.answers += 1
        outcome = message.outcome
        if outcome.changed:
            self.post_message(CodingsChanged(outcome.document_ids))
            self.notify(f"{outcome.label} (u undoes it)" if outcome.added else f"{outcome.label}")
        self._read()

    def on_edit_failed(self, message: EditFailed) -> None:
        self.answers += 1
        self.notify(message.error, severity="error")

    def action_train(self) -> None:
        self._summary("training: leaving each document out in turn…")
        self._train()

    @work(thread=True, exclusive=True, group="suggestions-train")
    def _train(self) -> None:
        from qualcode.suggest.train import train_suggester

        try:
            report = train_suggester(self.ctx.project, actor=self.ctx.coder)
        except QualcodeError as exc:
            self.post_message(self.Trained("", first_line(exc)))
            return
        m = report.micro
        summary = (
            f"trained: {len(report.offered)} code(s) offered; held-out micro precision "
            f"{m['precision']:.2f}, recall {m['recall']:.2f}"
        )
        self.post_message(self.Trained(summary))

    def on_suggestion_review_screen_trained(self, message: Trained) -> None:
        self.answers += 1
        if message.error:
            self._summary(message.error)
            return
        self.notify(message.summary)
        self._read()

    @on(OptionList.OptionSelected, "#suggestions-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        row = next((r for r in self.rows if str(r.id) == event.option.id), None)
        if row is not None:
            self.post_message(OpenDocument(row.document_id, row.start, row.end))

    def action_back(self) -> None:
        self.dismiss()


def _enabled(listing: OptionList, index: int) -> bool:
    return not listing.get_option_at_index(index).disabled


class SimilarScreen(Screen[None]):
    """The passages most like a coding, without its code; Enter opens one."""

    CSS_PATH = "suggestions.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*SIMILAR.bindings()]
    KEY_GROUPS = (SIMILAR,)

    def __init__(self, ctx: AppContext, coding_id: int, unit: str = "sentence") -> None:
        super().__init__()
        self.ctx = ctx
        self.coding_id = coding_id
        self.unit = unit
        self.result: SimilarResult | None = None

    def compose(self) -> ComposeResult:
        yield Label(f"More like coding {self.coding_id}", id="suggestions-title")
        yield Label("comparing with every passage…", id="suggestions-summary")
        yield PassageList(id="suggestions-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(PassageList).focus()
        self._find()

    @work(thread=True, exclusive=True, group="similar")
    def _find(self) -> None:
        from qualcode.suggest.similar import similar_passages

        try:
            with self.ctx.project.session() as s:
                result = similar_passages(s, self.coding_id, unit=self.unit)
        except QualcodeError as exc:
            self.post_message(SimilarFound(None, first_line(exc)))
            return
        self.post_message(SimilarFound(result))

    def on_similar_found(self, message: SimilarFound) -> None:
        summary = self.query_one("#suggestions-summary", Label)
        if message.result is None:
            summary.update(message.error or "")
            return
        self.result = message.result
        listing = self.query_one(PassageList)
        listing.clear_options()
        for n, p in enumerate(message.result.passages):
            listing.add_option(
                Option(passage_label(p.document, p.start, p.end, p.text, f"{p.score:.2f}"), str(n))
            )
        if message.result.passages:
            listing.highlighted = 0
        summary.update(
            f"{len(message.result.passages)} passage(s) like it, none coded "
            f"{message.result.code} yet"
        )

    @on(OptionList.OptionSelected, "#suggestions-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if self.result is None or event.option.id is None:
            return
        p = self.result.passages[int(event.option.id)]
        self.post_message(OpenDocument(p.document_id, p.start, p.end))

    def action_back(self) -> None:
        self.dismiss()
