"""A rule's explanation, from its own metadata and docstring: `hvlint explain` and docs/rules.md."""

from __future__ import annotations

import inspect

from hvlint.plugins import RuleInfo


def explanation(info: RuleInfo) -> str:
    """The full explanation of a rule, in Markdown that also reads well in a terminal."""
    rule = info.rule
    severity = rule.severity_note or rule.severity
    body = inspect.cleandoc(rule.__doc__ or "") if rule.__doc__ else "(no explanation)"
    settings = ""
    if rule.settings:
        lines = "\n".join(f"- `{name}` (default `{default}`)" for name, default in rule.settings.items())
        settings = f"\n\n**Settings** (`[rules.{rule.code}]`):\n{lines}"
    return (
        f"# {rule.code} {rule.name}\n\n"
        f"Default severity: {severity}. Plugin: {info.plugin}.\n\n"
        f"{rule.summary}.\n\n{body}{settings}\n"
    )
