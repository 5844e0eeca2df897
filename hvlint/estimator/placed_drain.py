"""The memory-aware drain of estimator-v2.md §4: a host's running and paused VMs placed by P
(hvlint.placement) on destinations with room for their memory, the quickest first, and only where `check`
allows the move.

`plan_placed_drain` returns the same `DrainPlan` as version 1's `plan_drain`, with `left` saying why each
VM that is not moved stays (`memory`, `blocked` with the codes, `no-destination`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hvlint.capacity import move_need
from hvlint.estimator.drain import DrainMigration, DrainPlan, assign_slots
from hvlint.estimator.estimates import LIVE_STATES, Move, dirty_rate_of, migration_inputs, reachable_from
from hvlint.estimator.links import LinkError, Links, NoEstimate, name_key
from hvlint.estimator.precopy import simulate
from hvlint.estimator.settings import Parameters, migration_slots
from hvlint.failover import free_memories
from hvlint.language.model import VM, Host
from hvlint.move_blockers import Enabled, MoveBlockers, every_rule
from hvlint.placement import place, shortfall


@dataclass(frozen=True, slots=True)
class LeftBehind:
    """A VM a drain does not move, and why (estimator-v2.md §5's `left_behind` entry)."""

    vm: VM
    reason: str
    """`memory`, `blocked` or `no-destination`."""
    need: float | None = None
    best_host: Host | None = None
    best_free: float | None = None
    blocked_by: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    """Each possible owner ruled out, with the codes that ruled it out (reason `blocked` only)."""
    detail: str = ""
    """Why there is no destination, for `no-destination`."""

    def describe(self) -> str:
        """`memory: needs 96GiB, most free 83.9GiB on HV03`, `blocked: OLD01 HV402, HV305; OLD02 HV201`,
        or why the VM has no destination (version 1's words)."""
        if self.reason == "memory":
            return shortfall(self.need or 0, self.best_host, self.best_free)
        if self.reason == "blocked":
            owners = "; ".join(f"{owner} {', '.join(codes)}" for owner, codes in self.blocked_by or ())
            return f"blocked: {owners}"
        return self.detail or "no destination"


def _destinations(vm: VM, host: Host, links: Links) -> list[tuple[Host, float]]:
    """The VM's drain destinations with their link: its possible owners other than `host` that share a
    live_migration network with it."""
    found = []
    for owner in vm.possible_owners:
        if owner is host:
            continue
        link = links.lookup(host, owner)
        if link is None or isinstance(link, LinkError):
            continue
        found.append((owner, link))
    return found


def plan_placed_drain(
    host: Host, params: Parameters, links: Links | None = None, enabled: Enabled | None = None
) -> DrainPlan:
    """The memory-aware drain plan of `host` (estimator-v2.md §3-§4), with every rule enabled unless
    `enabled` says otherwise."""
    links = links if links is not None else Links()
    blockers = MoveBlockers(enabled if enabled is not None else every_rule)
    cluster = host.cluster
    live = sorted(
        (vm for vm in host.vms if not vm.valid("state") or vm.state in LIVE_STATES),
        key=name_key,
    )
    complete = cluster is None or cluster.valid("max_migrations")
    left: list[LeftBehind] = []
    candidates: dict[VM, list[tuple[Host, float]]] = {}
    for vm in live:
        reachable = reachable_from(vm, links)
        if isinstance(reachable, NoEstimate):
            left.append(LeftBehind(vm, "no-destination", detail=reachable.reason))
            complete = complete and not reachable.in_error
            continue
        open_to: list[tuple[Host, float]] = []
        blocked: list[tuple[str, tuple[str, ...]]] = []
        for destination, link in _destinations(vm, host, links):
            codes = blockers.codes(vm, destination)
            if codes:
                blocked.append((destination.name, codes))
            else:
                open_to.append((destination, link))
        if open_to:
            candidates[vm] = open_to
        else:
            left.append(LeftBehind(vm, "blocked", blocked_by=tuple(blocked)))
    if cluster is None or not candidates:
        return _plan(host, 0, [], left, complete, [])
    slots = min(migration_slots(cluster.platform, cluster.max_migrations), len(candidates))
    moves: dict[VM, dict[Host, Move]] = {}
    idle = []
    for vm, open_to in candidates.items():
        dirty_rate, _ = dirty_rate_of(vm, params)
        if dirty_rate is None:
            idle.append(vm)
        by_link: dict[float, Move] = {}
        try:
            for destination, link in open_to:
                if link not in by_link:
                    inputs = migration_inputs(
                        vm.memory, dirty_rate or 0.0, vm.working_set, link, cluster, params, slots
                    )
                    by_link[link] = Move(destination, link, simulate(inputs))
        except ValueError as error:
            left.append(LeftBehind(vm, "no-destination", detail=str(error)))
            complete = False
            continue
        moves[vm] = {
            destination: Move(destination, link, by_link[link].precopy) for destination, link in open_to
        }
    free = free_memories(cluster)

    def quickest(vm: VM, room: Sequence[Host], _free: Mapping[Host, float]) -> Host:
        return min(room, key=lambda d: (moves[vm][d].precopy.total, *name_key(d)))

    placement = place(
        moves,
        move_need,
        lambda vm: [d for d in moves[vm] if d in free],
        quickest,
        free,
    )
    for item in placement.left:
        left.append(LeftBehind(item.vm, "memory", item.need, item.best_host, item.best_free))
    chosen = [(vm, moves[vm][destination]) for vm, destination in placement.placed]
    return _plan(host, slots, chosen, left, complete, idle)


def _plan(
    host: Host,
    slots: int,
    chosen: list[tuple[VM, Move]],
    left: list[LeftBehind],
    complete: bool,
    idle: list[VM],
) -> DrainPlan:
    chosen.sort(key=lambda item: (-item[1].precopy.total, *name_key(item[0])))
    times = assign_slots([move.precopy.total for _, move in chosen], slots)
    migrations = [
        DrainMigration(vm, move.destination, slot, start, end, move)
        for (vm, move), (slot, start, end) in zip(chosen, times, strict=True)
    ]
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
