"""Reading an inventory file's bytes into JSON values (import.md §4): the encodings, strict RFC 8259,
members given twice, and the limits of size and depth."""

from __future__ import annotations

import json
import re
from typing import Any

MAX_BYTES = 512 * 1024 * 1024
MAX_DEPTH = 64


class InventoryError(Exception):
    """The document cannot be imported: `message` follows `NAME` or `NAME:LINE:COLUMN` (import.md §9.1)."""

    def __init__(self, message: str, position: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


class _Twice:
    """Stands, while parsing, for an object in which `member` is given twice."""

    __slots__ = ("member",)

    def __init__(self, member: str) -> None:
        self.member = member


def decode(data: bytes) -> str:
    """The text of UTF-8 (with or without a byte-order mark) or of UTF-16 with a byte-order mark."""
    if len(data) > MAX_BYTES:
        raise InventoryError("larger than 512 MiB")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16-le" if data[:2] == b"\xff\xfe" else "utf-16-be"
        try:
            return data[2:].decode(codec)
        except UnicodeDecodeError as error:
            _bad_byte(data, error.start + 2)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        _bad_byte(data, error.start)
    raise AssertionError("unreachable")  # pragma: no cover


def _bad_byte(data: bytes, offset: int) -> None:
    raise InventoryError(
        f"not UTF-8 or UTF-16 text (byte 0x{data[offset]:02x} at offset {offset}); "
        "write the file with the collector's -OutFile"
    )


def _no_constant(name: str) -> Any:
    raise _Constant(name)


class _Constant(Exception):
    pass


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]|[^\s\[\]{},:"]+', re.DOTALL)


def parse(text: str) -> Any:
    """The JSON value of `text`, strictly: anything RFC 8259 refuses, a member given twice, or nesting
    deeper than 64 levels is an InventoryError."""
    duplicates: list[_Twice] = []

    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Twice:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        twice = _object(pairs)
        duplicates.append(twice)  # type: ignore[arg-type]
        return twice

    try:
        value = json.loads(text, object_pairs_hook=members, parse_constant=_no_constant)
    except _Constant as constant:
        raise InventoryError(f"invalid JSON: {constant} is not JSON", _constant_position(text)) from None
    except json.JSONDecodeError as error:
        reason = error.msg[:1].lower() + error.msg[1:]
        raise InventoryError(f"invalid JSON: {reason}", (error.lineno, error.colno)) from None
    except RecursionError:
        raise InventoryError(f"{_deep_path(text)}: nested deeper than {MAX_DEPTH} levels") from None
    if duplicates or _nesting(value) > MAX_DEPTH:
        _check_tree(value, text)
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any] | _Twice:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            return _Twice(key)
        result[key] = value
    return result


def _nesting(value: Any) -> int:
    """How many arrays and objects deep `value` is, counted no further than one level past the limit."""
    level = [value] if value.__class__ in (dict, list) else []
    depth = 0
    while level and depth <= MAX_DEPTH:
        depth += 1
        inner: list[Any] = []
        for node in level:
            inner += [
                item
                for item in (node.values() if node.__class__ is dict else node)
                if item.__class__ in (dict, list)
            ]
        level = inner
    return depth


def _check_tree(value: Any, text: str) -> None:
    """Raises for the first member given twice, in document order, and for nesting beyond the limit."""
    stack: list[tuple[Any, str, int]] = [(value, "$", 1)]
    deep = False
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, _Twice):
            raise InventoryError(f'{path}: member "{node.member}" given twice')
        if isinstance(node, dict):
            deep = deep or depth > MAX_DEPTH
            stack.extend((item, f"{path}.{key}", depth + 1) for key, item in reversed(node.items()))
        elif isinstance(node, list):
            deep = deep or depth > MAX_DEPTH
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in reversed(list(enumerate(node))))
    if deep:
        raise InventoryError(f"{_deep_path(text)}: nested deeper than {MAX_DEPTH} levels")


def _deep_path(text: str) -> str:
    """The path of the first container nested deeper than the limit, found by scanning the text (the
    parser may not have finished)."""
    frames: list[list[Any]] = []  # [kind, member name or item index]
    expecting_key = False
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("{", "["):
            if len(frames) == MAX_DEPTH:
                break
            frames.append([token, 0 if token == "[" else ""])
            expecting_key = token == "{"
        elif token in ("}", "]"):
            frames.pop()
        elif token == ",":
            if frames and frames[-1][0] == "[":
                frames[-1][1] += 1
            expecting_key = bool(frames) and frames[-1][0] == "{"
        elif token == ":":
            expecting_key = False
        elif expecting_key:
            frames[-1][1] = json.loads(token)
    return "$" + "".join(f"[{sel}]" if kind == "[" else f".{sel}" for kind, sel in frames)


def _constant_position(text: str) -> tuple[int, int]:
    for match in _TOKENS.finditer(text):
        if match.group().lstrip("-") in ("NaN", "Infinity"):
            before = text[: match.start()]
            return before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
    return 1, 1  # pragma: no cover
