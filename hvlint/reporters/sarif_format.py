"""The SARIF 2.1.0 format, as GitHub code scanning accepts it (cli.md).

One run. `tool.driver` names hvlint and lists the rules (`Report.rules`, and any code a finding carries
that is missing there) with their documentation; each result points at its rule by `ruleId` and
`ruleIndex`, has a `level`, a message, a physical location (a URI relative to `%SRCROOT%`, the checkout's
root, and a region) and `partialFingerprints`, so that code scanning follows an alert across edits
instead of opening a new one. Columns count Unicode code points (the language's columns), which the run
declares with `columnKind`; `endColumn` is one past the last character, as SARIF counts.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from hvlint import __version__, pure_paths
from hvlint.findings import Finding
from hvlint.reporters import Report, RuleMeta, relative_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
REPOSITORY_PLACEHOLDER = "https://github.com/OWNER/hvlint"
"""The repository URL when the installed distribution declares none (README.md, "Installing hvlint")."""
FINGERPRINT_KEY = "hvlint/v1"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def information_uri() -> str:
    """Where hvlint lives: the `Repository` URL of the installed distribution's metadata
    (`[project.urls]` in pyproject.toml), else the placeholder the README tells a site to replace."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("hvlint").get_all("Project-URL") or []
    except PackageNotFoundError:  # pragma: no cover - hvlint run from a checkout, not installed
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "repository" and url.strip():
            return url.strip()
    return REPOSITORY_PLACEHOLDER


def artifact_location(path: str) -> dict[str, str]:
    """A relative, percent-encoded URI against `%SRCROOT%`; an absolute path outside the current
    directory becomes a `file:` URI of its own."""
    relative = relative_path(path)
    if pure_paths.is_absolute(relative):
        from pathlib import PurePath

        try:
            return {"uri": PurePath(relative).as_uri()}
        except ValueError:
            pass
    return {"uri": quote(relative, safe="/"), "uriBaseId": SRCROOT}


def _message(text: str) -> dict[str, str]:
    return {"text": text}


def _rule(meta: RuleMeta) -> dict[str, Any]:
    summary = meta.summary or meta.name or meta.code
    sentence = summary[:1].upper() + summary[1:]
    if not sentence.endswith("."):
        sentence += "."
    explanation = meta.explanation or f"# {meta.code} {meta.name}\n\n{sentence}\n"
    return {
        "id": meta.code,
        "name": meta.name or meta.code,
        "shortDescription": _message(summary),
        "fullDescription": _message(meta.description or sentence),
        "help": {"text": explanation, "markdown": explanation},
        "defaultConfiguration": {"level": LEVELS.get(meta.severity, "warning")},
        "properties": {
            "tags": ["hvlint", *([meta.plugin] if meta.plugin and meta.plugin != "hvlint" else [])]
        },
    }


def _region(finding: Finding) -> dict[str, int]:
    region = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
    end_line, end_column = finding.end_line, finding.end_column
    if (end_line, end_column) > (region["startLine"], region["startColumn"]):
        region["endLine"] = end_line
        region["endColumn"] = max(1, end_column)
    return region


def _rules(report: Report) -> list[RuleMeta]:
    """The report's rules, then a minimal entry for each code a finding carries that they lack."""
    rules = list(report.rules)
    known = {meta.code for meta in rules}
    for finding in report.findings:
        if finding.code not in known:
            known.add(finding.code)
            rules.append(RuleMeta(finding.code, finding.name, finding.severity, finding.name))
    return rules


def _result(finding: Finding, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": _message(finding.message),
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(finding.path),
                    "region": _region(finding),
                }
            }
        ],
    }
    if finding.object:
        result["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": finding.object}]
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    return result


def document(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready object."""
    rules = _rules(report)
    index = {meta.code: position for position, meta in enumerate(rules)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hvlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": information_uri(),
                        "rules": [_rule(meta) for meta in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, index[finding.code]) for finding in report.findings],
            }
        ],
    }


def render(report: Report) -> str:
    """The SARIF report."""
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"
