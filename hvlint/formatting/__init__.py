"""`hvlint format`'s engine: the canonical layout of `.hvc` text (format.md), for the command, the
language server and `hvlint import`.

    from hvlint.formatting import FormatError, format_text
    try:
        canonical = format_text(text)
    except FormatError as error:   # error.line, error.column (None when there is no place), error.message
        ...

Every result has been checked to mean what its input meant and to be its own layout (format.md §5.4);
a text that cannot be formatted raises FormatError and is never half-formatted.
"""

from __future__ import annotations

from hvlint.formatting.errors import FormatError, internal_error
from hvlint.formatting.layout import render
from hvlint.formatting.tokens import Scan, scan
from hvlint.formatting.tree import Block, NotATree, read_tree
from hvlint.formatting.verify import verify
from hvlint.language.encoding import BYTE_ORDER_MARK

__all__ = ["FormatError", "format_bytes", "format_text"]

TOO_DEEP = "blocks and lists nested deeper than 32 levels"


def format_text(text: str) -> str:
    """The canonical layout of `text` (a leading byte-order mark kept, line endings those of its first
    line break); raises FormatError when it has a syntax error, nests too deep, or has a suppression whose
    reach the layout would change."""
    if text.startswith("\ufeff"):
        return "\ufeff" + _format(text[1:])
    return _format(text)


def format_bytes(data: bytes) -> bytes:
    """As `format_text`, for a file's bytes; bytes that are not UTF-8 raise FormatError at the first."""
    from hvlint.language.document import decode

    text, problem = decode(data)
    if problem is not None:
        raise FormatError(problem.message, problem.span.line, problem.span.column)
    formatted = _format(text).encode("utf-8")
    return BYTE_ORDER_MARK + formatted if data.startswith(BYTE_ORDER_MARK) else formatted


def _format(text: str) -> str:
    scanned, blocks = _parse(text)
    formatted = render(scanned, blocks)
    newline = text.find("\n")
    crlf = newline > 0 and text[newline - 1] == "\r"
    result = formatted.replace("\n", "\r\n") if crlf else formatted
    if result != text:
        verify(scanned, blocks, formatted)
    return result


def _parse(text: str) -> tuple[Scan, list[Block]]:
    scanned = scan(text)
    if scanned is not None:
        try:
            return scanned, read_tree(scanned)
        except NotATree as error:
            if error.too_deep:
                _raise_syntax_error(text)
                offset = scanned.starts[error.index]
                raise FormatError(TOO_DEEP, scanned.line(offset), scanned.column(offset)) from None
    _raise_syntax_error(text)
    raise internal_error("formatting would change the syntax tree here", 1, 1)  # pragma: no cover


def _raise_syntax_error(text: str) -> None:
    """Raises the first syntax error of `text` as `check` reports it (HV001), if it has one."""
    from hvlint.language.syntax import parse

    errors = parse(text).errors
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more syntax errors)" if len(errors) > 2 else ""
        more = " (and 1 more syntax error)" if len(errors) == 2 else more
        raise FormatError(first.message + more, first.span.line, first.span.column)
