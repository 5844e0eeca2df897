"""rules-v2.md §B, which rule wins: one case per row of the interactions table (as §F corrects it), each a
file in that situation, the codes it must report and the codes that must stay silent. Where a silent code
could be silent for another reason, `control` edits the file out of the situation and the code must then
be reported, so that the case proves the silence comes from the interaction.

Rows of §B that other rule families own (HV601, HV607, HV104 with HV8, HV801, HV805/HV806, HV603/HV604)
are added beside these by the branches that bring those rules."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import lint

PROCESSOR = 'processor = "intel-xeon-scalable"; memory = 256GiB'


def cluster(platform: str, vm: str, hosts: str = "", name: str = "C") -> str:
    """A cluster of `platform` with a 10Gbps live-migration network, a CSV, three hosts and the VM `vm`
    (which gives no dirty rate, so that its estimate gets HV505 whenever there is one)."""
    default_hosts = "\n".join(f'  host "HV0{n}" {{ {PROCESSOR} }}' for n in (1, 2, 3))
    return f"""
cluster "{name}" {{
  platform            = {platform}
  failover_clustering = true
  network "LM"  {{ roles = [live_migration]; bandwidth = 10Gbps }}
  storage "CSV" {{ kind = csv; path = 'C:\\ClusterStorage\\Volume1' }}
{hosts or default_hosts}
  vm "V01" {{ host = HV01; memory = 8GiB; disks = ['C:\\ClusterStorage\\Volume1\\V01.vhdx']; {vm} }}
}}
"""


@dataclass(frozen=True)
class Row:
    situation: str
    text: str
    reported: frozenset[str]
    silent: frozenset[str]
    control: tuple[str, str, frozenset[str]] | None = None
    """(old, new, codes): an edit of `text` out of the situation, after which the silent `codes` are
    reported."""


GPU_HOSTS = "\n".join(
    f'  host "HV0{n}" {{ {PROCESSOR}; gpu = "NVIDIA A16"{tracking} }}'
    for n, tracking in ((1, "; iommu_dirty_tracking = true"), (2, ""), (3, ""))
)
GPU_HOSTS_TRACKING = GPU_HOSTS.replace('"NVIDIA A16" }', '"NVIDIA A16"; iommu_dirty_tracking = true }')
SMALL_OTHERS = "\n".join(
    f'  host "HV0{n}" {{ processor = "intel-xeon-scalable"; memory = {memory} }}'
    for n, memory in ((1, "256GiB"), (2, "8GiB"), (3, "8GiB"))
)
"""Hosts where the VM's 8GiB fit on HV01 alone, so that HV603 reports HV01 for any VM it places."""

ROWS = [
    Row(
        "DDA VM, highly available, cluster ws2016-ws2022",
        cluster("ws2022", 'dda_devices = ["GPU0"]'),
        frozenset({"HV702"}),
        frozenset({"HV701", "HV103", "HV505"}),
        control=('dda_devices = ["GPU0"]', "highly_available = false", frozenset({"HV103", "HV505"})),
    ),
    Row(
        "DDA VM, not highly available, cluster ws2016-ws2022, other owners",
        cluster("ws2019", 'dda_devices = ["GPU0"]; highly_available = false'),
        frozenset({"HV701"}),
        frozenset({"HV103", "HV505", "HV702"}),
        control=('dda_devices = ["GPU0"]; ', "", frozenset({"HV103", "HV505"})),
    ),
    Row(
        "DDA VM on a ws2025 cluster (highly available)",
        cluster("ws2025", 'dda_devices = ["GPU0"]; dda_pool = "GPU-POOL"'),
        frozenset({"HV701"}),
        frozenset({"HV505", "HV702"}),
        control=(
            'dda_devices = ["GPU0"]; dda_pool = "GPU-POOL"',
            "config_version = 10.0",
            frozenset({"HV505"}),
        ),
    ),
    Row(
        "DDA VM on a ws2025 cluster without dda_pool (§F 15(b))",
        cluster("ws2025", 'dda_devices = ["GPU0"]'),
        frozenset({"HV701", "HV702"}),
        frozenset({"HV505"}),
        control=('dda_devices = ["GPU0"]', "config_version = 10.0", frozenset({"HV505"})),
    ),
    Row(
        "DDA VM, highly available, cluster ws2016-ws2022: left out of HV603",
        cluster("ws2022", 'dda_devices = ["GPU0"]', hosts=SMALL_OTHERS),
        frozenset({"HV702"}),
        frozenset({"HV603", "HV701", "HV103"}),
        control=('dda_devices = ["GPU0"]', "dirty_rate = 1MB/s", frozenset({"HV603"})),
    ),
    Row(
        "DDA VM on a ws2025 cluster without dda_pool: left out of HV603 (§F 15(b))",
        cluster("ws2025", 'dda_devices = ["GPU0"]', hosts=SMALL_OTHERS),
        frozenset({"HV701", "HV702"}),
        frozenset({"HV603"}),
        control=('dda_devices = ["GPU0"]', "dirty_rate = 1MB/s", frozenset({"HV603"})),
    ),
    Row(
        "DDA VM pinned to its host, not highly available",
        cluster("ws2022", 'dda_devices = ["GPU0"]; highly_available = false; possible_owners = [HV01]'),
        frozenset(),
        frozenset({"HV701", "HV702", "HV103"}),
    ),
    Row(
        "DDA VM pinned to its host on a ws2025 cluster",
        cluster("ws2025", 'dda_devices = ["GPU0"]; dda_pool = "GPU-POOL"; possible_owners = [HV01]'),
        frozenset(),
        frozenset({"HV701", "HV702", "HV103"}),
    ),
    Row(
        "GPU-partitioned VM on a host before ws2025",
        cluster("ws2022", "gpu_partitions = 1", hosts=GPU_HOSTS.replace('"NVIDIA A16"', '"NVIDIA A2"', 1)),
        frozenset({"HV703"}),
        frozenset({"HV704", "HV705"}),
        control=(
            "platform            = ws2022",
            "platform            = ws2025",
            frozenset({"HV704", "HV705"}),
        ),
    ),
    Row(
        "mixed-OS cluster, VM version unsupported on an upgraded node",
        cluster(
            "ws2016",
            "config_version = 5.0",
            hosts=f'  host "HV01" {{ {PROCESSOR} }}\n  host "HV02" {{ {PROCESSOR}; platform = ws2022 }}',
        ),
        frozenset({"HV107", "HV106"}),
        frozenset(),
    ),
    Row(
        "VM with GPU partitions whose every destination lacks IOMMU DMA bit tracking",
        cluster("ws2025", "gpu_partitions = 1", hosts=GPU_HOSTS),
        frozenset({"HV705"}),
        frozenset({"HV505"}),
        control=(GPU_HOSTS, GPU_HOSTS_TRACKING, frozenset({"HV505"})),
    ),
]


def codes(text: str) -> set[str]:
    """The codes hvlint reports for `text`."""
    return {finding.code for finding in lint(text)}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.situation)
def test_which_rule_wins(row: Row) -> None:
    found = codes(row.text)
    assert "HV004" not in found and "HV002" not in found, found
    assert row.reported <= found, f"missing {row.reported - found}"
    assert not row.silent & found, f"not silenced: {row.silent & found}"
    if row.control is not None:
        old, new, expected = row.control
        assert old in row.text and expected <= row.silent
        controlled = codes(row.text.replace(old, new))
        assert expected <= controlled, f"silent anyway: {expected - controlled}"
