"""The built-in processor catalogue (processors.hvc) against rules.md and the public dumps it cites.

rules.md: each catalogue part lists every flag of the part that a guest can see and use, so that a
processor pasted from a real /proc/cpuinfo compares correctly with the catalogue part it names. Each case
below is the `flags` line of a public /proc/cpuinfo or lscpu dump of such a part, copied as published
(lscpu's wrapped lines joined again); the comment above it says where it was published.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from hvlint.language.catalogue import (
    ALIASES,
    BASELINES,
    HOST_ONLY_FEATURES,
    catalogue,
    guest_features,
    has_slat,
    real_parts,
)
from tests.conftest import ROOT, SHARED, brief, lint

DATA = ROOT / "tests" / "data"

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


class FileDump:
    """A /proc/cpuinfo flags line kept in tests/data/cpuinfo/, with where it was published (its comments)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        lines = path.read_text(encoding="utf-8").splitlines()
        header = {
            k.strip(): v.strip() for k, _, v in (line[1:].partition(":") for line in lines if line[:1] == "#")
        }
        self.part = header["part"].split()[0]
        self.vendor = "amd" if self.part.startswith("amd-") else "intel"
        self.expected_extra = words(header.get("differs", ""))
        self.flags = next(line.split(":", 1)[1] for line in lines if line.startswith("flags:"))
        assert header["source"] and header["cpu"], path

    @property
    def guest(self) -> frozenset[str]:
        return words(self.flags) - HOST_ONLY_FEATURES


FILE_DUMPS = [FileDump(path) for path in sorted((DATA / "cpuinfo").glob("*.txt"))]

FROM_LIBVIRT_ONLY = {
    "intel-xeon-6e": "SierraForest.txt",
    "amd-epyc-9005": "EPYC-Turin.txt",
}
"""Parts no public bare-metal /proc/cpuinfo was found for: their entry is libvirt's model (tests/data/libvirt)
translated to Linux's names (processors.hvc says so)."""


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
    dumped = {d[0] for d in DUMPS} | {d.part for d in FILE_DUMPS}
    assert dumped | set(FROM_LIBVIRT_ONLY) == {part.name for part in real_parts()}
    assert not dumped & set(FROM_LIBVIRT_ONLY)


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


# -- the parts of version 2: Xeon E5 v2/v4, Xeon Scalable 2-5, Xeon 6, EPYC ---------------------------------


@pytest.mark.parametrize("dump", FILE_DUMPS, ids=[d.path.stem for d in FILE_DUMPS])
def test_a_dump_kept_in_tests_data_compares_equal_with_its_part(dump: FileDump) -> None:
    part_features = part(dump.part)
    assert sorted(dump.guest - part_features) == sorted(dump.expected_extra), f"{dump.path.name} has more"
    assert sorted(part_features - dump.guest) == [], f"{dump.part} has flags {dump.path.name} lacks"


@pytest.mark.parametrize("dump", [d for d in FILE_DUMPS if not d.expected_extra], ids=lambda d: d.path.stem)
def test_a_dump_kept_in_tests_data_and_its_part_give_no_hv402(dump: FileDump) -> None:
    findings = lint(pasted_against(dump.part, dump.vendor, dump.flags), select=["HV4"])
    assert [f.code for f in findings] == ["HV404"], [f.message for f in findings]


# What each new part adds to (and drops from) the part before it, from the vendors' documents and libvirt's
# CPU map (the models named in processors.hvc): (predecessor, added, dropped).
GENERATIONS: dict[str, tuple[str, str, str]] = {
    # Ivy Bridge: F16C, RDRAND, FSGSBASE, SMEP, ERMS (libvirt IvyBridge = SandyBridge + these).
    "intel-xeon-e5-2600-v2": ("intel-xeon-e5-2600", "f16c rdrand fsgsbase smep erms", ""),
    # Haswell: AVX2, FMA, BMI1/2, MOVBE, LZCNT (abm), INVPCID (TSX off by microcode).
    "intel-xeon-e5-2600-v3": ("intel-xeon-e5-2600-v2", "avx2 fma bmi1 bmi2 movbe abm invpcid", ""),
    # Broadwell: RDSEED, ADX, SMAP, PREFETCHW; TSX works again.
    "intel-xeon-e5-2600-v4": ("intel-xeon-e5-2600-v3", "rdseed adx smap 3dnowprefetch hle rtm", ""),
    # Skylake-SP: AVX-512 F/DQ/CD/BW/VL, MPX, PKU, CLFLUSHOPT, CLWB, XSAVEC/XSAVES/XGETBV1.
    "intel-xeon-scalable": (
        "intel-xeon-e5-2600-v4",
        "avx512f avx512dq avx512cd avx512bw avx512vl mpx pku clflushopt clwb xsavec xsaves xgetbv1",
        "",
    ),
    # Cascade Lake: AVX-512 VNNI (Intel Deep Learning Boost).
    "intel-xeon-scalable-2": ("intel-xeon-scalable", "avx512_vnni", ""),
    # Ice Lake-SP: the AVX-512 extensions of Ice Lake, GFNI, VAES, VPCLMULQDQ, SHA, UMIP, RDPID, FSRM,
    # WBNOINVD; MPX removed, TSX off (libvirt Icelake-Server-noTSX).
    "intel-xeon-scalable-3": (
        "intel-xeon-scalable-2",
        "avx512ifma avx512vbmi avx512_vbmi2 avx512_bitalg avx512_vpopcntdq gfni vaes vpclmulqdq sha_ni umip"
        " rdpid fsrm wbnoinvd",
        "mpx hle rtm",
    ),
    # Sapphire Rapids: AMX, AVX-512 FP16/BF16, AVX-VNNI, SERIALIZE, TSXLDTRK, WAITPKG, CLDEMOTE, MOVDIRI,
    # MOVDIR64B, ENQCMD.
    "intel-xeon-scalable-4": (
        "intel-xeon-scalable-3",
        "amx_tile amx_int8 amx_bf16 avx512_fp16 avx512_bf16 avx_vnni serialize tsxldtrk waitpkg cldemote"
        " movdiri movdir64b enqcmd",
        "",
    ),
    # Emerald Rapids: the Sapphire Rapids set.
    "intel-xeon-scalable-5": ("intel-xeon-scalable-4", "", ""),
    # Granite Rapids: AMX-FP16 and PREFETCHI, which /proc/cpuinfo does not name.
    "intel-xeon-6p": ("intel-xeon-scalable-5", "", ""),
    # Sierra Forest against Sapphire Rapids: the E-cores lack AVX-512, AMX, TSXLDTRK, WAITPKG, CLDEMOTE,
    # MOVDIRI, MOVDIR64B and ENQCMD (libvirt's SierraForest).
    "intel-xeon-6e": (
        "intel-xeon-scalable-4",
        "",
        "avx512f avx512dq avx512cd avx512bw avx512vl avx512ifma avx512vbmi avx512_vbmi2 avx512_bitalg"
        " avx512_vpopcntdq avx512_vnni avx512_bf16 avx512_fp16 amx_tile amx_int8 amx_bf16 tsxldtrk waitpkg"
        " cldemote movdiri movdir64b enqcmd",
    ),
    # Zen against Bulldozer: AVX2, FMA, BMI1/2, MOVBE, F16C, RDRAND, RDSEED, ADX, SMEP, SMAP, FSGSBASE, SHA,
    # CLFLUSHOPT, CLZERO, XSAVEOPT/XSAVEC/XSAVES/XGETBV1, XSAVEERPTR; XOP and FMA4 dropped.
    "amd-epyc-7001": (
        "amd-opteron-6200",
        "avx2 fma bmi1 bmi2 movbe f16c rdrand rdseed adx smep smap fsgsbase sha_ni clflushopt clzero xsaveopt"
        " xsavec xsaves xgetbv1 xsaveerptr",
        "xop fma4",
    ),
    # Zen 2: CLWB, UMIP, RDPID, WBNOINVD (libvirt EPYC-Rome).
    "amd-epyc-7002": ("amd-epyc-7001", "clwb umip rdpid wbnoinvd", ""),
    # Zen 3: PCID, INVPCID, ERMS, FSRM, PKU, VAES, VPCLMULQDQ (libvirt EPYC-Milan).
    "amd-epyc-7003": ("amd-epyc-7002", "pcid invpcid erms fsrm pku vaes vpclmulqdq", ""),
    # Zen 4: AVX-512 with BF16, GFNI (libvirt EPYC-Genoa); x2APIC mode on in the firmware.
    "amd-epyc-9004": (
        "amd-epyc-7003",
        "avx512f avx512dq avx512cd avx512bw avx512vl avx512ifma avx512vbmi avx512_vbmi2 avx512_vnni"
        " avx512_bitalg avx512_vpopcntdq avx512_bf16 gfni x2apic",
        "",
    ),
    # Zen 5: AVX-VNNI, MOVDIRI, MOVDIR64B, AVX-512 VP2INTERSECT (libvirt EPYC-Turin).
    "amd-epyc-9005": ("amd-epyc-9004", "avx_vnni movdiri movdir64b avx512_vp2intersect", ""),
}


@pytest.mark.parametrize("name", sorted(GENERATIONS))
def test_a_generation_differs_from_the_one_before_by_the_documented_features(name: str) -> None:
    predecessor, added, dropped = GENERATIONS[name]
    assert sorted(part(name) - part(predecessor)) == sorted(words(added))
    assert sorted(part(predecessor) - part(name)) == sorted(words(dropped))


def test_every_new_part_has_a_generation_row() -> None:
    new = {p.name for p in real_parts()} - {d[0] for d in DUMPS}
    assert new <= set(GENERATIONS)


@pytest.mark.parametrize(
    ("name", "vendor", "family", "model"),
    [
        ("intel-xeon-e5-2600-v2", "intel", 6, 62),
        ("intel-xeon-e5-2600-v4", "intel", 6, 79),
        ("intel-xeon-scalable-2", "intel", 6, 85),
        ("intel-xeon-scalable-3", "intel", 6, 106),
        ("intel-xeon-scalable-4", "intel", 6, 143),
        ("intel-xeon-scalable-5", "intel", 6, 207),
        ("intel-xeon-6p", "intel", 6, 173),
        ("intel-xeon-6e", "intel", 6, 175),
        ("amd-epyc-7001", "amd", 0x17, 1),
        ("amd-epyc-7002", "amd", 0x17, 0x31),
        ("amd-epyc-7003", "amd", 0x19, 1),
        ("amd-epyc-9004", "amd", 0x19, 0x11),
        ("amd-epyc-9005", "amd", 0x1A, 2),
    ],
)
def test_a_new_part_has_its_vendor_family_and_model(name: str, vendor: str, family: int, model: int) -> None:
    processor = catalogue()[name]
    assert (processor.vendor, processor.family, processor.model) == (vendor, family, model)


@pytest.mark.parametrize(("alias", "name"), sorted(ALIASES.items()))
def test_an_alias_is_its_twin_under_another_name(alias: str, name: str) -> None:
    twin, same = catalogue()[alias], catalogue()[name]
    assert twin.name == alias
    assert (twin.vendor, twin.family, twin.model, twin.features) == (
        same.vendor,
        same.family,
        same.model,
        same.features,
    )


# libvirt's feature names that differ from Linux's /proc/cpuinfo names (src/cpu_map/x86_features.xml).
LIBVIRT_TO_LINUX = {
    "pclmuldq": "pclmulqdq",
    "sse4.1": "sse4_1",
    "sse4.2": "sse4_2",
    "sha-ni": "sha_ni",
    "avx-vnni": "avx_vnni",
    "avx512-bf16": "avx512_bf16",
    "avx512-vp2intersect": "avx512_vp2intersect",
    "avx512-vpopcntdq": "avx512_vpopcntdq",
    "avx512bitalg": "avx512_bitalg",
    "avx512vbmi2": "avx512_vbmi2",
    "avx512vnni": "avx512_vnni",
}
# libvirt names of features /proc/cpuinfo does not show (hidden, KVM-only or vulnerability bits) or that are
# host-only under other names (cr8legacy, tsc-deadline, the SVM and speculation-control features).
LIBVIRT_NOT_GUEST = words(
    "amd-psfd amd-ssbd amd-stibp auto-ibrs fs-gs-base-ns ibpb-brtype lfence-always-serializing"
    " no-nested-data-bp null-sel-clr-base prefetchi sbpb srso-user-kernel-no stibp-always-on avx-ifma"
    " avx-ne-convert avx-vnni-int8 cmpccxadd fsrs fbsdp-no ibrs-all mcdt-no mds-no pbrsb-no pschange-mc-no"
    " psdp-no rdctl-no sbdr-ssdp-no skip-l1dfl-vmentry spec-ctrl ssbd ibpb ibrs arch-capabilities"
    " bus-lock-detect cr8legacy tsc-deadline flushbyasid lbrv npt nrip-save osvw overflow-recov pause-filter"
    " perfctr_core perfmon-v2 pfthreshold succor svm svme-addr-chk tsc-scale v-vmsave-vmload vgif vmcb-clean"
    " vnmi arat pdpe1gb la57"
)


@pytest.mark.parametrize(("name", "model_file"), sorted(FROM_LIBVIRT_ONLY.items()))
def test_a_part_without_a_public_dump_is_libvirts_model_in_linux_names(name: str, model_file: str) -> None:
    text = (DATA / "libvirt" / model_file).read_text(encoding="utf-8")
    libvirt = words(" ".join(line for line in text.splitlines() if not line.startswith("#")))
    translated = {LIBVIRT_TO_LINUX.get(f, f) for f in libvirt - LIBVIRT_NOT_GUEST}
    # libvirt's AMD models leave x2apic to KVM; the EPYC 9004 dump shows the firmware turns it on.
    expected = translated | ({"x2apic"} if catalogue()[name].vendor == "amd" else set())
    assert sorted(part(name) ^ expected) == []


# Whether each part has second-level address translation (rules-v2.md §E and §F 7): AMD NPT from family 0x10,
# Intel EPT from Nehalem (family 6 model 26).
SLAT = {"amd-opteron-revf": False}


@pytest.mark.parametrize("processor", real_parts(), ids=lambda p: p.name)
def test_the_catalogue_knows_whether_a_part_has_slat(processor) -> None:  # type: ignore[no-untyped-def]
    assert has_slat(processor.vendor, processor.family, processor.model) is SLAT.get(processor.name, True)


@pytest.mark.parametrize(
    ("vendor", "family", "model", "expected"),
    [
        ("amd", 0x0F, 0x41, False),
        ("amd", 0x10, None, True),
        ("amd", None, 2, None),
        ("intel", 6, 23, False),  # Penryn
        ("intel", 6, 26, True),  # Nehalem-EP
        ("intel", 6, 28, False),  # Atom
        ("intel", 6, 29, False),  # Dunnington
        ("intel", 6, None, None),
        ("intel", 0x0F, 6, False),  # NetBurst
        ("intel", 0x13, 1, True),
    ],
)
def test_slat_by_family_and_model(
    vendor: str, family: int | None, model: int | None, expected: bool | None
) -> None:
    assert has_slat(vendor, family, model) is expected
