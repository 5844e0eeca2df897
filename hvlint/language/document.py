"""One `.hvc` file read from bytes to model: decoding, parsing, resolving (language.md §1-§5)."""

from __future__ import annotations

from dataclasses import dataclass

from hvlint.language.encoding import utf8_text
from hvlint.language.model import Model
from hvlint.language.resolve import Problem, resolve
from hvlint.language.syntax import Comment, Span, parse


@dataclass(frozen=True, slots=True)
class Document:
    """A file's text, its model, its comments, and the language's own problems (HV001-HV004)."""

    path: str
    text: str
    model: Model
    comments: tuple[Comment, ...]
    problems: tuple[Problem, ...]

    @property
    def has_syntax_errors(self) -> bool:
        """Whether the file failed to parse (then it gets no other finding)."""
        return any(problem.code == "HV001" for problem in self.problems)


def decode(data: bytes) -> tuple[str, Problem | None]:
    """The text of UTF-8 bytes (a leading byte-order mark dropped), or the text up to the first bad byte
    and an HV001 problem at that byte."""
    good, error = utf8_text(data)
    if error is None:
        return good, None
    line = good.count("\n") + 1
    column = len(good) - (good.rfind("\n") + 1) + 1
    span = Span(line, column, line, column + 1)
    bad = error.object[error.start]
    message = f"invalid UTF-8: byte 0x{bad:02x} at offset {error.start} ({error.reason})"
    return good, Problem("HV001", span, message, None)


def load(data: bytes | str, path: str) -> Document:
    """The document of a file's content."""
    from hvlint.language.catalogue import catalogue

    if isinstance(data, bytes):
        text, bad_bytes = decode(data)
        if bad_bytes is not None:
            return Document(path, text, Model(path), (), (bad_bytes,))
    else:
        text = data.removeprefix("\ufeff")
    parsed = parse(text)
    if parsed.errors:
        problems = tuple(Problem("HV001", error.span, error.message, None) for error in parsed.errors)
        return Document(path, text, Model(path), tuple(parsed.comments), problems)
    model, resolved = resolve(parsed.blocks, path, catalogue())
    return Document(path, text, model, tuple(parsed.comments), tuple(resolved))
