"""Writing REFI-QDA XML: elements in the default namespace, text made safe for XML 1.0."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from xml.etree.ElementTree import Element

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def origin() -> str:
    """What files we write say made them (``origin``)."""
    try:
        return f"qualcode {version('qualcode')}"
    except PackageNotFoundError:
        return "qualcode"


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (most control characters, lone surrogates)."""
    return _NOT_XML.sub("", text)


def root(tag: str, namespace: str, attrs: Mapping[str, str | None]) -> Element:
    elem = Element(tag, {"xmlns": namespace})
    for name, value in attrs.items():
        if value is not None:
            elem.set(name, xml_safe(value))
    return elem


def sub(
    parent: Element,
    tag: str,
    attrs: Mapping[str, str | None] | None = None,
    text: str | None = None,
) -> Element:
    """A child element; attributes whose value is None are left out."""
    elem = ET.SubElement(parent, tag)
    for name, value in (attrs or {}).items():
        if value is not None:
            elem.set(name, xml_safe(value))
    if text is not None:
        elem.text = xml_safe(text)
    return elem


def to_bytes(elem: Element) -> bytes:
    ET.indent(elem, space=" ")
    body: bytes = ET.tostring(elem, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


def timestamp(value: dt.datetime | None) -> str | None:
    """A stored (naive UTC) time as ``xsd:dateTime``."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + "Z"
