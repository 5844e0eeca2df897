"""The memory-aware drain of estimator-v2.md §4: a host's running and paused VMs placed by P
(hvlint.placement) on destinations with room for their memory, the quickest first, and only where `check`
allows the move.

`plan_placed_drain` returns the same `DrainPlan` as version 1's `plan_drain`, with `left` saying why each
VM that is not moved stays (`memory`, `blocked` with the codes, `no-destination`, `dda`, `gpu-restart`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

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
from hvlint.move_blockers import Enabled, MoveBlockers, every_rule
from hvlint.placement import first_with_room, place, room_for_all, shortfall

T = TypeVar("T")

DEVICE_REASONS = {
    "dda": "dda: devices assigned by DDA; it moves only shut down",
    "gpu-restart": "restarted, not live-migrated (GPU partition, HV705)",
}
"""How `estimate --drain` lists a VM whose devices keep it from being live-migrated (estimator-v2.md §5)."""


@dataclass(frozen=True, slots=True)
class LeftBehind:
    """A VM a drain does not move, and why (estimator-v2.md §5's `left_behind` entry)."""

    vm: VM
    reason: str
    """`memory`, `blocked`, `no-destination`, `dda` or `gpu-restart`."""
    need: float | None = None
    best_host: Host | None = None
    best_free: float | None = None
    blocked_by: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    """Each possible owner ruled out, with the codes that ruled it out (reason `blocked` only)."""
    detail: str = ""
    """Why there is no destination, for `no-destination`."""

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


class _Destinations:
    """Each VM's drain destinations, in name order, with the link to each: its possible owners other than
    the drained host that share a live_migration network with it (computed once per owner list)."""

    def __init__(self, host: Host, links: Links) -> None:
        self.host = host
        self.links = links
        self._found: dict[tuple[int, bool], tuple[list[Host], dict[Host, float]]] = {}

    def of(self, vm: VM) -> tuple[list[Host], dict[Host, float]]:
        """The destinations in name order, and the link to each; for a VM with GPU partitions only those
        it is live-migrated to (HV705)."""
        partitioned = vm.gpu_partitions >= 1
        key = (id(vm.possible_owners), partitioned)
        found = self._found.get(key)
        if found is None:
            link_to: dict[Host, float] = {}
            for owner in live_owners(vm) if partitioned else vm.possible_owners:
                if self.host.cluster is None:
                    link_to.update(shared_nothing_link(self.host, owner))
                    continue
                link = self.links.lookup(self.host, owner) if owner is not self.host else None
                if link is not None and not isinstance(link, LinkError):
                    link_to[owner] = link
            found = self._found[key] = (sorted(link_to, key=name_key), link_to)
        return found


class _PerList(Generic[T]):
    """What `compute` gives for a list, worked out once per list object: the VMs of a drain share their
    destination lists. Each list is kept, so no other list takes its identity while it is a key."""

    def __init__(self, compute: Callable[[list[Host]], T]) -> None:
        self.compute = compute
        self.known: dict[int, tuple[list[Host], T]] = {}

    def __call__(self, items: list[Host]) -> T:
        """`compute(items)`."""
        found = self.known.get(id(items))
        if found is None:
            found = self.known[id(items)] = (items, self.compute(items))
        return found[1]


def _links_among(link_to: dict[Host, float]) -> _PerList[set[float]]:
    """The distinct links to a list of destinations, by `link_to` (once per list)."""
    return _PerList(lambda destinations: {link_to[d] for d in destinations})


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
) -> DrainPlan:
    """The memory-aware drain plan of `host` (estimator-v2.md §3-§4), with every rule enabled unless
    `enabled` says otherwise. Callers that plan several drains of one model may share `blockers` and the
    cluster's `free` memory (`hvlint.failover.free_memories`)."""
    plan = _placed_drain(host, params, links, enabled, blockers, free, place_all=True)
    assert plan is not None
    return plan


def drain_memory_shortfall(
    host: Host,
    params: Parameters,
    links: Links,
    *,
    blockers: MoveBlockers,
    free: Mapping[Host, float] | None = None,
) -> DrainPlan | None:
    """`plan_placed_drain(host, ...)` when it leaves a VM behind for memory (HV604), else None; without
    simulating or placing the moves where the destinations surely have room for every VM
    (`room_for_all`)."""
    plan = _placed_drain(host, params, links, None, blockers, free, place_all=False)
    return plan if plan is not None and any(item.reason == "memory" for item in plan.left) else None


def _placed_drain(
    host: Host,
    params: Parameters,
    links: Links | None,
    enabled: Enabled | None,
    blockers: MoveBlockers | None,
    free: Mapping[Host, float] | None,
    *,
    place_all: bool,
) -> DrainPlan | None:
    links = links if links is not None else Links()
    blockers = blockers if blockers is not None else MoveBlockers(enabled or every_rule)
    simulations: _Simulations = {}
    cluster = host.cluster
    complete = host.valid("max_migrations") if cluster is None else cluster.valid("max_migrations")
    left: list[LeftBehind] = []
    candidates: dict[VM, list[Host]] = {}
    link_of: dict[VM, dict[Host, float]] = {}
    destinations = _Destinations(host, links)
    for vm in sorted(
        (vm for vm in host.vms if not vm.valid("state") or vm.state in LIVE_STATES), key=name_key
    ):
        reachable = reachable_from(vm, links)
        if isinstance(reachable, NoEstimate):
            left.append(LeftBehind(vm, reachable.left_behind, detail=reachable.reason))
            complete = complete and not reachable.in_error
            continue
        ordered, link_of[vm] = destinations.of(vm)
        allowed, blocked = blockers.open_destinations(vm, ordered)
        if allowed:
            candidates[vm] = allowed
        else:
            left.append(LeftBehind(vm, "blocked", blocked_by=blocked))
    if not candidates:
        return _plan(host, 0, [], left, complete, [])
    if cluster is None:
        slots = min(migration_slots(host.platform, standalone_max_migrations(host)), len(candidates))
    else:
        slots = min(migration_slots(cluster.platform, cluster.max_migrations), len(candidates))
    if free is None:
        free = free_memories(cluster) if cluster is not None else standalone_free_memories(candidates)
    known_room = _PerList(lambda allowed: [d for d in allowed if d in free])
    skippable = not place_all and len(candidates) > 1
    if skippable and room_for_all(candidates, move_need, lambda vm: known_room(candidates[vm]), free):
        return None
    totals: dict[VM, dict[float, Precopy]] = {}
    idle = []
    links_to: dict[int, tuple[dict[Host, float], _PerList[set[float]]]] = {}
    for vm, allowed in candidates.items():
        dirty_rate, _ = dirty_rate_of(vm, params)
        if dirty_rate is None:
            idle.append(vm)
        link_to = link_of[vm]
        per_owners = links_to.get(id(link_to))
        if per_owners is None:
            per_owners = links_to[id(link_to)] = (link_to, _links_among(link_to))
        try:
            if cluster is not None:
                totals[vm] = {
                    link: _clustered(vm, dirty_rate or 0.0, link, cluster, params, slots, simulations)
                    for link in per_owners[1](allowed)
                }
            else:
                totals[vm] = _shared_nothing(vm, dirty_rate or 0.0, per_owners[1](allowed), params, slots)
        except ValueError as error:
            left.append(LeftBehind(vm, "no-destination", detail=str(error)))
            complete = False

    def quickest(vm: VM, hosts: Sequence[Host], need: float, now: Mapping[Host, float]) -> Host | None:
        by_link = totals[vm]
        if len(by_link) == 1:
            return first_with_room(hosts, need, now)
        room = [d for d in hosts if need <= now[d]]
        return min(room, key=lambda d: by_link[link_of[vm][d]].total, default=None)

    placement = place(totals, move_need, lambda vm: known_room(candidates[vm]), quickest, free)
    left.extend(
        LeftBehind(item.vm, "memory", item.need, item.best_host, item.best_free) for item in placement.left
    )
    chosen = [
        (vm, _move(vm, d, link_of[vm][d], totals[vm][link_of[vm][d]], params, slots))
        for vm, d in placement.placed
    ]
    return _plan(host, slots, chosen, left, complete, idle)


def _move(vm: VM, destination: Host, link: float, precopy: Precopy, params: Parameters, slots: int) -> Move:
    """The move, with its storage phase when it is a shared-nothing one."""
    if vm.cluster is not None:
        return Move(destination, link, precopy)
    size = storage_bytes(vm)
    return Move(destination, link, precopy, size, storage_time(size, link, params, slots))


def standalone_free_memories(candidates: Mapping[VM, Sequence[Host]]) -> dict[Host, float]:
    """F(p) of every standalone destination whose memory and VMs' memory the file got right."""
    hosts = {d for destinations in candidates.values() for d in destinations}
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
