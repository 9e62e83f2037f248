"""Reading transcript files: .txt/.md, .docx, .vtt and .srt.

A reader returns the document's text (normalised, immutable from then on) and, for caption files,
the cues with their timestamps and character spans in that text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import QualcodeError
from qualcode.ingest.decode import BadInput, decode_bytes, normalise_text
from qualcode.ingest.docx_text import docx_lines
from qualcode.ingest.safe_zip import SafeZip

MAX_FILE_BYTES = 50_000_000
DOCX_MAX_UNCOMPRESSED = 200_000_000
#: XML in a .docx (python-docx's tree takes many times this in memory)
DOCX_MAX_XML = 50_000_000
FORMATS = {".txt": "txt", ".md": "md", ".docx": "docx", ".vtt": "vtt", ".srt": "srt"}


@dataclass
class Cue:
    start: int
    end: int
    time_start: float
    time_end: float
    speaker: str | None


@dataclass
class RawTranscript:
    text: str
    format: str
    encoding: str = "utf-8"
    cues: list[Cue] = field(default_factory=list)


def read_transcript(path: str | Path) -> RawTranscript:
    """Read one transcript file, or raise BadInput with a one-line reason."""
    p = Path(path)
    fmt = FORMATS.get(p.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise BadInput(f"unsupported file type {p.suffix or '(none)'!r}; qualcode reads {known}")
    if not p.exists():
        raise BadInput("missing: no such file")
    if not p.is_file():
        raise BadInput("not a regular file")
    size = p.stat().st_size
    if size == 0:
        raise BadInput("empty file")
    if size > MAX_FILE_BYTES:
        raise BadInput(f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    data = p.read_bytes()
    if fmt == "docx":
        raw = RawTranscript(text=read_docx(p, data), format=fmt, encoding="docx")
    else:
        text, encoding = decode_bytes(data)
        text = normalise_text(text)
        if fmt in ("vtt", "srt"):
            raw = read_captions(text, fmt)
            raw.encoding = encoding
        else:
            raw = RawTranscript(text=text, format=fmt, encoding=encoding)
    if not raw.text.strip():
        raise BadInput("empty transcript (no text)")
    return raw


def read_docx(path: Path, data: bytes | None = None) -> str:
    """The text of a .docx, one paragraph or table row a line (see
    :mod:`qualcode.ingest.docx_text`). The archive (``data``, read from ``path``) is checked
    first by decompressing every member within bounds (:class:`~qualcode.ingest.safe_zip.SafeZip`);
    python-docx then parses those same bytes."""
    data = path.read_bytes() if data is None else data
    check_docx(path, data)
    import docx  # python-docx; imported here to keep start-up fast

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for broken files
        raise BadInput(f"not a readable .docx ({type(exc).__name__})") from None
    lines = docx_lines(document)
    return normalise_text("\n".join(lines).strip("\n") + "\n")


def check_docx(path: Path, data: bytes) -> None:
    """Refuse a .docx that is not a Word archive or that expands too much: every member is
    decompressed and counted (the sizes it declares are not trusted), at most
    :data:`DOCX_MAX_UNCOMPRESSED` bytes in all and :data:`DOCX_MAX_XML` bytes of XML, which
    python-docx parses into a tree many times larger."""
    if not data.startswith(b"PK"):
        raise BadInput("not a valid .docx (not a zip archive)")
    try:
        with SafeZip(path, data=data, label=".docx", max_total=DOCX_MAX_UNCOMPRESSED) as zf:
            if zf.find("word/document.xml") is None:
                raise BadInput("not a Word .docx (no word/document.xml)")
            xml = 0
            for info in zf.members.values():
                if info.is_dir():
                    continue
                size = zf.measure(info)
                if info.filename.lower().endswith((".xml", ".rels")):
                    xml += size
                    if xml > DOCX_MAX_XML:
                        raise BadInput(
                            f"refused: .docx holds more than {DOCX_MAX_XML // 1_000_000} MB "
                            "of XML (possible zip bomb)"
                        )
    except BadInput:
        raise
    except QualcodeError as exc:
        message = str(exc).removeprefix(".docx: ")
        if "readable zip" in message:
            message = "not a valid .docx (not a zip archive)"
        raise BadInput(message) from None


_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_CUE_TIMING = re.compile(rf"^\s*{_TIME}\s*-->\s*{_TIME}")
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>)?$", re.S)
_LABEL = re.compile(r"^([A-Z][\w .'\-]{0,40}?):\s+(.*)$", re.S)
_TAGS = re.compile(r"</?[^>]+>")


#: the most hours a cue's timestamp may have (a 5,000-digit hour is no time)
MAX_HOURS = 99_999


def _seconds(h: str | None, m: str, s: str, frac: str) -> float | None:
    """A timestamp in seconds, or None when it is no time (minutes or seconds over 59,
    an hour beyond MAX_HOURS)."""
    if int(m) > 59 or int(s) > 59 or (h is not None and (len(h) > 6 or int(h) > MAX_HOURS)):
        return None
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(frac.ljust(3, "0")) / 1000


def _timing(line: str, number: int) -> tuple[float, float]:
    """A cue's start and end, or BadInput naming the cue: an impossible time (00:00:99,000)
    or an end before the start is refused, not stored."""
    m = _CUE_TIMING.match(line)
    assert m is not None
    t0 = _seconds(*m.group(1, 2, 3, 4))
    t1 = _seconds(*m.group(5, 6, 7, 8))
    shown = line.strip()[:60]
    if t0 is None or t1 is None:
        raise BadInput(f"cue {number} ({shown}): a timestamp that is no time")
    if t1 < t0:
        raise BadInput(f"cue {number} ({shown}): it ends before it starts")
    return t0, t1


def read_captions(text: str, fmt: str) -> RawTranscript:
    """Captions (.vtt/.srt from Zoom, Teams, Otter) to a turn-per-paragraph transcript.

    Consecutive cues of one speaker join into one turn ``Speaker: text``; each cue keeps its
    timestamps and its span in the text.
    """
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    if fmt == "vtt":
        if not blocks or not blocks[0].lstrip().startswith("WEBVTT"):
            raise BadInput("not a WebVTT file (no WEBVTT header)")
        blocks = blocks[1:]
    cues: list[tuple[float, float, str | None, str]] = []
    timed = 0
    for block in blocks:
        lines = block.split("\n")
        idx = next((i for i, line in enumerate(lines) if _CUE_TIMING.match(line)), None)
        if idx is None:
            if lines[0].startswith(("NOTE", "STYLE", "REGION")) or lines[0].strip().isdigit():
                continue
            raise BadInput(f"caption block without timing: {lines[0][:40]!r}")
        timed += 1
        t0, t1 = _timing(lines[idx], timed)
        body = " ".join(line.strip() for line in lines[idx + 1 :] if line.strip())
        speaker = None
        voice = _VOICE.match(body)
        if voice:
            speaker, body = voice.group(1).strip(), voice.group(2)
        body = _TAGS.sub("", body).strip()
        if speaker is None:
            label = _LABEL.match(body)
            if label:
                speaker, body = label.group(1).strip(), label.group(2).strip()
        if body:
            cues.append((t0, t1, speaker, body))
    if not cues:
        raise BadInput(f"no captions found in this .{fmt} file")
    return _render_cues(cues, fmt)


def _render_cues(cues: list[tuple[float, float, str | None, str]], fmt: str) -> RawTranscript:
    parts: list[str] = []
    out: list[Cue] = []
    pos = 0
    current: str | bool | None = False  # False: no turn open yet
    for t0, t1, speaker, body in cues:
        if speaker != current:
            prefix = ("\n\n" if parts else "") + (f"{speaker}: " if speaker else "")
            current = speaker
        else:
            prefix = " "
        parts.append(prefix)
        pos += len(prefix)
        parts.append(body)
        out.append(Cue(pos, pos + len(body), t0, t1, speaker))
        pos += len(body)
    parts.append("\n")
    return RawTranscript(text="".join(parts), format=fmt, cues=out)
