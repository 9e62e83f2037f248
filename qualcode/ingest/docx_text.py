"""The text of a Word .docx body, everything in document order: paragraphs, tables (a row a
line, its cells separated by tabs, tables inside cells too) and content controls.

A .docx whose document part declares a DTD is refused: Word never writes one, and python-docx
parses without resolving entities (rightly, against entity bombs), so a paragraph made of an
entity reference would come out empty without a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qualcode.ingest.decode import BadInput

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_lines(document: Any) -> list[str]:
    """The lines of a python-docx ``Document``'s body, in document order."""
    root = document.element
    doctype = root.getroottree().docinfo.doctype
    if doctype:
        raise BadInput(
            "refused: the .docx declares a DTD (<!DOCTYPE>), which Word never writes; "
            "its entities would be dropped (open and save it in Word, or export it as .txt)"
        )
    return list(_lines(document.element.body, document))


def _lines(container: Any, document: Any) -> Iterator[str]:
    from docx.text.paragraph import Paragraph

    for child in container.iterchildren():
        if child.tag == f"{W}p":
            yield str(Paragraph(child, document).text)
        elif child.tag == f"{W}tbl":
            yield from _table_lines(child, document)
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _lines(content, document)


def _table_lines(tbl: Any, document: Any) -> Iterator[str]:
    """A row a line, its cells separated by tabs; a cell of several paragraphs keeps them on
    lines of their own (without the empty paragraph Word puts after a table in a cell)."""
    for tr in tbl.iterchildren(f"{W}tr"):
        cells = ["\n".join(_lines(tc, document)).strip("\n") for tc in tr.iterchildren(f"{W}tc")]
        if any(cell.strip() for cell in cells):
            yield "\t".join(cells)
