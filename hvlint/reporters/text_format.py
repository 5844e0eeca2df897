"""The text format: `path:line:column: severity: message [CODE]`, as compilers print, then a summary."""

from __future__ import annotations

from hvlint.findings import printable
from hvlint.reporters import Report, Summary
from hvlint.shown import excerpt_line

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "info": "\033[1;36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def _plural(count: int, word: str) -> str:
    if word == "info":
        return f"{count} info"
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(summary: Summary) -> str:
    """`3 errors, 1 warning in 2 files`, or `no findings in 2 files`."""
    parts = [
        _plural(count, word)
        for count, word in ((summary.errors, "error"), (summary.warnings, "warning"), (summary.info, "info"))
        if count
    ]
    files = _plural(summary.files, "file")
    line = f"{', '.join(parts)} in {files}" if parts else f"no findings in {files}"
    if summary.baseline is not None:
        stale = summary.baseline.stale
        entries = f"{stale} baseline entries no longer match"
        if stale == 1:
            entries = "1 baseline entry no longer matches"
        line += f" ({summary.baseline.hidden} hidden by the baseline, {entries})"
    return line


def render(report: Report) -> str:
    """The text report."""
    out: list[str] = []
    for finding in report.findings:
        severity = finding.severity
        if report.color:
            location = f"{_BOLD}{printable(finding.path)}:{finding.line}:{finding.column}:{_RESET}"
            severity = f"{_COLORS[severity]}{severity}{_RESET}"
        else:
            location = f"{printable(finding.path)}:{finding.line}:{finding.column}:"
        out.append(f"{location} {severity}: {finding.message} [{finding.code}]")
        if finding.code == "HV001":
            out.extend(_excerpt(report.sources.get(finding.path, ""), finding.line, finding.column))
    if not report.quiet:
        out.append(summary_line(report.summary))
    return "".join(line + "\n" for line in out)


def _excerpt(text: str, line: int, column: int) -> list[str]:
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return []
    source, column = excerpt_line(lines[line - 1], column)
    return [f"  {source}", "  " + " " * (column - 1) + "^"]
