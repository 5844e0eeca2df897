"""Writing the import's blocks in `hvlint format`'s canonical layout (format.md §3): two-space indents,
`=` aligned within runs, one-line blocks that fit in 100 characters, lists by width."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

WIDTH = 100


@dataclass(slots=True)
class Attr:
    """`key = value`: a value's text, or a list of item texts."""

    key: str
    value: str | list[str]


@dataclass(slots=True)
class Comment:
    """An own-line comment (its text after `# `)."""

    text: str


@dataclass(slots=True)
class Blank:
    """A blank line between two groups of a body."""


@dataclass(slots=True)
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
        _block(block, "", lines)
    return "\n".join(lines) + "\n" if lines else ""


def _value(value: str | list[str]) -> str:
    return value if value.__class__ is str else "[" + ", ".join(value) + "]"


def _block(block: Block, indent: str, lines: list[str]) -> None:
    """Appends the lines of `block` to `lines`."""
    for text in block.above:
        lines.append(f"{indent}# {text}")
    head = f"{indent}{block.kind} {block.label}"
    if not block.items:
        lines.append(head + " {}")
        return
    if block.one_line and all(isinstance(item, Attr) for item in block.items):
        body = "; ".join(
            f"{item.key} = {_value(item.value)}" for item in block.items if isinstance(item, Attr)
        )
        one = f"{head} {{ {body} }}"
        if len(one) <= WIDTH:
            lines.append(one)
            return
    lines.append(head + " {")
    inner = indent + "  "
    run: list[tuple[str, str]] = []
    for item in block.items:
        if isinstance(item, Attr):
            text = _value(item.value)
            if item.value.__class__ is str or len(inner) + len(item.key) + 3 + len(text) <= WIDTH:
                run.append((item.key, text))
                continue
        if run:
            _run(run, inner, lines)
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
            _block(item, inner, lines)
    if run:
        _run(run, inner, lines)
    lines.append(indent + "}")


def _run(run: list[tuple[str, str]], indent: str, lines: list[str]) -> None:
    """Appends a run of `key = value` lines with their `=` aligned."""
    width = max(len(key) for key, _ in run)
    lines.extend(f"{indent}{key.ljust(width)} = {text}" for key, text in run)
