"""Report formats, one module each: every format lists the same findings in the same order."""

from __future__ import annotations

import importlib
import os
from collections import Counter
from collections.abc import Sequence

from hvlint import pure_paths
from hvlint.findings import Finding
from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hvlint.plugins import RuleInfo

FORMATS = ("text", "json", "sarif", "junit", "github", "gitlab")
FORMATS_WITH_RULES = frozenset({"sarif"})
"""The formats that list every rule (`Report.rules`), for which a run loads the plugins even when the
cache answered for every file."""


class RuleMeta(NamedTuple):
    """What a report says about a rule (SARIF lists every rule with its documentation): plain data, so
    that reporters need neither the plugin manager nor the rule classes."""

    code: str
    name: str
    severity: str
    """The default severity: `error`, `warning` or `info`."""
    summary: str
    """One line, as `hvlint rules` and rules.md state it (no full stop)."""
    description: str = ""
    """The first paragraph of the rule's docstring, in plain words."""
    explanation: str = ""
    """The full explanation in Markdown, as `hvlint explain CODE` prints it."""
    plugin: str = ""

    @classmethod
    def of(cls, info: RuleInfo, severity: str | None = None) -> RuleMeta:
        """The metadata of a registered rule; `severity` replaces the rule's default (e.g. the
        configuration's `[severity]` override)."""
        from inspect import cleandoc

        from hvlint.explain import explanation

        rule = info.rule
        doc = cleandoc(rule.__doc__) if rule.__doc__ else ""
        return cls(
            code=rule.code,
            name=rule.name,
            severity=severity or rule.severity,
            summary=rule.summary,
            description=" ".join(doc.split("\n\n", 1)[0].split()),
            explanation=explanation(info),
            plugin=info.plugin,
        )


class BaselineCounts(NamedTuple):
    """What a baseline did: findings it hid, and entries that matched nothing (so it can be tightened)."""

    hidden: int
    stale: int


class Summary(NamedTuple):
    """How many files were checked and how many findings of each severity they gave."""

    files: int
    errors: int
    warnings: int
    info: int
    baseline: BaselineCounts | None = None
    """With `--baseline`: how many findings it hid and how many of its entries no longer match."""

    @classmethod
    def of(cls, findings: Sequence[Finding], files: int, baseline: BaselineCounts | None = None) -> Summary:
        """The summary of `findings` over `files` files."""
        count = {"error": 0, "warning": 0, "info": 0}
        for finding in findings:
            count[finding.severity] += 1
        return cls(files, count["error"], count["warning"], count["info"], baseline)

    def as_dict(self) -> dict[str, object]:
        """The summary as the JSON report gives it (`baseline` only when one was applied)."""
        counts: dict[str, object] = {
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "info": self.info,
        }
        if self.baseline is not None:
            counts["baseline"] = {"hidden": self.baseline.hidden, "stale": self.baseline.stale}
        return counts


class Report(NamedTuple):
    """Everything a reporter needs: the sorted findings, the summary, the texts of the checked files (for
    source excerpts), and whether colour is wanted."""

    findings: Sequence[Finding]
    summary: Summary
    sources: dict[str, str]
    color: bool = False
    quiet: bool = False
    rules: Sequence[RuleMeta] = ()
    """Every rule that could report (SARIF's `tool.driver.rules`); a format that needs a rule missing
    here falls back to the code and name its findings carry."""
    fail_on: str = "warning"
    """The lowest severity that fails the run (`--fail-on`): JUnit reports the findings below it as
    passing test cases."""


def relative_path(path: str) -> str:
    """A finding's path as CI systems want it: as given, with forward slashes and without `./`; an
    absolute path under the current directory made relative to it. Standard input (`-`) stays `-`."""
    if path == "-":
        return path
    if pure_paths.is_absolute(path):
        for base in _current_directories():
            relative = pure_paths.relative_to(path, base)
            if relative is not None:
                return relative
    return pure_paths.as_posix(path)


def _current_directories() -> list[str]:
    """The current directory as the shell names it (`PWD`, when it leads there), as the system names it,
    and with its links resolved, each once."""
    try:
        cwd = os.getcwd()
    except OSError:
        return []
    resolved = os.path.realpath(cwd)
    directories = [cwd] if resolved == cwd else [cwd, resolved]
    logical = pure_paths.normal(os.environ.get("PWD", ""))
    leads_here = pure_paths.is_absolute(logical) and os.path.realpath(logical) == resolved
    if leads_here and logical not in directories:
        directories.insert(0, logical)
    return directories


def checked_paths(report: Report) -> list[str]:
    """Every file of the report, with or without findings, in report order (by path)."""
    return sorted({*report.sources, *(finding.path for finding in report.findings)})


def render(report: Report, format_name: str) -> str:
    """The report in the named format."""
    module = importlib.import_module(f"hvlint.reporters.{format_name}_format")
    text: str = module.render(report)
    return text


def _code_order(code: str) -> tuple[str, int]:
    prefix = code.rstrip("0123456789")
    return (prefix, int(code[len(prefix) :] or 0))


def statistics(findings: Sequence[Finding]) -> str:
    """`--statistics`: one line per code that has findings, in code order: the count, the code and the
    rule's name (`  3  HV402  compatibility-mode-required`); nothing when there is no finding."""
    counts = Counter((finding.code, finding.name) for finding in findings)
    width = len(str(max(counts.values(), default=0)))
    rows = sorted(counts.items(), key=lambda item: (_code_order(item[0][0]), item[0][1]))
    return "".join(f"{count:>{width}}  {code}  {name}\n" for (code, name), count in rows)
