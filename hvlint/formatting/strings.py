"""Strings as the language reads them (language.md §1), and as the formatter quotes them (format.md
rule 18)."""

from __future__ import annotations

from hvlint.language.values import string_value as _value_of


class _StringToken(str):
    """A string token's text, as the language's own reading of values takes it."""

    __slots__ = ()
    type = "STRING"


def string_value(token: str) -> str:
    """The value of a valid string token (language.md §1), as the language reads it."""
    return _value_of(_StringToken(token))


def canonical_string(token: str) -> str:
    """The token in the quoting rule 18 prefers: a `"..."` string whose only escapes are `\\\\` becomes
    `'...'` when its value holds no `'`; a `'...'` string whose value holds neither `\\` nor `"` becomes
    `"..."`; every other string stays as written."""
    body = token[1:-1]
    if token[0] == "'":
        return token if "\\" in body or '"' in body else f'"{body}"'
    if "\\" not in body:
        return token
    value = body.replace("\\\\", "\\")
    if value.count("\\") * 2 != body.count("\\") or "'" in value or '"' in value:
        return token
    return f"'{value}'"
