"""HV4xx, the processor rules: what the fixtures under fixtures/processors/ do not show on their own."""

from __future__ import annotations

import importlib
import inspect

import pytest

from hvlint.language.catalogue import BASELINES, catalogue, guest_features
from hvlint.rule import Rule
from tests.conftest import SHARED, brief, lint

# rules/ is installed as the package hvlint.rules (pyproject's package-dir), which linters cannot map.
processors = importlib.import_module("hvlint.rules.processors")

AMD_NEW = "3dnowprefetch, abm, misalignsse, popcnt, sse4a"
RULES = processors.hvlint_rules()


def cluster(body: str, platform: str = "ws2008r2") -> str:
    return f'cluster "C" {{\n  platform = {platform}\n{body}\n}}\n'


def codes(text: str, select: tuple[str, ...] = ("HV4",), base: str | None = None) -> list[str]:
    return [f.code for f in lint(text, select=list(select), base=base)]


# -- the shared examples --------------------------------------------------------------------------------


def test_needs_work_example_gets_hv402_for_build01() -> None:
    findings = lint((SHARED / "examples" / "needs-work.hvc").read_bytes(), select=["HV4"])
    assert brief(findings) == [(15, 3, "HV402")]
    assert findings[0].message == (
        f"vm HVC-LAB/BUILD01 cannot move from LAB02 to LAB01: LAB01 lacks {AMD_NEW}; "
        "set compatibility_mode = minimum (the VM must be off to change it)"
    )
    assert findings[0].severity == "error"
    assert findings[0].object == "vm HVC-LAB/BUILD01"


def test_seed_cluster_example_gets_no_hv4_finding() -> None:
    assert lint((SHARED / "examples" / "seed-cluster.hvc").read_bytes(), select=["HV4"]) == []


# -- the catalogue facts the rules rely on ----------------------------------------------------------------


def test_every_catalogue_part_has_its_vendors_whole_baseline() -> None:
    for name, processor in catalogue().items():
        baseline = guest_features(catalogue()[BASELINES[processor.vendor]])
        assert baseline <= guest_features(processor), name


def test_opteron_2300_and_6100_are_identical_to_a_guest() -> None:
    parts = catalogue()
    assert guest_features(parts["amd-opteron-2300"]) == guest_features(parts["amd-opteron-6100"])


# -- HV401 ------------------------------------------------------------------------------------------------


MIXED = """
  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "I1" { processor = "intel-xeon-5500"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-revf"; memory = 64GiB }
  vm "WEB01" { host = A1; memory = 4GiB }
  vm "WEB02" { host = I1; memory = 4GiB; possible_owners = [I1, A2] }
"""


def test_hv401_suppresses_hv402_for_vms_whose_owners_mix_vendors() -> None:
    # WEB01 (every host) and WEB02 (I1, A2) cannot move with mode off, but their owners mix vendors.
    findings = lint(cluster(MIXED), select=["HV4"])
    assert brief(findings) == [(5, 27, "HV401")]


def test_hv401_reports_only_the_hosts_of_another_vendor_than_the_first() -> None:
    text = cluster(
        """
  host "I1" { processor = "intel-xeon-5500"; memory = 64GiB }
  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "I2" { processor = "intel-xeon-5600"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-6100"; memory = 64GiB }
"""
    )
    findings = lint(text, select=["HV401"])
    assert [(f.line, f.message.split(" has")[0]) for f in findings] == [(5, "host C/A1"), (7, "host C/A2")]


def test_hv401_on_a_standalone_host_and_single_vendor_clusters_is_silent() -> None:
    text = (
        cluster('  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }')
        + 'host "LONE" { processor = "intel-xeon-5500"; memory = 64GiB }\n'
    )
    assert codes(text, ("HV401",)) == []


# -- values in error: no finding follows from them ----------------------------------------------------------


def test_a_host_whose_processor_is_unknown_is_not_judged() -> None:
    text = cluster(
        """
  host "X1" { processor = "no-such-cpu"; memory = 64GiB }
  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "I1" { processor = "intel-xeon-5500"; memory = 64GiB }
  vm "WEB01" { host = A1; memory = 4GiB }
  vm "WEB02" { host = A1; memory = 4GiB; possible_owners = [A1, X1]; compatibility_mode = minimum }
"""
    )
    findings = lint(text, select=["HV4"])
    # HV002 for X1's processor; HV401 compares with A1, the first host whose processor is known; neither
    # VM is judged, since X1 is among their owners.
    assert [f.code for f in findings] == ["HV002", "HV401"]
    assert "first host A1" in findings[1].message


def test_a_vm_whose_possible_owners_are_in_error_is_not_judged() -> None:
    text = cluster(
        """
  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-revf"; memory = 64GiB }
  vm "WEB01" { host = A1; memory = 4GiB; possible_owners = [A1, A2, A9] }
  vm "WEB02" { host = A9; memory = 4GiB }
  vm "WEB03" { host = A1; memory = 4GiB; compatibility_mode = sometimes }
"""
    )
    assert codes(text) == ["HV002", "HV002", "HV004"]


def test_a_processor_in_error_is_not_judged() -> None:
    text = cluster(
        """
  processor "odd" { vendor = cyrix; features = [sse] }
  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "A2" { processor = odd; memory = 64GiB }
  vm "WEB01" { host = A1; memory = 4GiB }
"""
    )
    assert codes(text) == ["HV004"]


def test_cluster_mode_with_a_platform_in_error_is_not_judged() -> None:
    text = cluster(
        """
  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-6100"; memory = 64GiB }
  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = cluster }
""",
        platform="ws2030",
    )
    assert codes(text) == ["HV004"]


def test_a_config_version_in_error_still_lets_the_platform_decide() -> None:
    text = cluster(
        """
  host "A1" { processor = "amd-opteron-2300"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-6100"; memory = 64GiB }
  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = cluster; config_version = "ten" }
""",
        platform="ws2022",
    )
    assert codes(text) == ["HV406", "HV004"]  # by position: the mode comes first


# -- which VMs are judged -----------------------------------------------------------------------------------


def test_standalone_host_vms_are_not_judged() -> None:
    text = """
host "LONE" {
  processor = "amd-opteron-2300"
  memory    = 64GiB
  vm "LOCAL01" { memory = 2GiB; compatibility_mode = minimum }
  vm "LOCAL02" { memory = 2GiB; compatibility_mode = cluster }
}
"""
    assert codes(text) == []


def test_a_vm_declared_inside_a_clustered_host_is_judged() -> None:
    text = cluster(
        """
  host "A1" { processor = "amd-opteron-revf"; memory = 64GiB }
  host "A2" {
    processor = "amd-opteron-2300"
    memory    = 64GiB
    vm "WEB01" { memory = 4GiB }
  }
"""
    )
    findings = lint(text, select=["HV4"])
    assert brief(findings) == [(8, 5, "HV402")]
    assert "from A2 to A1: A1 lacks" in findings[0].message


def test_host_only_flags_do_not_count() -> None:
    text = cluster(
        """
  processor "pasted" {
    vendor   = intel
    features = [fpu, vme, de, pse, tsc, msr, pae, mce, cx8, apic, sep, mtrr, pge, mca, cmov, pat, pse36,
                clflush, mmx, fxsr, sse, sse2, syscall, nx, lm, pni, cx16, lahf_lm, rdtscp, ssse3, sse4_1,
                sse4_2, popcnt, vmx, ept, vpid, ht, tm, tm2, est, monitor, ds_cpl, xtpr, pdcm, dca,
                flexpriority, tpr_shadow, vnmi, constant_tsc, arch_perfmon, pebs, bts, rep_good,
                nonstop_tsc, aperfmperf]
  }
  host "N1" { processor = pasted; memory = 64GiB }
  host "N2" { processor = "intel-xeon-5500"; memory = 64GiB }
  vm "WEB01" { host = N1; memory = 4GiB }
  vm "WEB02" { host = N1; memory = 4GiB; compatibility_mode = minimum }
""",
        platform="ws2012",
    )
    assert brief(lint(text, select=["HV4"])) == [(15, 63, "HV404")]


def test_hv402_lists_features_without_the_host_only_ones() -> None:
    text = cluster(
        """
  host "N1" { processor { vendor = intel; features = [sse, sse2, lm, vmx, ept, avx] } memory = 64GiB }
  host "N2" { processor { vendor = intel; features = [sse, sse2, lm, vmx] } memory = 64GiB }
  vm "WEB01" { host = N1; memory = 4GiB }
"""
    )
    (finding,) = lint(text, select=["HV402"])
    assert "cannot move from N1 to N2: N2 lacks avx;" in finding.message


def test_a_suppression_on_the_vm_header_hides_hv402() -> None:
    text = cluster(
        """
  host "A1" { processor = "amd-opteron-revf"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-2300"; memory = 64GiB }
  vm "WEB01" { host = A1; memory = 4GiB }  # hvlint: disable=HV402
  vm "WEB02" { host = A1; memory = 4GiB }
"""
    )
    assert brief(lint(text, select=["HV402", "HV005"])) == [(7, 3, "HV402")]


# -- HV403 --------------------------------------------------------------------------------------------------


HOSTS = """
  host "A1" { processor = "amd-opteron-revf"; memory = 64GiB }
  host "A2" { processor = "amd-opteron-2300"; memory = 64GiB }
"""


def test_hv403_needs_a_base() -> None:
    text = cluster(HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = minimum }')
    assert codes(text, ("HV403",)) == []
    base = cluster(HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB }')
    assert codes(text, ("HV403",), base=base) == ["HV403"]


def test_hv403_is_silent_where_hv406_judges_the_mode() -> None:
    base = cluster(HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB }', platform="ws2022")
    text = cluster(
        HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = cluster }', "ws2022"
    )
    assert codes(text, ("HV403", "HV406"), base=base) == ["HV406"]


def test_hv403_with_a_base_that_does_not_parse_or_has_no_such_vm() -> None:
    text = cluster(HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = minimum }')
    assert codes(text, ("HV403",), base='cluster "C" {') == []
    assert codes(text, ("HV403",), base=cluster(HOSTS)) == []


def test_hv403_ignores_a_base_vm_whose_mode_was_in_error() -> None:
    text = cluster(HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = minimum }')
    base = cluster(HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = minimal }')
    assert codes(text, ("HV403",), base=base) == []


def test_hv403_cluster_mode_change_on_ws2025() -> None:
    base = cluster(
        HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = minimum }', "ws2025"
    )
    text = cluster(
        HOSTS + '  vm "WEB01" { host = A1; memory = 4GiB; compatibility_mode = cluster }', "ws2025"
    )
    findings = lint(text, select=["HV403"], base=base)
    assert brief(findings) == [(6, 63, "HV403")]
    assert "changed from minimum to cluster while the VM is running" in findings[0].message


# -- the rules' documentation -----------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_each_rule_documents_itself(rule: type[Rule]) -> None:
    doc = inspect.cleandoc(rule.__doc__ or "")
    assert rule.summary and rule.summary[0].islower() and not rule.summary.endswith(".")
    assert doc.count("```hvc") >= 2, "a failing and a passing example"
    assert "**How to fix it.**" in doc
    assert "**Why it matters.**" in doc


def test_the_rule_codes_and_severities() -> None:
    assert [(r.code, r.name, r.severity) for r in RULES] == [
        ("HV401", "processor-vendor-mismatch", "error"),
        ("HV402", "compatibility-mode-required", "error"),
        ("HV403", "compatibility-mode-changed-while-running", "error"),
        ("HV404", "compatibility-mode-unneeded", "info"),
        ("HV405", "compatibility-mode-insufficient", "error"),
        ("HV406", "compatibility-set-unsupported", "error"),
    ]


def test_hv402_failing_example_from_the_docs(cli) -> None:
    result = cli("explain", "HV402")
    assert result.returncode == 0
    assert "compatibility_mode = minimum" in result.stdout


# -- scale --------------------------------------------------------------------------------------------------


def big_cluster(hosts: int = 64, vms: int = 8000) -> str:
    """64 hosts: 2300 and 6100 Opterons alternately (identical to a guest), and a Rev F last. VMs by four:
    off on every host (HV402), minimum on every host (fine), minimum on H00 and H01 (HV404: identical),
    off on H01 and H02 (fine)."""
    lines = ['cluster "BIG" {', "  platform = ws2012r2"]
    for h in range(hosts):
        cpu = (
            "amd-opteron-revf"
            if h == hosts - 1
            else ("amd-opteron-2300" if h % 2 == 0 else "amd-opteron-6100")
        )
        lines.append(f'  host "H{h:02d}" {{ processor = "{cpu}"; memory = 512GiB }}')
    kinds = (
        "",
        "; compatibility_mode = minimum",
        "; compatibility_mode = minimum; possible_owners = [H00, h01]",
        "; possible_owners = [H01, H02]",
    )
    for v in range(vms):
        lines.append(f'  vm "VM{v:04d}" {{ host = H{v % 2 + 1:02d}; memory = 2GiB{kinds[v % 4]} }}')
    lines.append("}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def big_findings():
    calls = {"owners": 0, "moves": 0}
    judge_owners, first_failing = processors._Processors._judge_owners, processors._Processors._first_failing

    def counting_owners(self, owners):
        calls["owners"] += 1
        return judge_owners(self, owners)

    def counting_moves(self, owners, mode, cluster):
        calls["moves"] += 1
        return first_failing(self, owners, mode, cluster)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(processors._Processors, "_judge_owners", counting_owners)
        patch.setattr(processors._Processors, "_first_failing", counting_moves)
        findings = lint(big_cluster(), select=["HV4"])
    return findings, calls


def test_a_64_host_8000_vm_cluster(big_findings) -> None:
    findings, _ = big_findings
    by_code: dict[str, list] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    assert sorted(by_code) == ["HV402", "HV404"]
    assert len(by_code["HV402"]) == len(by_code["HV404"]) == 2000
    assert {f.message.split(": ", 1)[1] for f in by_code["HV402"]} == {
        f"H63 lacks {AMD_NEW}; set compatibility_mode = minimum (the VM must be off to change it)"
    }
    assert {f.message.split(" cannot move ")[1].split(":")[0] for f in by_code["HV402"]} == {
        "from H00 to H63"
    }
    assert by_code["HV402"][0].message.startswith("vm BIG/VM0000 ")
    assert by_code["HV404"][-1].message.startswith("vm BIG/VM7998 does not need compatibility_mode = minimum")


def test_a_big_cluster_is_judged_once_per_distinct_set_of_owners(big_findings) -> None:
    _, calls = big_findings
    # Three distinct sets of owners, judged by each of HV402, HV404 and HV405 (one _Processors per check
    # call); failing moves: HV402 for (all, off) and its advice (all, minimum), HV405 for (all, minimum).
    assert calls["owners"] <= 3 * 3
    assert calls["moves"] <= 4
