"""Why a text was not formatted (format.md §2.1)."""

from __future__ import annotations

BUG = "(this is a bug in hvlint; please report it with the file)"


class FormatError(Exception):
    """The text was not formatted: why, and where (1-based line and column) when there is a place."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = f"{self.line}:{self.column}: " if self.line is not None else ""
        return f"{where}not formatted: {self.message}"


def internal_error(what: str, line: int | None = None, column: int | None = None) -> FormatError:
    """A check of §5.4 that failed for a reason other than a suppression: a bug, said as one."""
    return FormatError(f"internal error: {what} {BUG}", line, column)
