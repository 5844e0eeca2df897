"""Every fixture under fixtures/: an `.hvc` input and, beside it, `NAME.expected.json` with the exact
findings (line, column, end, code, severity, message) it must give. See fixtures/README.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hvlint.output import write_atomically
from hvlint.plugins import load_plugins
from tests.conftest import FIXTURES, lint, make_config

CASES = sorted(FIXTURES.rglob("*.hvc"))
NO_FIXTURE = {"HV000"}
"""Codes no file can give on purpose: HV000 reports a rule that raised."""
FIELDS = ("line", "column", "end_line", "end_column", "code", "severity", "message")


def _expected_path(case: Path) -> Path:
    return case.with_suffix(".expected.json")


def test_every_fixture_has_expectations() -> None:
    missing = [str(case.relative_to(FIXTURES)) for case in CASES if not _expected_path(case).is_file()]
    assert not missing, f"fixtures without NAME.expected.json: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_fixture(case: Path, request: pytest.FixtureRequest) -> None:
    expected = _expected_path(case)
    spec = json.loads(expected.read_text(encoding="utf-8"))
    actual = _findings(case, spec)
    if request.config.getoption("--update-fixtures") and actual != spec["findings"]:
        write_atomically(expected, _expectations({**spec, "findings": actual}))
        return
    assert actual == spec["findings"]


def _findings(case: Path, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings hvlint gives for the case, with the fields an expectation holds."""
    base_file = spec.get("base")
    base = (case.parent / base_file).read_text(encoding="utf-8") if base_file else None
    if "inventory" in spec:
        from tests.drift_support import drift_lint

        inventory = (case.parent / spec["inventory"]).read_bytes()
        findings = drift_lint(
            inventory, case.read_bytes(), select=spec.get("select"), settings=spec.get("config")
        )
    else:
        findings = lint(case.read_bytes(), select=spec.get("select"), settings=spec.get("config"), base=base)
    return [{key: getattr(f, key) for key in FIELDS} for f in findings]


def _expectations(spec: dict[str, Any]) -> bytes:
    """An expected.json file's text, as every fixture writes it."""
    return (json.dumps(spec, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_update_fixtures_writes_expectations_as_they_are_committed() -> None:
    """`--update-fixtures` changes only the findings that differ: rewriting an unchanged file is a no-op."""
    for case in CASES:
        committed = _expected_path(case).read_bytes()
        assert _expectations(json.loads(committed)) == committed, case


def test_every_registered_rule_has_a_fixture_that_fires_it_and_one_that_does_not() -> None:
    """fixtures/README.md: `hvNNN-fires.hvc` gives the rule's finding, `hvNNN-passes.hvc` gives none of it."""
    registry = load_plugins(make_config().plugins)
    missing = []
    for code in set(registry.rules) - NO_FIXTURE:
        for kind, fires in (("fires", True), ("passes", False)):
            found = sorted(FIXTURES.glob(f"*/{code.lower()}-{kind}.hvc"))
            if len(found) != 1:
                missing.append(f"{code.lower()}-{kind}.hvc")
                continue
            spec = json.loads(_expected_path(found[0]).read_text(encoding="utf-8"))
            codes = {finding["code"] for finding in spec["findings"]}
            assert (code in codes) == fires, (
                f"{found[0].relative_to(FIXTURES)} {'lacks' if fires else 'has'} {code}"
            )
    assert not missing, f"rules without a fixture pair (fixtures/README.md): {missing}"


def test_messages_are_one_line_start_lower_case_and_end_without_a_full_stop() -> None:
    """rules.md: "Messages are one line, start with a lower-case letter, and end without a full stop"."""
    for case in CASES:
        for finding in json.loads(_expected_path(case).read_text(encoding="utf-8"))["findings"]:
            message = finding["message"]
            assert "\n" not in message and message[:1].islower() and not message.endswith("."), (
                case,
                message,
            )
