"""Random syntax trees printed with random whitespace, semicolons, quoting and comments (format.md §10),
for the formatter's properties; and a tree compared the way the language parser sees it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

from hvlint.formatting.strings import string_value
from hvlint.language.syntax import RawBlock, RawList, RawValue, parse

KINDS = ["cluster", "host", "vm", "network", "storage", "processor", "disk"]
KEYS = ["memory", "disks", "roles", "host", "path", "a", "possible_owners", "x_1", "dirty_rate"]
SCALARS = [
    "HV01",
    "hv-01.contoso.com",
    "3dnow",
    "12",
    "0x10",
    "2.5",
    "16GiB",
    "80MB/s",
    "10Gbps",
    "true",
    "false",
    '"External"',
    "'External'",
    '"\\\\\\\\fs01\\\\library"',
    "'C:\\ClusterStorage\\Volume1'",
    '"a\\tb"',
    "'say \"hi\"'",
    '"it\'s"',
    '"C:\\\\VMs\\n"',
    "''",
    '""',
    '"\\""',
]
COMMENTS = [
    "# note",
    "// measured",
    "#",
    "# hvlint: disable=HV304",
    "// hvlint: disable=HV101,HV501",
    "# é ü",
]
WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


class _Writer:
    def __init__(self, chooser: random.Random, width: int) -> None:
        self.chooser = chooser
        self.width = width

    def value(self, depth: int) -> list[str]:
        if depth < 4 and self.chooser.random() < 0.3:
            items = [self.value(depth + 1) for _ in range(self.chooser.randint(0, self.width))]
            tokens = ["["]
            for index, item in enumerate(items):
                tokens += item
                if index < len(items) - 1 or self.chooser.random() < 0.3:
                    tokens.append(",")
            return [*tokens, "]"]
        return [self.chooser.choice(SCALARS)]

    def block(self, depth: int) -> list[str]:
        tokens = [self.chooser.choice(KINDS)]
        label = self.chooser.random()
        if label < 0.8:
            tokens.append(self.chooser.choice(["HV01", '"SQL01"', "'SQL 01'", '"\\\\\\\\x"']))
        tokens.append("{")
        for _ in range(self.chooser.randint(0, 5)):
            if depth < 4 and self.chooser.random() < 0.25:
                tokens += self.block(depth + 1)
            else:
                tokens += [self.chooser.choice(KEYS), "=", *self.value(depth + 1)]
                if self.chooser.random() < 0.3:
                    tokens.append(";")
        tokens.append("}")
        if self.chooser.random() < 0.2:
            tokens.append(";")
        return tokens


@st.composite
def random_files(draw: st.DrawFn) -> str:
    """A valid file: random blocks, attributes and lists, laid out at random."""
    chooser = random.Random(draw(st.integers(0, 2**32)))
    writer = _Writer(chooser, draw(st.sampled_from([2, 4, 12])))
    tokens: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        tokens += writer.block(1)
    density = draw(st.sampled_from([0.0, 0.2, 0.5, 0.9]))
    pieces = [" ", "\n", "\n\n", "\t", "  ", "\r\n", "\n  \n"]
    out = [chooser.choice(["", "\n", "# top\n", "\ufeff"]) if chooser.random() < 0.2 else ""]
    for index, token in enumerate(tokens):
        out.append(token)
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if chooser.random() < density:
            separator = chooser.choice(pieces)
            if chooser.random() < 0.3:
                separator = " " + chooser.choice(COMMENTS) + "\n" + separator
        elif token[-1] in WORD and following[:1] in WORD:
            separator = " "
        else:
            separator = ""
        out.append(separator)
    if chooser.random() < 0.2:
        out.append("// the end")
    return "".join(out)


def raw_tree(text: str) -> Any:
    """The tree as the language parser builds it (attributes and inner blocks apart), with strings by
    their values; None when it has syntax errors."""
    parsed = parse(text.removeprefix("\ufeff"))
    if parsed.errors:
        return None
    return [_block(block) for block in parsed.blocks]


def _block(block: RawBlock) -> Any:
    label = None if block.label is None else _scalar(block.label)
    attributes = [(str(a.key), _value(a.value)) for a in block.attributes]
    return (str(block.kind), label, attributes, [_block(inner) for inner in block.blocks])


def _value(value: RawValue) -> Any:
    if isinstance(value, RawList):
        return [_value(item) for item in value.items]
    return _scalar(value)


def _scalar(token: Any) -> tuple[str, str]:
    return (token.type, string_value(str(token)) if token.type == "STRING" else str(token))


def comment_texts(comments: Sequence[Any]) -> list[str]:
    """The texts of comments as the language parser collects them, less trailing whitespace."""
    return [comment.text.rstrip(" \t\r\f\v") for comment in comments]
