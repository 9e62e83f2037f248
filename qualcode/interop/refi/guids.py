"""GUIDs: the form the schemas accept, comparison, and stable GUIDs for things we store without one.

Documents, coders, selections, codings, cases, variables and notes have no GUID column, so their
GUIDs are derived (uuid5) from stable keys: exporting twice gives the same GUIDs.
"""

from __future__ import annotations

import re
import uuid

#: The pattern of ``GUIDType`` in Project.xsd and Codebook.xsd.
GUID_PATTERN = re.compile(
    r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\})$"
)
NAMESPACE = uuid.UUID("5b0f3c1e-7a52-4c43-9d0e-2f6a1c8e4b71")


def is_valid_guid(value: str) -> bool:
    return bool(GUID_PATTERN.match(value))


def key(value: str) -> str:
    """The form GUIDs are compared in: no braces or white space, lower case."""
    return value.strip().strip("{}").strip().lower()


def stable_guid(*parts: str) -> str:
    """A GUID derived from stable parts (kind first), the same every time."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))


def stored_guid(value: str, kind: str) -> str:
    """The GUID to store for one read from a file: its key when valid, else a derived one."""
    k = key(value)
    return k if is_valid_guid(k) else stable_guid(kind, value)


def export_guid(value: str | None, kind: str, *fallback: str) -> str:
    """A schema-valid GUID for a stored value (or, without one, derived from ``fallback``)."""
    if value and is_valid_guid(value.strip()):
        return value.strip()
    return stable_guid(kind, value or "", *fallback)
