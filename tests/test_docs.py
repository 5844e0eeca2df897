"""Documentation generated from the code stays in step with it."""

from __future__ import annotations

from hvlint.explain import rules_markdown
from hvlint.plugins import BUILTIN, load_plugins
from tests.conftest import ROOT


def builtin_rules():  # type: ignore[no-untyped-def]
    return [info for info in load_plugins().sorted_rules() if info.plugin == BUILTIN]


def test_docs_rules_md_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    stale = "stale: run `python -m hvlint.explain --write docs/rules.md`"
    assert current == rules_markdown(builtin_rules()), stale


def test_every_rule_documents_what_why_how_and_examples() -> None:
    for info in builtin_rules():
        rule = info.rule
        assert rule.name and rule.summary and rule.__doc__, rule.code
        assert not rule.summary.endswith("."), rule.code
        if info.code >= "HV100":
            doc = rule.__doc__ or ""
            assert doc.count("```hvc") >= 1, f"{rule.code} has no example"


def test_the_readme_names_the_two_commands_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/pip install . && .venv/bin/hvlint check examples/" in readme
    assert "pip install -e '.[test]'" in readme and "coverage run -m pytest" in readme
    assert 'hvlint" check examples/' in ci and "coverage run -m pytest" in ci


def test_the_readme_example_run_is_what_hvlint_prints(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each line of the README's abridged run is a real line of `hvlint check examples/` (up to its `...`),
    and the summary is the real one. It runs beside a link to examples/, not in the checkout, whose own
    hvlint/ directory `python -m` would import instead of an installed hvlint."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("`hvlint check examples/` prints one line per finding", 1)[1]
    shown = block.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    import subprocess
    import sys

    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    actual = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", "examples/"], cwd=tmp_path, capture_output=True, text=True
    ).stdout.splitlines()
    assert shown[-1] == actual[-1]
    for line in shown[:-1]:
        head, _, tail = line.partition(" ... ")
        matches = [real for real in actual if real.startswith(head) and real.endswith(tail or head)]
        assert matches, f"README shows a line hvlint no longer prints: {line}"


def _hvlint_commands(value: object) -> list[str]:
    """Every `hvlint ...` command line among the strings of a parsed YAML document."""
    if isinstance(value, dict):
        return [command for item in value.values() for command in _hvlint_commands(item)]
    if isinstance(value, list):
        return [command for item in value for command in _hvlint_commands(item)]
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip().startswith("hvlint ")]
    return []


def test_the_integration_snippets_are_yaml_that_runs_real_hvlint_commands() -> None:
    """Each YAML snippet of integrations.md parses, and each hvlint command in it is one the command line
    accepts (options that exist, formats that exist); the pre-commit snippets name the shipped hook."""
    import re
    import shlex

    import pytest
    import yaml

    from hvlint.cli import parse_arguments
    from hvlint.errors import HvlintError

    text = (ROOT / "docs" / "integrations.md").read_text(encoding="utf-8")
    snippets = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    assert len(snippets) >= 5
    documents = [yaml.safe_load(snippet) for snippet in snippets]
    commands = [command for document in documents for command in _hvlint_commands(document)]
    assert len(commands) >= 5
    for command in commands:
        try:
            parsed = parse_arguments(shlex.split(command)[1:])
        except (SystemExit, HvlintError):  # pragma: no cover - fails the test, naming the command
            pytest.fail(f"integrations.md runs a command hvlint refuses: {command}")
        assert parsed.command == "check", command
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook_ids = {hook["id"] for hook in hooks}
    documented = [
        hook["id"]
        for document in documents
        if isinstance(document, dict)
        for repo in document.get("repos", [])
        for hook in repo["hooks"]
    ]
    assert documented and set(documented) <= hook_ids


def test_every_recipe_installs_hvlint_as_the_readme_says() -> None:
    """hvlint is on no package index: each recipe installs it from the repository URL README.md gives (its
    placeholders explained there), never with a bare `pip install hvlint`."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Installing hvlint", 1)[1].split("\n## ", 1)[0]
    (documented,) = re.findall(r'^pip install "hvlint @ git\+[^"]+"$', section, flags=re.MULTILINE)
    assert "(`OWNER` is a\nplaceholder" in section and "`v0.1.0`" in section
    texts = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "docs").glob("*.md")}
    texts["README.md"] = readme
    installs = []
    for name, text in texts.items():
        for block in re.findall(r"```(?:yaml|sh|console)\n(.*?)```", text, flags=re.DOTALL):
            for line in block.splitlines():
                command = line.strip().removeprefix("- ").removeprefix("run: ").strip()
                if re.match(r"(\S*/)?pip install\b.*\bhvlint\b", command) and "dist/hvlint-" not in command:
                    installs.append((name, command))
    assert installs, "the CI recipes install hvlint"
    for name, command in installs:
        assert command == documented, f"{name}: {command}"


def test_the_readme_s_example_is_in_the_canonical_layout() -> None:
    """What the README shows is what `hvlint format` writes (format.md §8), as are the shipped examples."""
    from hvlint.formatting import format_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("```hvc\n", 1)[1].split("```", 1)[0]
    assert format_text(example) == example
    for path in sorted((ROOT / "examples").glob("*.hvc")):
        text = path.read_text(encoding="utf-8")
        assert format_text(text) == text, path.name
