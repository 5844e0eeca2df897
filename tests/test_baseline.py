"""Baselines (cli.md, `--baseline` / `--write-baseline`): record every finding, then report only new ones;
matched by path, code and fingerprint with multiplicity; stale entries counted; clear errors for files
that are not baselines."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hvlint.baseline import VERSION, Baseline, BaselineError, Entry, load_baseline, write_baseline
from hvlint.findings import Finding
from tests.conftest import lint

HOSTS = (
    '  host "HV01" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
    '  host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }\n'
)
LEGACY = (
    'cluster "C1" {\n'
    f"{HOSTS}"
    '  vm "SQL01" { host = HV09  memory = 16GiB }\n'
    '  vm "WEB01" {   # hvlint: disable=XX1\n'
    "    host = HV01\n"
    "    memory = 4GiB\n"
    "    dirty_rat = 10MB/s\n"
    "  }\n"
    "}\n"
)


def finding(path: str = "a.hvc", code: str = "HV002", fingerprint: str = "f" * 32, line: int = 1) -> Finding:
    return Finding(path, line, 1, line, 2, code, "name", "error", f"message {code}", None, fingerprint)


def roundtrip(tmp_path: Path, findings: list[Finding]) -> Baseline:
    target = tmp_path / "baseline.json"
    write_baseline(target, findings)
    return load_baseline(target)


# --- writing -------------------------------------------------------------------------------------------


def test_the_file_records_every_finding(tmp_path: Path) -> None:
    findings = lint(LEGACY, path="clusters/legacy.hvc")
    assert len(findings) >= 3
    target = tmp_path / "baseline.json"
    write_baseline(target, findings)
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["version"] == VERSION == 1
    assert document["tool"].startswith("hvlint ")
    entries = document["findings"]
    assert len(entries) == len(findings)
    assert all(set(entry) == {"path", "code", "fingerprint", "message"} for entry in entries)
    recorded = sorted((e["path"], e["code"], e["fingerprint"], e["message"]) for e in entries)
    assert recorded == sorted((f.path, f.code, f.fingerprint, f.message) for f in findings)


def test_entries_are_sorted_so_that_moving_findings_does_not_reorder_the_file(tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    write_baseline(first, lint(LEGACY, path="x.hvc"))
    write_baseline(
        second,
        lint(
            LEGACY.replace('  vm "SQL01"', '  vm "WEB02" { host = HV07  memory = 1GiB }\n  vm "SQL01"'),
            path="x.hvc",
        ),
    )
    old = [(e["path"], e["code"], e["fingerprint"]) for e in json.loads(first.read_text())["findings"]]
    new = [(e["path"], e["code"], e["fingerprint"]) for e in json.loads(second.read_text())["findings"]]
    assert [e for e in new if e in old] == old  # the old entries, in the same order, plus the new one
    assert len(new) == len(old) + 1
    entries = json.loads(second.read_text())["findings"]
    keys = [(e["path"], e["code"], e["message"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys)


def test_paths_are_recorded_relative_with_forward_slashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    findings = [finding("./sub/a.hvc"), finding(str(tmp_path / "sub" / "b.hvc"))]
    baseline = roundtrip(tmp_path, findings)
    assert [entry.path for entry in baseline.entries] == ["sub/a.hvc", "sub/b.hvc"]
    assert baseline.apply([finding("sub/a.hvc"), finding("sub/b.hvc")]).new == []


def test_writing_is_atomic_and_keeps_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_baseline(target, [finding()])
    assert json.loads(target.read_text())["findings"][0]["code"] == "HV002"
    assert (target.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_an_unwritable_baseline_is_a_baseline_error(tmp_path: Path) -> None:
    target = tmp_path / "missing-directory" / "baseline.json"
    with pytest.raises(BaselineError, match=r"missing-directory/baseline\.json: cannot write the baseline"):
        write_baseline(target, [finding()])


def test_an_empty_baseline(tmp_path: Path) -> None:
    baseline = roundtrip(tmp_path, [])
    assert baseline.entries == ()
    assert baseline.apply([finding()]) == ([finding()], 0, 0)


# --- applying ------------------------------------------------------------------------------------------


def test_a_baseline_hides_what_it_recorded(tmp_path: Path) -> None:
    findings = lint(LEGACY, path="legacy.hvc")
    result = roundtrip(tmp_path, findings).apply(findings)
    assert result.new == []
    assert (result.matched, result.stale) == (len(findings), 0)
    new, matched, stale = result  # a plain triple too
    assert (new, matched, stale) == ([], len(findings), 0)


def test_findings_stay_hidden_when_lines_are_added_above(tmp_path: Path) -> None:
    baseline = roundtrip(tmp_path, lint(LEGACY, path="legacy.hvc"))
    moved = lint("# owned by the platform team\n\n" + LEGACY, path="legacy.hvc")
    assert baseline.apply(moved).new == []


def test_a_new_finding_is_reported_and_only_it(tmp_path: Path) -> None:
    baseline = roundtrip(tmp_path, lint(LEGACY, path="legacy.hvc"))
    assert LEGACY.endswith("\n}\n")
    edited = LEGACY[:-2] + '  vm "NEW01" { host = HV05  memory = 1GiB }\n}\n'
    findings = lint(edited, path="legacy.hvc")
    result = baseline.apply(findings)
    assert [(f.code, f.object) for f in result.new] == [("HV002", "vm C1/NEW01")]
    assert result.matched == len(findings) - 1


def test_a_changed_finding_shows_again_and_its_entry_is_stale(tmp_path: Path) -> None:
    findings = lint(LEGACY, path="legacy.hvc")
    baseline = roundtrip(tmp_path, findings)
    changed = lint(LEGACY.replace("host = HV09", "host = HV08"), path="legacy.hvc")
    result = baseline.apply(changed)
    assert [f.code for f in result.new] == ["HV002"]
    assert "`HV08`" in result.new[0].message
    assert (result.matched, result.stale) == (len(changed) - 1, 1)


def test_a_fixed_finding_leaves_a_stale_entry(tmp_path: Path) -> None:
    findings = lint(LEGACY, path="legacy.hvc")
    baseline = roundtrip(tmp_path, findings)
    fixed = lint(LEGACY.replace("    dirty_rat = 10MB/s\n", ""), path="legacy.hvc")
    result = baseline.apply(fixed)
    assert result.new == []
    assert result.stale == len(findings) - len(fixed) == 1


def test_matching_counts_multiplicity() -> None:
    same = finding()
    baseline = Baseline((Entry("a.hvc", "HV002", "f" * 32), Entry("a.hvc", "HV002", "f" * 32)))
    assert baseline.apply([same, same, same]) == ([same], 2, 0)
    assert baseline.apply([same]) == ([], 1, 1)


def test_path_code_and_fingerprint_must_all_match() -> None:
    baseline = Baseline((Entry("a.hvc", "HV002", "f" * 32, "recorded message"),))
    assert baseline.apply([finding("b.hvc")]).new == [finding("b.hvc")]
    assert baseline.apply([finding(code="HV003")]).new == [finding(code="HV003")]
    assert baseline.apply([finding(fingerprint="e" * 32)]).new == [finding(fingerprint="e" * 32)]
    # the message and the line are not compared
    assert baseline.apply([finding(line=40)]) == ([], 1, 0)


def test_new_findings_keep_their_order() -> None:
    findings = [finding(line=n, fingerprint=f"{n:032x}") for n in (1, 2, 3, 4)]
    baseline = Baseline((Entry("a.hvc", "HV002", f"{3:032x}"),))
    assert baseline.apply(findings).new == [findings[0], findings[1], findings[3]]


# --- reading -------------------------------------------------------------------------------------------


def test_a_missing_baseline(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"nope\.json: no such baseline file \(write one with"):
        load_baseline(tmp_path / "nope.json")


def test_a_directory_is_no_baseline(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="is a directory"):
        load_baseline(tmp_path)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_baseline(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, [])
    os.chmod(target, 0)
    try:
        with pytest.raises(
            BaselineError, match=r"baseline\.json: cannot read the baseline: Permission denied"
        ):
            load_baseline(target)
    finally:
        os.chmod(target, 0o600)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", r"invalid JSON at line 1, column 1", id="empty"),
        pytest.param(b'{"version": 1,', r"invalid JSON at line 1, column 15", id="truncated"),
        pytest.param(b"\xff\xfe{}", r"not UTF-8 text", id="not-utf8"),
        pytest.param(b"[]", r"expected a JSON object, found a list", id="a-list"),
        pytest.param(b'{"findings": []}', r"no `version`", id="no-version"),
        pytest.param(
            b'{"version": "1", "findings": []}',
            r"`version` must be an integer, found a string",
            id="version-string",
        ),
        pytest.param(
            b'{"version": true, "findings": []}',
            r"`version` must be an integer, found a boolean",
            id="version-bool",
        ),
        pytest.param(
            b'{"version": 2, "findings": []}', r"baseline version 2 is not supported", id="version-2"
        ),
        pytest.param(b'{"version": 1}', r"`findings` must be a list, found null", id="no-findings"),
        pytest.param(
            b'{"version": 1, "findings": {}}',
            r"`findings` must be a list, found an object",
            id="findings-object",
        ),
        pytest.param(
            b'{"version": 1, "findings": [3]}',
            r"`findings\[0\]`: expected an object, found a number",
            id="entry-number",
        ),
        pytest.param(
            b'{"version": 1, "findings": [{"path": "a.hvc", "code": "HV002"}]}',
            r"`findings\[0\]`: missing `fingerprint`",
            id="entry-without-fingerprint",
        ),
        pytest.param(
            b'{"version": 1, "findings": [{"path": "a.hvc", "code": 2, "fingerprint": "x"}]}',
            r"`findings\[0\]`: `code` must be a string, found a number",
            id="entry-code-number",
        ),
    ],
)
def test_a_file_that_is_not_a_baseline(tmp_path: Path, content: bytes, message: str) -> None:
    target = tmp_path / "baseline.json"
    target.write_bytes(content)
    with pytest.raises(BaselineError, match=message) as raised:
        load_baseline(target)
    assert str(raised.value).startswith(f"{target}: ")
    assert "\n" not in str(raised.value)


def test_a_hand_written_baseline_with_a_bom_and_no_messages(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    document = {"version": 1, "findings": [{"path": "./a.hvc", "code": "HV002", "fingerprint": "f" * 32}]}
    target.write_bytes(b"\xef\xbb\xbf" + json.dumps(document).encode())
    baseline = load_baseline(target)
    assert baseline.entries == (Entry("a.hvc", "HV002", "f" * 32, ""),)
    assert baseline.path == str(target)
    assert baseline.apply([finding()]) == ([], 1, 0)
