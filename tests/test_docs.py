"""Documentation generated from the code stays in step with it."""

from __future__ import annotations

from hvlint.explain import rules_markdown
from hvlint.plugins import BUILTIN, load_plugins
from tests.conftest import ROOT


def builtin_rules():  # type: ignore[no-untyped-def]
    return [info for info in load_plugins().sorted_rules() if info.plugin == BUILTIN]


def test_docs_rules_md_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown(builtin_rules()), "stale: run `python -m hvlint.explain docs/rules.md`"


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


def test_the_readme_example_run_is_what_hvlint_prints() -> None:
    """Each line of the README's abridged run is a real line of `hvlint check examples/` (up to its `...`),
    and the summary is the real one."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("`hvlint check examples/` prints one line per finding", 1)[1]
    shown = block.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    import subprocess
    import sys

    actual = subprocess.run(
        [sys.executable, "-m", "hvlint", "check", "examples/"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    assert shown[-1] == actual[-1]
    for line in shown[:-1]:
        head, _, tail = line.partition(" ... ")
        matches = [real for real in actual if real.startswith(head) and real.endswith(tail or head)]
        assert matches, f"README shows a line hvlint no longer prints: {line}"
