"""Codebooks: load, validate, export and merge into a project; edit codes in place.

The YAML functions load PyYAML when first asked for (``from qualcode.codebook import
load_codebook`` works as usual): a REFI-QDA export or a report reads the codebook without it.
"""

from typing import TYPE_CHECKING, Any

from qualcode.codebook.apply import ApplyReport, apply_codebook, codebook_from_project
from qualcode.codebook.model import Codebook, CodeSpec

if TYPE_CHECKING:
    from qualcode.codebook.yaml_io import dump_codebook, load_codebook, parse_codebook

_YAML = ("dump_codebook", "load_codebook", "parse_codebook")

__all__ = [
    "ApplyReport",
    "CodeSpec",
    "Codebook",
    "apply_codebook",
    "codebook_from_project",
    "dump_codebook",
    "load_codebook",
    "parse_codebook",
]


def __getattr__(name: str) -> Any:
    if name in _YAML:
        from qualcode.codebook import yaml_io

        return getattr(yaml_io, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
