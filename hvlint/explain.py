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
        f"{body}{settings}\n"
    )


def rules_markdown(rules: list[RuleInfo]) -> str:
    """docs/rules.md: an index of every rule, then each rule's explanation."""
    lines = [
        "# Rules",
        "",
        "Generated from the rules themselves by `python -m hvlint.explain docs/rules.md`; a test fails when",
        "this file is stale. `hvlint explain CODE` prints the same text for one rule.",
        "",
        "| code | name | default severity | what it reports |",
        "|---|---|---|---|",
    ]
    for info in rules:
        rule = info.rule
        anchor = f"{rule.code}-{rule.name}".lower()
        severity = rule.severity_note or rule.severity
        lines.append(f"| [{rule.code}](#{anchor}) | {rule.name} | {severity} | {rule.summary} |")
    body = "\n".join(lines) + "\n"
    for info in rules:
        body += "\n" + explanation(info).replace("# ", "## ", 1)
    return body


def main(argv: list[str] | None = None) -> int:
    """Writes docs/rules.md (or the path given) from the built-in rules."""
    import sys

    from hvlint.output import write_atomically
    from hvlint.plugins import BUILTIN, load_plugins

    target = (argv if argv is not None else sys.argv[1:]) or ["docs/rules.md"]
    rules = [info for info in load_plugins().sorted_rules() if info.plugin == BUILTIN]
    write_atomically(target[0], rules_markdown(rules).encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
