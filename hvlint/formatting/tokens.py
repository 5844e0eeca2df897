"""A file's tokens and comments for the formatter, with what layout needs: lines, blank lines, and where
each comment belongs (format.md §3.8).

The tokens are the language lexer's own (lexer.py's `token_pattern`, made from the grammar's terminals),
kept in parallel lists rather than token objects: the formatter scans every file at least twice.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

PUNCTUATION = frozenset({"SEMICOLON", "COMMA"})
"""Tokens the layout writes anew where it needs them: they anchor no comment."""
COMMENT_WHITESPACE = " \t\r\f\v"
_CHUNK = 4096


@dataclass(slots=True)
class Comment:
    """A comment: its text less trailing whitespace, where it stands, and the token it belongs to.

    `after` is the index of the token before it (-1 at the start of the file). A trailing comment (code
    before it on its line) belongs to the last significant token before it (`anchor`); an own-line
    comment to the next one (the number of tokens when none follows). A comment after only `;` or `,` on
    its line, with an own-line comment since the last significant token, counts as an own-line one, so
    that the comments keep their order."""

    text: str
    offset: int
    line: int
    newlines_before: int
    after: int
    trailing: bool
    anchor: int


@dataclass(slots=True)
class Scan:
    """The tokens of a text (kind, text, offset, and where the whitespace before each starts) and its
    comments."""

    text: str
    kinds: list[str]
    texts: list[str]
    starts: list[int]
    space_starts: list[int]
    comments: list[Comment]
    _newlines: list[int] = field(default_factory=list)

    def line(self, offset: int) -> int:
        """The 1-based line of an offset."""
        if not self._newlines:
            import re

            self._newlines = [match.start() for match in re.finditer("\n", self.text)] or [len(self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1

    def column(self, offset: int) -> int:
        """The 1-based column, in characters, of an offset."""
        return offset - self.text.rfind("\n", 0, offset)

    def token_line(self, index: int) -> int:
        """The line of token `index`."""
        return self.line(self.starts[index])

    def newlines_before(self, index: int) -> int:
        """How many line breaks the whitespace right before token `index` holds."""
        return self.text.count("\n", self.space_starts[index], self.starts[index])

    def same_line(self, first: int, last: int) -> bool:
        """Whether tokens `first` and `last` stand on one line."""
        return self.text.find("\n", self.starts[first], self.starts[last]) < 0


def scan(text: str) -> Scan | None:
    """The tokens and comments of `text`, or None when some text in it is no token (a syntax error)."""
    from hvlint.language.patterns import token_patterns

    pattern, whitespace = token_patterns()
    kinds: list[str] = []
    texts: list[str] = []
    starts: list[int] = []
    space_starts: list[int] = []
    end = 0
    # Each match starts where the last ended (what `re.Scanner` uses): a search, as `finditer` makes,
    # would try again after a stray character, over and over a long run of whitespace before it.
    found = iter(pattern.scanner(text).match, None)  # type: ignore[attr-defined]
    while chunk := list(islice(found, _CHUNK)):
        spaces = [match.start() for match in chunk]
        end = chunk[-1].end()
        chunk_kinds = [match.lastgroup or "" for match in chunk]
        starts += [match.start(kind) for match, kind in zip(chunk, chunk_kinds, strict=True)]
        texts += [match.group(kind) for match, kind in zip(chunk, chunk_kinds, strict=True)]
        kinds += chunk_kinds
        space_starts += spaces
    if end < len(text) and whitespace.fullmatch(text, end) is None:
        return None
    result = Scan(text, kinds, texts, starts, space_starts, [])
    if "COMMENT" in kinds:
        _take_comments(result)
    return result


def _take_comments(scan: Scan) -> None:
    """Moves the comments out of the token lists into `scan.comments`."""
    text = scan.text
    raw_kinds = scan.kinds
    places = [index for index, kind in enumerate(raw_kinds) if kind == "COMMENT"]
    bounds = list(zip([-1, *places], [*places, len(raw_kinds)], strict=True))

    def without_comments(values: list) -> list:
        return [value for low, high in bounds for value in values[low + 1 : high]]

    kinds = without_comments(raw_kinds)
    previous: Comment | None = None
    line, line_offset = 1, 0
    for number, place in enumerate(places):
        start = scan.starts[place]
        line += text.count("\n", line_offset, start)
        line_offset = start
        after = place - number - 1
        significant = after
        while significant >= 0 and kinds[significant] in PUNCTUATION:
            significant -= 1
        newlines = text.count("\n", scan.space_starts[place], start)
        waiting = previous is not None and not previous.trailing and previous.after >= significant
        trailing = after >= 0 and newlines == 0 and not waiting
        if not trailing:
            significant = after + 1
            while significant < len(kinds) and kinds[significant] in PUNCTUATION:
                significant += 1
        previous = Comment(
            scan.texts[place].rstrip(COMMENT_WHITESPACE), start, line, newlines, after, trailing, significant
        )
        scan.comments.append(previous)
    scan.kinds = kinds
    scan.texts = without_comments(scan.texts)
    scan.starts = without_comments(scan.starts)
    scan.space_starts = without_comments(scan.space_starts)
