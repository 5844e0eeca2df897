"""HV110 (rules/slat.py) beyond its fixtures, and the HV402/HV405 messages for long or incomplete lists."""

from __future__ import annotations

import pytest

from tests.conftest import brief, lint


def cluster(platform: str, processor: str, extra: str = "") -> str:
    return f"""{extra}cluster "C" {{
  platform = {platform}
  host "H1" {{ processor = {processor}; memory = 8GiB }}
}}
"""


@pytest.mark.parametrize("platform", ["ws2016", "ws2019", "ws2022", "ws2025"])
def test_hv110_fires_from_ws2016_on(platform: str) -> None:
    findings = lint(cluster(platform, '"amd-opteron-revf"'), select=["HV110"])
    assert brief(findings) == [(3, 27, "HV110")]
    assert f"runs {platform}," in findings[0].message


@pytest.mark.parametrize("platform", ["ws2008r2", "ws2012", "ws2012r2"])
def test_hv110_is_silent_before_ws2016(platform: str) -> None:
    assert lint(cluster(platform, '"amd-opteron-revf"'), select=["HV110"]) == []


def test_hv110_is_silent_when_the_platform_is_in_error() -> None:
    assert [f.code for f in lint(cluster("ws2099", '"amd-opteron-revf"'), select=["HV110"])] == ["HV004"]


def test_hv110_judges_amd_by_family_alone() -> None:
    declared = 'processor "k10" { vendor = amd; family = 0x10; features = [fpu, lm, svm] }\n'
    assert lint(cluster("ws2016", "k10", declared), select=["HV110"]) == []
    old = 'processor "k8" { vendor = amd; family = 0x0f; features = [fpu, lm, svm, npt] }\n'
    (finding,) = lint(cluster("ws2016", "k8", old), select=["HV110"])
    assert finding.severity == "error"
    assert "but k8 (family 0x0f) has no npt" in finding.message


def test_hv110_intel_with_a_family_only_goes_by_the_flags() -> None:
    declared = 'processor "x" { vendor = intel; family = 6; features = [fpu, lm, vmx] }\n'
    (finding,) = lint(cluster("ws2016", "x", declared), select=["HV110"])
    assert finding.severity == "warning"
    assert "the features of x name vmx but not ept" in finding.message


def test_hv110_skips_a_processor_in_error() -> None:
    declared = (
        'processor "x" { vendor = intel; family = 6; model = 23; features = [fpu, lm, vmx, bogusflagxyz] }\n'
    )
    assert [f.code for f in lint(cluster("ws2016", "x", declared), select=["HV110"])] == ["HV004"]


def hosts_lacking(features: str) -> str:
    return f"""processor "p" {{ vendor = intel; features = [{features}] }}
cluster "C" {{
  platform = ws2012r2
  host "H1" {{ processor = "intel-xeon-e5-2600"; memory = 8GiB }}
  host "H2" {{ processor = p; memory = 8GiB }}
  vm "V" {{ host = H1; memory = 1GiB }}
}}
"""


BASE = (
    "fpu, vme, de, pse, tsc, msr, pae, mce, cx8, apic, sep, mtrr, pge, mca, cmov, pat, pse36, clflush, mmx, "
)
BASE += "fxsr, sse, sse2, syscall, nx, lm, pni, cx16, lahf_lm"


def test_eight_missing_features_are_all_named() -> None:
    # intel-xeon-e5-2600 has 12 features beyond the baseline: H2 has 4 of them
    (finding,) = lint(hosts_lacking(BASE + ", ssse3, sse4_1, xsave, xsaveopt"), select=["HV402"])
    assert "H2 lacks aes, avx, pcid, pclmulqdq, popcnt, rdtscp, sse4_2, x2apic; set" in finding.message


def test_nine_missing_features_name_eight_and_count_one() -> None:
    (finding,) = lint(hosts_lacking(BASE + ", ssse3, xsave, xsaveopt"), select=["HV402"])
    assert (
        "H2 lacks aes, avx, pcid, pclmulqdq, popcnt, rdtscp, sse4_1, sse4_2 and 1 more; set"
        in finding.message
    )


def test_a_list_without_x86_64_basics_is_called_incomplete() -> None:
    (finding,) = lint(hosts_lacking("fpu, sse, sse4_1"), select=["HV402"])
    assert (
        "the feature list of H2's processor (p) looks incomplete: it lacks cmov, cx8, fxsr, lm, mmx, sse2"
        in (finding.message)
    )
    assert "compatibility_mode = minimum" not in finding.message
