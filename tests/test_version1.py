"""Every version 1 file keeps its meaning (language-v2.md §0, issue 14): each fixture and example of
version 1, unchanged (tests/data/v1), still gets every finding version 1 reported, at the same place and
with the same severity, except where the specification changed version 1 on purpose; and any finding it
gains is one of the rules §0 says can report on a version 1 file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DATA, lint

V1 = DATA / "v1"
RECORDED: dict[str, dict] = json.loads((V1 / "findings.json").read_text(encoding="utf-8"))

CHANGED_ON_PURPOSE = {
    ("fixtures/language/hv004-fires.hvc", 7, 62, "HV004"): (
        "language-v2.md §0: `platform` on a host inside a cluster (a rolling upgrade's node) is no HV004",
        None,
    ),
    ("fixtures/storage/hv202-fires.hvc", 23, 67, "HV202"): (
        "rules-v2.md §E: a disk on SMB before ws2012 is HV201 (Hyper-V runs no VM from SMB), not HV202",
        "HV201",
    ),
    ("fixtures/processors/hv406-fires.hvc", 15, 65, "HV406"): (
        "rules-v2.md §E: compatibility_mode = cluster below version 10.0 on ws2025 is a warning",
        "HV406",
    ),
}
"""Version 1 findings the specification changed: why, and the code reported there now (None: nothing)."""

NEW_ON_VERSION_1_FILES = {"HV306", "HV601", "HV602", "HV603", "HV604", "HV109", "HV110", "HV201", "HV307"}
"""The rules language-v2.md §0 says can report on a version 1 file: HV306 and HV601-HV604 (they read v1's
`memory` and `max_migrations`) and the amendments of rules-v2.md §E."""


def findings_now(path: str, select: list[str] | None = None) -> list[tuple[int, int, str, str]]:
    """What hvlint reports on the version 1 file `path` now, run as version 1 ran it (or with `select`)."""
    case = RECORDED[path]
    base = (V1 / Path(path).parent / case["base"]).read_text(encoding="utf-8") if "base" in case else None
    found = lint(
        (V1 / path).read_bytes(),
        select=select or case.get("select"),
        settings=case.get("config"),
        base=base,
        path=path,
    )
    return [(f.line, f.column, f.code, f.severity) for f in found]


def test_every_version_1_fixture_and_example_is_here() -> None:
    files = sorted(str(path.relative_to(V1)) for path in V1.rglob("*.hvc"))
    assert files == sorted(RECORDED)
    assert len([name for name in files if name.startswith("examples/")]) == 3


@pytest.mark.parametrize("path", sorted(RECORDED))
def test_a_version_1_file_keeps_its_findings(path: str) -> None:
    now = findings_now(path)
    at = {(line, column, code): severity for line, column, code, severity in now}
    for line, column, code, severity in RECORDED[path]["findings"]:
        changed = CHANGED_ON_PURPOSE.get((path, line, column, code))
        if changed is not None:
            _, instead = changed
            if instead is not None:
                assert (line, column, instead) in [found[:3] for found in findings_now(path, [instead])]
            continue
        assert at.get((line, column, code)) == severity, (path, line, column, code)
    recorded = {(line, column, code) for line, column, code, _ in RECORDED[path]["findings"]}
    gained = {code for line, column, code, _ in now if (line, column, code) not in recorded}
    assert gained <= NEW_ON_VERSION_1_FILES, gained
