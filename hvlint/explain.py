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
        "Generated from the rules themselves by",
        "`python -m hvlint.explain --write docs/rules.md`; a test fails when this file is stale.",
        "`hvlint explain CODE` prints the same text for one rule.",
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
    """`python -m hvlint.explain CODE` prints a rule's explanation, as `hvlint explain CODE` does;
    `python -m hvlint.explain --write PATH` writes the rules reference (docs/rules.md) from the built-in
    rules to PATH, which must end with `.md`. Anything else is a usage error (exit 2) and writes nothing."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m hvlint.explain",
        description="Print a rule's explanation, or write the rules reference (docs/rules.md).",
    )
    parser.add_argument("code", nargs="?", metavar="CODE", help="the rule to explain, as `hvlint explain`")
    parser.add_argument("--write", metavar="PATH", help="write the rules reference to PATH (a .md file)")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    if (args.code is None) == (args.write is None):
        parser.error("give a rule's CODE, or --write PATH (the rules reference), not both")
    if args.write is not None:
        if not args.write.lower().endswith(".md"):
            parser.error(f"--write {args.write}: the rules reference is Markdown: give a path ending .md")
        _write_reference(args.write)
        return 0
    if args.code.lower().endswith(".md"):
        parser.error(
            f"{args.code} is no rule code; to write the rules reference: "
            f"python -m hvlint.explain --write {args.code}"
        )
    from hvlint.cli import main as hvlint

    return hvlint(["explain", args.code])


def _write_reference(path: str) -> None:
    from hvlint.output import write_atomically
    from hvlint.plugins import BUILTIN, load_plugins

    rules = [info for info in load_plugins().sorted_rules() if info.plugin == BUILTIN]
    write_atomically(path, rules_markdown(rules).encode("utf-8"))


if __name__ == "__main__":
    raise SystemExit(main())
