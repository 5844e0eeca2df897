"""P in pools and destinations judged by kind (issue 19, "linear in hosts"): the plans are those of the
procedure as estimator-v2.md §3-§4 writes it, one destination at a time, and the work of HV603 and HV604
grows linearly with the hosts.

Counters, not timers: the machine is shared, and a count says what a time only suggests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hvlint.capacity import move_need, restart_need
from hvlint.estimator import Parameters
from hvlint.estimator.links import LinkError, Links
from hvlint.estimator.placed_drain import DrainDestinations, plan_placed_drain
from hvlint.failover import free_memories, plan_failover
from hvlint.language.document import load
from hvlint.language.model import VM, Host, Model, name_key
from hvlint.move_blockers import MoveBlockers
from hvlint.placement import Pool, Pools

GIB = 1024**3
PROCESSORS = ["intel-xeon-scalable", "intel-xeon-e5-2600", "amd-opteron-2300"]
NETWORKS = ["[Fast, Slow]", "[Slow]", "[Fast]"]


@st.composite
def clusters(draw: st.DrawFn) -> str:
    """A ws2022 failover cluster of 2 to 7 hosts of random processors, switches, networks and memory,
    with a volume every host reaches, one only some do, and 1 to 14 VMs on them with random memory,
    adapters, compatibility mode, volume and possible owners."""
    count = draw(st.integers(min_value=2, max_value=7))
    names = [f"H{index}" for index in range(count)]
    hosts = []
    for name in names:
        processor = draw(st.sampled_from(PROCESSORS))
        switches = draw(st.sampled_from(['["S"]', '["S", "T"]', '["t"]']))
        networks = draw(st.sampled_from(NETWORKS))
        memory = draw(st.sampled_from([16, 32, 48, 64, 128]))
        hosts.append(
            f'  host "{name}" {{ processor = "{processor}"; memory = {memory}GiB; switches = {switches}; '
            f"networks = {networks} }}"
        )
    reach = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
    vms = []
    for index in range(draw(st.integers(min_value=1, max_value=14))):
        host = draw(st.sampled_from(names))
        owners = sorted({host, *draw(st.lists(st.sampled_from(names), unique=True))})
        every = draw(st.booleans())
        vms.append(
            f'  vm "V{index}" {{ host = {host}; memory = {draw(st.sampled_from([2, 4, 8, 16, 24, 40]))}GiB; '
            f"dirty_rate = {draw(st.integers(min_value=0, max_value=20))}MB/s; "
            f'adapters = ["{draw(st.sampled_from("ST"))}"]; '
            f"compatibility_mode = {draw(st.sampled_from(['off', 'minimum']))}; "
            f"disks = ['C:\\ClusterStorage\\{draw(st.sampled_from(['Volume1', 'Volume2']))}\\v{index}.vhdx']"
            + ("" if every else f"; possible_owners = [{', '.join(owners)}]")
            + " }"
        )
    return (
        'cluster "C" {\n  platform = ws2022\n  failover_clustering = true\n'
        '  network "Fast" { roles = [live_migration]; bandwidth = 10Gbps }\n'
        '  network "Slow" { roles = [live_migration]; bandwidth = 1Gbps }\n'
        "  storage \"Volume1\" { kind = csv; path = 'C:\\ClusterStorage\\Volume1' }\n"
        "  storage \"Volume2\" { kind = csv; path = 'C:\\ClusterStorage\\Volume2'; "
        f"hosts = [{', '.join(reach)}] }}\n" + "\n".join(hosts + vms) + "\n}\n"
    )


def model_of(text: str) -> Model:
    return load(text, "test.hvc").model


class OneHostAKind(MoveBlockers):
    """The blockers judging every destination on its own, as each rule's condition reads."""

    def kind(self, host: Host) -> Host:
        return host


def most_free_first(hosts: list[Host], free: dict[Host, float]) -> Host | None:
    """The host with the most free memory, ties in name order."""
    return min(hosts, key=lambda host: (-free[host], name_key(host)), default=None)


def reference_p(
    vms: list[VM], need: object, candidates: dict[VM, list[Host]], free: dict[Host, float], fastest: bool
) -> tuple[list[tuple[str, str]], list[tuple[str, str | None, float | None]]]:
    """estimator-v2.md §3 word for word: `room` listed for each VM, the choice made from it (the most free
    memory, or the fastest link then name order), the best candidate recorded for a VM left behind."""
    assert callable(need)
    remaining = dict(free)
    placed, left = [], []
    for vm in sorted(vms, key=lambda vm: (-need(vm), *name_key(vm))):
        wanted = need(vm)
        room = [host for host in candidates[vm] if wanted <= remaining[host]]
        if not room:
            best = most_free_first(candidates[vm], remaining)
            left.append((vm.name, best.name if best else None, remaining[best] if best else None))
            continue
        if fastest:
            link = Links()
            chosen = min(room, key=lambda host: (-link.between(vm.host, host), name_key(host)))  # type: ignore[arg-type, operator]
        else:
            chosen = most_free_first(room, remaining)
        assert chosen is not None
        remaining[chosen] -= wanted
        placed.append((vm.name, chosen.name))
    return placed, left


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clusters())
def test_failover_plans_are_those_of_the_procedure_as_written(text: str) -> None:
    model = model_of(text)
    (cluster,) = model.clusters
    free = free_memories(cluster)
    for host in cluster.hosts:
        plan = plan_failover(host, free)
        candidates = {
            vm: sorted((o for o in set(vm.possible_owners) if o is not host and o in free), key=name_key)
            for vm in plan.vms
        }
        placed, left = reference_p(list(plan.vms), restart_need, candidates, free, fastest=False)
        assert [(vm.name, d.name) for vm, d in plan.placement.placed] == placed
        assert [(i.vm.name, i.best_host.name if i.best_host else None, i.best_free) for i in plan.left] == (
            left
        )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clusters())
def test_drain_plans_are_those_of_the_procedure_as_written(text: str) -> None:
    model = model_of(text)
    (cluster,) = model.clusters
    free = free_memories(cluster)
    params = Parameters()
    shared = MoveBlockers()
    for host in cluster.hosts:
        plan = plan_placed_drain(host, params, Links(), blockers=shared, free=free)
        alone = OneHostAKind()
        links = Links()
        allowed: dict[VM, list[Host]] = {}
        for vm in host.vms:
            owners = sorted({o for o in vm.possible_owners if o is not host}, key=name_key)
            linked = [o for o in owners if not isinstance(links.lookup(host, o), LinkError | None)]
            allowed[vm] = [o for o in linked if not alone.codes(vm, o)]
            if linked and not allowed[vm]:
                (blocked,) = [item for item in plan.left if item.vm is vm]
                assert blocked.reason == "blocked"
                assert blocked.blocked_by == tuple((o.name, alone.codes(vm, o)) for o in linked)
        placed_vms = [m.vm for m in plan.migrations]
        memory = [item.vm for item in plan.left if item.reason == "memory"]
        candidates = {vm: [o for o in allowed[vm] if o in free] for vm in placed_vms + memory}
        placed, left = reference_p(placed_vms + memory, move_need, candidates, free, fastest=True)
        assert sorted((m.vm.name, m.destination.name) for m in plan.migrations) == sorted(placed)
        by_name = [(i.vm.name, i.best_host.name if i.best_host else None, i.best_free) for i in plan.left]
        assert sorted(item for item in by_name if item[0] in {vm.name for vm in memory}) == sorted(left)


def estate(hosts: int, vms: int = 800) -> str:
    """A cluster of `hosts` hosts of three kinds (processors, switches) on one network, with the same `vms`
    VMs spread over them."""
    kinds = [
        ('"intel-xeon-scalable"', '["S", "T"]'),
        ('"intel-xeon-e5-2600"', '["S"]'),
        ('"amd-opteron-2300"', '["S", "T"]'),
    ]
    lines = ['  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }']
    for index in range(hosts):
        processor, switches = kinds[index % 3]
        lines.append(
            f'  host "H{index:04d}" {{ processor = {processor}; memory = {16 + 8 * (index % 4)}GiB; '
            f"switches = {switches} }}"
        )
    for index in range(vms):
        lines.append(
            f'  vm "V{index:04d}" {{ host = H{index * 7 % hosts:04d}; memory = {1 + index % 7}GiB; '
            f'dirty_rate = 5MB/s; adapters = ["{"ST"[index % 2]}"]; highly_available = true }}'
        )
    return 'cluster "C" {\n  platform = ws2022\n  failover_clustering = true\n' + "\n".join(lines) + "\n}\n"


def test_the_placement_s_work_grows_linearly_with_the_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Judgments of a VM's profile and visits of the pools' trees (their building included), for every
    host's whole failover and drain plan (what HV603 and HV604 compute, without their shortcut) with the
    same VMs on 100 to 400 hosts: where each plan judged and scanned every host, doubling the hosts
    doubled both the plans and the hosts each plan visits (4x)."""
    real_init = Pool.__init__

    def counted_init(pool: Pool, hosts: list[Host], free: dict[Host, float]) -> None:
        real_init(pool, hosts, free)
        Pool.visits += len(pool.hosts)

    monkeypatch.setattr(Pool, "__init__", counted_init)
    counts = {}
    for hosts in (100, 200, 400):
        MoveBlockers.judgments = Pool.visits = 0
        (cluster,) = model_of(estate(hosts)).clusters
        free = free_memories(cluster)
        pools, links, blockers = Pools(), Links(), MoveBlockers()
        destinations = DrainDestinations(links, blockers)
        placed = 0
        for host in cluster.hosts:
            failover = plan_failover(host, free, pools)
            drain = plan_placed_drain(
                host, Parameters(), links, blockers=blockers, free=free, destinations=destinations
            )
            placed += len(failover.placement.placed) + len(drain.migrations)
        assert placed > 800
        counts[hosts] = (MoveBlockers.judgments, Pool.visits)
    judged = [judgments for judgments, _ in counts.values()]
    assert judged == [judged[0]] * 3, counts  # per kind of destination, not per host
    for smaller, larger in ((100, 200), (200, 400)):
        assert counts[larger][1] / counts[smaller][1] <= 2.1, counts


def test_a_vm_with_gpu_partitions_does_not_lend_its_destinations_to_a_vm_alike() -> None:
    """A VM with a GPU partition HV703 rules out has the profile of a VM without one, but fewer
    destinations (HV705: only hosts with a GPU and IOMMU tracking): the destinations judged for one are
    not the other's. (Keyed by profile, host and owner list, B once got A's list: "blocked: H1 HV601; H2".)"""
    text = """cluster "C" {
  platform = ws2022
  failover_clustering = true
  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }
  host "H0" { processor = "intel-xeon-scalable"; memory = 256GiB; gpu = "A2"; iommu_dirty_tracking = true }
  host "H1" { processor = "intel-xeon-scalable"; memory = 32GiB; gpu = "A2"; iommu_dirty_tracking = true }
  host "H2" { processor = "intel-xeon-scalable"; memory = 256GiB }
  vm "A" { host = H0; memory = 4GiB; dirty_rate = 1MB/s; gpu_partitions = 1 }
  vm "B" { host = H0; memory = 64GiB; dirty_rate = 1MB/s }
}
"""
    model = model_of(text)
    plan = plan_placed_drain(model.clusters[0].hosts[0], Parameters())
    assert [(m.vm.name, m.destination.name) for m in plan.migrations] == [("B", "H2"), ("A", "H1")]
    assert plan.left == ()
