"""Findings: what hvlint reports, with severity, position and a fingerprint."""

from __future__ import annotations

from hvlint.diagnostics import ALWAYS_REPORTED
from hvlint.lean_typing import NamedTuple
from hvlint.regex import compiled

SEVERITIES = ("error", "warning", "info")
FAIL_ON = ("error", "warning", "info", "never")
LANGUAGE_CODES = ALWAYS_REPORTED
"""Codes that are always reported: selection, severity overrides and suppressions do not apply to them."""
CODE_PATTERN = compiled(r"[A-Z]+[0-9]+\Z")
"""A rule's code: a prefix of capital letters, then digits (`HV402`, `ACME1`)."""


def severity_rank(severity: str) -> int:
    """0 for error, 1 for warning, 2 for info: lower is more severe."""
    return SEVERITIES.index(severity)


def at_or_above(severity: str, threshold: str) -> bool:
    """Whether a finding of `severity` counts for `--fail-on threshold`."""
    return threshold != "never" and severity_rank(severity) <= severity_rank(threshold)


class Finding(NamedTuple):
    """One reported problem of one file."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    message: str
    object: str | None = None
    fingerprint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Findings are listed by path, line, column, code (then message, for a stable order)."""
        return (self.path, self.line, self.column, self.code, self.message)


def printable(text: str) -> str:
    """`text` with every character that is not printable (line breaks, tabs, escape and other control
    characters, bidirectional overrides) written as Python escapes it (`\\n`, `\\x1b`, `\\u202e`): a
    name in a file can then neither break a finding over lines (a forged `path:1:1: error:` line in the
    text format) nor send control sequences to a terminal or a CI log."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
