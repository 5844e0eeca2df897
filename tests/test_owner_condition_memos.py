"""HV106 and HV706 judge the owners of VMs alike once (issue 19's row of the version 2 attributes): the
remembered answers against the condition asked of every owner, on random clusters and on the benchmark's
estate with the version 2 attributes."""

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
