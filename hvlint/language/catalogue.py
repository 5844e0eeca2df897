"""The built-in processor catalogue (rules.md): processors any host may name without declaring them."""

from __future__ import annotations

from functools import lru_cache

from hvlint.language.model import Positions, Processor

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Part = tuple[Any, ...]

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
        # Added with the EPYC and Xeon Scalable parts (processors.hvc). The host kernel's own state: 5-level
        # paging and the CET shadow stacks and indirect-branch tracking it uses itself (reported only by
        # kernels that enable them, like ospke), split-lock and bus-lock detection, and its markers:
        "la57",
        "user_shstk",
        "ibt",
        "split_lock_detect",
        "bus_lock_detect",
        "nt_good",
        "nonstop_tsc_s3",
        # speculation control and its mitigations, by every kernel generation's names:
        "ibpb_exit_to_user",
        "virt_ssbd",
        "rsb_ctxsw",
        "retpoline",
        "retpoline_amd",
        # AMD power, boost and frequency feedback (rdpru reads the APERF/MPERF counters of power management):
        "rapl",
        "cppc",
        "rdpru",
        "hfi",
        # AMD MONITORX/MWAITX, the host's idle mechanism like monitor:
        "mwaitx",
        # monitoring, sampling and machine-check reporting:
        "irperf",
        "bpext",
        "perfctr_llc",
        "perfmon_v2",
        "amd_lbr_v2",
        "amd_lbr_pmc_freeze",
        "brs",
        "arch_lbr",
        "amd_ppin",
        "overflow_recov",
        "succor",
        "smca",
        "cat_l2",
        "cdp_l2",
        # memory encryption and confidential computing, which belong to the host's hypervisor:
        "sme",
        "sev",
        "sev_es",
        "sev_snp",
        "debug_swap",
        "tme",
        "pconfig",
        "sgx",
        "sgx_lc",
        "tdx_host_platform",
        # AMD SVM's own features (like npt, lbrv, nrip_save above):
        "avic",
        "v_vmsave_vmload",
        "vgif",
        "x2avic",
        "v_spec_ctrl",
        "svme_addr_chk",
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


ALIASES = {
    "intel-xeon-e7-8800-v2": "intel-xeon-e5-2600-v2",
    "intel-xeon-e7-8800-v4": "intel-xeon-e5-2600-v4",
}
"""Catalogue names of parts with the same core, family, model and flags as another part: the Xeon E7 v2
and v4 ("-EX", four and eight sockets) are the E5-2600 v2 and v4 dies (processors.hvc says where from)."""

X86_64_BASELINE = frozenset({"fpu", "cx8", "cmov", "mmx", "fxsr", "syscall", "sse", "sse2", "lm"})
"""What every x86-64 processor has: the x86-64 psABI's baseline (x86-64-v1: CMOV, CX8, FPU, FXSR, MMX, SCE,
SSE, SSE2) and long mode. A processor lacking one of them was declared with an incomplete list."""

INTEL_WITHOUT_EPT = frozenset({28, 29, 38, 39, 53, 54})
"""Intel family 6 models from Nehalem's (26) on that lack EPT: the Atom and Dunnington models
(rules-v2.md §F 15(e))."""


CATALOGUE_MODULE = "_catalogue_parts.py"
"""The catalogue as plain data, generated beside this module from processors.hvc (`python -m
hvlint.language.catalogue`): parsing and resolving processors.hvc cost every check 12-15 ms."""

ROW_FORMAT = 1
"""The shape of the generated module's rows (`part_row`): raise it when that shape changes, so that a
module generated before is parsed around, never misread."""

_GENERATED = '"""Generated by `python -m hvlint.language.catalogue` from processors.hvc: do not edit."""\n'


def catalogue_text() -> str:
    """The catalogue's `.hvc` source, as shipped in the package (read beside this module: importing
    importlib.resources, with zipfile, cost a check of a small file 5 ms)."""
    import os

    with open(os.path.join(os.path.dirname(__file__), "processors.hvc"), encoding="utf-8") as handle:
        return handle.read()


def catalogue_digest(text: str) -> str:
    """The SHA-256 of the catalogue's source, as the generated module records it."""
    from hvlint.hashing import sha256

    return sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Processor]:
    """The built-in processors by case-folded name."""
    from hvlint.language import _catalogue_parts as shipped

    current = getattr(shipped, "ROW_FORMAT", None) == ROW_FORMAT
    if current and catalogue_digest(catalogue_text()) == shipped.SOURCE_SHA256:
        parts = {row[0].casefold(): _processor(row) for row in shipped.PARTS}
    else:  # a processors.hvc edited since the module was generated: slower, never wrong
        parts = {p.name.casefold(): _processor(part_row(p)) for p in parsed_catalogue()}
    for alias, name in ALIASES.items():
        parts[alias] = _processor((alias, *part_row(parts[name])[1:]))
    return parts


def parsed_catalogue() -> list[Processor]:
    """The processors of processors.hvc, parsed and resolved (the slow way), in catalogue order."""
    from hvlint.language.resolve import resolve
    from hvlint.language.syntax import parse

    parsed = parse(catalogue_text())
    model, problems = resolve(parsed.blocks, "<catalogue>", {})
    if parsed.errors or problems:
        raise RuntimeError(f"processors.hvc is not a valid catalogue: {parsed.errors or problems}")
    return list(model.processors)


def part_row(processor: Processor) -> Part:
    """A catalogue processor as the plain data the generated module holds: name, vendor, family, model,
    sorted features, and its positions (header, label, key spans, value spans)."""
    positions = processor.positions
    return (
        processor.name,
        processor.vendor,
        processor.family,
        processor.model,
        tuple(sorted(processor.features)),
        positions.header_at,
        positions.label_at,
        dict(positions.key_spans),
        dict(positions.value_spans),
    )


def _processor(row: Part) -> Processor:
    name, vendor, family, model, features, header_at, label_at, key_spans, value_spans = row
    return Processor(
        name=name,
        vendor=vendor,
        family=family,
        model=model,
        features=frozenset(features),
        positions=Positions(
            header_at=header_at, label_at=label_at, key_spans=key_spans, value_spans=value_spans
        ),
        origin="catalogue",
    )


def catalogue_source() -> str:
    """The text of the generated module for the shipped processors.hvc."""
    import pprint

    rows = [part_row(processor) for processor in parsed_catalogue()]
    return (
        f"{_GENERATED}\n"
        f"ROW_FORMAT = {ROW_FORMAT}\n"
        f"SOURCE_SHA256 = {catalogue_digest(catalogue_text())!r}\n"
        f"PARTS = {pprint.pformat(rows, width=110, compact=True, sort_dicts=False)}\n"
    )


def real_parts() -> list[Processor]:
    """The catalogue's real processors, in catalogue order: neither the baselines nor the aliases."""
    excluded = set(BASELINES.values()) | set(ALIASES)
    return [part for name, part in catalogue().items() if name not in excluded]


def has_slat(vendor: str, family: int | None, model: int | None) -> bool | None:
    """Whether a processor of this vendor, CPUID family and model has second-level address translation
    (AMD's NPT from family 0x10, Intel's EPT from Nehalem, rules-v2.md §F 7 and 15(e)), or None when the
    family and model given do not tell."""
    if family is None:
        return None
    if vendor == "amd":
        return family >= 0x10
    if family != 6:
        return family > 0x0F
    if model is None:
        return None
    return model >= 26 and model not in INTEL_WITHOUT_EPT


def guest_features(processor: Processor) -> frozenset[str]:
    """The processor's features a guest can see: its flags less the host-only ones."""
    return processor.features - HOST_ONLY_FEATURES


def main(module: str | None = None) -> int:
    """Regenerates the catalogue module from processors.hvc: `module`, by default the one beside this
    module."""
    import os
    import sys

    from hvlint.output import write_atomically

    module = module or os.path.join(os.path.dirname(__file__), CATALOGUE_MODULE)
    write_atomically(module, catalogue_source().encode("utf-8"))
    print(f"wrote {module}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
