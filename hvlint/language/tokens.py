"""Tokens of a valid file that work out their line and column only when asked.

A large file has hundreds of thousands of tokens and a check asks where a few dozen of them stand, so a
token keeps its text, its kind and its offset, and shares its file's `Lines`, which finds the line of an
offset by bisection in the offsets where lines start (built on the first question).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

from hvlint.regex import compiled

_NEWLINE = compiled("\n")


class Lines:
    """Where each line of a text starts, to turn offsets into 1-based lines and columns."""

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: array[int] | None = None

    def place(self, offset: int) -> tuple[int, int]:
        """The line and column of the character at `offset`."""
        starts = self._starts
        if starts is None:
            starts = self._starts = array("q", [0, *[match.end() for match in _NEWLINE.finditer(self.text)]])
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1


class Token(str):
    """A token's text, with its kind (`type`, a terminal of the grammar) and its offset in the file, and,
    worked out when asked, the line and column of its first character and of the character after it (a
    token never spans lines), as a Lark token has them."""

    __slots__ = ("lines", "start_pos", "type")

    type: str
    start_pos: int
    lines: Lines

    @property
    def value(self) -> str:
        """The token's text."""
        return str(self)

    @property
    def line(self) -> int:
        """The line it stands on."""
        return self.lines.place(self.start_pos)[0]

    @property
    def column(self) -> int:
        """The column of its first character."""
        return self.lines.place(self.start_pos)[1]

    end_line = line

    @property
    def end_column(self) -> int:
        """The column of the character after it."""
        return self.lines.place(self.start_pos)[1] + len(self)

    @property
    def end_pos(self) -> int:
        """The offset of the character after it."""
        return self.start_pos + len(self)


def make_token(kind: str, text: str, offset: int, lines: Lines) -> Token:
    """A token of kind `kind` whose text `text` starts at `offset`."""
    token = Token(text)
    token.type = kind
    token.start_pos = offset
    token.lines = lines
    return token
