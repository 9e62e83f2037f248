"""REFI-QDA codebooks (.qdc); see :mod:`qualcode.interop.refi`."""

from qualcode.interop.refi.qdc import export_qdc, import_qdc, load_qdc, read_qdc

__all__ = ["export_qdc", "import_qdc", "load_qdc", "read_qdc"]
