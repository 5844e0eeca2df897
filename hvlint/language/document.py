"""One `.hvc` file read from bytes to model: decoding, parsing, resolving (language.md §1-§5)."""

from __future__ import annotations

from hvlint.diagnostics import INVALID_UTF8, SYNTAX_ERROR, Problem
from hvlint.language.encoding import utf8_text
from hvlint.language.model import Model
from hvlint.language.resolve import resolve
from hvlint.language.syntax import Comment, Span, parse
from hvlint.lean_typing import NamedTuple


class Document(NamedTuple):
    """A file's text, its model, its comments, and the language's own problems (HV001-HV004)."""

    path: str
    text: str
    model: Model
    comments: tuple[Comment, ...]
    problems: tuple[Problem, ...]

    @property
    def has_syntax_errors(self) -> bool:
        """Whether the file failed to parse (then it gets no other finding)."""
        return any(problem.diagnostic is SYNTAX_ERROR for problem in self.problems)


def decode(data: bytes) -> tuple[str, Problem | None]:
    """The text of UTF-8 bytes (a leading byte-order mark dropped), or the text up to the first bad byte
    and an HV001 problem at that byte."""
    good, error = utf8_text(data)
    if error is None:
        return good, None
    line = good.count("\n") + 1
    column = len(good) - (good.rfind("\n") + 1) + 1
    span = Span(line, column, line, column + 1)
    message = INVALID_UTF8.format(byte=error.object[error.start], offset=error.start, reason=error.reason)
    return good, Problem(SYNTAX_ERROR, span, message, None)


def load(data: bytes | str, path: str) -> Document:
    """The document of a file's content."""
    from hvlint.language.catalogue import catalogue

    if isinstance(data, bytes):
        text, bad_bytes = decode(data)
        if bad_bytes is not None:
            return Document(path, text, Model(path=path), (), (bad_bytes,))
    else:
        text = data.removeprefix("\ufeff")
    parsed = parse(text)
    if parsed.errors:
        problems = tuple(Problem(SYNTAX_ERROR, error.span, error.message, None) for error in parsed.errors)
        return Document(path, text, Model(path=path), tuple(parsed.comments), problems)
    model, resolved = resolve(parsed.blocks, path, catalogue())
    return Document(path, text, model, tuple(parsed.comments), tuple(resolved))
