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
    ]
)
"""Flags that describe the host rather than what a guest can use: ignored when hosts are compared."""


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
