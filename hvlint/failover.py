"""What happens to a host's highly available VMs if it fails (rules-v2.md HV603, `estimate --failover`):
P (estimator-v2.md §3) with the restart need, the other possible owners as candidates, and the one with
the most free memory chosen; VMs with assigned devices that HV702 reports are left out."""

from __future__ import annotations

from collections.abc import Mapping

from hvlint.capacity import free_memory, holds_memory, memory_known, restart_need, vm_memory_known
from hvlint.language.model import VM, Cluster, Host
from hvlint.lean_typing import overload
from hvlint.owner_conditions import dda_high_availability_finding
from hvlint.placement import (
    Ledger,
    LeftForMemory,
    Placement,
    Pool,
    Pools,
    place,
    room_for_all,
)
from hvlint.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal


def free_memories(cluster: Cluster) -> dict[Host, float]:
    """F(p) of every host of the cluster whose memory, reserve and VMs' memory are values the file got
    right (the others are no candidate: their room is unknown)."""
    return {
        host: free_memory(host)
        for host in cluster.hosts
        if memory_known(host) and all(vm_memory_known(vm) for vm in host.vms)
    }


class FailoverPlan(FrozenRecord):
    """Where each of a failed host's highly available running or paused VMs restarts, and which fit
    nowhere else."""

    __match_args__ = ("host", "vms", "placement", "pinned", "dda")
    __slots__ = __match_args__
    host: Host
    vms: tuple[VM, ...]
    """The VMs P considered (highly available, running or paused, with another known owner)."""
    placement: Placement
    pinned: tuple[VM, ...]
    """Highly available running or paused VMs with no other possible owner whose room is known: they
    stay where they are, a choice rather than a capacity problem (HV603 does not count them)."""
    dda: tuple[VM, ...]
    """Highly available running or paused VMs with assigned devices that HV702 reports: the cluster does
    not fail them over, so P leaves them out (rules-v2.md §B, §F 15b)."""

    def __init__(
        self,
        host: Host,
        vms: tuple[VM, ...],
        placement: Placement,
        pinned: tuple[VM, ...] = (),
        dda: tuple[VM, ...] = (),
    ) -> None:
        self._assign(host, vms, placement, pinned, dda)

    @property
    def left(self) -> tuple[LeftForMemory, ...]:
        """The VMs left behind for memory."""
        return self.placement.left


def plan_failover(
    host: Host, free: Mapping[Host, float] | None = None, pools: Pools | None = None
) -> FailoverPlan:
    """The failover plan of `host` (a host of a cluster) against the free memory `free` of its cluster's
    hosts (`free_memories` when not given). The plans of one cluster's hosts may share `pools`."""
    return _plan(host, free, pools, place_all=True)


def failover_shortfall(
    host: Host, free: Mapping[Host, float], pools: Pools | None = None
) -> FailoverPlan | None:
    """`host`'s failover plan when it leaves VMs behind for memory (HV603), else None; without placing
    the VMs where their candidates surely have room for them all (`room_for_all`)."""
    plan = _plan(host, free, pools, place_all=False)
    return plan if plan is not None and plan.left else None


@overload
def _plan(
    host: Host, free: Mapping[Host, float] | None, pools: Pools | None, *, place_all: Literal[True]
) -> FailoverPlan: ...
@overload
def _plan(
    host: Host, free: Mapping[Host, float] | None, pools: Pools | None, *, place_all: bool
) -> FailoverPlan | None: ...
def _plan(
    host: Host, free: Mapping[Host, float] | None, pools: Pools | None, *, place_all: bool
) -> FailoverPlan | None:
    """`host`'s failover plan; None, unless `place_all`, where `room_for_all` says nothing is left."""
    cluster = host.cluster
    known = free if free is not None else free_memories(cluster) if cluster is not None else {}
    pools = pools if pools is not None else Pools()
    per_owners: dict[int, tuple[tuple[Host, ...], list[Pool]]] = {}

    def candidates(vm: VM) -> list[Pool]:
        owners = vm.possible_owners
        found = per_owners.get(id(owners))
        if found is None:
            found = per_owners[id(owners)] = (owners, [pools.of(owners, known)])
        return found[1]

    def has_candidate(vm: VM) -> bool:
        (pool,) = candidates(vm)
        return len(pool.hosts) > (host in pool.index)

    failing = [
        vm
        for vm in host.vms
        if vm.valid("highly_available", "possible_owners")
        and vm.highly_available
        and vm_memory_known(vm)
        and holds_memory(vm)
    ]
    dda = tuple(vm for vm in failing if dda_high_availability_finding(vm))
    if dda:
        failing = [vm for vm in failing if not dda_high_availability_finding(vm)]
    vms = tuple(vm for vm in failing if has_candidate(vm))
    if not place_all and room_for_all(vms, restart_need, candidates, known, host):
        return None
    pinned = tuple(vm for vm in failing if not has_candidate(vm))
    ledger = Ledger(known, host)

    def roomiest(vm: VM, need: float) -> Host | None:
        found = best(vm, need)
        return found[0] if found is not None and need <= found[1] else None

    def best(vm: VM, need: float) -> tuple[Host, float] | None:
        (pool,) = candidates(vm)
        return ledger.use(pool).most_free()

    return FailoverPlan(host, vms, place(vms, restart_need, roomiest, best, ledger), pinned, dda)
