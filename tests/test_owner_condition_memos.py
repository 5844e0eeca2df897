"""HV106, HV605, HV606, HV706 and HV707 judge the owners of VMs alike once (issue 19's row of the version 2
attributes): the remembered answers against the condition asked of every owner, on random clusters, on
the benchmark's estate with the version 2 attributes and on a cluster of pass-through disks."""

from __future__ import annotations

import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from hvlint.language.document import load
from hvlint.language.model import Cluster, Host, Model
from hvlint.owner_conditions import has_san, owners_lacking_san, owners_refusing_version, refuses_version
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import inventory, to_hvc

PLATFORMS = ("ws2016", "ws2019", "ws2022", "ws2025")
SANS = ("SAN-A", "san-a", "SAN-B", "Other")
VERSIONS = ("5.0", "8.0", "9.0", "10.0", "12.0")

HostSpec = tuple[int, int]
VMSpec = tuple[int, int, int, int]


def cluster_text(platform: int, hosts: list[HostSpec], vms: list[VMSpec]) -> str:
    """A cluster of `platform` (an index of PLATFORMS), hosts (platform index, raised to the cluster's; bit
    mask of SANS) and VMs (host index, version index, SAN index, bit mask of further possible owners)."""
    lines = []
    for i, (own, sans) in enumerate(hosts):
        listed = ", ".join(f'"{san}"' for bit, san in enumerate(SANS) if sans >> bit & 1)
        lines.append(
            f'  host "H{i}" {{ platform = {PLATFORMS[max(own, platform)]}; memory = 256GiB; '
            f'processor = "intel-xeon-scalable"; virtual_sans = [{listed}] }}'
        )
    for i, (host, version, san, owners) in enumerate(vms):
        host %= len(hosts)
        chosen = ", ".join(
            f"H{j}" for j in sorted({host} | {j for j in range(len(hosts)) if owners >> j & 1})
        )
        lines.append(
            f'  vm "V{i}" {{ host = H{host}; memory = 4GiB; config_version = {VERSIONS[version]}; '
            f'fibre_channel = ["{SANS[san]}"]; possible_owners = [{chosen}] }}'
        )
    return (
        f'cluster "C" {{\n  platform = {PLATFORMS[platform]}\n  failover_clustering = true\n'
        + "\n".join(lines)
        + "\n}\n"
    )


def assert_memos_agree(model: Model) -> int:
    """Asks both helpers about every VM of `model` with one memo each, as the rules do, and checks each
    answer against the condition asked of every owner; returns how many answers came from a memo."""
    refusing: dict[tuple[float, Cluster | None, tuple[Host, ...]], list[Host]] = {}
    lacking: dict[tuple[tuple[Host, ...], str], list[Host]] = {}
    asked = 0
    for vm in model.all_vms():
        owners = vm.possible_owners
        if vm.config_version is not None:
            expected = [o for o in owners if refuses_version(vm.config_version, vm.cluster, o)]
            assert owners_refusing_version(vm.config_version, vm.cluster, owners, refusing) == expected
            asked += 1
        for san in vm.fibre_channel:
            assert owners_lacking_san(owners, san, lacking) == [o for o in owners if not has_san(o, san)]
            asked += 1
    return asked - len(refusing) - len(lacking)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=0, max_value=3),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 15)), min_size=1, max_size=5),
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 3), st.integers(0, 31)),
        min_size=1,
        max_size=12,
    ),
)
def test_remembered_owners_match_every_owner_asked(
    platform: int, hosts: list[HostSpec], vms: list[VMSpec]
) -> None:
    document = load(cluster_text(platform, hosts, vms), "c.hvc")
    assert not document.problems
    assert_memos_agree(document.model)


def test_the_benchmark_estate_shares_answers_between_vms() -> None:
    document = load(to_hvc(inventory(8, 400, v2=True)), "v2.hvc")
    assert not [p for p in document.problems if p.diagnostic.severity == "error"]
    assert assert_memos_agree(document.model) > 0


def test_numa_hosts_are_judged_once_per_owner_list() -> None:
    from rules.capacity import _numa_hosts

    model = load(to_hvc(inventory(16, 400, v2=True)), "v2.hvc").model
    known: dict[tuple[Host, ...], list[Host]] = {}
    confined = 0
    for vm in model.all_vms():
        expected = [
            h
            for h in vm.possible_owners
            if h.valid("numa_nodes", "numa_spanning") and h.numa_nodes >= 2 and not h.numa_spanning
        ]
        assert _numa_hosts(vm, known) == expected
        confined += len(expected)
    assert confined > 0
    assert len(known) < len(model.all_vms())


def test_passthrough_disk_owners_are_judged_once_per_owner_list() -> None:
    from rules.devices import PassthroughDiskCannotMove

    hosts = "\n".join(
        f'  host "H{i}" {{ processor = "intel-xeon-scalable"; memory = 64GiB }}' for i in range(4)
    )
    vms = "\n".join(
        f'  vm "V{i}" {{ host = H{i % 4}; memory = 2GiB; possible_owners = [H{i % 4}, H{(i + 1) % 4}]; '
        f'passthrough_disks = ["D{i % 2}"] }}'
        for i in range(16)
    )
    text = (
        'cluster "C" {\n  platform = ws2022\n  failover_clustering = true\n'
        '  storage "D0" { kind = disk; hosts = [H0, H1] }\n  storage "D1" { kind = disk }\n'
        f"{hosts}\n{vms}\n}}\n"
    )
    document = load(text, "c.hvc")
    assert not [p for p in document.problems if p.diagnostic.severity == "error"]
    known: dict = {}
    messages = [
        PassthroughDiskCannotMove._message(vm, vm.passthrough_disks[0], known)
        for vm in document.model.all_vms()
    ]
    fresh = [
        PassthroughDiskCannotMove._message(vm, vm.passthrough_disks[0], {}) for vm in document.model.all_vms()
    ]
    assert messages == fresh
    assert None in messages and any(m is not None and "cannot own" in m for m in messages)
    assert len(known) < len(messages)
