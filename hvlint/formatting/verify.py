"""The checks made on every formatted text before it is used (format.md §5.4): the same syntax tree, the
same comments, the same reach for every suppression, and the same text when formatted again.

Both texts parse, so their trees are equal exactly when their tokens are, less `;` and `,` and with each
string taken by its value: the grammar is unambiguous, and those two tokens only separate what brackets
and keys already delimit.
"""

from __future__ import annotations

from collections.abc import Callable

from hvlint.formatting.errors import FormatError, internal_error
from hvlint.formatting.layout import is_suppression, render
from hvlint.formatting.strings import string_value
from hvlint.formatting.tokens import PUNCTUATION, Scan, scan
from hvlint.formatting.tree import Block, NotATree, Value, read_tree

SUPPRESSION_MOVED = (
    "the suppression comment here would cover other statements once they are laid out one per line; "
    "give each statement its own line and put the comment on the line it is meant for"
)


def verify(before: Scan, tree: list[Block], formatted: str) -> None:
    """Raises FormatError unless `formatted`, the layout of `before` (whose tree is `tree`), means the
    same (§5.1-§5.3) and is its own layout (§4)."""
    after = scan(formatted)
    blocks = None
    if after is not None:
        try:
            blocks = read_tree(after)
        except NotATree:
            blocks = None
    _same_tokens(before, after)
    if after is None or blocks is None:
        raise internal_error("formatting would change the syntax tree here", *_position(before, 0))
    _same_comments(before, after)
    _same_reach(before, tree, after, blocks)
    if render(after, blocks) != formatted:
        raise internal_error("formatting twice gives a different text")


def _position(scan: Scan, token: int) -> tuple[int, int]:
    offset = scan.starts[token] if token < len(scan.starts) else len(scan.text)
    return scan.line(offset), scan.column(offset)


def _significant(scan: Scan) -> tuple[list[int], list[tuple[str, str]]]:
    indices = [index for index, kind in enumerate(scan.kinds) if kind not in PUNCTUATION]
    kinds, texts = scan.kinds, scan.texts
    return indices, [
        (kinds[index], string_value(texts[index]) if kinds[index] == "STRING" else texts[index])
        for index in indices
    ]


def _same_tokens(before: Scan, after: Scan | None) -> None:
    indices, expected = _significant(before)
    found = _significant(after)[1] if after is not None else []
    if expected == found:
        return
    differing = next(
        (position for position, pair in enumerate(zip(expected, found, strict=False)) if pair[0] != pair[1]),
        min(len(expected), len(found)),
    )
    token = indices[differing] if differing < len(indices) else len(before.kinds)
    raise internal_error("formatting would change the syntax tree here", *_position(before, token))


def _same_comments(before: Scan, after: Scan) -> None:
    found = [comment.text for comment in after.comments]
    for index, comment in enumerate(before.comments):
        if index >= len(found) or found[index] != comment.text:
            raise internal_error(
                "formatting would change the comments here", comment.line, before.column(comment.offset)
            )
    if len(found) > len(before.comments):
        where = _position(before, len(before.kinds))
        raise internal_error("formatting would change the comments here", *where)


def _same_reach(before: Scan, tree: list[Block], after: Scan, blocks: list[Block]) -> None:
    """§5.3: every `disable=` comment covers the same anchors before and after."""
    suppressions = [index for index, comment in enumerate(before.comments) if is_suppression(comment.text)]
    if not suppressions:
        return
    covers_before = _coverage(before, tree)
    covers_after = _coverage(after, blocks)
    for index in suppressions:
        comment = before.comments[index]
        if covers_before(comment.line) != covers_after(after.comments[index].line):
            raise FormatError(SUPPRESSION_MOVED, comment.line, before.column(comment.offset))


def _coverage(scan: Scan, blocks: list[Block]) -> Callable[[int], set[int]]:
    """What a suppression on a line covers: the anchors (§5.3) that start on it, and every anchor inside
    a block whose kind keyword is on it; anchors are numbered in tree order, the same in equal trees."""
    line_of = scan.token_line
    anchors: list[tuple[int, int]] = []
    """(line, number of anchors it covers with its own): a block covers its whole subtree."""

    def value(item: Value) -> None:
        if isinstance(item, int):
            anchors.append((line_of(item), 1))
            return
        anchors.append((line_of(item.open), 1))
        for inner in item.items:
            value(inner)

    def block(node: Block) -> None:
        start = len(anchors)
        anchors.append((line_of(node.kind), 0))
        for statement in node.body:
            if isinstance(statement, Block):
                block(statement)
            else:
                anchors.append((line_of(statement.key), 1))
                value(statement.value)
        anchors[start] = (line_of(node.kind), len(anchors) - start)

    for node in blocks:
        block(node)
    by_line: dict[int, list[int]] = {}
    for index, (line, _) in enumerate(anchors):
        by_line.setdefault(line, []).append(index)

    def covered(line: int) -> set[int]:
        found: set[int] = set()
        for index in by_line.get(line, ()):
            found.update(range(index, index + anchors[index][1]))
        return found

    return covered
