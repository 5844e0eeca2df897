"""The JSON format: `version`, `findings` and `summary` (cli.md)."""

from __future__ import annotations

import json

from hvlint import __version__
from hvlint.reporters import Report

FIELDS = (
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "name",
    "severity",
    "message",
    "object",
    "fingerprint",
)


def render(report: Report) -> str:
    """The JSON report."""
    document = {
        "version": __version__,
        "findings": [{key: getattr(finding, key) for key in FIELDS} for finding in report.findings],
        "summary": report.summary.as_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
