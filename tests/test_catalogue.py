"""The built-in processor catalogue (processors.hvc) against rules.md and the public dumps it cites.

rules.md: each catalogue part lists every flag of the part that a guest can see and use, so that a
processor pasted from a real /proc/cpuinfo compares correctly with the catalogue part it names. Each case
below is the `flags` line of a public /proc/cpuinfo or lscpu dump of such a part, copied as published
(lscpu's wrapped lines joined again); the comment above it says where it was published.
"""

from __future__ import annotations

import itertools

import pytest

from hvlint.language.catalogue import BASELINES, HOST_ONLY_FEATURES, catalogue, guest_features
from tests.conftest import SHARED, brief, lint

# (catalogue part, vendor, source, flags)
DUMPS = [
    (
        # "Dual-Core AMD Opteron(tm) Processor 2220", family 15 model 65 (Rev F): /proc/cpuinfo quoted in
        # Sage trac ticket #4655, github.com/sagemath/sagetest/issues/4655 (2008).
        "amd-opteron-revf",
        "amd",
        "opteron-2220",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2"
        " ht syscall nx mmxext fxsr_opt rdtscp lm 3dnowext 3dnow pni cx16 lahf_lm cmp_legacy svm cr8_legacy",
    ),
    (
        # "Quad-Core AMD Opteron(tm) Processor 8356", family 16 model 2 (Barcelona): repository
        # Tux/System-Info, t/sysinfo_proc.t, $files{"vogon"}.
        "amd-opteron-2300",
        "amd",
        "opteron-8356",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2"
        " ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm 3dnowext 3dnow constant_tsc rep_good nonstop_tsc"
        " extd_apicid pni monitor cx16 popcnt lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a"
        " misalignsse 3dnowprefetch osvw ibs npt lbrv svm_lock",
    ),
    (
        # "AMD Opteron(tm) Processor 6168", family 16 model 9 (Magny-Cours): posted by asrman on
        # 2011-12-12 in the Ubuntu Forums thread "AMD CPU runs at less than half speed" (General Help).
        "amd-opteron-6100",
        "amd",
        "opteron-6168",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2"
        " ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm 3dnowext 3dnow constant_tsc rep_good nonstop_tsc"
        " extd_apicid amd_dcm pni monitor cx16 popcnt lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a"
        " misalignsse 3dnowprefetch osvw ibs skinit wdt nodeid_msr npt lbrv svm_lock nrip_save",
    ),
    (
        # "AMD Opteron(TM) Processor 6274", family 21 model 1 (Bulldozer): posted by eprimaveri on
        # 2012-02-16 in the Ubuntu Forums thread "/proc/cpuinfo not showing all 16 cores in 11.10".
        "amd-opteron-6200",
        "amd",
        "opteron-6274",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2"
        " ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc up rep_good nopl nonstop_tsc"
        " extd_apicid amd_dcm aperfmperf pni pclmulqdq monitor ssse3 cx16 sse4_1 sse4_2 popcnt aes xsave avx"
        " lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs xop skinit"
        " wdt lwp fma4 nodeid_msr topoext perfctr_core arat cpb npt lbrv svm_lock nrip_save tsc_scale"
        " vmcb_clean flushbyasid decodeassists pausefilter pfthreshold",
    ),
    (
        # "Intel(R) Xeon(R) CPU L5520", family 6 model 26 (Nehalem-EP): repository Tux/System-Info,
        # t/sysinfo_proc.t, $files{"i386_16"}.
        "intel-xeon-5500",
        "intel",
        "xeon-l5520",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr"
        " sse sse2 ss ht tm pbe syscall nx rdtscp lm constant_tsc arch_perfmon pebs bts rep_good nopl"
        " xtopology nonstop_tsc aperfmperf pni dtes64 monitor ds_cpl vmx est tm2 ssse3 cx16 xtpr pdcm dca"
        " sse4_1 sse4_2 popcnt lahf_lm ida dtherm tpr_shadow vnmi flexpriority ept vpid",
    ),
    (
        # "Intel(R) Xeon(R) CPU E5645", family 6 model 44 (Westmere-EP): the /proc/cpuinfo fixture
        # (mock_unsupported_proc_cpuinfo) of a public pytest module for the Juggler check
        # checks/walle_cpu_capping.
        "intel-xeon-5600",
        "intel",
        "xeon-e5645",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr"
        " sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good"
        " nopl xtopology nonstop_tsc aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3"
        " cx16 xtpr pdcm pcid dca sse4_1 sse4_2 popcnt aes lahf_lm ida arat epb dtherm tpr_shadow vnmi"
        " flexpriority ept vpid",
    ),
    (
        # "Intel(R) Xeon(R) CPU E5-2670 0", family 6 model 45 (Sandy Bridge-EP): repository
        # RedHatInsights/insights-core, insights/parsers/tests/test_cpuinfo.py, CPUINFO_HETERO.
        "intel-xeon-e5-2600",
        "intel",
        "xeon-e5-2670",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr"
        " sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good"
        " nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2"
        " ssse3 cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic popcnt tsc_deadline_timer aes xsave avx lahf_lm"
        " epb pti ssbd ibrs ibpb stibp tpr_shadow vnmi flexpriority ept vpid xsaveopt dtherm ida arat pln"
        " pts md_clear flush_l1d",
    ),
    (
        # "Intel(R) Xeon(R) CPU E5-1603 0", family 6 model 45 (the same Sandy Bridge-EP die): repository
        # Tux/System-Info, t/sysinfo_proc.t, $files{"macabre"}.
        "intel-xeon-e5-2600",
        "intel",
        "xeon-e5-1603",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr"
        " sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good"
        " nopl xtopology nonstop_tsc aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3"
        " cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic popcnt tsc_deadline_timer aes xsave avx lahf_lm arat"
        " epb xsaveopt pln pts dtherm tpr_shadow vnmi flexpriority ept vpid",
    ),
    (
        # "Intel(R) Xeon(R) CPU E5-2620 v3", family 6 model 63 (Haswell-EP, TSX off by microcode): lscpu in
        # repository compchem-cybertraining/Tutorials_CP2K, INSTALLATION.md (the "Valhalla" node).
        "intel-xeon-e5-2600-v3",
        "intel",
        "xeon-e5-2620-v3",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr"
        " sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc arch_perfmon pebs bts rep_good"
        " nopl xtopology nonstop_tsc aperfmperf eagerfpu pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2"
        " ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes"
        " xsave avx f16c rdrand lahf_lm abm epb invpcid_single ssbd ibrs ibpb stibp tpr_shadow vnmi"
        " flexpriority ept vpid fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid cqm xsaveopt cqm_llc"
        " cqm_occup_llc dtherm ida arat pln pts md_clear spec_ctrl intel_stibp flush_l1d",
    ),
    (
        # "Intel(R) Xeon(R) Platinum 8180", family 6 model 85 stepping 4 (Skylake-SP): lscpu quoted in the
        # module docstring of a public cache-blocking benchmark analysis script ("The analysis contained in
        # this script has been carried out on the following machine hardware").
        "intel-xeon-scalable",
        "intel",
        "xeon-platinum-8180",
        "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr"
        " sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good"
        " nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2"
        " ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes"
        " xsave avx f16c rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb cat_l3 cdp_l3 invpcid_single pti"
        " intel_ppin ssbd mba ibrs ibpb stibp tpr_shadow vnmi flexpriority ept vpid ept_ad fsgsbase"
        " tsc_adjust bmi1 hle avx2 smep bmi2 erms invpcid rtm cqm mpx rdt_a avx512f avx512dq rdseed adx smap"
        " clflushopt clwb intel_pt avx512cd avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves cqm_llc"
        " cqm_occup_llc cqm_mbm_total cqm_mbm_local dtherm ida arat pln pts pku ospke md_clear flush_l1d"
        " arch_capabilities",
    ),
]

# "Intel(R) Xeon(R) Gold 6130", family 6 model 85 (Skylake-SP) under a RHEL 7 kernel, which does not
# report xsaves: lscpu in compchem-cybertraining/Tutorials_CP2K, INSTALLATION.md ("general-compute").
GOLD_6130_RHEL7 = (
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse"
    " sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good nopl"
    " xtopology nonstop_tsc aperfmperf eagerfpu pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3"
    " sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx"
    " f16c rdrand lahf_lm abm 3dnowprefetch epb cat_l3 cdp_l3 invpcid_single intel_ppin intel_pt ssbd mba"
    " ibrs ibpb stibp tpr_shadow vnmi flexpriority ept vpid fsgsbase tsc_adjust bmi1 hle avx2 smep bmi2 erms"
    " invpcid rtm cqm mpx rdt_a avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd avx512bw avx512vl"
    " xsaveopt xsavec xgetbv1 cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local dtherm ida arat pln pts pku"
    " ospke md_clear spec_ctrl intel_stibp flush_l1d"
)


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# rules.md: "the common x86-64 set", and for AMD also mmxext fxsr_opt.
COMMON_X86_64 = words(
    "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2"
    " syscall nx lm pni cx16 lahf_lm"
)

INTEL_CHAIN = [
    "intel-xeon-5500",
    "intel-xeon-5600",
    "intel-xeon-e5-2600",
    "intel-xeon-e5-2600-v3",
    "intel-xeon-scalable",
]
# What rules.md's table says each Intel part adds to the one before it (the first: what it has).
INTEL_ADDS = {
    "intel-xeon-5500": {"ssse3", "sse4_1", "sse4_2", "popcnt"},
    "intel-xeon-5600": {"aes", "pclmulqdq"},
    "intel-xeon-e5-2600": {"avx", "xsave"},
    "intel-xeon-e5-2600-v3": {"avx2", "fma", "bmi1", "bmi2", "movbe"},
    "intel-xeon-scalable": {"avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"},
}


def part(name: str) -> frozenset[str]:
    return guest_features(catalogue()[name])


def pasted_against(name: str, vendor: str, flags: str) -> str:
    """A cluster of a host whose processor is the pasted dump and a host of the catalogue part, with a VM
    on each whose mode is off and a VM whose mode is minimum (HV404 when the two are identical)."""
    features = ", ".join(flags.split())
    return f"""cluster "C" {{
  platform = ws2012r2
  processor "pasted" {{
    vendor   = {vendor}
    features = [{features}]
  }}
  host "P1" {{ processor = pasted; memory = 64GiB }}
  host "C1" {{ processor = "{name}"; memory = 64GiB }}
  vm "OFF1" {{ host = P1; memory = 4GiB }}
  vm "OFF2" {{ host = C1; memory = 4GiB }}
  vm "MIN1" {{ host = P1; memory = 4GiB; compatibility_mode = minimum }}
}}
"""


# -- a dump pasted from /proc/cpuinfo compares equal with its catalogue part ---------------------------------


@pytest.mark.parametrize(("name", "vendor", "dump", "flags"), DUMPS, ids=[d[2] for d in DUMPS])
def test_a_pasted_dump_has_the_parts_guest_features(name: str, vendor: str, dump: str, flags: str) -> None:
    pasted = words(flags) - HOST_ONLY_FEATURES
    assert sorted(pasted - part(name)) == [], f"{dump} has flags {name} lacks"
    assert sorted(part(name) - pasted) == [], f"{name} has flags {dump} lacks"


@pytest.mark.parametrize(("name", "vendor", "dump", "flags"), DUMPS, ids=[d[2] for d in DUMPS])
def test_a_pasted_dump_and_its_part_give_no_hv402(name: str, vendor: str, dump: str, flags: str) -> None:
    findings = lint(pasted_against(name, vendor, flags), select=["HV4"])
    # No HV402 either way; the VM in minimum mode gets HV404 because the two hosts are identical.
    assert [f.code for f in findings] == ["HV404"], [f.message for f in findings]
    assert brief(findings)[0][0] == 11  # MIN1


def test_every_part_is_backed_by_a_pasted_dump() -> None:
    real_parts = {name for name in catalogue() if name not in BASELINES.values()}
    assert {d[0] for d in DUMPS} == real_parts


def test_a_skylake_dump_from_a_rhel7_kernel_lacks_only_xsaves() -> None:
    # RHEL 7's kernel does not report XSAVES; newer kernels do (the Platinum 8180 dump above).
    pasted = words(GOLD_6130_RHEL7) - HOST_ONLY_FEATURES
    assert part("intel-xeon-scalable") - pasted == {"xsaves"}
    assert pasted <= part("intel-xeon-scalable")


def test_the_e5_2670_of_the_audit_no_longer_lacks_pcid_x2apic_xsaveopt() -> None:
    (_, vendor, _, flags) = next(d for d in DUMPS if d[2] == "xeon-e5-2670")
    assert lint(pasted_against("intel-xeon-e5-2600", vendor, flags), select=["HV402"]) == []


# -- the entries hold no host-only flag ----------------------------------------------------------------------


def test_no_entry_lists_a_host_only_flag() -> None:
    for name, processor in catalogue().items():
        assert sorted(processor.features & HOST_ONLY_FEATURES) == [], name


def test_monitor_and_the_timer_flags_stay_host_only() -> None:
    assert {"monitor", "tsc_deadline_timer", "pdpe1gb", "lwp", "ibs"} <= HOST_ONLY_FEATURES


# -- the baselines, exactly as rules.md lists them -----------------------------------------------------------


def test_the_baselines_are_rules_mds_lists() -> None:
    assert BASELINES == {"amd": "hyperv-minimum-amd", "intel": "hyperv-minimum-intel"}
    assert set(catalogue()["hyperv-minimum-intel"].features) == COMMON_X86_64
    assert set(catalogue()["hyperv-minimum-amd"].features) == COMMON_X86_64 | {"mmxext", "fxsr_opt"}
    assert catalogue()["hyperv-minimum-amd"].vendor == "amd"
    assert catalogue()["hyperv-minimum-intel"].vendor == "intel"


def test_every_part_has_its_vendors_whole_baseline() -> None:
    for name, processor in catalogue().items():
        assert part(BASELINES[processor.vendor]) <= part(name), name


# -- rules.md's "what sets it apart" -------------------------------------------------------------------------


def test_revf_and_2300_differ_by_exactly_the_family_10h_additions() -> None:
    assert part("amd-opteron-2300") - part("amd-opteron-revf") == {
        "popcnt",
        "abm",
        "sse4a",
        "misalignsse",
        "3dnowprefetch",
    }
    assert part("amd-opteron-revf") - part("amd-opteron-2300") == set()
    assert {"rdtscp", "cx16", "lahf_lm"} <= part("amd-opteron-revf")


def test_2300_and_6100_are_identical() -> None:
    assert part("amd-opteron-2300") == part("amd-opteron-6100")


def test_6200_adds_the_bulldozer_set_and_drops_3dnow() -> None:
    added = {"ssse3", "sse4_1", "sse4_2", "aes", "pclmulqdq", "avx", "xsave", "xop", "fma4"}
    assert part("amd-opteron-6200") - part("amd-opteron-2300") == added
    assert part("amd-opteron-2300") - part("amd-opteron-6200") == {"3dnow", "3dnowext"}
    assert not {"3dnow", "3dnowext"} & part("amd-opteron-6200")


def test_the_intel_chain_grows_by_at_least_what_rules_md_names() -> None:
    first = INTEL_CHAIN[0]
    assert INTEL_ADDS[first] <= part(first)
    assert "aes" not in part(first)
    for older, newer in itertools.pairwise(INTEL_CHAIN):
        assert part(older) < part(newer), (older, newer)
        assert INTEL_ADDS[newer] <= part(newer) - part(older), newer


def test_the_needs_work_example_still_names_the_family_10h_additions() -> None:
    (finding,) = lint((SHARED / "examples" / "needs-work.hvc").read_bytes(), select=["HV402"])
    assert "LAB01 lacks 3dnowprefetch, abm, misalignsse, popcnt, sse4a;" in finding.message
