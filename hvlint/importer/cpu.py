"""What processor a host names (import.md §6.4.2-§6.4.4): its vendor and CPUID signature, Coreinfo's
feature flags in Linux's names, and the catalogue processor or stand-in for the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

Signature = tuple[int, int, int]
"""CPUID family, model and stepping."""

_SIGNATURE = re.compile(r"^(Intel64|AMD64|EM64T|x86|x64) Family (\d+) Model (\d+) Stepping (\d+)")
_FEATURE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9 .\-]*?)\s+([*-])\s+\S")
_VENDORS = {"genuineintel": "intel", "authenticamd": "amd"}
_CAPTION_VENDORS = {"intel64": "intel", "em64t": "intel", "amd64": "amd"}

CATALOGUE_PARTS: tuple[tuple[str, int, int, range | None, str], ...] = (
    ("amd", 15, 65, None, "amd-opteron-revf"),
    ("amd", 16, 2, None, "amd-opteron-2300"),
    ("amd", 16, 9, None, "amd-opteron-6100"),
    ("amd", 21, 1, None, "amd-opteron-6200"),
    ("intel", 6, 26, None, "intel-xeon-5500"),
    ("intel", 6, 44, None, "intel-xeon-5600"),
    ("intel", 6, 45, None, "intel-xeon-e5-2600"),
    ("intel", 6, 63, None, "intel-xeon-e5-2600-v3"),
    ("intel", 6, 85, range(0, 5), "intel-xeon-scalable"),
)
"""Import.md §6.4.4's table: vendor, family, model, steppings (None: any), catalogue processor."""

COREINFO_FLAGS: dict[str, tuple[str, ...]] = {
    "FPU": ("fpu",),
    "VME": ("vme",),
    "DE": ("de",),
    "PSE": ("pse",),
    "TSC": ("tsc",),
    "MSR": ("msr",),
    "PAE": ("pae",),
    "MCE": ("mce",),
    "CX8": ("cx8",),
    "APIC": ("apic",),
    "SEP": ("sep",),
    "MTRR": ("mtrr",),
    "PGE": ("pge",),
    "MCA": ("mca",),
    "CMOV": ("cmov",),
    "PAT": ("pat",),
    "PSE36": ("pse36",),
    "PSN": ("pn",),
    "CLFSH": ("clflush",),
    "DS": ("dts",),
    "ACPI": ("acpi",),
    "MMX": ("mmx",),
    "FXSR": ("fxsr",),
    "SSE": ("sse",),
    "SSE2": ("sse2",),
    "SS": ("ss",),
    "HTT": ("ht",),
    "TM": ("tm",),
    "PBE": ("pbe",),
    "SSE3": ("pni",),
    "PCLMULDQ": ("pclmulqdq",),
    "DTES64": ("dtes64",),
    "MONITOR": ("monitor",),
    "DS-CPL": ("ds_cpl",),
    "VMX": ("vmx",),
    "SMX": ("smx",),
    "EIST": ("est",),
    "TM2": ("tm2",),
    "SSSE3": ("ssse3",),
    "CNXT-ID": ("cid",),
    "FMA": ("fma",),
    "CX16": ("cx16",),
    "xTPR": ("xtpr",),
    "PDCM": ("pdcm",),
    "PCID": ("pcid",),
    "DCA": ("dca",),
    "SSE4.1": ("sse4_1",),
    "SSE4.2": ("sse4_2",),
    "x2APIC": ("x2apic",),
    "MOVBE": ("movbe",),
    "POPCNT": ("popcnt",),
    "TSC-DEADLINE": ("tsc_deadline_timer",),
    "AES": ("aes",),
    "XSAVE": ("xsave",),
    "AVX": ("avx",),
    "F16C": ("f16c",),
    "RDRAND": ("rdrand",),
    "HYPERVISOR": ("hypervisor",),
    "SVM": ("svm",),
    "SKINIT": ("skinit",),
    "X64": ("lm", "syscall"),
    "EM64T": ("lm", "syscall"),
    "NX": ("nx",),
    "PAGE1GB": ("pdpe1gb",),
    "RDTSCP": ("rdtscp",),
    "LAHF-SAHF": ("lahf_lm",),
    "MMXEXT": ("mmxext",),
    "3DNOW": ("3dnow",),
    "3DNOWEXT": ("3dnowext",),
    "SSE4a": ("sse4a",),
    "LZCNT": ("abm",),
    "PREFETCHW": ("3dnowprefetch",),
    "FFXSR": ("fxsr_opt",),
    "RDWRFSGSBASE": ("fsgsbase",),
    "BMI1": ("bmi1",),
    "BMI2": ("bmi2",),
    "ADX": ("adx",),
    "ERMSB": ("erms",),
    "HLE": ("hle",),
    "RTM": ("rtm",),
    "INVPCID": ("invpcid",),
    "SMEP": ("smep",),
    "SMAP": ("smap",),
    "RDSEED": ("rdseed",),
    "AVX2": ("avx2",),
    "AVX-512-F": ("avx512f",),
    "AVX-512-DQ": ("avx512dq",),
    "AVX-512-IFAMA": ("avx512ifma",),
    "AVX-512-PF": ("avx512pf",),
    "AVX-512-ER": ("avx512er",),
    "AVX-512-CD": ("avx512cd",),
    "AVX-512-BW": ("avx512bw",),
    "AVX-512-VL": ("avx512vl",),
    "SGX": ("sgx",),
    "TSC-INVARIANT": ("constant_tsc",),
    "EPT": ("ept",),
    "NPT": ("npt",),
    "OSXSAVE": (),
    "CET": (),
    "Kernel CET": (),
    "User CET": (),
    "URG": (),
}
"""Coreinfo's feature names and the Linux flags each means (import.md §6.4.3); () maps to nothing."""


def vendor_of(manufacturer: str | None, caption: str | None) -> str | None:
    """`intel` or `amd` from Win32_Processor's Manufacturer, else the first word of a caption or of
    Coreinfo's signature line; None for any other vendor."""
    if manufacturer:
        return _VENDORS.get(manufacturer.strip().casefold())
    if caption and caption.split():
        return _CAPTION_VENDORS.get(caption.split()[0].casefold())
    return None


def signature_of_id(processor_id: str | None) -> Signature | None:
    """Family, model and stepping from a ProcessorId (16 hexadecimal digits, EAX last)."""
    if not processor_id or not re.fullmatch(r"[0-9A-Fa-f]{16}", processor_id.strip()):
        return None
    eax = int(processor_id.strip()[8:], 16)
    base_family, base_model = (eax >> 8) & 0xF, (eax >> 4) & 0xF
    family = base_family + ((eax >> 20) & 0xFF if base_family == 0xF else 0)
    model = base_model + (((eax >> 16) & 0xF) << 4 if base_family in (6, 0xF) else 0)
    return family, model, eax & 0xF


def signature_of_caption(caption: str | None) -> Signature | None:
    """Family, model and stepping from `Intel64 Family 6 Model 85 Stepping 4`."""
    match = _SIGNATURE.match(caption.strip()) if caption else None
    return (int(match.group(2)), int(match.group(3)), int(match.group(4))) if match else None


@dataclass(frozen=True)
class Coreinfo:
    """What a Coreinfo output says: its version line, signature line, and the feature names present."""

    version: str
    signature_line: str
    present: tuple[str, ...]


def read_coreinfo(lines: list[str]) -> Coreinfo | None:
    """The signature and present features of Coreinfo -f output; None without a signature line and at
    least one feature line."""
    version = next((line.strip() for line in lines if line.strip()), "")
    start = next((i for i, line in enumerate(lines) if _SIGNATURE.match(line.strip())), None)
    if start is None:
        return None
    present: list[str] = []
    features = 0
    for line in lines[start + 1 :]:
        text = line.rstrip()
        if text.endswith("Map:"):
            break
        match = _FEATURE.match(text)
        if match:
            features += 1
            if match.group(2) == "*":
                present.append(match.group(1))
    if not features:
        return None
    return Coreinfo(version, lines[start].strip(), tuple(present))


def linux_flags(names: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """The Linux flags of Coreinfo feature names, and the names the table does not know."""
    flags: set[str] = set()
    unknown = []
    for name in names:
        if name in COREINFO_FLAGS:
            flags.update(COREINFO_FLAGS[name])
        else:
            unknown.append(name)
    return frozenset(flags), tuple(unknown)


def catalogue_part(vendor: str, signature: Signature | None) -> str | None:
    """The catalogue processor of exactly this part, if the table has it."""
    if signature is None:
        return None
    family, model, stepping = signature
    for part_vendor, part_family, part_model, steppings, name in CATALOGUE_PARTS:
        if (vendor, family, model) == (part_vendor, part_family, part_model) and (
            steppings is None or stepping in steppings
        ):
            return name
    return None
