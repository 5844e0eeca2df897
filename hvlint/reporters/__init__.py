"""Report formats, one module each: every format lists the same findings in the same order."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass

from hvlint.findings import Finding

FORMATS = ("text", "json")


@dataclass(frozen=True, slots=True)
class Summary:
    """How many files were checked and how many findings of each severity they gave."""

    files: int
    errors: int
    warnings: int
    info: int

    @classmethod
    def of(cls, findings: Sequence[Finding], files: int) -> Summary:
        """The summary of `findings` over `files` files."""
        count = {"error": 0, "warning": 0, "info": 0}
        for finding in findings:
            count[finding.severity] += 1
        return cls(files, count["error"], count["warning"], count["info"])


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter needs: the sorted findings, the summary, the texts of the checked files (for
    source excerpts), and whether colour is wanted."""

    findings: Sequence[Finding]
    summary: Summary
    sources: dict[str, str]
    color: bool = False
    quiet: bool = False


def render(report: Report, format_name: str) -> str:
    """The report in the named format."""
    module = importlib.import_module(f"hvlint.reporters.{format_name}_format")
    return module.render(report)  # type: ignore[no-any-return]
