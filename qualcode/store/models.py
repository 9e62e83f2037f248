"""The project schema: SQLAlchemy 2.0 typed models.

Offsets (``start``/``end``) are Python string offsets (code points) into ``Document.text``,
end exclusive. A document's text never changes after import.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    case,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Setting(Base):
    """Project-wide key/value settings (project name, codebook version, ...)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Participant(Base):
    """A case: one interviewee, with typed attributes."""

    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    documents: Mapped[list[Document]] = relationship(back_populates="participant")
    values: Mapped[list[AttributeValue]] = relationship(
        back_populates="participant", cascade="all, delete-orphan"
    )


class Attribute(Base):
    """An attribute definition; ``kind`` is ``text``, ``number`` or ``date``."""

    __tablename__ = "attributes"
    __table_args__ = (CheckConstraint("kind IN ('text', 'number', 'date')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="text")


class AttributeValue(Base):
    __tablename__ = "attribute_values"
    __table_args__ = (UniqueConstraint("participant_id", "attribute_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attributes.id", ondelete="CASCADE"))
    text_value: Mapped[str | None] = mapped_column(Text)
    number_value: Mapped[float | None] = mapped_column(Float)
    date_value: Mapped[dt.date | None] = mapped_column()

    participant: Mapped[Participant] = relationship(back_populates="values")
    attribute: Mapped[Attribute] = relationship()

    @property
    def value(self) -> str | float | dt.date | None:
        kind = self.attribute.kind
        if kind == "number":
            return self.number_value
        if kind == "date":
            return self.date_value
        return self.text_value


class DocumentText(Base):
    """A document's text, in a table of its own: rows of ``documents`` stay small, so reading
    documents (for names, participants, lengths) never reads through their texts."""

    __tablename__ = "document_texts"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)


class Document(Base):
    """An imported transcript. ``text`` is immutable after import.

    The text lives in :class:`DocumentText`; ``doc.text`` loads it on first use,
    ``Document(text=...)`` stores it (and its ``length`` in code points), and ``Document.text``
    in a query is the text read by a subquery. Queries that need only the length read
    ``Document.length``.
    """

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    #: the text's length in code points (``len(text)``), stored at import
    length: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str] = mapped_column(String(1024))
    source_format: Mapped[str] = mapped_column(String(10))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )

    participant: Mapped[Participant | None] = relationship(back_populates="documents")
    segments: Mapped[list[Segment]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )
    body: Mapped[DocumentText] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @hybrid_property
    def text(self) -> str:
        return self.body.text

    @text.inplace.setter
    def _text_setter(self, value: str) -> None:
        self.body = DocumentText(text=value)
        self.length = len(value)

    @text.inplace.expression
    @classmethod
    def _text_expression(cls) -> ColumnElement[str]:
        body = (
            select(DocumentText.text)
            .where(DocumentText.document_id == cls.id)
            .correlate_except(DocumentText)
            .scalar_subquery()
        )
        # the CASE names documents.id outside the subquery, so that a query selecting only
        # Document.text still reads FROM documents (a subquery alone adds no FROM)
        return case((cls.id.is_not(None), body)).label("text")


class Segment(Base):
    """A unit of a document: ``turn``, ``paragraph``, ``sentence`` or caption ``cue``.

    Cues keep their timestamps (seconds) from .vtt/.srt files.
    """

    __tablename__ = "segments"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start <= "end"', name="span"),
        CheckConstraint("kind IN ('turn', 'paragraph', 'sentence', 'cue')", name="kind"),
        Index("ix_segments_doc_kind_start", "document_id", "kind", "start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(255))
    time_start: Mapped[float | None] = mapped_column(Float)
    time_end: Mapped[float | None] = mapped_column(Float)

    document: Mapped[Document] = relationship(back_populates="segments")


class Code(Base):
    """A code in the codebook hierarchy."""

    __tablename__ = "codes"
    __table_args__ = (Index("ix_codes_parent_name", "parent_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(7), default="#888888")
    #: the key that applies the code in the coding screen (its column keeps its first name)
    key: Mapped[str | None] = mapped_column("shortcut", String(20), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    guid: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    parent: Mapped[Code | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Code]] = relationship(back_populates="parent", order_by="Code.position")


class Coder(Base):
    __tablename__ = "coders"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Coding(Base):
    """One coder applying one code to a span ``[start, end)`` of a document."""

    __tablename__ = "codings"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="span"),
        UniqueConstraint("document_id", "code_id", "coder_id", "start", "end"),
        Index("ix_codings_doc_coder", "document_id", "coder_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="RESTRICT"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship()
    code: Mapped[Code] = relationship()
    coder: Mapped[Coder] = relationship()


class Memo(Base):
    """A memo on the project, a document, a code or a coding (exactly one target, or none).

    The one home of every memo, a coding's included. A memo on a document may be anchored to a
    passage ``[start, end)`` of it: an annotation.
    """

    __tablename__ = "memos"
    __table_args__ = (
        CheckConstraint(
            '(start IS NULL AND "end" IS NULL) OR '
            '(document_id IS NOT NULL AND start >= 0 AND start < "end")',
            name="anchor",
        ),
        CheckConstraint(
            "(CASE WHEN document_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN code_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN coding_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_target",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("codes.id", ondelete="CASCADE"), index=True
    )
    coding_id: Mapped[int | None] = mapped_column(
        ForeignKey("codings.id", ondelete="CASCADE"), index=True
    )
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id", ondelete="SET NULL"))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    #: what the memo records as data, beside its readable body: an adjudication decision
    #: (:mod:`qualcode.agreement.consensus`) or None
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    @property
    def target(self) -> str:
        if self.document_id is not None:
            return "document" if self.start is None else "annotation"
        if self.code_id is not None:
            return "code"
        if self.coding_id is not None:
            return "coding"
        return "project"


class AuditEntry(Base):
    """Who changed what, and when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Group(Base):
    """A named set of codes or of documents (REFI-QDA sets, code groups, document groups)."""

    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("kind IN ('code', 'document')", name="kind"),
        UniqueConstraint("kind", "name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    guid: Mapped[str] = mapped_column(String(64), unique=True)

    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )


class GroupMember(Base):
    __tablename__ = "group_members"
    __table_args__ = (
        CheckConstraint("(code_id IS NULL) <> (document_id IS NULL)", name="one_member"),
        UniqueConstraint("group_id", "code_id", "document_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    code_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))

    group: Mapped[Group] = relationship(back_populates="members")


#: what an identifier is (``qualcode pseudonyms``): the category of a pseudonym
PSEUDONYM_CATEGORIES = (
    "person",
    "place",
    "organisation",
    "case number",
    "date",
    "phone",
    "email",
    "address",
    "other identifier",
)
#: a pseudonym is proposed by a scan (``candidate``), then ``accepted`` or ``rejected``
PSEUDONYM_STATUSES = ("candidate", "accepted", "rejected")


class Pseudonym(Base):
    """One identifier (a person, a place, a case number...) and the pseudonym that replaces
    every one of its surface forms in a share package. The original text is never changed."""

    __tablename__ = "pseudonyms"
    __table_args__ = (
        CheckConstraint(
            "category IN (" + ", ".join(f"'{c}'" for c in PSEUDONYM_CATEGORIES) + ")",
            name="category",
        ),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{c}'" for c in PSEUDONYM_STATUSES) + ")", name="status"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(100), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="candidate")
    #: ``scan`` (proposed) or ``manual`` (added by a person)
    source: Mapped[str] = mapped_column(String(10), default="scan")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    forms: Mapped[list[PseudonymForm]] = relationship(
        back_populates="pseudonym",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="PseudonymForm.id",
    )


class PseudonymForm(Base):
    """A surface form of an identifier ("Detective Kim Oduya", "Kim Oduya", "Oduya"): each
    form belongs to one pseudonym, matched as a whole word, case-sensitively."""

    __tablename__ = "pseudonym_forms"
    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym_id: Mapped[int] = mapped_column(
        ForeignKey("pseudonyms.id", ondelete="CASCADE"), index=True
    )
    form: Mapped[str] = mapped_column(String(255), unique=True)

    pseudonym: Mapped[Pseudonym] = relationship(back_populates="forms")


class SuggestionModel(Base):
    """One training run of the code suggester (:mod:`qualcode.suggest`).

    No model object is stored (a project never holds code that runs when it is opened): the
    run keeps its settings, its held-out evaluation and the suggestions it made, as data.
    """

    __tablename__ = "suggestion_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: the method and its version, e.g. "tfidf-sgd-1"
    algorithm: Mapped[str] = mapped_column(String(50))
    unit: Mapped[str] = mapped_column(String(10))
    #: the coders whose codings it learned from
    coders: Mapped[list[str]] = mapped_column(JSON)
    min_precision: Mapped[float] = mapped_column(Float)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Suggestion(Base):
    """A unit the suggester proposes for a code, with its probability."""

    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="span"),
        Index("ix_suggestions_doc_code", "document_id", "code_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion_models.id", ondelete="CASCADE"), index=True
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    probability: Mapped[float] = mapped_column(Float)


class SuggestionRejection(Base):
    """A suggestion a coder turned down: not offered again, and a negative in the next training."""

    __tablename__ = "suggestion_rejections"
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="span"),
        UniqueConstraint("document_id", "code_id", "start", "end"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
