"""Draining a host (estimator.md): every running or paused VM to its quickest destination, a few at a time,
and when the last one ends, the migrations sharing the link (`hvlint.estimator.simulation`)."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence

from hvlint.estimator.estimates import LIVE_STATES, Move, dirty_rate_of, moves_of, reachable_from
from hvlint.estimator.links import Destinations, Links, NoEstimate, name_key
from hvlint.estimator.settings import Parameters, migration_slots
from hvlint.estimator.shared_nothing import max_migrations as standalone_max_migrations
from hvlint.estimator.simulation import SharedMigration, share_link
from hvlint.language.model import VM, Host
from hvlint.records import FrozenRecord, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class DrainMigration(FrozenRecord):
    """One VM's migration in a drain plan: where it goes, on which slot, when it starts and ends."""

    __match_args__ = ("vm", "destination", "slot", "start", "end", "move")
    __slots__ = __match_args__
    vm: VM
    destination: Host
    slot: int
    """0-based."""
    start: float
    end: float
    move: Move

    def __init__(self, vm: VM, destination: Host, slot: int, start: float, end: float, move: Move) -> None:
        self._assign(vm, destination, slot, start, end, move)

    @property
    def duration(self) -> float:
        """The migration's total, seconds."""
        return self.end - self.start


class DrainPlan(FrozenRecord):
    """The evacuation of a host: every running or paused VM to its quickest destination, `slots` at once."""

    __match_args__ = ("host", "slots", "migrations", "left_behind", "complete", "assumed_idle", "left")
    __slots__ = __match_args__
    host: Host
    slots: int
    """k = min(`max_migrations` (1 on ws2008r2), the number of VMs drained): the migrations run at once."""
    migrations: tuple[DrainMigration, ...]
    """In start order."""
    left_behind: tuple[tuple[VM, str], ...]
    """Running or paused VMs that cannot be moved, and why (in name order)."""
    complete: bool
    """False when the plan depends on a value the file got wrong (a VM left out because of it, or the
    cluster's `max_migrations`): its drain time is then not a prediction to judge (HV504 stays silent)."""
    assumed_idle: tuple[VM, ...]
    """VMs drained with D = 0 because they have no dirty rate and none is configured."""
    left: tuple[Any, ...]
    """The memory-aware plan's `LeftBehind` entries (hvlint.estimator.placed_drain), in name order."""

    def __init__(
        self,
        host: Host,
        slots: int,
        migrations: tuple[DrainMigration, ...],
        left_behind: tuple[tuple[VM, str], ...] = (),
        complete: bool = True,
        assumed_idle: tuple[VM, ...] = (),
        left: tuple[Any, ...] = (),
    ) -> None:
        self._assign(host, slots, migrations, left_behind, complete, assumed_idle, left)

    @property
    def drain_time(self) -> float:
        """When the last migration ends, seconds (0 with nothing to move)."""
        return max((migration.end for migration in self.migrations), default=0.0)

    @property
    def live(self) -> int:
        """The running or paused VMs of the host: those moved and those left behind."""
        return len(self.migrations) + len(self.left_behind)

    @property
    def longest(self) -> DrainMigration | None:
        """The migration that takes longest (the first in start order on a tie)."""
        best = None
        for migration in self.migrations:
            if best is None or migration.duration > best.duration:
                best = migration
        return best


def plan_drain(
    host: Host, params: Parameters, links: Links | None = None, enabled: Callable[[str], bool] | None = None
) -> DrainPlan:
    """The drain plan of estimator.md: each running or paused VM of `host` goes to the possible owner that
    gives it the smallest total (ties: the first in name order); `max_migrations` slots (one on ws2008r2,
    which runs one live migration per node at a time), each migration with k = min(slots, VMs drained);
    VMs start longest first (ties: name order) on whichever slot frees first (ties: the lowest slot); the
    drain time is when the last one ends. With `estimator.memory_aware_drain` (the default), the plan of
    estimator-v2.md §4 instead (`hvlint.estimator.placed_drain`), judged by the rules `enabled` says run."""
    if params.memory_aware_drain:
        from hvlint.estimator.placed_drain import plan_placed_drain

        return plan_placed_drain(host, params, links, enabled)
    links = links if links is not None else Links()
    cluster = host.cluster
    live = sorted(
        (vm for vm in host.vms if not vm.valid("state") or vm.state in LIVE_STATES),
        key=name_key,
    )
    complete = host.valid("max_migrations") if cluster is None else cluster.valid("max_migrations")
    movable: list[tuple[VM, Destinations]] = []
    left_behind: list[tuple[VM, str]] = []
    for vm in live:
        reachable = reachable_from(vm, links)
        if isinstance(reachable, NoEstimate):
            left_behind.append((vm, reachable.reason))
            if reachable.in_error:
                complete = False
        else:
            movable.append((vm, reachable))
    if not movable:
        return DrainPlan(host, 0, (), tuple(left_behind), complete)
    if cluster is None:
        slots = min(migration_slots(host.platform, standalone_max_migrations(host)), len(movable))
    else:
        slots = min(migration_slots(cluster.platform, cluster.max_migrations), len(movable))
    chosen: list[tuple[VM, Move]] = []
    idle = []
    for vm, reachable in movable:
        dirty_rate, _ = dirty_rate_of(vm, params)
        if dirty_rate is None:
            idle.append(vm)
        try:
            moves = moves_of(vm, reachable, dirty_rate or 0.0, params, slots)
        except ValueError as error:
            left_behind.append((vm, str(error)))
            complete = False
            continue
        _, best = min(moves, key=lambda item: (item[1].precopy.total, item[0]))
        chosen.append((vm, best))
    migrations = shared_link_schedule(chosen, slots)
    left_behind.sort(key=lambda item: name_key(item[0]))
    return DrainPlan(host, slots, tuple(migrations), tuple(left_behind), complete, tuple(idle))


def shared_link_schedule(chosen: Sequence[tuple[VM, Move]], slots: int) -> list[DrainMigration]:
    """The migrations of a drain in start order: the longest estimated total first (ties: name order), each
    on whichever of `slots` slots frees first, timed by the shared-link simulation (docs/estimator.md): the
    migrations copying divide the link equally, setup and switch-over use none of it. Each migration's
    `move` then carries the passes, downtime and storage time it has in the drain."""
    ordered = sorted(chosen, key=lambda item: (-item[1].precopy.total, *name_key(item[0])))
    simulated = share_link(
        [SharedMigration(move.precopy.inputs, move.storage_bytes) for _, move in ordered], slots
    )
    return [
        DrainMigration(
            vm,
            move.destination,
            run.slot,
            run.start,
            run.end,
            replace(move, precopy=run.precopy, storage_time=run.storage_time),
        )
        for (vm, move), run in zip(ordered, simulated, strict=True)
    ]


def assign_slots(durations: Sequence[float], slots: int) -> list[tuple[int, float, float]]:
    """(slot, start, end) of migrations of these durations started in the order given, each on whichever
    of `slots` slots frees first (ties: the lowest slot, 0-based): version 1's schedule, in which each
    migration's duration is fixed in advance (estimator.md's k-th of the link; benchmarks/accuracy.py
    compares it with the shared link)."""
    if slots < 1 and durations:
        raise ValueError(f"at least one slot is needed, found {slots}")
    free: list[tuple[float, int]] = [(0.0, slot) for slot in range(slots)]
    times = []
    for duration in durations:
        start, slot = heapq.heappop(free)
        end = start + duration
        times.append((slot, start, end))
        heapq.heappush(free, (end, slot))
    return times


def schedule(durations: Iterable[float], slots: int) -> float:
    """Version 1's drain time of migrations of these fixed durations, started longest first."""
    times = assign_slots(sorted(durations, reverse=True), slots)
    return max((end for _, _, end in times), default=0.0)
