"""benchmarks/generate.py makes estates that hold their VMs, so the capacity rules do real placement work."""

from __future__ import annotations

import sys

from hvlint.capacity import free_memory, load, memory_for_vms
from hvlint.language.document import load as load_document
from tests.conftest import ROOT, lint

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import host_memory, inventory, to_hvc, to_yaml


def test_every_generated_host_runs_at_most_its_share_of_memory() -> None:
    model = load_document(to_hvc(inventory(8, 1200)), "estate.hvc").model
    hosts = model.clusters[0].hosts
    assert len(hosts) == 8
    for host in hosts:
        assert 0 < load(host) <= 0.8 * memory_for_vms(host)
        assert free_memory(host) > 0


def test_the_generated_estate_survives_a_failover_and_drains_every_host() -> None:
    codes = {finding.code for finding in lint(to_hvc(inventory(8, 1200)))}
    assert codes & {"HV601", "HV602", "HV603", "HV604"} == set()
    assert "HV402" in codes


def test_a_small_estate_keeps_the_memory_drawn_for_its_hosts() -> None:
    assert host_memory(384, 10 * 1024**3) == "384GiB"
    assert host_memory(256, 300 * 1024**3) == "512GiB"
    assert host_memory(256, 1e15) == "16384GiB"


V2_HOST = {"platform", "memory_reserve", "logical_processors", "numa_nodes", "numa_spanning", "gpu"}
V2_HOST |= {"gpu_partition_count", "iommu_dirty_tracking", "virtual_sans", "guarded", "guardians"}
V2_VM = {"processors", "dynamic_memory", "startup_memory", "dda_devices", "dda_pool", "gpu_partitions"}
V2_VM |= {"fibre_channel", "passthrough_disks", "checkpoint_type", "checkpoints", "vtpm", "shielded"}
V2_VM |= {"key_protector", "config_version", "disk"}


def test_the_v2_estate_writes_every_new_attribute_validly_on_a_tenth_of_its_vms() -> None:
    data = inventory(8, 400, v2=True)
    cluster = data["cluster"]
    assert {key for host in cluster["hosts"] for key in host} >= V2_HOST
    marked = [vm for vm in cluster["vms"] if "processors" in vm]
    assert len(marked) == 40 and {key for vm in marked for key in vm} >= V2_VM
    plain = inventory(8, 400)["cluster"]["vms"]
    assert all(
        vm.items() <= marked_or_plain.items()
        for vm, marked_or_plain in zip(plain, cluster["vms"], strict=True)
    )
    text = to_hvc(data)
    assert "disk 'C:\\ClusterStorage\\Volume2\\VM00005\\logs.vhdx' { size = 40GiB }" in text
    assert 'storage "SQLDisk" { kind = "disk" }' in text and '  domain = "contoso.com"\n' in text
    codes = {finding.code for finding in lint(text)}
    assert codes & {"HV001", "HV002", "HV003", "HV004"} == set()
    assert {"HV107", "HV702", "HV703", "HV706", "HV709", "HV710"} <= codes


def test_the_v2_estate_in_yaml_lists_its_disk_blocks() -> None:
    text = to_yaml(inventory(4, 20, v2=True))
    block = "      disk:\n        - path: 'C:\\ClusterStorage\\Volume1\\VM00005\\logs.vhdx'\n"
    assert (
        block + "          size: '40GiB'\n" in text and "  max_migrations: 2\n  domain: contoso.com\n" in text
    )
