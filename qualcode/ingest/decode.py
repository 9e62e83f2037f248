"""Turning transcript bytes into text: encodings detected, line endings normalised once."""

from __future__ import annotations

import codecs
import re

from qualcode.errors import QualcodeError

#: Control characters that never occur in a real transcript (tab, newline, CR and form feed do).
_BAD_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


class BadInput(QualcodeError):
    """A file that cannot be imported, with a one-line reason."""


def decode_bytes(data: bytes, kind: str = "transcript") -> tuple[str, str]:
    """Decode transcript (or other text) bytes; return (text, encoding name).

    UTF-8 with or without BOM, UTF-16 with BOM, then cp1252. Binary data is refused, and so is
    a file whose lines are UTF-8 and cp1252 mixed; ``kind`` names what the file should have
    been in the message.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        raise BadInput(f"binary file (contains NUL bytes), not a {kind}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        _refuse_mixed(data, exc.start)
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"undecodable: not UTF-8, UTF-16 or cp1252 (byte 0x{data[exc.start]:02x} "
            f"at offset {exc.start})"
        ) from None


def _refuse_mixed(data: bytes, bad: int) -> None:
    """Refuse bytes that are UTF-8 on some lines and not on others (a UTF-8 file with cp1252
    lines pasted in): read as cp1252, its UTF-8 lines would turn into mojibake (``Ã©``)."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        where = data.count(b"\n", 0, bad) + 1
        raise BadInput(
            f"mixes encodings: line {number} is UTF-8 but line {where} is not "
            f"(byte 0x{data[bad]:02x}); save the file as UTF-8"
        )


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadInput(f"undecodable {encoding} at byte {exc.start}") from None


def normalise_text(text: str, kind: str = "transcript") -> str:
    """Normalise line endings to ``\\n``, drop a stray BOM, and refuse control characters."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    bad = _BAD_CONTROLS.search(text)
    if bad is not None:
        code = ord(bad.group())
        raise BadInput(f"binary content (control character U+{code:04X}), not a {kind}")
    return text
