"""Text from a checked repository as hvlint prints it: escaped and bounded, so that a file's content or
name can neither move a terminal's cursor, forge or rewrite lines of a CI log, nor flood it (issue 20)."""

from __future__ import annotations

import contextlib

from hvlint.findings import printable

LINE_LIMIT = 200
"""The most characters of one line of a file that hvlint quotes."""


def shown(text: str, limit: int = LINE_LIMIT) -> str:
    """`text` with every character that is not printable escaped (`\\x1b`, `\\n`, `\\u202e`), and cut to
    about `limit` characters (marked with `...`) when longer."""
    if len(text) > limit:
        text = text[:limit] + "..."
    return printable(text)


def shown_path(name: str) -> str:
    """A file name as hvlint prints it: bytes that are not UTF-8 (kept by Python as surrogates) shown as
    `\\xff`, control characters escaped. Never raises, whatever the name holds."""
    if not name.isascii():
        with contextlib.suppress(UnicodeEncodeError):
            name = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return printable(name)


def excerpt_line(source: str, column: int, limit: int = LINE_LIMIT) -> tuple[str, int]:
    """One line of a file as an excerpt shows it, and where `column` falls in it: at most `limit`
    characters around the column, each character that is not printable shown as `?` so that the caret
    stays under the column."""
    source = source.replace("\t", " ")
    if len(source) > limit:
        start = max(0, column - limit // 2)
        source = source[start : start + limit]
        column -= start
    return "".join(char if char.isprintable() else "?" for char in source), column
