"""The JUnit XML format, as Jenkins (the junit plugin) and GitLab (`artifacts: reports: junit`) read it.

`<testsuites>` holds one `<testsuite name="hvlint">`. Each checked file without findings is one passing
test case (`classname` and `file` the path, `name` "hvlint"); a file with findings gives one failing
test case per rule that found something there (`name` "CODE rule-name"), holding one `<failure>` per
finding: `message` is the finding's message, `type` its code, and the text is the finding as the text
format prints it, `path:line:column: severity: message [CODE]`. Test cases follow the files' order, and
within a file the order of each rule's first finding; failures keep report order. GitLab identifies a test
case by `classname` and `name`, so these pairs are unique. `tests` counts test cases and `failures`
failing test cases (the JUnit meaning: `tests - failures` passed); the number of findings is in the
`hvlint.findings` property.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from hvlint.findings import Finding
from hvlint.reporters import Report, checked_paths, relative_path

# Characters XML 1.0 cannot hold at all (most C0 controls, surrogates, U+FFFE/U+FFFF): a message quoting
# a file's bad bytes must not make the report unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _line(finding: Finding) -> str:
    return (
        f"{relative_path(finding.path)}:{finding.line}:{finding.column}: "
        f"{finding.severity}: {finding.message} [{finding.code}]"
    )


def _case(suite: ET.Element, path: str, name: str, failures: Sequence[Finding]) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": _clean(path), "name": _clean(name), "file": _clean(path), "time": "0"},
    )
    if failures:
        case.set("line", str(failures[0].line))
    for finding in failures:
        failure = ET.SubElement(case, "failure", {"message": _clean(finding.message), "type": finding.code})
        failure.text = _clean(_line(finding))


def render(report: Report) -> str:
    """The JUnit XML report."""
    by_file: dict[str, dict[str, list[Finding]]] = {path: {} for path in checked_paths(report)}
    for finding in report.findings:
        by_file[finding.path].setdefault(finding.code, []).append(finding)
    cases = sum(len(rules) or 1 for rules in by_file.values())
    failing = sum(len(rules) for rules in by_file.values())
    counts = {
        "tests": str(cases),
        "failures": str(failing),
        "errors": "0",
        "skipped": "0",
        "time": "0",
    }
    root = ET.Element("testsuites", {"name": "hvlint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "hvlint", **counts})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "hvlint.findings", "value": str(len(report.findings))})
    ET.SubElement(properties, "property", {"name": "hvlint.files", "value": str(len(by_file))})
    for path, rules in by_file.items():
        shown = relative_path(path)
        if not rules:
            _case(suite, shown, "hvlint", ())
            continue
        for code, findings in rules.items():
            _case(suite, shown, f"{code} {findings[0].name}", findings)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
