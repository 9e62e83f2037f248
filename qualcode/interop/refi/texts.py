"""Source texts from the archive: found, decoded, normalised, and their selections converted.

A text is normalised the way every import is (``\\n`` line ends, no BOM); selection positions,
counted however the exporting tool counts them (see :mod:`offsets`), become offsets into it.
A position outside its text makes the whole file suspect, so it is refused.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from qualcode.errors import QualcodeError
from qualcode.ingest.decode import BadInput, decode_bytes
from qualcode.ingest.safe_zip import SafeZip, name_problem
from qualcode.interop.refi import guids
from qualcode.interop.refi.model import RefiProject, RefiSelection, RefiTextSource
from qualcode.interop.refi.offsets import (
    STANDARD,
    Counting,
    Fit,
    Selection,
    SourceText,
    choose_counting,
    counting_for_origin,
)

EXTERNAL = ("relative://", "absolute://", "file://", "http://", "https://")


@dataclass
class PreparedSource:
    source: RefiTextSource
    text: str
    counting: Counting = STANDARD
    fit: Fit | None = None
    spans: list[tuple[RefiSelection, int, int]] = field(default_factory=list)
    had_crlf: bool = False
    #: Notes on a passage of this source (QualCoder's annotations), by note key: their span.
    note_spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def member_text(archive: SafeZip, base: str, path: str) -> tuple[str | None, str]:
    """The decoded text of an internal file, or (None, why not)."""
    path = path.strip()
    if path.lower().startswith(EXTERNAL):
        return None, "text sources in external files (not inside the .qdpx)"
    name = path[len("internal://") :] if path.lower().startswith("internal://") else path
    if not name or name_problem(name):
        return None, "text sources with an unusable file path"
    for candidate in (f"{base}sources/{name}", f"{base}{name}"):
        info = archive.find(candidate)
        if info is not None:
            try:
                text, _encoding = decode_bytes(archive.read(info))
            except BadInput:
                return None, "text sources whose file is not readable text"
            return text, ""
    return None, "text sources whose file is missing from the .qdpx"


def prepare_sources(
    proj: RefiProject, archive: SafeZip, base: str, what: str, notes: list[str]
) -> list[PreparedSource]:
    prepared: list[PreparedSource] = []
    preferred = counting_for_origin(proj.origin)
    on_passages = {n.key: n.span for n in proj.notes if n.span is not None}
    for source in proj.text_sources:
        label = source.name or source.plain_path or source.key
        if source.plain_path:
            raw, why = member_text(archive, base, source.plain_path)
        elif source.inline_text is not None:
            raw, why = source.inline_text, ""
        else:
            raw, why = None, "text sources without text (rich text only)"
        src = SourceText(raw) if raw is not None else None
        if src is not None and not src.text.strip():
            src, why = None, "empty text sources"
        if src is None:
            _skip_source(proj.skipped, source, why)
            continue
        if src.controls:
            notes.append(f"{label}: {src.controls} control character(s) replaced by spaces")
        passages = {
            key: on_passages[key] for r in source.note_refs if (key := guids.key(r)) in on_passages
        }
        prepared.append(
            _convert(source, src, preferred, label, what, proj.skipped, notes, passages)
        )
    return prepared


def _skip_source(skipped: Counter[str], source: RefiTextSource, why: str) -> None:
    skipped[why] += 1
    if source.selections:
        skipped["selections in text sources not imported"] += len(source.selections)
    codings = len(source.codings) + sum(len(sel.codings) for sel in source.selections)
    if codings:
        skipped["codings in text sources not imported"] += codings


def _convert(
    source: RefiTextSource,
    src: SourceText,
    preferred: Counting,
    label: str,
    what: str,
    skipped: Counter[str],
    notes: list[str],
    passages: dict[str, tuple[int, int]],
) -> PreparedSource:
    sels = [Selection(s.start, s.end, s.name) for s in source.selections]
    sels += [Selection(a, b) for a, b in passages.values()]
    counting, fit = choose_counting(src, sels, preferred)
    out = PreparedSource(source, src.text, counting, fit, had_crlf=src.has_crlf)
    units = src.units(counting)
    for sel in source.selections:
        if not 0 <= sel.start <= sel.end <= units:
            raise QualcodeError(
                f"{what}: refused: selection {sel.guid!r} in source {label!r} runs "
                f"{sel.start}-{sel.end}, outside its text (0-{units})"
            )
        start = src.to_text(sel.start, counting)
        end = src.to_text(sel.end, counting, end=True)
        if start >= end:
            skipped["empty selections"] += 1
            skipped["codings of empty selections"] += len(sel.codings)
            continue
        out.spans.append((sel, start, end))
    for key, (a, b) in passages.items():
        start, end = src.to_text(a, counting), src.to_text(b, counting, end=True)
        if not 0 <= a <= b <= units or start >= end:
            skipped["notes on a passage outside their text or empty (kept on the document)"] += 1
            continue
        out.note_spans[key] = (start, end)
    if counting != preferred:
        notes.append(
            f"{label}: positions fit {counting.label} better than the {preferred.label} "
            "expected from the file's origin; read them that way"
        )
    if fit.edges >= 10 and fit.edges_ok * 2 < fit.edges:
        notes.append(f"{label}: check the codings: only {fit.describe()}")
    return out
