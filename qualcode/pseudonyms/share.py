"""Writing a share package: the normal exporter on the pseudonymised copy, into a private
staging folder beside the target; then the package is scanned for every accepted original
form, and only a clean package (and its README, the residual-risk report) is moved into place.
A hit refuses the export with one line, and nothing is written.

Any exporter plugs in as ``write(copy_project, staged_target)``::

    result = share_package(project, Path("share.qdpx"), lambda p, out: export_qdpx(p, out))
"""

from __future__ import annotations

import html
import os
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from qualcode.errors import QualcodeError
from qualcode.interop.atomic_file import make_folder, refuse_database
from qualcode.interop.export_all import (
    FORMAT_BY_KEY,
    FORMATS,
    ExportDone,
    ExportFormat,
    run_export,
    target_path,
)
from qualcode.pseudonyms.copy import original_forms, pseudonymised_copy
from qualcode.pseudonyms.generalise import Generalisation
from qualcode.pseudonyms.replace import form_pattern, variants
from qualcode.pseudonyms.risk import RiskOptions, RiskReport, residual_risk
from qualcode.store.db import Project

T = TypeVar("T")


class OriginalInPackage(QualcodeError):
    """A share package would hold an original identifier: refused, nothing written."""


@dataclass
class SharePackage(Generic[T]):
    """What was written: the package, its README, and what the exporter returned."""

    path: Path
    readme: Path
    result: T
    risk: RiskReport


def _readable(path: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of every part of a file: each member of a zip (.qdpx, .xlsx, .docx), or the
    file itself; XML entities are read as the characters they stand for."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                data = zf.read(info)
                yield f"{path.name}:{info.filename}", data.decode("utf-8", "replace")
        return
    yield path.name, path.read_bytes().decode("utf-8", "replace")


def _files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def refuse_if_originals(paths: Iterable[Path], originals: Iterable[str]) -> None:
    """Raise :class:`OriginalInPackage` when any file (or zip member, or file in a folder)
    holds an original form as a whole word, in its own spelling or in capitals, also behind
    XML or HTML escapes."""
    pattern = form_pattern(v for form in originals for v in variants(form))
    if pattern is None:
        return
    for path in _files(paths):
        for name, text in _readable(path):
            for candidate in (text, html.unescape(text)):
                hit = pattern.search(candidate)
                if hit is not None:
                    raise OriginalInPackage(
                        f"refused: the share package would contain the original {hit.group()!r} "
                        f"(in {name}); nothing was written"
                    )


def _staging(target: Path) -> Path:
    refuse_database(target)
    folder = target.parent / f".{target.name}.share-{uuid.uuid4().hex[:12]}"
    folder.mkdir(mode=0o700)
    return folder


def readme_path(target: Path, *, folder: bool) -> Path:
    """The README of a share package: ``README.md`` inside a folder of files (CSV), else
    ``<file name>.README.md`` beside the file (``share.qdpx`` -> ``share.qdpx.README.md``, so that
    ``share.xlsx`` beside it keeps a README of its own)."""
    return target / "README.md" if folder else target.with_name(f"{target.name}.README.md")


def share_package(
    project: Project,
    target: Path,
    write: Callable[[Project, Path], T],
    *,
    folder: bool = False,
    generalise: Generalisation | None = None,
    risk: RiskOptions | None = None,
) -> SharePackage[T]:
    """Write ``target`` (a file, or with ``folder`` a folder of files) with ``write`` run on
    the pseudonymised copy, and its README; refused with nothing written when the output holds
    an original form."""
    target = target.expanduser()
    make_folder(target.parent)
    if folder and target.exists() and not target.is_dir():
        raise QualcodeError(f"{target} is a file; give a folder for the share package")
    originals = original_forms(project)
    stage = _staging(target)
    try:
        staged = stage / target.name
        with pseudonymised_copy(project, generalise=generalise) as copy:
            result = write(copy, staged)
            report = residual_risk(
                project, risk or RiskOptions(), generalised=generalise, pseudonymised=True
            )
        staged_readme = stage / "README.staged.md"
        staged_readme.write_text(report.as_markdown(), encoding="utf-8")
        refuse_if_originals([staged, staged_readme], originals)
        readme = readme_path(target, folder=folder)
        if folder:
            make_folder(target)
            for part in sorted(staged.iterdir()):
                os.replace(part, target / part.name)
        else:
            os.replace(staged, target)
        os.replace(staged_readme, readme)
        return SharePackage(target, readme, result, report)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def format_for(out: str) -> ExportFormat:
    """The export format a share package's path asks for: ``.qdpx``, ``.xlsx``, ``.qdc``, or a
    folder of CSV files (no extension)."""
    suffix = Path(out.strip()).suffix.lower()
    for fmt in FORMATS:
        if fmt.suffix == suffix:
            return fmt
    if suffix:
        known = ", ".join(f.suffix for f in FORMATS if f.suffix)
        raise QualcodeError(f"a share package is {known} or a folder (CSV), not {suffix}")
    return FORMAT_BY_KEY["csv"]


def run_share_export(
    project: Project,
    out: str,
    *,
    coder: str | None = None,
    generalise: Generalisation | None = None,
    risk: RiskOptions | None = None,
) -> ExportDone:
    """The workbench's export (:func:`run_export`) as a share package, in the format its path
    names (see :func:`format_for`)."""
    fmt = format_for(out)
    target = target_path(out, fmt)

    def write(copy: Project, staged: Path) -> ExportDone:
        return run_export(copy, fmt.key, staged, coder=coder)

    package = share_package(
        project, target, write, folder=fmt.is_folder, generalise=generalise, risk=risk
    )
    files = sorted(p for p in target.rglob("*") if p.is_file()) if fmt.is_folder else [target]
    size = sum(f.stat().st_size for f in files)
    summary = f"{package.result.summary}; pseudonymised, residual risk in {package.readme.name}"
    return ExportDone(fmt, target, size, summary)
