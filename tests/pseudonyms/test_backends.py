"""The scan, the review and a .qdpx share package on each backend (SQLite and PostgreSQL): the
copy is always a private SQLite file, whatever the project's database."""

from __future__ import annotations

from pathlib import Path

from qualcode.interop.refi.qdpx_export import export_qdpx
from qualcode.interop.refi.qdpx_import import import_qdpx
from qualcode.pseudonyms.review import set_status
from qualcode.pseudonyms.share import share_package
from qualcode.store import open_project
from tests.pseudonyms.study import Study, build_study
from tests.pseudonyms.test_share import codings_of, expected_codings, no_original_in


def test_share_package_on_each_backend(backend_url: str, tmp_path: Path) -> None:
    project = build_study(backend_url)
    try:
        with project.write() as s:
            set_status(s, [], "accepted", actor="ana", every=True)
        out = tmp_path / "share.qdpx"
        package = share_package(project, out, lambda copy, target: export_qdpx(copy, target))
        assert package.readme == tmp_path / "share.qdpx.README.md"
        no_original_in(package.readme.read_text(encoding="utf-8"))
        fresh = open_project(tmp_path / "fresh.db", create=True)
        import_qdpx(fresh, out, actor="bob")
        fresh.dispose()
        assert codings_of(tmp_path / "fresh.db") == expected_codings(
            Study(tmp_path / "unused", project)
        )
    finally:
        project.dispose()
