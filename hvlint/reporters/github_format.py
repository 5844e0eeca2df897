"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.

`::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=CODE::message` (`::warning`, and `::notice`
for info). GitHub accepts `col` and `endColumn` only when the annotation starts and ends on one line, so a
finding that spans lines gives `line` and `endLine` alone; `endColumn` is the last character's column
(hvlint's `end_column`, one past it, less one). Property values escape `%`, `\\r`, `\\n`, `:` and `,`;
the message escapes `%`, `\\r` and `\\n`, as GitHub's toolkit does. No summary line: the text format's
summary would be an unannotated line in the log, and the job's exit status already says it.
"""

from __future__ import annotations

from hvlint.findings import Finding
from hvlint.reporters import Report, relative_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF percent-encoded."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as a message, and `:` and `,` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """The workflow command of one finding."""
    properties = [("file", relative_path(finding.path)), ("line", str(finding.line))]
    if finding.end_line <= finding.line:
        properties.append(("col", str(finding.column)))
        properties.append(("endLine", str(finding.line)))
        properties.append(("endColumn", str(max(finding.column, finding.end_column - 1))))
    else:
        properties.append(("endLine", str(finding.end_line)))
    properties.append(("title", finding.code))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(finding.message)}"


def render(report: Report) -> str:
    """The workflow commands, one line per finding."""
    return "".join(command(finding) + "\n" for finding in report.findings)
