"""The names a processor's `features` may use, and what to suggest for the others (HV004).

Features are spelt as Linux prints them in the `flags` line of /proc/cpuinfo (x86_flags.txt holds every
such name), compared case-insensitively. Windows administrators copy what Windows tools print instead
(Sysinternals Coreinfo's `SSE4.1`, `AVX-512-F`, `X64`, the processor's documentation's `LZCNT`): those get
the Linux name they mean, from WINDOWS_SPELLINGS, and anything else the closest known name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from hvlint.language.spelling import closest
from hvlint.language.syntax import Span, token_span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WINDOWS_SPELLINGS: dict[str, str] = {
    "SSE3": "pni",
    "SSE4.1": "sse4_1",
    "SSE4.2": "sse4_2",
    "SSE4a": "sse4a",
    "LZCNT": "abm",
    "X64": "lm",
    "EM64T": "lm",
    "Intel64": "lm",
    "AMD64": "lm",
    "NX": "nx",
    "XD": "nx",
    "CX16": "cx16",
    "CMPXCHG16B": "cx16",
    "CX8": "cx8",
    "CMPXCHG8B": "cx8",
    "CLFSH": "clflush",
    "PCLMULDQ": "pclmulqdq",
    "LAHF-SAHF": "lahf_lm",
    "ERMSB": "erms",
    "FFXSR": "fxsr_opt",
    "PREFETCHW": "3dnowprefetch",
    "SHA": "sha_ni",
    "HTT": "ht",
    "DS-CPL": "ds_cpl",
    "PSN": "pn",
    "TSC-DEADLINE": "tsc_deadline_timer",
    "PAGE1GB": "pdpe1gb",
    "MMXEXT": "mmxext",
    "3DNOWEXT": "3dnowext",
    "VT-x": "vmx",
    "AMD-V": "svm",
    "NP": "npt",
    "AVX-512-F": "avx512f",
    "AVX-512-DQ": "avx512dq",
    "AVX-512-IFMA": "avx512ifma",
    "AVX-512-IFAMA": "avx512ifma",
    "AVX-512-PF": "avx512pf",
    "AVX-512-ER": "avx512er",
    "AVX-512-CD": "avx512cd",
    "AVX-512-BW": "avx512bw",
    "AVX-512-VL": "avx512vl",
    "AVX-512-VBMI": "avx512vbmi",
    "AVX-512-VBMI2": "avx512_vbmi2",
    "AVX-512-VNNI": "avx512_vnni",
    "AVX-512-BITALG": "avx512_bitalg",
    "AVX-512-VPOPCNTDQ": "avx512_vpopcntdq",
    "AVX-512-BF16": "avx512_bf16",
    "AVX-512-FP16": "avx512_fp16",
    "AVX-VNNI": "avx_vnni",
}
"""Windows' and Coreinfo's names of features whose Linux name differs, as those tools print them (matched
ignoring case, `-`, `_`, `.` and spaces; `AVX-512-IFAMA` is Coreinfo's own spelling), with the Linux name.
docs/language.md shows this table."""


def _key(name: str) -> str:
    """A name with case, `-`, `_`, `.` and spaces left out, to match spellings that differ only in those."""
    return "".join(c for c in name.casefold() if c not in "-_. ")


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every feature name Linux's /proc/cpuinfo prints for x86 processors (x86_flags.txt), in lower case."""
    import os

    with open(os.path.join(os.path.dirname(__file__), "x86_flags.txt"), encoding="utf-8") as handle:
        text = handle.read()
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _by_key() -> dict[str, str]:
    """The Linux name each loosely written spelling means: the Windows table's, then the vocabulary's own
    names written with other separators or case (`AVX512VNNI`), where only one name has that form."""
    found: dict[str, str] = {}
    ambiguous: set[str] = set()
    for name in vocabulary():
        key = _key(name)
        if key in found:
            ambiguous.add(key)
        found[key] = name
    for key in ambiguous:
        del found[key]
    found.update({_key(windows): linux for windows, linux in WINDOWS_SPELLINGS.items()})
    return found


def suggestion(name: str) -> str | None:
    """The known feature name an unknown `name` most likely means, or None when none is close."""
    meant = _by_key().get(_key(name))
    if meant is not None:
        return meant
    return closest(name, vocabulary())


def unknown_features(items: Iterable[tuple[Any, Any]], subject: str) -> Iterator[tuple[Span, str]]:
    """Where each item of a `features` list that names no known feature stands, with HV004's message."""
    known = vocabulary()
    for value, token in items:
        name = str(value)
        if name.lower() in known:
            continue
        hint = suggestion(name)
        if hint is None:
            advice = ": features are named as in the flags line of Linux's /proc/cpuinfo"
        elif _key(name) in _windows_keys():
            advice = f"; did you mean `{hint}`? (features use Linux's /proc/cpuinfo names, not Windows')"
        else:
            advice = f"; did you mean `{hint}`?"
        yield token_span(token), f"unknown feature `{name}` in `features` of {subject}{advice}"


@lru_cache(maxsize=1)
def _windows_keys() -> frozenset[str]:
    return frozenset(_key(windows) for windows in WINDOWS_SPELLINGS)
