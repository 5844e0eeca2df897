"""The syntax tree of a scanned file (format.md §5.1), by token index, with statements in their order.

The grammar (language.md §2) is small enough that one loop over the token kinds decides it exactly; the
language parser (syntax.py) keeps attributes and inner blocks apart, and formatting needs them in order.
No recursion: nesting is bounded by MAX_DEPTH, checked as each block or list opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from hvlint.formatting.tokens import Scan

MAX_DEPTH = 32
SCALARS = frozenset({"STRING", "NAME", "NUMBER", "QUANTITY", "BOOLEAN"})
END = "$END"


@dataclass(slots=True)
class ListValue:
    """`[ ... ]`: the indices of its brackets, and its items (a token index or a list each)."""

    open: int
    close: int
    items: list[Value] = field(default_factory=list)


Value = Union[int, "ListValue"]


@dataclass(slots=True)
class Attribute:
    """`key = value`: the key's token index and the value."""

    key: int
    value: Value


@dataclass(slots=True)
class Block:
    """`kind label { ... }`: token indices of its kind, label (-1: none) and braces, and its statements."""

    kind: int
    label: int
    open: int
    close: int
    body: list[Attribute | Block] = field(default_factory=list)


class NotATree(Exception):
    """The tokens do not form a file: at token `index`, a syntax error or nesting past MAX_DEPTH."""

    def __init__(self, index: int, too_deep: bool = False) -> None:
        super().__init__(index)
        self.index = index
        self.too_deep = too_deep


def read_tree(scan: Scan) -> list[Block]:
    """The top-level blocks of a scanned file; raises NotATree where the tokens stop making one."""
    kinds = [*scan.kinds, END, END]
    count = len(scan.kinds)
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    body: list[Attribute | Block] = blocks  # type: ignore[assignment]
    index = 0
    while index < count:
        kind = kinds[index]
        if kind == "NAME" and open_blocks and kinds[index + 1] == "EQUAL":
            value_at = index + 2
            following = kinds[value_at]
            if following in SCALARS:
                value: Value = value_at
                after = value_at + 1
            elif following == "LSQB":
                value, after = _list(kinds, value_at, len(open_blocks) + 1)
            else:
                raise NotATree(value_at)
            body.append(Attribute(index, value))
            index = after + 1 if kinds[after] == "SEMICOLON" else after
        elif kind == "NAME":
            label = index + 1 if kinds[index + 1] in ("NAME", "STRING") else -1
            opening = label + 1 if label > 0 else index + 1
            if kinds[opening] != "LBRACE":
                raise NotATree(opening)
            if len(open_blocks) >= MAX_DEPTH:
                raise NotATree(opening, too_deep=True)
            block = Block(index, label, opening, -1, [])
            body.append(block)
            open_blocks.append(block)
            body = block.body
            index = opening + 1
        elif kind == "RBRACE" and open_blocks:
            open_blocks.pop().close = index
            body = open_blocks[-1].body if open_blocks else blocks  # type: ignore[assignment]
            index += 2 if kinds[index + 1] == "SEMICOLON" else 1
        else:
            raise NotATree(index)
    if open_blocks:
        raise NotATree(count)
    return blocks


def _list(kinds: list[str], index: int, depth: int) -> tuple[ListValue, int]:
    """The list opening at `index` at nesting `depth`, and the index after its `]`."""
    if depth > MAX_DEPTH:
        raise NotATree(index, too_deep=True)
    root = ListValue(index, -1, [])
    lists = [root]
    after_item = False
    index += 1
    while True:
        kind = kinds[index]
        if kind == "RSQB":
            lists.pop().close = index
            index += 1
            if not lists:
                return root, index
            after_item = True
        elif after_item:
            if kind != "COMMA":
                raise NotATree(index)
            after_item = False
            index += 1
        elif kind in SCALARS:
            lists[-1].items.append(index)
            after_item = True
            index += 1
        elif kind == "LSQB":
            if depth + len(lists) > MAX_DEPTH:
                raise NotATree(index, too_deep=True)
            inner = ListValue(index, -1, [])
            lists[-1].items.append(inner)
            lists.append(inner)
            index += 1
        else:
            raise NotATree(index)
