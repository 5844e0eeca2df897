"""`hvlint processors --diff A B` (hvlint/processor_diff.py)."""

from __future__ import annotations

import pytest

from hvlint.cli import main


def diff(capsys: pytest.CaptureFixture[str], *names: str) -> tuple[int, str, str]:
    status = main(["processors", "--diff", *names])
    out, err = capsys.readouterr()
    return status, out, err


def test_diff_prints_what_each_part_has_that_the_other_lacks(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = diff(capsys, "intel-xeon-scalable-2", "intel-xeon-scalable-3")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "intel-xeon-scalable-2 has, intel-xeon-scalable-3 lacks (3): hle mpx rtm",
        "intel-xeon-scalable-3 has, intel-xeon-scalable-2 lacks (13): avx512_bitalg avx512_vbmi2 "
        "avx512_vpopcntdq avx512ifma avx512vbmi fsrm gfni rdpid sha_ni umip vaes vpclmulqdq wbnoinvd",
        "(host-only flags are left out: `hvlint processors` lists them)",
    ]


def test_diff_of_twins_says_vms_move_both_ways(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = diff(capsys, "INTEL-XEON-E7-8800-V4", "intel-xeon-e5-2600-v4")
    assert status == 0
    assert "intel-xeon-e7-8800-v4 has, intel-xeon-e5-2600-v4 lacks (0): nothing" in out
    assert "offer a guest the same features: VMs move both ways" in out


def test_diff_across_vendors_names_hv401(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = diff(capsys, "amd-epyc-9004", "Intel64 Family 6 Model 143 Stepping 8")
    assert status == 0
    assert "amd-epyc-9004 is AMD and intel-xeon-scalable-4 Intel: no VM live-migrates between them" in out


def test_diff_of_an_unknown_name_suggests_the_closest(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = diff(capsys, "amd-epyc-7030", "amd-epyc-7003")
    assert (status, out) == (2, "")
    assert "no catalogue processor `amd-epyc-7030`; did you mean `amd-epyc-7003`?" in err


def test_diff_of_an_ambiguous_caption_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = diff(capsys, "Intel64 Family 6 Model 85", "amd-epyc-7003")
    assert status == 2
    assert "is ambiguous: intel-xeon-scalable (Skylake-SP" in err


def test_diff_needs_two_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["processors", "--diff", "amd-epyc-7003"]) == 2
    assert "expected 2 arguments" in capsys.readouterr().err


def test_processors_without_diff_still_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["processors", "--quiet"]) == 0
    out = capsys.readouterr().out
    for name in ("amd-epyc-9005", "intel-xeon-6e", "intel-xeon-e7-8800-v2"):
        assert name in out
