"""GitLab Code Quality JSON (`artifacts: reports: codequality`): a list of issues in the subset of the Code
Climate format GitLab reads.

Each issue has `description` (the message and the code), `check_name` (the code), `fingerprint`,
`severity`, and `location` with `path` (relative, forward slashes) and `lines.begin`/`lines.end`, plus the
Code Climate `type` and `categories`. Severities: hvlint's `error` (the migration would fail, or the file
cannot be read as meant) is `critical`, `warning` is `major`, `info` is `info`; `blocker` and `minor` are
not used. GitLab compares reports by fingerprint and shows a fingerprint once, so each issue's fingerprint
is the finding's own combined with its path and code: unique within the report and as stable as the
finding's.
"""

from __future__ import annotations

import hashlib
import json

from hvlint.findings import Finding
from hvlint.reporters import Report, relative_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def fingerprint(finding: Finding, path: str) -> str:
    """The issue's fingerprint: a hash of the path, the code and the finding's fingerprint."""
    return hashlib.sha256(f"{path}\0{finding.code}\0{finding.fingerprint}".encode()).hexdigest()[:32]


def _issue(finding: Finding, seen: dict[str, int]) -> dict[str, Any]:
    path = relative_path(finding.path)
    key = fingerprint(finding, path)
    repeat = seen.get(key, 0)
    seen[key] = repeat + 1
    if repeat:
        key = hashlib.sha256(f"{key}\0{repeat}".encode()).hexdigest()[:32]
    return {
        "type": "issue",
        "description": f"{finding.message} [{finding.code}]",
        "check_name": finding.code,
        "fingerprint": key,
        "severity": SEVERITIES[finding.severity],
        "categories": ["Bug Risk"],
        "location": {
            "path": path,
            "lines": {"begin": finding.line, "end": max(finding.line, finding.end_line)},
        },
    }


def render(report: Report) -> str:
    """The Code Quality report."""
    seen: dict[str, int] = {}
    issues = [_issue(finding, seen) for finding in report.findings]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
