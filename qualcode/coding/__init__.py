"""Codings, coders, code paths and memos: the operations every face of qualcode shares."""

from qualcode.coding.coders import get_or_create_coder
from qualcode.coding.codes import code_path, code_paths, find_code
from qualcode.coding.codings import (
    CodingRow,
    add_coding,
    ensure_coding,
    list_codings,
    remove_coding,
)
from qualcode.coding.memos import add_memo, list_memos
from qualcode.ingest.documents import find_document

__all__ = [
    "CodingRow",
    "add_coding",
    "add_memo",
    "code_path",
    "code_paths",
    "ensure_coding",
    "find_code",
    "find_document",
    "get_or_create_coder",
    "list_codings",
    "list_memos",
    "remove_coding",
]
