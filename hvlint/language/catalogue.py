"""The built-in processor catalogue (rules.md): processors any host may name without declaring them."""

from __future__ import annotations

from functools import lru_cache

from hvlint.language.model import Processor

BASELINES = {"amd": "hyperv-minimum-amd", "intel": "hyperv-minimum-intel"}

HOST_ONLY_FEATURES = frozenset(
    [
        "svm",
        "vmx",
        "npt",
        "ept",
        "vpid",
        "ibs",
        "nodeid_msr",
        "amd_dcm",
        "hypervisor",
        "ht",
        "tm",
        "tm2",
        "pbe",
        "est",
        "monitor",
        "ds_cpl",
        "smx",
        "xtpr",
        "pdcm",
        "dca",
        "acpi",
        "dtes64",
        "extapic",
        "cr8_legacy",
        "skinit",
        "wdt",
        "lbrv",
        "svm_lock",
        "nrip_save",
        "tsc_scale",
        "vmcb_clean",
        "flushbyasid",
        "decodeassists",
        "pausefilter",
        "pfthreshold",
        "tpr_shadow",
        "vnmi",
        "flexpriority",
        "constant_tsc",
        "nonstop_tsc",
        "aperfmperf",
        "arch_perfmon",
        "pebs",
        "bts",
        "rep_good",
        "nopl",
        "xtopology",
        "tsc_reliable",
        "cpuid",
        "cmp_legacy",
        "extd_apicid",
        "cpb",
        "osvw",
        "dts",
        "ida",
        "ss",
        "arat",
        "pln",
        "pts",
        "epb",
        "dtherm",
        "pdpe1gb",
        "tsc_deadline_timer",
        "ibrs",
        "ibpb",
        "stibp",
        "ssbd",
        "md_clear",
        "flush_l1d",
        "arch_capabilities",
        "pti",
        "invpcid_single",
        "hw_pstate",
        "tce",
        "topoext",
        "perfctr_core",
        "perfctr_nb",
        "eagerfpu",
        # Added with the catalogue's sources (processors.hvc): flags of real /proc/cpuinfo dumps of the
        # catalogue's parts that describe the host. The Linux kernel's own markers:
        "up",
        "vmmcall",
        # speculation control (the older RHEL 7 names, and enhanced IBRS):
        "spec_ctrl",
        "intel_stibp",
        "ibrs_enhanced",
        # CPUID faulting, which the host uses on its own processes:
        "cpuid_fault",
        # timers and TSC reliability:
        "art",
        "tsc_adjust",
        "tsc_known_freq",
        # power management:
        "hwp",
        "hwp_notify",
        "hwp_act_window",
        "hwp_epp",
        "hwp_pkg_req",
        # virtualization:
        "ept_ad",
        # monitoring, tracing and resource control, which hypervisors keep to the host: AMD lightweight
        # profiling (absent from libvirt's and QEMU's Opteron_G4, like ibs), Intel processor trace, the
        # silicon-debug interface, the protected processor inventory number, RDT cache and bandwidth
        # monitoring and allocation:
        "lwp",
        "intel_pt",
        "sdbg",
        "intel_ppin",
        "cqm",
        "cqm_llc",
        "cqm_occup_llc",
        "cqm_mbm_total",
        "cqm_mbm_local",
        "rdt_a",
        "cat_l3",
        "cdp_l3",
        "mba",
        # the host kernel's own state (it enabled protection keys with CR4.PKE; a guest sets its own):
        "ospke",
    ]
)
"""Flags that describe the host rather than what a guest can use: ignored when hosts are compared.

Virtualization (svm, vmx, npt, ept, ...), power (est, ida, hwp, ...), topology (ht, xtopology, amd_dcm,
...), speculation control (ibrs, ssbd, md_clear, pti, ...), timers and TSC reliability (constant_tsc,
tsc_deadline_timer, art, ...), monitoring and tracing (ibs, lwp, intel_pt, cqm, ...) and the host
kernel's own markers (rep_good, nopl, eagerfpu, up, ...). The catalogue's entries (processors.hvc) leave
these out, so that a processor pasted from a real /proc/cpuinfo compares equal with its catalogue part
(tests/test_catalogue.py). `monitor` (MONITOR/MWAIT, the host's idle mechanism) stays here.
"""


def catalogue_text() -> str:
    """The catalogue's `.hvc` source, as shipped in the package."""
    from importlib.resources import files

    return files("hvlint.language").joinpath("processors.hvc").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Processor]:
    """The built-in processors by case-folded name."""
    from dataclasses import replace

    from hvlint.language.resolve import resolve
    from hvlint.language.syntax import parse

    parsed = parse(catalogue_text())
    model, problems = resolve(parsed.blocks, "<catalogue>", {})
    assert not parsed.errors and not problems, (parsed.errors, problems)
    return {p.name.casefold(): replace(p, origin="catalogue") for p in model.processors}


def guest_features(processor: Processor) -> frozenset[str]:
    """The processor's features a guest can see: its flags less the host-only ones."""
    return processor.features - HOST_ONLY_FEATURES
