"""Every fixture under fixtures/: an `.hvc` input and, beside it, `NAME.expected.json` with the exact
findings (line, column, end, code, severity, message) it must give. See fixtures/README.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, lint

CASES = sorted(FIXTURES.rglob("*.hvc"))
FIELDS = ("line", "column", "end_line", "end_column", "code", "severity", "message")


def _expected_path(case: Path) -> Path:
    return case.with_suffix(".expected.json")


def test_every_fixture_has_expectations() -> None:
    missing = [str(case.relative_to(FIXTURES)) for case in CASES if not _expected_path(case).is_file()]
    assert not missing, f"fixtures without NAME.expected.json: {missing}"


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(FIXTURES)) for c in CASES])
def test_fixture(case: Path) -> None:
    spec = json.loads(_expected_path(case).read_text(encoding="utf-8"))
    base_file = spec.get("base")
    base = (case.parent / base_file).read_text(encoding="utf-8") if base_file else None
    findings = lint(case.read_bytes(), select=spec.get("select"), settings=spec.get("config"), base=base)
    actual = [{key: getattr(f, key) for key in FIELDS} for f in findings]
    assert actual == spec["findings"]


def test_messages_are_one_line_start_lower_case_and_end_without_a_full_stop() -> None:
    """rules.md: "Messages are one line, start with a lower-case letter, and end without a full stop"."""
    for case in CASES:
        for finding in json.loads(_expected_path(case).read_text(encoding="utf-8"))["findings"]:
            message = finding["message"]
            assert "\n" not in message and message[:1].islower() and not message.endswith("."), (
                case,
                message,
            )
