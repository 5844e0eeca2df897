"""Capacity (issue 12): the attributes, the derived terms of language-v2.md and the HV601-HV607 rules."""

from __future__ import annotations

import pytest

from hvlint import capacity
from hvlint.language.document import load
from hvlint.language.model import Model
from tests.conftest import brief, lint

GIB = 1024**3
MIB = 1024**2


def cluster(body: str, platform: str = "ws2022") -> str:
    return (
        f'cluster "C" {{\n  platform = {platform}\n  failover_clustering = true\n'
        '  network "LM" { roles = [live_migration] }\n'
        f"{body}\n}}\n"
    )


def host(name: str, memory: str = "256GiB", extra: str = "") -> str:
    return f'  host "{name}" {{ processor = "intel-xeon-scalable"; memory = {memory}; {extra} }}\n'


def model_of(text: str) -> Model:
    document = load(text, "test.hvc")
    return document.model


# -- the attributes ----------------------------------------------------------------------------------------


def test_new_attributes_default_to_what_a_version_1_file_means() -> None:
    model = model_of(cluster(host("HV01") + '  vm "V" { host = HV01; memory = 8GiB }'))
    hv01 = model.clusters[0].hosts[0]
    vm = model.clusters[0].vms[0]
    assert (hv01.memory_reserve, hv01.logical_processors, hv01.numa_nodes, hv01.numa_spanning) == (
        None,
        None,
        1,
        True,
    )
    assert (vm.processors, vm.dynamic_memory, vm.startup_memory) == (None, False, None)


def test_new_attributes_are_read() -> None:
    text = cluster(
        host(
            "HV01",
            extra="memory_reserve = 6GiB; logical_processors = 64; numa_nodes = 2; numa_spanning = false",
        )
        + '  vm "V" { host = HV01; memory = 8GiB; processors = 4; dynamic_memory = true; '
        + "startup_memory = 2GiB }"
    )
    model = model_of(text)
    hv01 = model.clusters[0].hosts[0]
    vm = model.clusters[0].vms[0]
    assert (hv01.memory_reserve, hv01.logical_processors, hv01.numa_nodes, hv01.numa_spanning) == (
        6 * GIB,
        64,
        2,
        False,
    )
    assert (vm.processors, vm.dynamic_memory, vm.startup_memory) == (4, True, 2 * GIB)
    assert not [f for f in lint(text) if f.code == "HV004"]


@pytest.mark.parametrize(
    ("extra", "column", "words"),
    [
        ("memory_reserve = 64GiB", 85, "must be less than its `memory`"),
        ("memory_reserve = 80GiB", 85, "no memory would be left for VMs"),
        ("numa_nodes = 0", 81, "at least 1"),
        ("logical_processors = 0", 89, "at least 1"),
        ("numa_spanning = 2", 84, "`true` or `false`"),
    ],
)
def test_invalid_host_capacity_is_hv004_at_the_value(extra: str, column: int, words: str) -> None:
    findings = [f for f in lint(cluster(host("HV01", "64GiB", extra)), select=["HV004"])]
    assert brief(findings) == [(5, column, "HV004")]
    assert words in findings[0].message


def test_startup_memory_without_dynamic_memory_is_hv004_and_ignored() -> None:
    text = cluster(host("HV01") + '  vm "V" { host = HV01; memory = 8GiB; startup_memory = 300GiB }')
    findings = lint(text, select=["HV004", "HV601"])
    assert brief(findings) == [(6, 57, "HV004")]
    assert "with static memory the startup memory is `memory`" in findings[0].message
    assert model_of(text).clusters[0].vms[0].startup_memory is None


def test_a_memory_reserve_in_error_silences_the_memory_rules_for_that_host() -> None:
    text = cluster(
        host("HV01", "64GiB", "memory_reserve = 64GiB") + '  vm "V" { host = HV01; memory = 100GiB }'
    )
    assert [f.code for f in lint(text, select=["HV004", "HV6"])] == ["HV004"]


# -- the derived terms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("memory", "reserve", "for_vms"),
    [(128, 4.125, 123.875), (256, 7.875, 248.125), (1024, 30.375, 993.625)],
)
def test_the_default_reserve_is_the_spec_s_examples(memory: int, reserve: float, for_vms: float) -> None:
    hv = model_of(cluster(host("HV01", f"{memory}GiB"))).clusters[0].hosts[0]
    assert capacity.host_reserve(hv) == reserve * GIB
    assert capacity.memory_for_vms(hv) == for_vms * GIB


def test_the_default_reserve_rounds_down_to_a_byte() -> None:
    assert capacity.default_reserve(1000) == 402_653_184 + 29


def test_load_free_memory_and_needs() -> None:
    text = cluster(
        host("HV01", "128GiB", "memory_reserve = 8GiB; numa_nodes = 3; logical_processors = 40")
        + '  vm "A" { host = HV01; memory = 16GiB }\n'
        + '  vm "B" { host = HV01; memory = 8GiB; state = paused }\n'
        + '  vm "C" { host = HV01; memory = 32GiB; state = saved }\n'
        + '  vm "D" { host = HV01; memory = 4GiB; dynamic_memory = true; startup_memory = 6GiB; state = off }'
    )
    model = model_of(text)
    hv01 = model.clusters[0].hosts[0]
    a, _, _, d = model.clusters[0].vms
    assert capacity.load(hv01) == 24 * GIB
    assert capacity.free_memory(hv01) == (120 - 24) * GIB
    assert (capacity.restart_need(a), capacity.move_need(a), capacity.footprint(a)) == (16 * GIB,) * 3
    assert (capacity.restart_need(d), capacity.move_need(d), capacity.footprint(d)) == (
        6 * GIB,
        4 * GIB,
        6 * GIB,
    )
    assert capacity.numa_node_memory(hv01) == 128 * GIB // 3
    assert capacity.numa_node_processors(hv01) == 13


def test_numa_node_processors_are_unknown_without_logical_processors() -> None:
    hv = model_of(cluster(host("HV01", extra="numa_nodes = 2"))).clusters[0].hosts[0]
    assert capacity.numa_node_processors(hv) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (4.125 * GIB, "4.13GiB"),
        (83.875 * GIB, "83.9GiB"),
        (1536 * GIB, "1.5TiB"),
        (96 * GIB, "96GiB"),
        (372 * GIB, "372GiB"),
        (11.625 * GIB, "11.6GiB"),
        (7.875 * GIB, "7.88GiB"),
        (384 * MIB, "384MiB"),
        (1023, "1020B"),
        (0, "0B"),
        (-384 * MIB, "-384MiB"),
        (2.5, "2.5B"),
    ],
)
def test_sizes_print_as_section_f_12_says(value: float, text: str) -> None:
    assert capacity.format_size(value) == text


def test_lists_of_names() -> None:
    assert capacity.joined(["A"]) == "A"
    assert capacity.joined(["A", "B", "C"]) == "A, B and C"
    assert capacity.joined(list("ABCDEFG"), limit=5) == "A, B, C, D, E and 2 more"
    assert capacity.alternatives(["A", "B", "C"]) == "A, B or C"


# -- HV601 and HV602 ---------------------------------------------------------------------------------------


def test_hv601_is_a_warning_when_only_the_default_reserve_makes_it_not_fit() -> None:
    text = cluster(host("HV01", "64GiB") + '  vm "V" { host = HV01; memory = 63GiB }')
    (finding,) = lint(text, select=["HV601"])
    assert finding.severity == "warning"
    assert (
        "vm V needs 63GiB but HV01 has 61.8GiB for VMs (64GiB less a 2.25GiB host reserve)" in finding.message
    )


def test_hv601_is_an_error_when_the_reserve_is_written() -> None:
    text = cluster(
        host("HV01", "64GiB", "memory_reserve = 2GiB") + '  vm "V" { host = HV01; memory = 63GiB }'
    )
    (finding,) = lint(text, select=["HV601"])
    assert finding.severity == "error"


def test_hv601_names_every_host_once_with_the_highest_severity() -> None:
    text = cluster(
        host("HV01", "512GiB")
        + host("HV02", "64GiB")
        + host("HV03", "100GiB")
        + '  vm "V" { host = HV01; memory = 99GiB }'
    )
    (finding,) = lint(text, select=["HV601"])
    assert finding.severity == "error"
    assert finding.message == (
        "vm V needs 99GiB but HV02 has 61.8GiB for VMs (64GiB less a 2.25GiB host reserve) and HV03 has "
        "96.7GiB for VMs (100GiB less a 3.3GiB host reserve): it cannot start on, fail over to or move to "
        "HV02 or HV03"
    )


def test_hv601_startup_memory_larger_than_memory_is_reported_at_startup_memory() -> None:
    text = cluster(
        host("HV01", "512GiB")
        + host("HV02", "64GiB")
        + '  vm "V" { host = HV01; memory = 8GiB; dynamic_memory = true; startup_memory = 70GiB }'
    )
    (finding,) = lint(text, select=["HV601"])
    assert (finding.line, finding.column) == (7, 80)
    assert "needs at startup 70GiB" in finding.message
    assert finding.message.endswith("it cannot start on or fail over to HV02")


def test_hv601_on_standalone_hosts_judges_ws2012_and_later_only() -> None:
    standalone = (
        'host "H" {{ platform = {p}; processor = "intel-xeon-scalable"; memory = 8GiB\n'
        '  vm "V" {{ memory = 16GiB }}\n}}\n'
    )
    assert [f.code for f in lint(standalone.format(p="ws2012"), select=["HV60"])] == ["HV602", "HV601"]
    assert lint(standalone.format(p="ws2008r2"), select=["HV60"]) == []


def test_hv601_and_hv602_stay_silent_about_a_vm_memory_in_error() -> None:
    text = cluster(host("HV01", "8GiB") + '  vm "V" { host = HV01; memory = lots }')
    assert [f.code for f in lint(text, select=["HV004", "HV6"])] == ["HV004"]


# -- HV605, HV606, HV607 ---------------------------------------------------------------------------------


def test_hv605_leaves_a_host_where_hv601_fires_to_hv601() -> None:
    text = cluster(
        host("HV01", "512GiB")
        + host("HV02", "64GiB", "numa_nodes = 2; numa_spanning = false")
        + '  vm "V" { host = HV01; memory = 8GiB; dynamic_memory = true; startup_memory = 70GiB }'
    )
    assert [f.code for f in lint(text, select=["HV601", "HV605"])] == ["HV601"]


def test_hv605_names_every_host_with_its_node_size() -> None:
    text = cluster(
        host("HV01", "512GiB")
        + host("HV02", "128GiB", "numa_nodes = 2; numa_spanning = false")
        + host("HV03", "192GiB", "numa_nodes = 4; numa_spanning = false")
        + '  vm "V" { host = HV01; memory = 80GiB; dynamic_memory = true }'
    )
    (finding,) = lint(text, select=["HV605"])
    assert "more than one 64GiB NUMA node of HV02 and one 48GiB NUMA node of HV03" in finding.message
    assert finding.message.endswith("may fail to start on or move to HV02 or HV03")


def test_hv606_leaves_a_host_where_hv607_fires_to_hv607() -> None:
    text = cluster(
        host("HV01", "512GiB", "logical_processors = 64")
        + host("HV02", "512GiB", "logical_processors = 16; numa_nodes = 2; numa_spanning = false")
        + '  vm "V" { host = HV01; memory = 8GiB; processors = 24 }',
        platform="ws2025",
    )
    assert [f.code for f in lint(text, select=["HV606", "HV607"])] == ["HV607"]


def test_hv606_needs_logical_processors_and_spanning_off() -> None:
    text = cluster(
        host("HV01", "512GiB", "numa_nodes = 2; numa_spanning = false")
        + host("HV02", "512GiB", "logical_processors = 16; numa_nodes = 2")
        + '  vm "V" { host = HV01; memory = 8GiB; processors = 12 }',
        platform="ws2025",
    )
    assert lint(text, select=["HV606"]) == []


def test_hv607_names_every_host() -> None:
    text = cluster(
        host("HV01", "512GiB", "logical_processors = 8")
        + host("HV02", "512GiB", "logical_processors = 16")
        + '  vm "V" { host = HV01; memory = 8GiB; processors = 24 }'
    )
    (finding,) = lint(text, select=["HV607"])
    assert finding.message == (
        "vm V has 24 virtual processors but HV01 has 8 logical processors and HV02 has 16 logical "
        "processors: it cannot run on HV01 or HV02"
    )


def test_the_docs_capacity_example_is_valid_and_fits() -> None:
    from tests.conftest import ROOT

    docs = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    example = docs.split("### Capacity", 1)[1].split("```hvc\n", 1)[1].split("```", 1)[0]
    assert lint(example, select=["HV0", "HV6"]) == []
    hv01, hv02 = model_of(example).clusters[0].hosts
    assert capacity.memory_for_vms(hv01) == 248.125 * GIB
    assert capacity.memory_for_vms(hv02) == 122 * GIB
