"""Codebooks: load, validate, export and merge into a project; edit codes in place."""

from qualcode.codebook.apply import ApplyReport, apply_codebook, codebook_from_project
from qualcode.codebook.model import Codebook, CodeSpec
from qualcode.codebook.yaml_io import dump_codebook, load_codebook, parse_codebook

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
