"""Fingerprints (cli.md, json): stable across runs and across edits that move a finding to another line,
different when the finding itself changes, and unique within a report. Baselines, SARIF's
partialFingerprints and GitLab's Code Quality depend on it."""

from __future__ import annotations

import re

import pytest

from hvlint.findings import Finding
from tests.conftest import lint

HOSTS = (
    '  host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
    '  host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
)
VM_SQL = '  vm "SQL01" { host = HV09  memory = 16GiB }\n'
VM_WEB = '  vm "WEB01" {\n    host   = HV01\n    memory = 4GiB\n    dirty_rat = 10MB/s\n  }\n'
PROCESSOR = 'processor "p1" {\n  vendor = amd\n  features = [sse, sse2]\n}\n'
SUPPRESSION = '  vm "APP01" { host = HV01  memory = 2GiB }   # hvlint: disable=XX1\n'


def cluster(*parts: str, header: str = 'cluster "C1" {\n', footer: str = "}\n") -> str:
    return header + "".join(parts) + footer


BASE = cluster(HOSTS, VM_SQL, VM_WEB, SUPPRESSION)


def by_identity(findings: list[Finding]) -> dict[tuple[str, str, str | None], str]:
    """Fingerprints by what a finding is (code, message, object), whatever its line."""
    identities = {(f.code, f.message, f.object): f.fingerprint for f in findings}
    assert len(identities) == len(findings), "the sample should not give two equal findings"
    return identities


def codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_the_sample_has_findings_of_several_kinds() -> None:
    findings = lint(BASE)
    assert {"HV002", "HV004", "HV005"} <= codes(findings)
    assert all(re.fullmatch(r"[0-9a-f]{32}", f.fingerprint) for f in findings)


def test_fingerprints_are_the_same_on_every_run() -> None:
    assert [f.fingerprint for f in lint(BASE)] == [f.fingerprint for f in lint(BASE)]


@pytest.mark.parametrize(
    "edited",
    [
        pytest.param("# a comment\n\n\n" + BASE, id="lines-above-the-file"),
        pytest.param(
            cluster("  # a note\n", HOSTS, "\n\n", VM_SQL, "  # more\n", VM_WEB, SUPPRESSION),
            id="lines-between",
        ),
        pytest.param(PROCESSOR + BASE, id="a-block-above"),
        pytest.param(cluster(HOSTS, SUPPRESSION, VM_WEB, VM_SQL), id="blocks-reordered"),
        pytest.param(BASE.replace("\n", "\r\n"), id="crlf-line-endings"),
        pytest.param(re.sub(r"(?m)^( +)", lambda m: "\t" * len(m[1]), BASE), id="reindented"),
        pytest.param(BASE + "\n" + PROCESSOR, id="lines-below"),
    ],
)
def test_fingerprints_survive_edits_that_move_the_finding(edited: str) -> None:
    before, after = lint(BASE), lint(edited)
    assert by_identity(after) == by_identity(before)


def test_lines_added_above_change_the_line_not_the_fingerprint() -> None:
    before, after = lint(BASE), lint("\n\n\n" + BASE)
    assert [f.line + 3 for f in before] == [f.line for f in after]
    assert [f.fingerprint for f in before] == [f.fingerprint for f in after]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        pytest.param("host = HV09", "host = HV08", "HV002", id="another-unresolved-reference"),
        pytest.param("dirty_rat = 10MB/s", "dirty_rat = 20MB/s", "HV004", id="the-same-key-another-value"),
        pytest.param("disable=XX1", "disable=XX2", "HV005", id="another-unknown-code"),
    ],
)
def test_a_finding_that_changes_gets_a_new_fingerprint(old: str, new: str, code: str) -> None:
    before = {f.fingerprint for f in lint(BASE)}
    changed = [f for f in lint(BASE.replace(old, new)) if f.code == code]
    assert changed
    assert not {f.fingerprint for f in changed} & before
    untouched = [f for f in lint(BASE.replace(old, new)) if f.code != code]
    assert {f.fingerprint for f in untouched} <= before


def test_the_same_line_in_another_object_gets_another_fingerprint() -> None:
    text = cluster(
        HOSTS,
        '  vm "A" {\n    host = HV09\n    memory = 1GiB\n  }\n',
        '  vm "B" {\n    host = HV09\n    memory = 1GiB\n  }\n',
    )
    findings = [f for f in lint(text) if f.code == "HV002"]
    assert len(findings) == 2
    assert findings[0].fingerprint != findings[1].fingerprint


def test_equal_findings_on_equal_lines_get_distinct_fingerprints() -> None:
    text = cluster(HOSTS, '  vm "A" { host = HV01  memory = 1GiB }\n', "  # hvlint: disable-file=XX1\n" * 2)
    findings = [f for f in lint(text) if f.code == "HV005"]
    assert len(findings) == 2 and findings[0].message == findings[1].message
    assert findings[0].fingerprint != findings[1].fingerprint


def test_the_same_text_in_two_files_gets_distinct_fingerprints() -> None:
    one = {f.fingerprint for f in lint(BASE, path="a.hvc")}
    other = {f.fingerprint for f in lint(BASE, path="b.hvc")}
    assert one and not one & other


@pytest.mark.parametrize("separator", ["\x0c", "\x85", "\u2028"])
def test_a_line_separator_in_a_comment_does_not_shift_the_fingerprinted_line(separator: str) -> None:
    text = cluster(f"  # a comment with a {separator} in it\n", HOSTS, VM_SQL)
    before = {f.fingerprint for f in lint(text) if f.code == "HV002"}
    after = {f.fingerprint for f in lint(text.replace("HV09", "HV08")) if f.code == "HV002"}
    assert before and after and not before & after


def test_a_finding_that_names_other_facts_gets_a_new_fingerprint() -> None:
    """A whole-object finding stays on its header line when its facts change: the hosts and features it
    names are part of its fingerprint, its magnitudes are not."""
    text = (
        'cluster "C" {\n  platform = ws2016\n  failover_clustering = true\n'
        '  network "LM" { roles = [live_migration] }\n'
        '  host "A" { processor = "amd-opteron-revf"; memory = 8GiB }\n'
        '  host "B" { processor = "amd-opteron-2300"; memory = 8GiB }\n'
        '  vm "V" { host = B; memory = 1GiB; dirty_rate = 1MB/s }\n}\n'
    )
    before = [f for f in lint(text, select=["HV402"])]
    other_part = [f for f in lint(text.replace("amd-opteron-2300", "amd-opteron-6200"), select=["HV402"])]
    busier = [f for f in lint(text.replace("memory = 8GiB }", "memory = 16GiB }"), select=["HV402"])]
    assert before and other_part and busier
    assert before[0].line == other_part[0].line and before[0].message != other_part[0].message
    assert before[0].fingerprint != other_part[0].fingerprint
    assert before[0].fingerprint == busier[0].fingerprint
