"""The memory-aware drain of estimator-v2.md §4: a host's running and paused VMs placed by P
(hvlint.placement) on destinations with room for their memory, the quickest first, and only where `check`
allows the move.

`plan_placed_drain` returns the same `DrainPlan` as version 1's `plan_drain`, with `left` saying why each
VM that is not moved stays (`memory`, `blocked` with the codes, `no-destination`, `dda`, `gpu-restart`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Mapping, Sequence

from hvlint.capacity import free_memory, memory_known, move_need, vm_memory_known
from hvlint.estimator.devices import live_owners
from hvlint.estimator.drain import DrainPlan, shared_link_schedule
from hvlint.estimator.estimates import LIVE_STATES, Move, dirty_rate_of, migration_inputs, reachable_from
from hvlint.estimator.links import LinkError, Links, NoEstimate, name_key
from hvlint.estimator.precopy import Precopy, simulate, simulate_once
from hvlint.estimator.settings import Parameters, migration_slots
from hvlint.estimator.shared_nothing import (
    max_migrations as standalone_max_migrations,
)
from hvlint.estimator.shared_nothing import (
    shared_nothing_inputs,
    shared_nothing_link,
    storage_bytes,
    storage_time,
    with_storage,
)
from hvlint.failover import free_memories
from hvlint.language.model import VM, Cluster, Host
from hvlint.lean_typing import Generic, TypeVar
from hvlint.move_blockers import Enabled, MoveBlockers, every_rule
from hvlint.placement import Ledger, Pool, Pools, most_free, place, room_for_all, roomiest_of, shortfall
from hvlint.records import FrozenRecord

T = TypeVar("T")

DEVICE_REASONS = {
    "dda": "dda: devices assigned by DDA; it moves only shut down",
    "gpu-restart": "restarted, not live-migrated (GPU partition, HV705)",
}
"""How `estimate --drain` lists a VM whose devices keep it from being live-migrated (estimator-v2.md §5)."""


class LeftBehind(FrozenRecord):
    """A VM a drain does not move, and why (estimator-v2.md §5's `left_behind` entry)."""

    __match_args__ = ("vm", "reason", "need", "best_host", "best_free", "blocked_by", "detail")
    __slots__ = __match_args__
    vm: VM
    reason: str
    """`memory`, `blocked`, `no-destination`, `dda` or `gpu-restart`."""
    need: float | None
    best_host: Host | None
    best_free: float | None
    blocked_by: tuple[tuple[str, tuple[str, ...]], ...] | None
    """Each possible owner ruled out, with the codes that ruled it out (reason `blocked` only)."""
    detail: str
    """Why there is no destination, for `no-destination`."""

    def __init__(
        self,
        vm: VM,
        reason: str,
        need: float | None = None,
        best_host: Host | None = None,
        best_free: float | None = None,
        blocked_by: tuple[tuple[str, tuple[str, ...]], ...] | None = None,
        detail: str = "",
    ) -> None:
        self._assign(vm, reason, need, best_host, best_free, blocked_by, detail)

    def describe(self) -> str:
        """`memory: needs 96GiB, most free 83.9GiB on HV03`, `blocked: OLD01 HV402, HV305; OLD02 HV201`,
        `dda: ...`, `restarted, not live-migrated (GPU partition)`, or why the VM has no destination
        (version 1's words)."""
        if self.reason in DEVICE_REASONS:
            return DEVICE_REASONS[self.reason]
        if self.reason == "memory":
            return shortfall(self.need or 0, self.best_host, self.best_free)
        if self.reason == "blocked":
            owners = "; ".join(f"{owner} {', '.join(codes)}" for owner, codes in self.blocked_by or ())
            return f"blocked: {owners}"
        return self.detail or "no destination"


class _Group:
    """Destinations alike for the move blockers (`kind`) and reached over the same link, in name order."""

    __slots__ = ("hosts", "kind", "link", "roomiest")

    def __init__(self, kind: Host, link: float, hosts: tuple[Host, ...], roomiest: tuple[Host, ...]) -> None:
        self.kind = kind
        self.link = link
        self.hosts = hosts
        self.roomiest = roomiest
        """The two with the most memory for VMs: whether the group has a host HV601 allows for a VM (other
        than the drained host) is read from them."""


class _Grouping:
    """A VM's drain destinations, in name order, and the link to each, grouped; the drained host may be
    among them (a grouping is shared by the drains of the hosts alike in their links), and is no
    destination."""

    __slots__ = ("groups", "link_to", "ordered")

    def __init__(
        self, ordered: tuple[Host, ...], link_to: Mapping[Host, float], groups: tuple[_Group, ...]
    ) -> None:
        self.ordered = ordered
        self.link_to = link_to
        self.groups = groups


class DrainDestinations:
    """Each VM's drain destinations, grouped by what rules them out and by the link to them, worked out
    once per owner list and link row and shared by the drains of a cluster's hosts; and the pools of free
    memory P chooses in (`hvlint.placement.Pools`)."""

    def __init__(self, links: Links, blockers: MoveBlockers) -> None:
        self.links = links
        self.blockers = blockers
        self.pools = Pools()
        self._found: dict[tuple[object, ...], tuple[object, _Grouping]] = {}
        self._merged: dict[tuple[int, ...], tuple[object, object, list[tuple[float, Pool]]]] = {}

    def of(self, host: Host, vm: VM) -> _Grouping:
        """The drain destinations of `vm` from `host`: its possible owners other than `host` that share a
        live_migration network with it; for a VM with GPU partitions only those it is live-migrated to
        (HV705)."""
        partitioned = vm.gpu_partitions >= 1
        owners = vm.possible_owners
        cluster = host.cluster
        if cluster is not None and not partitioned and self.links.shares_rows(cluster):
            row = self.links.row(host)
            key: tuple[object, ...] = (id(row), id(owners))
            found = self._found.get(key)
            if found is None:
                ordered = sorted({owner: None for owner in owners if owner in row}, key=name_key)
                found = self._found[key] = ((row, owners), self._grouping(ordered, row))
            return found[1]
        key = (host, id(owners), partitioned)
        found = self._found.get(key)
        if found is None:
            link_to: dict[Host, float] = {}
            for owner in live_owners(vm) if partitioned else owners:
                if cluster is None:
                    link_to.update(shared_nothing_link(host, owner))
                    continue
                link = self.links.lookup(host, owner) if owner is not host else None
                if link is not None and not isinstance(link, LinkError):
                    link_to[owner] = link
            found = self._found[key] = (owners, self._grouping(sorted(link_to, key=name_key), link_to))
        return found[1]

    def by_link(self, groups: Sequence[_Group], free: Mapping[Host, float]) -> list[tuple[float, Pool]]:
        """The hosts of `groups` whose free memory `free` knows, one pool for each link (once per set of
        groups: the drains of a cluster's hosts share them)."""
        key = (*map(id, groups), id(free))
        found = self._merged.get(key)
        if found is None:
            hosts: dict[float, list[Host]] = {}
            for group in groups:
                hosts.setdefault(group.link, []).extend(group.hosts)
            merged = [(link, self.pools.of(tuple(alike), free)) for link, alike in hosts.items()]
            found = self._merged[key] = (groups, free, merged)
        return found[2]

    def _grouping(self, ordered: list[Host], link_to: Mapping[Host, float]) -> _Grouping:
        by: dict[tuple[Host, float], list[Host]] = {}
        for destination in ordered:
            by.setdefault((self.blockers.kind(destination), link_to[destination]), []).append(destination)
        room = self.blockers.room
        groups = tuple(
            _Group(kind, link, tuple(hosts), tuple(heapq.nlargest(2, hosts, key=room)))
            for (kind, link), hosts in by.items()
        )
        return _Grouping(tuple(ordered), link_to, groups)


class _PerList(Generic[T]):
    """What `compute` gives for a list, worked out once per list object: the VMs of a drain share their
    destination lists. Each list is kept, so no other list takes its identity while it is a key."""

    def __init__(self, compute: Callable[[list[_Group]], T]) -> None:
        self.compute = compute
        self.known: dict[int, tuple[list[_Group], T]] = {}

    def __call__(self, items: list[_Group]) -> T:
        """`compute(items)`."""
        found = self.known.get(id(items))
        if found is None:
            found = self.known[id(items)] = (items, self.compute(items))
        return found[1]


_Simulations = dict[tuple[float, float, float | None, float], Precopy]
"""One drain's pre-copy outcomes by the VM's memory, dirty rate and working set and the link: what else
decides them is the drain's (its cluster, the parameters and the slots)."""


def plan_placed_drain(
    host: Host,
    params: Parameters,
    links: Links | None = None,
    enabled: Enabled | None = None,
    *,
    blockers: MoveBlockers | None = None,
    free: Mapping[Host, float] | None = None,
    destinations: DrainDestinations | None = None,
) -> DrainPlan:
    """The memory-aware drain plan of `host` (estimator-v2.md §3-§4), with every rule enabled unless
    `enabled` says otherwise. Callers that plan several drains of one cluster may share `blockers`, the
    cluster's `free` memory (`hvlint.failover.free_memories`) and `destinations` (made with the same
    links and blockers)."""
    plan = _placed_drain(host, params, links, enabled, blockers, free, destinations, place_all=True)
    assert plan is not None
    return plan


def drain_memory_shortfall(
    host: Host,
    params: Parameters,
    links: Links,
    *,
    blockers: MoveBlockers,
    free: Mapping[Host, float] | None = None,
    destinations: DrainDestinations | None = None,
) -> DrainPlan | None:
    """`plan_placed_drain(host, ...)` when it leaves a VM behind for memory (HV604), else None; without
    simulating or placing the moves where the destinations surely have room for every VM
    (`room_for_all`)."""
    plan = _placed_drain(host, params, links, None, blockers, free, destinations, place_all=False)
    return plan if plan is not None and any(item.reason == "memory" for item in plan.left) else None


def _placed_drain(
    host: Host,
    params: Parameters,
    links: Links | None,
    enabled: Enabled | None,
    blockers: MoveBlockers | None,
    free: Mapping[Host, float] | None,
    destinations: DrainDestinations | None,
    *,
    place_all: bool,
) -> DrainPlan | None:
    links = links if links is not None else Links()
    blockers = blockers if blockers is not None else MoveBlockers(enabled or every_rule)
    destinations = destinations if destinations is not None else DrainDestinations(links, blockers)
    simulations: _Simulations = {}
    cluster = host.cluster
    complete = host.valid("max_migrations") if cluster is None else cluster.valid("max_migrations")
    left: list[LeftBehind] = []
    candidates: dict[VM, list[_Group]] = {}
    opened: dict[VM, list[_Group]] = {}
    link_of: dict[VM, Mapping[Host, float]] = {}
    receiving: dict[tuple[int, float], tuple[list[_Group], list[_Group]]] = {}
    limits = _PerList(lambda groups: receiving_limits(groups, host, blockers))
    for vm in sorted(
        (vm for vm in host.vms if not vm.valid("state") or vm.state in LIVE_STATES), key=name_key
    ):
        reachable = reachable_from(vm, links)
        if isinstance(reachable, NoEstimate):
            left.append(LeftBehind(vm, reachable.left_behind, detail=reachable.reason))
            complete = complete and not reachable.in_error
            continue
        grouping = destinations.of(host, vm)
        link_of[vm] = grouping.link_to
        open_groups = blockers.open_kinds(vm, grouping.groups)
        need = move_need(vm)
        key = (id(open_groups), need)
        found = receiving.get(key)
        if found is None:
            found = receiving[key] = (
                open_groups,
                [g for g, limit in limits(open_groups) if limit is not None and not need > limit],
            )
        if found[1]:
            candidates[vm] = found[1]
            opened[vm] = open_groups
        else:
            blocked = tuple((d.name, blockers.codes(vm, d)) for d in grouping.ordered if d is not host)
            left.append(LeftBehind(vm, "blocked", blocked_by=blocked))
    if not candidates:
        return _plan(host, 0, [], left, complete, [])
    if cluster is None:
        slots = min(migration_slots(host.platform, standalone_max_migrations(host)), len(candidates))
    else:
        slots = min(migration_slots(cluster.platform, cluster.max_migrations), len(candidates))
    known = free
    if known is None:
        known = free_memories(cluster) if cluster is not None else standalone_free_memories(candidates)
    by_link = _PerList(lambda groups: destinations.by_link(groups, known))
    pools = _PerList(lambda groups: [pool for _, pool in by_link(groups)])
    if not place_all and room_for_all(candidates, move_need, lambda vm: pools(opened[vm]), known, host):
        return None
    totals: dict[VM, dict[float, Precopy]] = {}
    idle = []
    for vm, groups in candidates.items():
        dirty_rate, _ = dirty_rate_of(vm, params)
        if dirty_rate is None:
            idle.append(vm)
        reached = {group.link: None for group in groups}
        try:
            if cluster is not None:
                totals[vm] = {
                    link: _clustered(vm, dirty_rate or 0.0, link, cluster, params, slots, simulations)
                    for link in reached
                }
            else:
                totals[vm] = _shared_nothing(vm, dirty_rate or 0.0, set(reached), params, slots)
        except ValueError as error:
            left.append(LeftBehind(vm, "no-destination", detail=str(error)))
            complete = False
    ledger = Ledger(known, host)

    def quickest(vm: VM, need: float) -> Host | None:
        reached = by_link(opened[vm])
        if len(reached) == 1:
            return ledger.use(reached[0][1]).first_with_room(need)
        totals_by_link = totals[vm]
        chosen: Host | None = None
        best: tuple[float, tuple[str, str]] | None = None
        for link, pool in reached:
            found = ledger.use(pool).first_with_room(need)
            if found is not None:
                rank = (totals_by_link[link].total, name_key(found))
                if best is None or rank < best:
                    chosen, best = found, rank
        return chosen

    def roomiest(vm: VM, need: float) -> tuple[Host, float] | None:
        found = most_free(ledger.use(pool) for pool in pools(opened[vm]))
        if found is None or not blockers.too_small(vm, found[0]):
            return found
        return roomiest_of(
            (d, ledger.now(d))
            for pool in pools(opened[vm])
            for d in pool.hosts
            if d is not host and not blockers.too_small(vm, d)
        )

    placement = place(totals, move_need, quickest, roomiest, ledger)
    left.extend(
        LeftBehind(item.vm, "memory", item.need, item.best_host, item.best_free) for item in placement.left
    )
    chosen = [
        (vm, _move(vm, d, link_of[vm][d], totals[vm][link_of[vm][d]], params, slots))
        for vm, d in placement.placed
    ]
    return _plan(host, slots, chosen, left, complete, idle)


def receiving_limits(
    groups: Sequence[_Group], host: Host, blockers: MoveBlockers
) -> list[tuple[_Group, float | None]]:
    """Each of `groups` with the largest move need it receives from the drained `host`: that HV601 allows
    on its roomiest destination other than `host` (infinite when HV601 is off; None: no such destination).
    A group receives a VM whose need is not above its limit."""
    limited: list[tuple[_Group, float | None]] = []
    for group in groups:
        other = next((d for d in group.roomiest if d is not host), None)
        if other is None:
            limited.append((group, None))
        else:
            limited.append((group, blockers.room(other) if blockers.enabled("HV601") else math.inf))
    return limited


def _move(vm: VM, destination: Host, link: float, precopy: Precopy, params: Parameters, slots: int) -> Move:
    """The move, with its storage phase when it is a shared-nothing one."""
    if vm.cluster is not None:
        return Move(destination, link, precopy)
    size = storage_bytes(vm)
    return Move(destination, link, precopy, size, storage_time(size, link, params, slots))


def standalone_free_memories(candidates: Mapping[VM, Sequence[_Group]]) -> dict[Host, float]:
    """F(p) of every standalone destination whose memory and VMs' memory the file got right."""
    hosts = {d for groups in candidates.values() for group in groups for d in group.hosts}
    return {
        host: free_memory(host)
        for host in hosts
        if memory_known(host) and all(vm_memory_known(vm) for vm in host.vms)
    }


def _clustered(
    vm: VM,
    dirty_rate: float,
    link: float,
    cluster: Cluster,
    params: Parameters,
    slots: int,
    done: _Simulations,
) -> Precopy:
    """The pre-copy of moving a clustered VM over `link`, simulated once for each distinct memory, dirty
    rate, working set and link of the drain (VMs alike in these are common), and shared with the other
    drains and estimates of the same inputs."""
    key = (vm.memory, dirty_rate, vm.working_set, link)
    found = done.get(key)
    if found is None:
        inputs = migration_inputs(vm.memory, dirty_rate, vm.working_set, link, cluster, params, slots)
        found = done[key] = simulate_once(inputs)
    return found


def _shared_nothing(
    vm: VM, dirty_rate: float, links: set[float], params: Parameters, slots: int
) -> dict[float, Precopy]:
    """The shared-nothing move of a standalone VM over each of `links`, its storage copied first."""
    size = storage_bytes(vm)
    return {
        link: with_storage(
            simulate(shared_nothing_inputs(vm, dirty_rate, link, params, slots)),
            storage_time(size, link, params, slots),
        )
        for link in links
    }


def _plan(
    host: Host,
    slots: int,
    chosen: list[tuple[VM, Move]],
    left: list[LeftBehind],
    complete: bool,
    idle: list[VM],
) -> DrainPlan:
    migrations = shared_link_schedule(chosen, slots)
    left.sort(key=lambda item: name_key(item.vm))
    return DrainPlan(
        host,
        slots,
        tuple(migrations),
        tuple((item.vm, item.describe()) for item in left),
        complete,
        tuple(idle),
        left=tuple(left),
    )
