"""How a processor may be written as Windows prints it: feature names (feature_names.py, HV004 with the
Linux name meant) and the Win32_Processor caption as a host's `processor` (caption.py)."""

from __future__ import annotations

import re

import pytest

from hvlint.language.catalogue import HOST_ONLY_FEATURES, catalogue
from hvlint.language.document import load
from hvlint.language.feature_names import WINDOWS_SPELLINGS, suggestion, unknown_features, vocabulary
from tests.conftest import ROOT, brief, lint
from tests.test_catalogue import DUMPS, FILE_DUMPS, words

# -- the vocabulary ------------------------------------------------------------------------------------------


def test_the_vocabulary_holds_every_name_the_catalogue_and_the_dumps_use() -> None:
    used = set(HOST_ONLY_FEATURES)
    for part in catalogue().values():
        used |= part.features
    for dump in FILE_DUMPS:
        used |= words(dump.flags)
    for *_, flags in DUMPS:
        used |= words(flags)
    assert sorted(used - vocabulary()) == []


def test_the_vocabulary_is_lower_case_and_rejects_windows_names() -> None:
    assert all(name == name.lower() for name in vocabulary())
    assert {"pni", "sse4_1", "abm", "lm", "avx512f", "amx_fp16"} <= vocabulary()
    assert not {"sse3", "sse4.1", "lzcnt", "x64", "em64t", "xd"} & vocabulary()


# -- Windows' and Coreinfo's spellings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("windows", "linux"),
    [
        ("SSE4.1", "sse4_1"),
        ("SSE3", "pni"),
        ("LZCNT", "abm"),
        ("AVX-512-F", "avx512f"),
        ("X64", "lm"),
        ("EM64T", "lm"),
        ("NX", "nx"),
        ("XD", "nx"),
        ("CX16", "cx16"),
        ("avx-512-vnni", "avx512_vnni"),
        ("AVX512VNNI", "avx512_vnni"),
        ("sse4_2", "sse4_2"),
    ],
)
def test_a_windows_spelling_suggests_the_linux_name(windows: str, linux: str) -> None:
    assert suggestion(windows) == linux


@pytest.mark.parametrize(("windows", "linux"), sorted(WINDOWS_SPELLINGS.items()))
def test_the_windows_table_maps_to_known_names(windows: str, linux: str) -> None:
    assert linux in vocabulary()
    assert windows.lower() not in vocabulary() or windows.lower() == linux


def test_a_typo_gets_the_closest_name_and_nonsense_none() -> None:
    assert suggestion("popcnnt") == "popcnt"
    assert suggestion("qqqqqqqq") is None


def test_unknown_features_says_where_and_what() -> None:
    document = load(
        'processor "p" { vendor = intel\n  features = [fpu, SSE4.1, "AVX-512-F", bogusflagxyz] }', "t"
    )
    problems = [(p.code, p.span.line, p.span.column, p.message) for p in document.problems]
    assert problems == [
        (
            "HV004",
            2,
            20,
            "unknown feature `SSE4.1` in `features` of processor p; did you mean `sse4_1`? "
            "(features use Linux's /proc/cpuinfo names, not Windows')",
        ),
        (
            "HV004",
            2,
            28,
            "unknown feature `AVX-512-F` in `features` of processor p; did you mean `avx512f`? "
            "(features use Linux's /proc/cpuinfo names, not Windows')",
        ),
        (
            "HV004",
            2,
            41,
            "unknown feature `bogusflagxyz` in `features` of processor p: features are named as in the flags "
            "line of Linux's /proc/cpuinfo",
        ),
    ]
    assert not document.model.processors[0].valid("features")


def test_feature_names_compare_case_insensitively() -> None:
    document = load('processor "p" { vendor = intel; features = [FPU, Sse2, POPCNT, lm] }', "t")
    assert not document.problems
    assert document.model.processors[0].features == {"fpu", "sse2", "popcnt", "lm"}


def test_unknown_features_takes_the_resolvers_items() -> None:
    assert list(unknown_features([], "processor p")) == []


CLUSTER_WITH_COREINFO = """cluster "C" {
  platform = ws2012r2
  processor "coreinfo" {
    vendor   = intel
    features = [FPU, SSE, SSE2, SSE3, "SSE4.1", "SSE4.2", X64, NX, CX16, POPCNT, LAHF-SAHF]
  }
  host "HV01" { processor = coreinfo; memory = 64GiB }
  host "HV02" { processor = "intel-xeon-e5-2600-v2"; memory = 64GiB }
  vm "APP01" { host = HV02; memory = 4GiB; compatibility_mode = minimum }
}
"""


def test_a_processor_typed_from_coreinfo_gets_hv004_not_a_misleading_hv405() -> None:
    findings = lint(CLUSTER_WITH_COREINFO, select=["HV004", "HV4"])
    assert {f.code for f in findings} == {"HV004"}
    suggested = [re.search(r"did you mean `([^`]+)`", f.message).group(1) for f in findings]  # type: ignore[union-attr]
    assert suggested == ["pni", "sse4_1", "sse4_2", "lm", "lahf_lm"]


def test_docs_show_the_windows_table() -> None:
    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    for windows, linux in WINDOWS_SPELLINGS.items():
        assert f"| `{windows}` | `{linux}` |" in text, windows


# -- the Win32_Processor caption -----------------------------------------------------------------------------


def host_with(processor: str, extra: str = "") -> str:
    return f'{extra}host "H" {{ processor = "{processor}"; memory = 4GiB; platform = ws2012r2 }}\n'


@pytest.mark.parametrize(
    ("caption", "part"),
    [
        ("Intel64 Family 6 Model 62 Stepping 4", "intel-xeon-e5-2600-v2"),
        ("Intel64 Family 6 Model 106 Stepping 6, GenuineIntel", "intel-xeon-scalable-3"),
        ("intel64 family 6 model 143 stepping 8", "intel-xeon-scalable-4"),
        ("EM64T Family 6 Model 26 Stepping 5", "intel-xeon-5500"),
        ("AMD64 Family 25 Model 1 Stepping 1", "amd-epyc-7003"),
        ("AMD64 Family 23 Model 49 Stepping 0, AuthenticAMD", "amd-epyc-7002"),
        ("x86 Family 15 Model 65 Stepping 3, AuthenticAMD", "amd-opteron-revf"),
    ],
)
def test_a_caption_names_the_part_of_its_vendor_family_and_model(caption: str, part: str) -> None:
    document = load(host_with(caption), "t")
    assert not document.problems
    assert document.model.hosts[0].processor is catalogue()[part]


def test_skylake_and_cascade_lake_share_family_6_model_85_and_the_stepping_says_which() -> None:
    (finding,) = lint(host_with("Intel64 Family 6 Model 85 Stepping 7"))
    assert brief([finding]) == [(1, 24, "HV004")]
    assert finding.message == (
        'processor = "Intel64 Family 6 Model 85 Stepping 7" of host H is ambiguous: intel-xeon-scalable '
        "(Skylake-SP, steppings 0 to 4), intel-xeon-scalable-2 (Cascade Lake, steppings 5 to 7) are all "
        "Intel family 6 model 85; stepping 7 is intel-xeon-scalable-2: "
        'write processor = "intel-xeon-scalable-2"'
    )
    (skylake,) = lint(host_with("Intel64 Family 6 Model 85 Stepping 4"))
    assert skylake.message.endswith(
        'stepping 4 is intel-xeon-scalable: write processor = "intel-xeon-scalable"'
    )


def test_without_a_stepping_the_message_says_to_choose_by_it() -> None:
    (finding,) = lint(host_with("Intel64 Family 6 Model 85"))
    assert finding.code == "HV004"
    assert finding.message.endswith(
        "choose by the stepping Windows prints after the model, and write that part's name"
    )


def test_a_caption_of_no_catalogue_part_says_to_declare_it() -> None:
    (finding,) = lint(host_with("Intel64 Family 6 Model 42 Stepping 7"))
    assert finding.code == "HV004"
    assert "no catalogue part is Intel family 6 model 42; declare the processor in a processor block" in (
        finding.message
    )


def test_a_caption_without_a_vendor_says_to_add_it() -> None:
    (finding,) = lint(host_with("x64 Family 6 Model 62 Stepping 4"))
    assert finding.code == "HV004"
    assert finding.message.endswith("does not say the vendor: add `, GenuineIntel` or `, AuthenticAMD`")


def test_a_declared_processor_of_that_name_wins_over_the_caption() -> None:
    declared = 'processor "Intel64 Family 6 Model 85 Stepping 7" { vendor = intel; features = [fpu, lm] }\n'
    document = load(host_with("Intel64 Family 6 Model 85 Stepping 7", declared), "t")
    assert not document.problems
    assert document.model.hosts[0].processor is document.model.processors[0]


def test_a_name_that_is_no_caption_is_still_an_unknown_processor() -> None:
    (finding,) = lint(host_with("Intel Xeon Gold 6248"))
    assert finding.code == "HV002"
