"""A document's text as LSP addresses it: 0-based lines and UTF-16 code units, against hvlint's 1-based
lines and code-point columns (server.md, Diagnostics)."""

from __future__ import annotations

from lsprotocol import types

from hvlint.language.syntax import Span


def utf16_length(text: str) -> int:
    """How many UTF-16 code units `text` takes (2 for a character beyond the Basic Multilingual Plane)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Lines:
    """A text split into lines, converting positions both ways."""

    __slots__ = ("lines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")

    def line(self, index: int) -> str:
        """The 0-based line `index`, empty beyond the end."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def position(self, line: int, column: int) -> types.Position:
        """The LSP position of a 1-based line and code-point column."""
        text = self.line(line - 1)
        return types.Position(line=max(line - 1, 0), character=utf16_length(text[: max(column - 1, 0)]))

    def range(self, span: Span) -> types.Range:
        """The LSP range of a span."""
        return types.Range(
            start=self.position(span.line, span.column), end=self.position(span.end_line, span.end_column)
        )

    def column(self, position: types.Position) -> int:
        """The 0-based code-point column of an LSP position on its line."""
        units = 0
        for index, character in enumerate(self.line(position.line)):
            if units >= position.character:
                return index
            units += 2 if ord(character) > 0xFFFF else 1
        return len(self.line(position.line))

    def offset(self, position: types.Position) -> int:
        """The code-point offset in the text of an LSP position."""
        before = sum(len(line) + 1 for line in self.lines[: position.line])
        return before + self.column(position)

    def span_at(self, position: types.Position) -> tuple[int, int]:
        """The 1-based line and code-point column of an LSP position."""
        return position.line + 1, self.column(position) + 1


def contains(span: Span, line: int, column: int) -> bool:
    """Whether the 1-based place (line, column) is inside `span` (its end included, where a cursor
    standing after the last character is)."""
    if (line, column) < (span.line, span.column):
        return False
    return (line, column) <= (span.end_line, span.end_column)
