"""Parsing untrusted REFI-QDA XML: defusedxml (no DTDs, entities or external references), with
bounds on nesting depth and element count, and helpers that match elements by local name
(real files use ``urn:QDA-XML:codebook:1.0``, ``1:0``, ``0:4`` or no namespace at all)."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from qualcode.errors import QualcodeError

MAX_DEPTH = 100
MAX_ELEMENTS = 2_000_000


def parse_xml(data: bytes, what: str) -> Element:
    """The root element of ``data``, or QualcodeError with a one-line reason."""
    depth = 0
    count = 0
    root: Element | None = None
    try:
        for event, elem in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            if event == "end":
                depth -= 1
                continue
            depth += 1
            count += 1
            if root is None:
                root = elem
            if depth > MAX_DEPTH:
                raise QualcodeError(f"{what}: refused: XML nested more than {MAX_DEPTH} deep")
            if count > MAX_ELEMENTS:
                raise QualcodeError(f"{what}: refused: more than {MAX_ELEMENTS:,} XML elements")
    except DefusedXmlException:
        raise QualcodeError(
            f"{what}: refused: the XML declares a DTD or entities (possible entity bomb)"
        ) from None
    except ET.ParseError as exc:
        raise QualcodeError(f"{what}: not well-formed XML ({exc})") from None
    if root is None:
        raise QualcodeError(f"{what}: empty XML")
    return root


def local(tag: object) -> str:
    """An element's name without its namespace."""
    name = tag if isinstance(tag, str) else ""
    return name.rsplit("}", 1)[-1]


def kids(elem: Element, name: str) -> list[Element]:
    return [c for c in elem if local(c.tag) == name]


def kid(elem: Element, name: str) -> Element | None:
    return next((c for c in elem if local(c.tag) == name), None)


def listed(elem: Element, container: str, name: str) -> list[Element]:
    """The ``name`` children of the ``container`` child (``<Users><User/>...``), if any."""
    box = kid(elem, container)
    return kids(box, name) if box is not None else []


def kid_text(elem: Element, name: str) -> str:
    """The text of a child element (all of it, nested markup included), or ``""``."""
    child = kid(elem, name)
    return "".join(child.itertext()) if child is not None else ""


def attr(elem: Element, name: str) -> str:
    """An attribute (unqualified, or in any namespace) stripped, or ``""``."""
    value = elem.get(name)
    if value is None:
        value = next((v for k, v in elem.attrib.items() if local(k) == name), "")
    return value.strip()


def refs(elem: Element, name: str) -> list[str]:
    """``targetGUID`` (or, codebook style, ``guid``) of each child element ``name``."""
    return [r for c in kids(elem, name) if (r := attr(c, "targetGUID") or attr(c, "guid"))]


def integer(elem: Element, name: str, what: str) -> int:
    raw = attr(elem, name)
    try:
        return int(raw)
    except ValueError:
        raise QualcodeError(f"{what}: {name}={raw!r} is not a whole number") from None


def timestamp(value: str) -> dt.datetime | None:
    """An ``xsd:dateTime`` as naive UTC, or None when absent or unreadable."""
    if not value:
        return None
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        try:
            stamp = stamp.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
            return None
    return stamp
