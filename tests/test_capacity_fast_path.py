"""HV603 and HV604 skip the placement only where it provably leaves nothing behind (issue 12's
performance row): the fast path against the full computation on random clusters, tight and loose."""

from __future__ import annotations

import math
import random as random_module

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hvlint.estimator.placed_drain as placed_drain
import hvlint.failover as failover
from hvlint.capacity import restart_need
from hvlint.estimator import Parameters
from hvlint.estimator.links import Links
from hvlint.estimator.placed_drain import drain_memory_shortfall, plan_placed_drain
from hvlint.failover import failover_shortfall, free_memories, plan_failover
from hvlint.language.document import load
from hvlint.language.model import VM, Host, Model
from hvlint.move_blockers import MoveBlockers
from hvlint.placement import Ledger, Pool, place, room_for_all
from tests.conftest import lint

Spec = tuple[list[int], list[tuple[int, int, str, int, bool]]]


def cluster_text(hosts: list[int], vms: list[tuple[int, int, str, int, bool]]) -> str:
    """A failover cluster of hosts H0.. (`hosts` GiB each) and VMs (host index, GiB, switch, a bit mask of
    further possible owners, highly available)."""
    lines = [
        f'  host "H{i}" {{ processor = "intel-xeon-scalable"; memory = {memory}GiB; switches = ["S"] }}'
        for i, memory in enumerate(hosts)
    ]
    for i, (host, memory, switch, owners, available) in enumerate(vms):
        host %= len(hosts)
        chosen = sorted({host} | {j for j in range(len(hosts)) if owners >> j & 1})
        listed = ", ".join(f"H{j}" for j in chosen)
        lines.append(
            f'  vm "V{i}" {{ host = H{host}; memory = {memory}GiB; dirty_rate = 10MB/s; '
            f'adapters = ["{switch}"]; '
            f"possible_owners = [{listed}]; highly_available = {'true' if available else 'false'} }}"
        )
    return (
        'cluster "C" {\n  platform = ws2022\n  failover_clustering = true\n'
        '  network "LM" { roles = [live_migration]; bandwidth = 10Gbps }\n' + "\n".join(lines) + "\n}\n"
    )


def clusters(host_memory: tuple[int, int]) -> st.SearchStrategy[Spec]:
    low, high = host_memory
    return st.tuples(
        st.lists(st.integers(min_value=low, max_value=high), min_size=2, max_size=5),
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=4),
                st.integers(min_value=1, max_value=40),
                st.sampled_from("SST"),
                st.integers(min_value=0, max_value=31),
                st.booleans(),
            ),
            min_size=1,
            max_size=12,
        ),
    )


any_cluster = st.one_of(clusters((8, 96)), clusters((200, 600)))
"""Tight memory (VMs often left behind) and loose memory (the fast path usually taken)."""


def model_of(spec: Spec) -> Model:
    return load(cluster_text(*spec), "test.hvc").model


def memory_left(plan) -> list[tuple[str, float, str | None, float | None]]:  # type: ignore[no-untyped-def]
    return [
        (item.vm.name, item.need, item.best_host.name if item.best_host else None, item.best_free)
        for item in plan.left
        if getattr(item, "reason", "memory") == "memory"
    ]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_cluster)
def test_the_fast_path_finds_what_the_full_plans_find(spec: Spec) -> None:
    model = model_of(spec)
    (cluster,) = model.clusters
    free = free_memories(cluster)
    params = Parameters()
    for host in cluster.hosts:
        full = plan_failover(host, free)
        fast = failover_shortfall(host, free)
        assert (fast is None) == (not full.left)
        if fast is not None:
            assert memory_left(fast) == memory_left(full) and fast.vms == full.vms
        blockers = MoveBlockers()
        drain = plan_placed_drain(host, params, Links(), blockers=blockers, free=free)
        quick = drain_memory_shortfall(host, params, Links(), blockers=blockers, free=free)
        assert (quick is None) == (not memory_left(drain))
        if quick is not None:
            assert memory_left(quick) == memory_left(drain)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_cluster)
def test_hv603_and_hv604_findings_are_those_of_the_full_computation(spec: Spec) -> None:
    text = cluster_text(*spec)
    fast = [(f.line, f.column, f.code, f.message) for f in lint(text, select=["HV603", "HV604"])]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(failover, "room_for_all", lambda *args: False)
        patch.setattr(placed_drain, "room_for_all", lambda *args: False)
        full = [(f.line, f.column, f.code, f.message) for f in lint(text, select=["HV603", "HV604"])]
    assert fast == full


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_cluster, st.randoms(use_true_random=False))
def test_room_for_all_means_no_choice_leaves_a_vm_behind(spec: Spec, random: random_module.Random) -> None:
    model = model_of(spec)
    (cluster,) = model.clusters
    free = free_memories(cluster)
    host = cluster.hosts[0]
    others = [h for h in cluster.hosts if h is not host]
    vms = list(host.vms)
    pools = {vm: [Pool(random.sample(others, random.randint(1, len(others))), free)] for vm in vms}
    ledger = Ledger(free, host)

    def any_with_room(vm: VM, need: float) -> Host | None:
        room = [h for pool in pools[vm] for h in pool.hosts if need <= ledger.now(h)]
        return random.choice(room) if room else None

    def nowhere(vm: VM, need: float) -> None:
        return None

    if room_for_all(vms, restart_need, pools.__getitem__, free, host):
        assert place(vms, restart_need, any_with_room, nowhere, ledger).left == ()


def test_the_fast_path_is_taken_on_a_loose_cluster_and_not_on_a_tight_one() -> None:
    loose = model_of(([512, 512, 512], [(0, 16, "S", 7, True), (0, 32, "S", 7, True), (1, 8, "S", 7, True)]))
    (cluster,) = loose.clusters
    free = free_memories(cluster)
    for host in cluster.hosts:
        vms = list(host.vms)
        candidates = {vm: [Pool([h for h in cluster.hosts if h is not host], free)] for vm in vms}
        assert room_for_all(vms, restart_need, candidates.__getitem__, free)
        assert failover_shortfall(host, free) is None
    tight = model_of(([64, 40], [(0, 32, "S", 3, True), (0, 30, "S", 3, True)]))
    (cluster,) = tight.clusters
    h0 = cluster.hosts[0]
    vms = list(h0.vms)
    free = free_memories(cluster)
    candidates = {vm: [Pool([cluster.hosts[1]], free)] for vm in vms}
    assert not room_for_all(vms, restart_need, candidates.__getitem__, free)
    plan = failover_shortfall(h0, free_memories(cluster))
    assert plan is not None and [item.vm.name for item in plan.left] == ["V1"]


def test_room_for_all_refuses_a_vm_without_candidates_and_unknown_room() -> None:
    model = model_of(([64, 64], [(0, 8, "S", 0, True)]))
    (cluster,) = model.clusters
    (vm,) = cluster.hosts[0].vms
    other = cluster.hosts[1]
    assert not room_for_all([vm], restart_need, lambda _: [], {other: 64.0 * 2**30})
    unknown = {other: math.nan}
    assert not room_for_all([vm], restart_need, lambda _: [Pool([other], unknown)], unknown)
    assert room_for_all([], restart_need, lambda _: [Pool([other], unknown)], {other: 0.0})
