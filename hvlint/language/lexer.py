"""Splitting `.hvc` text into tokens (language.md §1), with the terminals of the Lark grammar.

One regular expression, made from the grammar's own terminal definitions in Lark's order of priority,
matches the whitespace before a token and the token itself, so each token costs one match. Comments are
collected for suppressions; characters that start no token are reported and skipped; a malformed string
is reported and stands in the token stream as a string, so that parsing goes on without a cascade.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator

from hvlint.language.lark_internals import token_class
from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from lark import Token

COMMENT, WHITESPACE, STRING = "COMMENT", "WHITESPACE", "STRING"
_STRING_ESCAPES = ('"', "\\", "n", "t")


class Comment(NamedTuple):
    """A comment's text (from `#` or `//`) and where it stands."""

    text: str
    line: int
    column: int


class BadText(NamedTuple):
    """Text that is no token: where it starts (line, column, offset), how long it is, and why."""

    line: int
    column: int
    length: int
    message: str


def token_pattern(terminals: Collection[Any]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The token pattern (optional whitespace, then one named group per terminal, in Lark's order:
    priority, then longest possible match, then name) and the whitespace pattern, from the grammar's
    terminal definitions."""
    whitespace = next(t.pattern.to_regexp() for t in terminals if t.name == WHITESPACE)
    ordered = sorted(
        (t for t in terminals if t.name != WHITESPACE),
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
    )
    alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in ordered)
    return re.compile(f"(?:{whitespace})?(?:{alternatives})"), re.compile(whitespace)


class Lexer:
    """Turns text into Lark tokens, with the patterns `token_pattern` made."""

    def __init__(self, pattern: re.Pattern[str], whitespace: re.Pattern[str]) -> None:
        self._pattern, self._whitespace = pattern, whitespace
        self._token = token_class()

    def tokens(self, text: str, comments: list[Comment], bad: Callable[[BadText], None]) -> Iterator[Token]:
        """Every token of `text`, in order; comments go to `comments`, text that is no token to `bad`."""
        token_class = self._token
        match_token = self._pattern.match
        count, rfind = text.count, text.rfind
        position, line, line_start = 0, 1, 0
        end_of_text = len(text)
        while position < end_of_text:
            match = match_token(text, position)
            if match is None:
                skipped = self._whitespace.match(text, position)
                start = skipped.end() if skipped else position
                if start >= end_of_text:
                    return
                kind, end = None, start
            else:
                kind = match.lastgroup
                start, end = match.start(kind or 0), match.end()
            newlines = count("\n", position, start)
            if newlines:
                line += newlines
                line_start = rfind("\n", position, start) + 1
            column = start - line_start + 1
            if kind is None:
                end, problem = self._bad_text(text, start, line, column)
                bad(problem)
                if text[start] in "\"'":
                    yield token_class(STRING, "''", start, line, column, line, column + end - start, end)
            elif kind == COMMENT:
                comments.append(Comment(text[start:end], line, column))
            else:
                yield token_class(kind, text[start:end], start, line, column, line, column + end - start, end)
            position = end

    def _bad_text(self, text: str, start: int, line: int, column: int) -> tuple[int, BadText]:
        char = text[start]
        if char in "\"'":
            end = string_end(text, start)
            body = text[start:end]
            if end - start < 2 or body[-1] != char:
                return end, BadText(line, column, 1, "unterminated string: strings cannot span lines")
            offset = _bad_escape(body)
            return end, BadText(
                line,
                column + offset,
                2,
                f"unknown escape `{body[offset : offset + 2]}` in a string: "
                + "use `\\\\`, `\\\"`, `\\n` or `\\t`, or a '...' string, "
                + "in which a backslash is an ordinary character",
            )
        end = start + 1
        while end < len(text) and not self._starts_token(text, end):
            end += 1
        return end, BadText(line, column, 1, f"unexpected character {describe_char(char)}")

    def _starts_token(self, text: str, position: int) -> bool:
        """Whether a run of text that is no token ends at `position`: at whitespace (tried before the
        token pattern, which would first consume it: after a stray character, a run of spaces cost
        time quadratic in its length), a quote, or a token."""
        return (
            text[position] in "\"'\n"
            or self._whitespace.match(text, position) is not None
            or self._pattern.match(text, position) is not None
        )


def string_end(text: str, start: int) -> int:
    """Where a string that opens at `start` ends: after its closing quote on the same line (escapes
    skipped in a "..." string), else at the end of the line."""
    quote = text[start]
    index = start + 1
    while index < len(text) and text[index] not in "\r\n":
        char = text[index]
        if char == "\\" and quote == '"':
            index += 2
            continue
        if char == quote:
            return index + 1
        index += 1
    return min(index, len(text))


def _bad_escape(body: str) -> int:
    index = body.find("\\")
    while index >= 0 and body[index + 1 : index + 2] in _STRING_ESCAPES:
        index = body.find("\\", index + 2)
    return max(index, 0)


def describe_char(char: str) -> str:
    """A character as a message names it: printable ones quoted, others by code point and name."""
    if char.isprintable() and not char.isspace():
        return f"`{char}`"
    import unicodedata

    name = unicodedata.name(char, "") or ("NUL" if char == "\0" else "control character")
    return f"U+{ord(char):04X} ({name})"
