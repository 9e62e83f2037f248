"""Reading and writing codebooks as YAML.

Codes nest with ``children:``; a flat list with ``parent: "A/B"`` is accepted too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from qualcode.codebook.model import DEFAULT_COLOUR, Codebook, CodebookError, CodeSpec

MAX_BYTES = 5_000_000
MAX_CODES = 20_000
#: the deepest a code may sit below the top level, nested or by ``parent:`` paths
MAX_DEPTH = 20
TEXT_FIELDS = ("description", "inclusion", "exclusion", "example")
KNOWN_FIELDS = {"name", "key", "colour", "color", "children", "parent", "guid", *TEXT_FIELDS}


def load_codebook(path: str | Path) -> Codebook:
    p = Path(path)
    if not p.is_file():
        raise CodebookError(f"{p}: no such codebook file")
    if p.stat().st_size > MAX_BYTES:
        raise CodebookError(f"{p}: codebook file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{p}: not UTF-8 text ({exc.reason})") from exc
    return parse_codebook(text, source=str(p))


class UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a mapping that gives one key twice (the plain loader
    keeps the last value without a word)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if isinstance(key, list | dict):
                break  # unhashable: left to the loader's own error
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_codebook(text: str, source: str = "codebook") -> Codebook:
    try:
        data = yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader: no Python objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise CodebookError(f"{source}: {problem}{where}") from exc
    except RecursionError:
        raise CodebookError(f"{source}: the YAML nests too deeply to read") from None
    except ValueError as exc:  # a value the safe loader cannot build: a 5,000-digit int, 2001-13-45
        reason = str(exc).split(";")[0].strip() or type(exc).__name__
        raise CodebookError(f"{source}: a value YAML cannot read ({reason})") from None
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise CodebookError(f"{source}: expected a mapping with a 'codes:' list")
    book = Codebook(
        name=_text(data.get("name"), "name", source),
        version=_text(data.get("version"), "version", source),
        description=_text(data.get("description"), "description", source),
    )
    flat = [c for c in data["codes"] if isinstance(c, dict) and "parent" in c]
    nested = [c for c in data["codes"] if not (isinstance(c, dict) and "parent" in c)]
    budget = [MAX_CODES]
    book.codes = [_spec(c, source, 0, budget) for c in nested]
    if flat:
        _attach_flat(book, flat, source)
    book.validate()
    return book


def _text(value: Any, field: str, source: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()
    raise CodebookError(f"{source}: field {field!r} must be text")


def _spec(raw: Any, source: str, depth: int, budget: list[int]) -> CodeSpec:
    """One code and its children. ``budget`` counts down the codes still allowed, so that
    YAML aliases repeating one mapping cannot make the tree explode."""
    if depth > MAX_DEPTH:
        raise CodebookError(f"{source}: codes nest more than {MAX_DEPTH} levels deep")
    budget[0] -= 1
    if budget[0] < 0:
        raise CodebookError(f"{source}: more than {MAX_CODES} codes")
    if not isinstance(raw, dict):
        raise CodebookError(f"{source}: each code must be a mapping with at least a name")
    unknown = set(raw) - KNOWN_FIELDS
    name = _text(raw.get("name"), "name", source)
    if not name:
        raise CodebookError(f"{source}: a code has no name")
    if unknown:
        raise CodebookError(
            f"{source}: code {name!r} has unknown fields: {', '.join(sorted(unknown))}"
        )
    key = raw.get("key")
    children = raw.get("children") or []
    if not isinstance(children, list):
        raise CodebookError(f"{source}: 'children' of {name!r} must be a list")
    return CodeSpec(
        name=name,
        key=None if key is None or key == "" else _text(key, "key", source),
        colour=_text(raw.get("colour", raw.get("color")), "colour", source) or DEFAULT_COLOUR,
        guid=_text(raw.get("guid"), "guid", source) or None,
        children=[_spec(c, source, depth + 1, budget) for c in children],
        **{f: _text(raw.get(f), f, source) for f in TEXT_FIELDS},
    )


def _attach_flat(book: Codebook, flat: list[dict[str, Any]], source: str) -> None:
    """Place ``parent:``-style codes under their parents, in as many passes as needed."""
    budget = [MAX_CODES]
    pending = [
        (_text(c.get("parent"), "parent", source), _spec(c, source, 0, budget)) for c in flat
    ]
    while pending:
        index: dict[str, CodeSpec] = {}
        depth: dict[str, int] = {}
        for path, spec, above in book.walk():
            index[path] = spec
            depth[path] = 0 if above is None else depth[above] + 1
        left = []
        for parent, spec in pending:
            if not parent:
                book.codes.append(spec)
            elif parent in index:
                if depth[parent] + 1 + _height(spec) > MAX_DEPTH:
                    raise CodebookError(
                        f"{source}: codes nest more than {MAX_DEPTH} levels deep "
                        f"({spec.name!r} under {parent!r})"
                    )
                index[parent].children.append(spec)
            else:
                left.append((parent, spec))
        if len(left) == len(pending):
            names = ", ".join(f"{s.name!r} (parent {p!r})" for p, s in left)
            raise CodebookError(f"{source}: unknown parent or a cycle for {names}")
        pending = left


def _height(spec: CodeSpec) -> int:
    """How many levels a code's own children add below it (0 for a leaf)."""
    return max((1 + _height(c) for c in spec.children), default=0)


def codebook_to_dict(book: Codebook) -> dict[str, Any]:
    def code(spec: CodeSpec) -> dict[str, Any]:
        out: dict[str, Any] = {"name": spec.name}
        if spec.key:
            out["key"] = spec.key
        out["colour"] = spec.colour
        for f in TEXT_FIELDS:
            if getattr(spec, f):
                out[f] = getattr(spec, f)
        if spec.guid:
            out["guid"] = spec.guid
        if spec.children:
            out["children"] = [code(c) for c in spec.children]
        return out

    return {
        "name": book.name,
        "version": book.version,
        "description": book.description,
        "codes": [code(c) for c in book.codes],
    }


def dump_codebook(book: Codebook) -> str:
    return yaml.safe_dump(codebook_to_dict(book), sort_keys=False, allow_unicode=True, width=100)
