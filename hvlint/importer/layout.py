"""Writing the import's blocks in `hvlint format`'s canonical layout (format.md §3): two-space indents,
`=` aligned within runs, one-line blocks that fit in 100 characters, lists by width."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

WIDTH = 100


@dataclass
class Attr:
    """`key = value`: a value's text, or a list of item texts."""

    key: str
    value: str | list[str]


@dataclass
class Comment:
    """An own-line comment (its text after `# `)."""

    text: str


@dataclass
class Blank:
    """A blank line between two groups of a body."""


@dataclass
class Block:
    """`kind label { ... }`: `label` is its text as written; `one_line` asks for the one-line form when
    it fits; `above` are comments on their own lines above the header."""

    kind: str
    label: str
    items: list[Item] = field(default_factory=list)
    one_line: bool = False
    above: list[str] = field(default_factory=list)


Item = Union[Attr, Comment, Blank, Block]  # noqa: UP007 - a runtime alias under Python 3.10


def render(header: list[str], blocks: list[Block]) -> str:
    """The file: the header comments, a blank line, then the blocks separated by blank lines."""
    lines = [f"# {text}" for text in header]
    for block in blocks:
        if lines:
            lines.append("")
        lines.extend(_block(block, ""))
    return "".join(line + "\n" for line in lines)


def _value(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "[" + ", ".join(value) + "]"


def _block(block: Block, indent: str) -> list[str]:
    lines = [f"{indent}# {text}" for text in block.above]
    head = f"{indent}{block.kind} {block.label}"
    if not block.items:
        return [*lines, head + " {}"]
    if block.one_line and all(isinstance(item, Attr) for item in block.items):
        body = "; ".join(
            f"{item.key} = {_value(item.value)}" for item in block.items if isinstance(item, Attr)
        )
        one = f"{head} {{ {body} }}"
        if len(one) <= WIDTH:
            return [*lines, one]
    lines.append(head + " {")
    inner = indent + "  "
    run: list[Attr] = []
    for item in block.items:
        if isinstance(item, Attr) and _fits(item, inner):
            run.append(item)
            continue
        lines.extend(_run(run, inner))
        run = []
        if isinstance(item, Attr):
            lines.append(f"{inner}{item.key} = [")
            lines.extend(f"{inner}  {text}," for text in item.value)
            lines.append(f"{inner}]")
        elif isinstance(item, Comment):
            lines.append(f"{inner}# {item.text}")
        elif isinstance(item, Blank):
            lines.append("")
        else:
            lines.extend(_block(item, inner))
    lines.extend(_run(run, inner))
    lines.append(indent + "}")
    return lines


def _fits(attr: Attr, indent: str) -> bool:
    return isinstance(attr.value, str) or len(f"{indent}{attr.key} = {_value(attr.value)}") <= WIDTH


def _run(run: list[Attr], indent: str) -> list[str]:
    width = max((len(attr.key) for attr in run), default=0)
    return [f"{indent}{attr.key.ljust(width)} = {_value(attr.value)}" for attr in run]
