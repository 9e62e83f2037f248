"""REFI-QDA interchange: ``qualcode export qdc|qdpx OUT`` and ``qualcode import-qdpx FILE``.

``export_app`` is the ``export`` command group; other exporters add their commands to it
(``from qualcode.commands.refi import export_app``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from qualcode.commands.common import (
    JsonOpt,
    actor_from,
    coder_from,
    console,
    err_console,
    print_json,
    project_from,
    state,
)
from qualcode.commands.pseudonyms import (
    GeneraliseOpt,
    KOpt,
    PseudonymisedOpt,
    QuasiOpt,
    share_export,
)
from qualcode.errors import QualcodeError
from qualcode.store.db import Project, resolve_url, sqlite_path

if TYPE_CHECKING:
    from qualcode.interop.refi.project_xml import ExportReport
    from qualcode.nlp.turn_finder import TurnRules

export_app = typer.Typer(
    help="Export the project for other tools (REFI-QDA .qdc/.qdpx, ...).", no_args_is_help=True
)

UniqueNamesOpt = Annotated[
    bool,
    typer.Option(
        "--unique-names",
        help="Qualify codes that share a name by their parent ('positive (Trust)'): "
        "QualCoder and qc merge codes of one name.",
    ),
]
UnflattenOpt = Annotated[
    bool,
    typer.Option(
        "--unflatten", help="Read code names like 'Coke::diet Coke' as a hierarchy (ATLAS.ti)."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.command("import-qdpx")(import_qdpx_cmd)


@export_app.command("qdc")
def export_qdc_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The codebook file to write (.qdc).")],
    unique_names: UniqueNamesOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Write the codebook (codes, colours, descriptions, code groups) as a REFI-QDA .qdc."""
    from qualcode.interop.refi.qdc import export_qdc

    result = export_qdc(project_from(ctx), out, unique_names=unique_names)
    if json_out:
        print_json(result)
        return
    console.print(f"codebook written to {out}: {result['codes']} code(s), {result['sets']} set(s)")
    notes = result["notes"]
    for note in notes if isinstance(notes, list) else []:
        console.print(f"  note: {note}")


@export_app.command("qdpx")
def export_qdpx_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="The project file to write (.qdpx).")],
    positions: Annotated[
        str,
        typer.Option(
            "--positions",
            help="'standard' (code points), 'nvivo' (UTF-16 units, CRLF: NVivo for Windows) "
            "or 'nvivo-mac' (UTF-16 units, LF: NVivo for Mac).",
        ),
    ] = "standard",
    unique_names: UniqueNamesOpt = False,
    pseudonymised: PseudonymisedOpt = False,
    generalise: GeneraliseOpt = None,
    quasi: QuasiOpt = None,
    k: KOpt = 3,
    json_out: JsonOpt = False,
) -> None:
    """Write the whole project (documents, codes, codings, memos, cases, groups) as a .qdpx.

    With --pseudonymised, a share package: see 'qualcode pseudonyms'."""
    from qualcode.interop.refi.qdpx_export import export_qdpx

    def write(project: Project, target: Path) -> ExportReport:
        return export_qdpx(
            project, target, positions=positions.strip().lower(), unique_names=unique_names
        )

    if pseudonymised:
        report = share_export(ctx, out, write, generalise=generalise, quasi=quasi, k=k).result
        report.file = str(out)
    else:
        report = write(project_from(ctx), out)
    if json_out:
        print_json(report.as_json())
        return
    console.print(
        f"project written to {out}: {report.documents} document(s), {report.codes} code(s), "
        f"{report.codings} coding(s) by {report.coders} coder(s), {report.memos} memo(s), "
        f"{report.cases} case(s), {report.variables} variable(s), {report.sets} set(s)"
    )
    for note in report.notes:
        console.print(f"  note: {note}")


def import_qdpx_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A REFI-QDA project (.qdpx).")],
    unflatten: UnflattenOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Import a REFI-QDA .qdpx (NVivo, ATLAS.ti, MAXQDA...) into this project; all or nothing.

    Documents with the same text and codes with the same path are reused; what cannot be imported
    (PDF, pictures, audio, video...) is listed.
    """
    run_qdpx_import(ctx, file, unflatten=unflatten, json_out=json_out)


def run_qdpx_import(
    ctx: typer.Context,
    file: Path,
    *,
    unflatten: bool,
    json_out: bool,
    rules: TurnRules | None = None,
) -> None:
    """Import a .qdpx and print its report (``import-qdpx``, and ``import`` given a .qdpx).

    A project file that does not exist yet is created (someone sent a project file expects to
    open it); when the import fails, the new file is removed again.
    """
    from qualcode.interop.refi.qdpx_import import import_qdpx

    if not file.is_file():
        raise QualcodeError(f"{file}: no such file")
    new_file = sqlite_path(resolve_url(state(ctx).project))
    if new_file is not None and new_file.exists():
        new_file = None
    project = project_from(ctx, create=new_file is not None)
    try:
        report = import_qdpx(
            project,
            file,
            actor=actor_from(ctx),
            unflatten=unflatten,
            default_coder=coder_from(ctx, required=False),
            rules=rules,
        )
    except BaseException:
        if new_file is not None:
            project.dispose()
            for leftover in (new_file, *(Path(f"{new_file}{x}") for x in ("-wal", "-shm"))):
                leftover.unlink(missing_ok=True)
        raise
    if new_file is not None:
        err_console.print(f"created the project {project.display_name}", soft_wrap=True)
    if json_out:
        print_json(report.as_json())
        return
    for line in report.summary():
        console.print(line, markup=False)
