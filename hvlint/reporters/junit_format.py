"""The JUnit XML format, as Jenkins (the junit plugin) and GitLab (`artifacts: reports: junit`) read it.

`<testsuites>` holds one `<testsuite name="hvlint">`. Each checked file without findings is one passing
test case (`classname` and `file` the path, `name` "hvlint"); a file with findings gives one test case
per rule that found something there (`name` "CODE rule-name"). A finding at or above `--fail-on` is a
`<failure>` of its test case: `message` is the finding's message, `type` its code, and the text is the
finding as the text format prints it, `path:line:column: severity: message [CODE]`. A finding below
`--fail-on` fails nothing (the exit status is 0 for it): it is a line of the test case's `<system-out>`,
so a test case whose findings are all below it passes. Test cases follow the files' order, and within a
file the order of each rule's first finding; failures keep report order. GitLab identifies a test case by
`classname` and `name`, so these pairs are unique. `tests` counts test cases and `failures` failing test
cases (the JUnit meaning: `tests - failures` passed); the number of findings is in the `hvlint.findings`
property.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from hvlint.findings import Finding, at_or_above
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


def _case(suite: ET.Element, path: str, name: str, findings: Sequence[Finding], fail_on: str) -> bool:
    """Adds a test case of `findings`; whether it fails (some finding is at or above `fail_on`)."""
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": _clean(path), "name": _clean(name), "file": _clean(path), "time": "0"},
    )
    if findings:
        case.set("line", str(findings[0].line))
    failures = [finding for finding in findings if at_or_above(finding.severity, fail_on)]
    for finding in failures:
        failure = ET.SubElement(case, "failure", {"message": _clean(finding.message), "type": finding.code})
        failure.text = _clean(_line(finding))
    passing = [finding for finding in findings if finding not in failures]
    if passing:
        ET.SubElement(case, "system-out").text = "".join(_clean(_line(f)) + "\n" for f in passing)
    return bool(failures)


def render(report: Report) -> str:
    """The JUnit XML report."""
    by_file: dict[str, dict[str, list[Finding]]] = {path: {} for path in checked_paths(report)}
    for finding in report.findings:
        by_file[finding.path].setdefault(finding.code, []).append(finding)
    root = ET.Element("testsuites", {"name": "hvlint"})
    suite = ET.SubElement(root, "testsuite", {"name": "hvlint"})
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", {"name": "hvlint.findings", "value": str(len(report.findings))})
    ET.SubElement(properties, "property", {"name": "hvlint.files", "value": str(len(by_file))})
    cases = failing = 0
    for path, rules in by_file.items():
        shown = relative_path(path)
        groups: list[tuple[str, list[Finding]]] = list(rules.items()) or [("", [])]
        for code, findings in groups:
            name = f"{code} {findings[0].name}" if findings else "hvlint"
            failing += _case(suite, shown, name, findings, report.fail_on)
            cases += 1
    counts = {"tests": str(cases), "failures": str(failing), "errors": "0", "skipped": "0", "time": "0"}
    for element in (root, suite):
        for key, value in counts.items():
            element.set(key, value)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
