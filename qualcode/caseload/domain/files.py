"""Caseload-share extraction over transcript files (outside any project)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qualcode.caseload.domain.extract import extract_shares
from qualcode.errors import QualcodeError
from qualcode.ingest import read_transcript


def read_text(path: Path) -> str:
    """A transcript's text as the importer reads it (so offsets match imported documents)."""
    try:
        return read_transcript(path).text
    except QualcodeError as exc:
        raise QualcodeError(f"{path}: {exc}") from None


def extract_files(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """For each file: file, share_pct (None when no statement), low, high, evidence, start, end."""
    if not paths:
        raise QualcodeError("name at least one transcript file")
    texts = [read_text(p) for p in paths]
    out: list[dict[str, Any]] = []
    for path, est in zip(paths, extract_shares(texts), strict=True):
        out.append(
            {
                "file": str(path),
                "share_pct": est.share_pct if est else None,
                "low": est.low if est else None,
                "high": est.high if est else None,
                "evidence": est.evidence if est else None,
                "start": est.start if est else None,
                "end": est.end if est else None,
            }
        )
    return out
