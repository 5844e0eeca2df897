"""Strings as the language reads them (language.md §1), and as the formatter quotes them (format.md
rule 18)."""

from __future__ import annotations

_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def string_value(token: str) -> str:
    """The value of a valid string token: `"..."` with its escapes read, `'...'` as written."""
    body = token[1:-1]
    if token[0] == "'" or "\\" not in body:
        return body
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            out.append(_ESCAPED[body[index + 1]])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


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
