"""Text from a checked repository as hvlint prints it: escaped and bounded, so that a file's content or
name can neither move a terminal's cursor, forge or rewrite lines of a CI log, nor flood it (issue 20)."""

from __future__ import annotations

from hvlint.findings import printable
from hvlint.regex import compiled

LINE_LIMIT = 200
"""The most characters of one line of a file, or of one name, that hvlint quotes."""
MESSAGE_LIMIT = 2000
"""The most characters of one message."""
_LONG_QUOTE = compiled(f"`([^`]{{{LINE_LIMIT + 1},}})`")


def escaped(text: str) -> str:
    """`text` with bytes that were not UTF-8 (kept by Python as surrogates, in file names) shown as
    `\\xff`, and every other character that is not printable escaped (`\\x1b`, `\\n`, `\\u202e`). Never
    raises, whatever the text holds."""
    if not text.isascii():
        try:
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:  # a lone surrogate, not an undecodable byte: printable() escapes it
            pass
    return printable(text)


def readable_name(name: str) -> str:
    """A file name with the bytes that are not UTF-8 written as `\\xff`, so that every report can print
    and encode it (a name such as `bad\\377.hvc`)."""
    if name.isascii():
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "backslashreplace").decode("ascii")


def shown(text: str, limit: int = LINE_LIMIT) -> str:
    """`text` cut to `limit` characters (marked with `...`) when longer, then escaped."""
    if len(text) > limit:
        text = text[:limit] + "..."
    return escaped(text)


def shown_message(message: str) -> str:
    """A finding's message as reports print it: each `quoted` piece of the file cut to LINE_LIMIT
    characters, the whole to MESSAGE_LIMIT, escaped."""
    if len(message) > LINE_LIMIT:
        message = _LONG_QUOTE.sub(lambda match: f"`{match.group(1)[:LINE_LIMIT]}...`", message)
    return shown(message, MESSAGE_LIMIT)


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
