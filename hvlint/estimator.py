"""The pre-copy estimator (estimator.md): how long moving a running VM takes, and how long it pauses.

Two layers, both pure (no I/O, no plugins, no configuration files):

- the model itself, over plain numbers: `precopy(M, D, L, ...)` (or `simulate(MigrationInputs(...))`) runs
  the passes of estimator.md and returns a `Precopy` with every pass, the downtime and the total;
- a thin layer over the resolved model of a file: `Parameters.from_config(config)` reads the `[estimator]`
  settings once, `estimate_vm` / `estimate_cluster` / `estimate_model` give each VM's worst destination
  (`VMEstimate`), and `plan_drain` plans the evacuation of a host (`DrainPlan`).

Everything is in base units: bytes, bytes per second, seconds. The same inputs always give the same
numbers: the arithmetic is plain floating point in a fixed order.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from hvlint.language import units
from hvlint.language.model import VM, Cluster, Host, Model

if TYPE_CHECKING:
    from hvlint.config import Config

LIVE_MIGRATION = "live_migration"
LIVE_STATES = ("running", "paused")
"""States in which moving a VM is a live migration (estimator.md: only those are estimated)."""

STOP_MAX_ROUNDS = "max_rounds"
"""Stop condition 1: i + 1 = n_max, the passes ran out."""
STOP_TARGET = "stop_copy_target"
"""Stop condition 2: V_i+1 / R <= t_stop, what is left fits the stop-copy target."""
STOP_NO_PROGRESS = "no_progress"
"""Stop condition 3: V_i+1 >= V_i, the workload dirties memory as fast as the link sends it."""

DEFAULTS: dict[str, Any] = {
    "link_efficiency": 0.9,
    "compression_ratio": 2.0,
    "stop_copy_target": 0.05,
    "switchover": 0.05,
    "setup": 2.5,
    "max_downtime": 0.5,
}
"""The defaults of estimator.md (the same as `hvlint.config.ESTIMATOR_KEYS`)."""


# -- the model over plain numbers ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MigrationInputs:
    """Every input of one migration (estimator.md's table), as plain numbers in base units."""

    memory: float
    """M: memory to copy, bytes."""
    dirty_rate: float
    """D: rate at which the workload dirties memory, bytes/s."""
    link: float
    """L: the link's rate, bytes/s."""
    working_set: float | None = None
    """W: the writable working set, bytes (None: M)."""
    efficiency: float = 0.9
    """η: the share of the link a migration gets."""
    transport_factor: float = 1.0
    """c: 1.0 for tcp and smb, the compression ratio for compression."""
    sharing: int = 1
    """k: migrations sharing the link."""
    max_rounds: int = 10
    """n_max: the most pre-copy passes."""
    stop_copy_target: float = 0.05
    """t_stop, seconds."""
    switchover: float = 0.05
    """t_sw, seconds."""
    setup: float = 2.5
    """t_setup, seconds."""

    @property
    def rate(self) -> float:
        """R = η · L · c / k, the effective rate of this migration."""
        return self.efficiency * self.link * self.transport_factor / self.sharing


@dataclass(frozen=True, slots=True)
class Precopy:
    """The outcome of one migration: its passes, what was left for the blackout, downtime and total."""

    inputs: MigrationInputs
    rate: float
    """R, bytes/s."""
    volumes: tuple[float, ...]
    """V_0 ... V_n: what each pass copied, then what was left dirty for the blackout (V_n)."""
    pass_times: tuple[float, ...]
    """T_0 ... T_n-1, seconds."""
    stop: str
    """Why the passes stopped: STOP_MAX_ROUNDS, STOP_TARGET or STOP_NO_PROGRESS."""
    downtime: float
    """V_n / R + t_sw, seconds."""
    total: float
    """t_setup + T_0 + ... + T_n-1 + downtime, seconds."""
    converges: bool
    """D < R."""

    @property
    def passes(self) -> int:
        """n, the number of pre-copy passes done."""
        return len(self.pass_times)

    @property
    def remaining(self) -> float:
        """V_n, the bytes copied while the VM is paused."""
        return self.volumes[-1]


def simulate(inputs: MigrationInputs) -> Precopy:
    """Runs the passes of estimator.md:

        R = η·L·c/k;  V_0 = M;  T_i = V_i / R;  V_i+1 = min(D·T_i, W, M)

    stopping after pass i as soon as i + 1 = n_max, or V_i+1 / R <= t_stop, or V_i+1 >= V_i (checked in
    that order, which only decides the reason recorded). Raises ValueError for inputs the model has no
    meaning for (a rate of zero, negative sizes, fewer than one pass or one migration).
    """
    memory, dirty_rate = inputs.memory, inputs.dirty_rate
    if inputs.sharing < 1:
        raise ValueError(f"k (migrations sharing the link) must be at least 1, found {inputs.sharing}")
    if inputs.max_rounds < 1:
        raise ValueError(f"n_max (most passes) must be at least 1, found {inputs.max_rounds}")
    if memory < 0 or dirty_rate < 0 or (inputs.working_set is not None and inputs.working_set < 0):
        raise ValueError("memory, dirty rate and working set cannot be negative")
    rate = inputs.rate
    if not rate > 0:
        raise ValueError(f"the effective rate R = η·L·c/k must be above 0, found {rate}")
    cap = memory if inputs.working_set is None else min(inputs.working_set, memory)
    volumes = [memory]
    times: list[float] = []
    i = 0
    while True:
        volume = volumes[i]
        time = volume / rate
        times.append(time)
        left = min(dirty_rate * time, cap)
        volumes.append(left)
        if i + 1 == inputs.max_rounds:
            stop = STOP_MAX_ROUNDS
        elif left / rate <= inputs.stop_copy_target:
            stop = STOP_TARGET
        elif left >= volume:
            stop = STOP_NO_PROGRESS
        else:
            i += 1
            continue
        break
    downtime = volumes[-1] / rate + inputs.switchover
    total = inputs.setup + sum(times) + downtime
    return Precopy(inputs, rate, tuple(volumes), tuple(times), stop, downtime, total, dirty_rate < rate)


def precopy(
    memory: float,
    dirty_rate: float,
    link: float,
    *,
    working_set: float | None = None,
    efficiency: float = 0.9,
    transport_factor: float = 1.0,
    sharing: int = 1,
    max_rounds: int = 10,
    stop_copy_target: float = 0.05,
    switchover: float = 0.05,
    setup: float = 2.5,
) -> Precopy:
    """The migration of M = `memory` bytes dirtied at D = `dirty_rate` over a link of L = `link` bytes/s
    (the other inputs default to estimator.md's defaults): see `simulate`."""
    return simulate(
        MigrationInputs(
            memory,
            dirty_rate,
            link,
            working_set,
            efficiency,
            transport_factor,
            sharing,
            max_rounds,
            stop_copy_target,
            switchover,
            setup,
        )
    )


# -- the configuration --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parameters:
    """The `[estimator]` settings of a run, in base units (None: not configured)."""

    default_dirty_rate: float | None = None
    link_efficiency: float = DEFAULTS["link_efficiency"]
    compression_ratio: float = DEFAULTS["compression_ratio"]
    max_rounds: int | None = None
    stop_copy_target: float = DEFAULTS["stop_copy_target"]
    switchover: float = DEFAULTS["switchover"]
    setup: float = DEFAULTS["setup"]
    max_downtime: float = DEFAULTS["max_downtime"]
    max_migration_time: float | None = None
    drain_window: float | None = None

    @classmethod
    def from_config(cls, config: Config) -> Parameters:
        """The settings `config.estimator_value` gives (its defaults where the file sets nothing)."""
        return cls(**{name: config.estimator_value(name) for name in cls.__dataclass_fields__})


def max_rounds(platform: str, params: Parameters) -> int:
    """n_max: `estimator.max_rounds`, else 10 for ws2008r2 and ws2012, 5 from ws2012r2."""
    if params.max_rounds is not None:
        return params.max_rounds
    return 10 if platform in ("ws2008r2", "ws2012") else 5


def transport_factor(transport: str, params: Parameters) -> float:
    """c: tcp and smb 1.0, compression `estimator.compression_ratio`."""
    return params.compression_ratio if transport == "compression" else 1.0


def migration_inputs(
    vm_memory: float,
    dirty_rate: float,
    working_set: float | None,
    link: float,
    cluster: Cluster,
    params: Parameters,
    sharing: int = 1,
) -> MigrationInputs:
    """The inputs of moving a VM of `cluster` over a link of `link` bytes/s."""
    return MigrationInputs(
        memory=vm_memory,
        dirty_rate=dirty_rate,
        link=link,
        working_set=working_set,
        efficiency=params.link_efficiency,
        transport_factor=transport_factor(cluster.migration_transport, params),
        sharing=sharing,
        max_rounds=max_rounds(cluster.platform, params),
        stop_copy_target=params.stop_copy_target,
        switchover=params.switchover,
        setup=params.setup,
    )


# -- links between hosts ------------------------------------------------------------------------------


class LinkError(Exception):
    """The link between two hosts depends on a value the file got wrong (a host's `networks`, a
    network's `roles` or `bandwidth`): no estimate follows from it."""


class Links:
    """L for each pair of hosts: the bandwidth of the fastest `live_migration` network both are on (None
    when they share none, or only ones with no bandwidth), computed once per pair; and each host's place
    in its cluster's name order. Share one between the VMs of a cluster to stay linear in their number."""

    __slots__ = ("_groups", "_ranks", "_rows")

    def __init__(self) -> None:
        self._rows: dict[Host, dict[Host, float | LinkError | None]] = {}
        self._ranks: dict[Host, int] = {}
        self._groups: dict[tuple[Host, tuple[Host, ...]], dict[float, tuple[int, Host]] | _NoEstimate] = {}

    def between(self, source: Host, destination: Host) -> float | None:
        """L from `source` to `destination`, or None; raises LinkError when it follows from an error."""
        found = self.lookup(source, destination)
        if isinstance(found, LinkError):
            raise found
        return found

    def lookup(self, source: Host, destination: Host) -> float | LinkError | None:
        """L from `source` to `destination`, None, or the LinkError that stands for it (not raised)."""
        row = self._rows.get(source)
        if row is None:
            row = self._rows[source] = {}
        found = row.get(destination, _MISSING)
        if found is _MISSING:
            try:
                found = _fastest_shared(source, destination)
            except LinkError as error:
                found = error
            row[destination] = found
        return found

    def rank(self, host: Host) -> int:
        """The host's place in its cluster's name order (0 first)."""
        found = self._ranks.get(host)
        if found is None:
            peers = host.cluster.hosts if host.cluster is not None else (host,)
            for index, peer in enumerate(sorted(peers, key=name_key)):
                self._ranks[peer] = index
            found = self._ranks.setdefault(host, len(peers))
        return found


_MISSING: Any = object()


def _fastest_shared(source: Host, destination: Host) -> float | None:
    for host in (source, destination):
        if not host.valid("networks"):
            raise LinkError(f"`networks` of host {host.name} is in error")
    theirs = set(destination.networks)
    best: float | None = None
    for network in source.networks:
        if network not in theirs:
            continue
        if not network.valid("roles", "bandwidth"):
            raise LinkError(f"network {network.name} is in error")
        if LIVE_MIGRATION not in network.roles or not network.bandwidth > 0:
            continue
        if best is None or network.bandwidth > best:
            best = network.bandwidth
    return best


# -- the estimate of one VM -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Move:
    """One possible migration of a VM: its destination, the link and the pre-copy outcome."""

    destination: Host
    link: float
    precopy: Precopy


@dataclass(frozen=True, slots=True)
class VMEstimate:
    """A VM's estimate: the worst of its destinations (estimator.md), or why it has none."""

    vm: VM
    source: Host | None = None
    move: Move | None = None
    """The worst destination's migration; None when the VM has no estimate (`reason` says why)."""
    dirty_rate: float | None = None
    """D as used: the VM's, else the configured default, else 0 for a paused VM (it runs nothing); None for
    a running VM with neither (the estimate then assumes D = 0, so its downtime says nothing: HV505)."""
    dirty_rate_origin: str = "vm"
    """Where D comes from: `vm`, `default` (estimator.default_dirty_rate), `paused` or `unknown`."""
    threshold: float | None = None
    """The downtime threshold: the VM's `max_downtime`, else the cluster's, else the configured one (None
    when the one that applies is in error)."""
    time_limit: float | None = None
    """`estimator.max_migration_time` (None: not configured)."""
    reason: str | None = None
    """Why there is no estimate (None when there is one)."""
    reason_in_error: bool = False
    """Whether there is no estimate because of a value the file got wrong."""
    path: str = ""
    """The file that declares the VM (`estimate_model` says; empty when the caller did not)."""

    @property
    def cluster(self) -> Cluster | None:
        """The VM's cluster."""
        return self.vm.cluster

    @property
    def destination(self) -> Host | None:
        """The worst destination."""
        return self.move.destination if self.move else None

    @property
    def precopy(self) -> Precopy | None:
        """The worst destination's pre-copy outcome."""
        return self.move.precopy if self.move else None

    @property
    def dirty_rate_known(self) -> bool:
        """Whether D comes from the file or the configuration (not assumed 0)."""
        return self.dirty_rate is not None

    @property
    def converges(self) -> bool | None:
        """D < R; None without an estimate or without a known dirty rate."""
        if self.move is None or not self.dirty_rate_known:
            return None
        return self.move.precopy.converges

    @property
    def exceeds_downtime(self) -> bool:
        """Whether the predicted downtime exceeds the threshold (HV501's condition, before HV502 wins)."""
        return (
            self.move is not None
            and self.dirty_rate_known
            and self.threshold is not None
            and self.move.precopy.downtime > self.threshold
        )

    @property
    def exceeds_time(self) -> bool:
        """Whether the predicted total exceeds `estimator.max_migration_time` (HV503's condition)."""
        if self.move is None or self.time_limit is None:
            return False
        return self.move.precopy.total > self.time_limit


def name_key(node: Host | VM) -> tuple[str, str]:
    """Name order: case-insensitive, as Windows compares names, then by spelling (deterministic)."""
    return (node.name.casefold(), node.name)


def downtime_threshold(vm: VM, params: Parameters) -> float | None:
    """The VM's `max_downtime`, else its cluster's, else `estimator.max_downtime`; None when the one that
    applies is in error."""
    if not vm.valid("max_downtime"):
        return None
    if vm.max_downtime is not None:
        return vm.max_downtime
    cluster = vm.cluster
    if cluster is not None:
        if not cluster.valid("max_downtime"):
            return None
        if cluster.max_downtime is not None:
            return cluster.max_downtime
    return params.max_downtime


_VM_INPUTS = ("host", "memory", "dirty_rate", "working_set", "possible_owners")
_CLUSTER_INPUTS = ("platform", "migration_transport")


class _NoEstimate(NamedTuple):
    """Why a VM has no estimate, and whether that follows from a value the file got wrong."""

    reason: str
    in_error: bool = False


def _destinations(vm: VM, links: Links) -> dict[float, tuple[int, Host]] | _NoEstimate:
    """The destinations a live-migrated VM may move to, grouped by the link to them (the outcome depends
    on nothing else): for each distinct L, the first destination in name order reached over it, with its
    rank in that order. Or why the VM has none."""
    cluster = vm.cluster
    if cluster is None:
        return _NoEstimate("not in a cluster")
    if not vm.valid("state"):
        return _NoEstimate("`state` is in error", True)
    if vm.state not in LIVE_STATES:
        return _NoEstimate(f"{vm.state}: moves without a live migration")
    if vm.errors:
        wrong = [name for name in _VM_INPUTS if not vm.valid(name)]
        if wrong:
            return _NoEstimate(f"`{wrong[0]}` is in error", True)
    if cluster.errors:
        wrong = [name for name in _CLUSTER_INPUTS if not cluster.valid(name)]
        if wrong:
            return _NoEstimate(f"`{wrong[0]}` of cluster {cluster.name} is in error", True)
    source = vm.host
    if source is None:
        return _NoEstimate("no host", True)
    key = (source, vm.possible_owners)
    cached = links._groups.get(key)
    if cached is None:
        cached = links._groups[key] = _group(source, vm.possible_owners, links)
    return cached


def _group(source: Host, owners: Sequence[Host], links: Links) -> dict[float, tuple[int, Host]] | _NoEstimate:
    """`_destinations` for a VM on `source` that may run on `owners` (shared by the VMs of the same source
    and owners: most VMs of a cluster)."""
    found: dict[float, tuple[int, Host]] = {}
    others = False
    for destination in owners:
        if destination is source:
            continue
        others = True
        link = links.lookup(source, destination)
        if isinstance(link, LinkError):
            return _NoEstimate(str(link), True)
        if link is None:
            continue
        rank = links.rank(destination)
        first = found.get(link)
        if first is None or rank < first[0]:
            found[link] = (rank, destination)
    if not others:
        return _NoEstimate("a single possible owner")
    if not found:
        return _NoEstimate(f"no live_migration network shared with another possible owner of {source.name}")
    return found


def dirty_rate_of(vm: VM, params: Parameters) -> tuple[float | None, str]:
    """D and where it comes from: the VM's `dirty_rate` (`vm`), else `estimator.default_dirty_rate`
    (`default`), else 0 for a paused VM (`paused`: it runs nothing), else None (`unknown`)."""
    if vm.dirty_rate is not None:
        return vm.dirty_rate, "vm"
    if params.default_dirty_rate is not None:
        return params.default_dirty_rate, "default"
    if vm.state == "paused":
        return 0.0, "paused"
    return None, "unknown"


def _moves(
    vm: VM, destinations: dict[float, tuple[int, Host]], dirty_rate: float, params: Parameters, sharing: int
) -> list[tuple[int, Move]]:
    """The migration over each distinct link, to the first destination in name order reached over it,
    with that destination's rank in name order."""
    cluster = vm.cluster
    assert cluster is not None
    moves = []
    for link, (rank, destination) in destinations.items():
        inputs = migration_inputs(vm.memory, dirty_rate, vm.working_set, link, cluster, params, sharing)
        moves.append((rank, Move(destination, link, simulate(inputs))))
    return moves


def estimate_vm(vm: VM, params: Parameters, links: Links | None = None, path: str = "") -> VMEstimate:
    """The VM's estimate: the destination with the largest downtime (ties: the largest total, then the
    first in name order), leaving out destinations that share no live_migration network with its host."""
    links = links if links is not None else Links()
    threshold = downtime_threshold(vm, params)
    common: dict[str, Any] = {
        "threshold": threshold,
        "time_limit": params.max_migration_time,
        "source": vm.host,
        "path": path,
    }
    destinations = _destinations(vm, links)
    if isinstance(destinations, _NoEstimate):
        return VMEstimate(vm, reason=destinations.reason, reason_in_error=destinations.in_error, **common)
    dirty_rate, origin = dirty_rate_of(vm, params)
    try:
        moves = _moves(vm, destinations, dirty_rate or 0.0, params, 1)
    except ValueError as error:
        return VMEstimate(vm, reason=str(error), **common)
    _, worst = max(moves, key=lambda item: (item[1].precopy.downtime, item[1].precopy.total, -item[0]))
    return VMEstimate(vm, move=worst, dirty_rate=dirty_rate, dirty_rate_origin=origin, **common)


def estimate_cluster(
    cluster: Cluster, params: Parameters, links: Links | None = None, path: str = ""
) -> list[VMEstimate]:
    """The estimate of every VM of the cluster (declared in the file `path`), in declaration order."""
    links = links if links is not None else Links()
    return [estimate_vm(vm, params, links, path) for vm in cluster.vms]


def estimate_model(model: Model, params: Parameters) -> list[VMEstimate]:
    """The estimate of every VM of every cluster of the file (standalone hosts' VMs are not estimated)."""
    return [
        estimate
        for cluster in model.clusters
        for estimate in estimate_cluster(cluster, params, path=model.path)
    ]


# -- draining a host ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DrainMigration:
    """One VM's migration in a drain plan: where it goes, on which slot, when it starts and ends."""

    vm: VM
    destination: Host
    slot: int
    """0-based."""
    start: float
    end: float
    move: Move

    @property
    def duration(self) -> float:
        """The migration's total, seconds."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class DrainPlan:
    """The evacuation of a host: every running or paused VM to its quickest destination, `slots` at once."""

    host: Host
    slots: int
    """k = min(`max_migrations`, the number of VMs drained): the migrations run at once."""
    migrations: tuple[DrainMigration, ...]
    """In start order."""
    left_behind: tuple[tuple[VM, str], ...] = ()
    """Running or paused VMs that cannot be moved, and why (in name order)."""
    complete: bool = True
    """False when the plan depends on a value the file got wrong (a VM left out because of it, or the
    cluster's `max_migrations`): its drain time is then not a prediction to judge (HV504 stays silent)."""
    assumed_idle: tuple[VM, ...] = ()
    """VMs drained with D = 0 because they have no dirty rate and none is configured."""

    @property
    def drain_time(self) -> float:
        """When the last migration ends, seconds (0 with nothing to move)."""
        return max((migration.end for migration in self.migrations), default=0.0)

    @property
    def longest(self) -> DrainMigration | None:
        """The migration that takes longest (the first in start order on a tie)."""
        best = None
        for migration in self.migrations:
            if best is None or migration.duration > best.duration:
                best = migration
        return best


def plan_drain(host: Host, params: Parameters, links: Links | None = None) -> DrainPlan:
    """The drain plan of estimator.md: each running or paused VM of `host` goes to the possible owner that
    gives it the smallest total (ties: the first in name order); `max_migrations` slots, each migration
    with k = min(max_migrations, number of VMs drained); VMs start longest first (ties: name order) on
    whichever slot frees first (ties: the lowest slot); the drain time is when the last one ends."""
    links = links if links is not None else Links()
    cluster = host.cluster
    live = sorted(
        (vm for vm in host.vms if not vm.valid("state") or vm.state in LIVE_STATES),
        key=name_key,
    )
    complete = cluster is not None and cluster.valid("max_migrations")
    movable: list[tuple[VM, dict[float, tuple[int, Host]]]] = []
    left_behind: list[tuple[VM, str]] = []
    for vm in live:
        destinations = _destinations(vm, links)
        if isinstance(destinations, _NoEstimate):
            left_behind.append((vm, destinations.reason))
            if destinations.in_error:
                complete = False
        else:
            movable.append((vm, destinations))
    if cluster is None or not movable:
        return DrainPlan(host, 0, (), tuple(left_behind), complete)
    slots = min(cluster.max_migrations, len(movable))
    chosen: list[tuple[VM, Move]] = []
    idle = []
    for vm, destinations in movable:
        dirty_rate, _ = dirty_rate_of(vm, params)
        if dirty_rate is None:
            idle.append(vm)
        try:
            moves = _moves(vm, destinations, dirty_rate or 0.0, params, slots)
        except ValueError as error:
            left_behind.append((vm, str(error)))
            complete = False
            continue
        _, best = min(moves, key=lambda item: (item[1].precopy.total, item[0]))
        chosen.append((vm, best))
    chosen.sort(key=lambda item: (-item[1].precopy.total, *name_key(item[0])))
    times = assign_slots([move.precopy.total for _, move in chosen], slots)
    migrations = [
        DrainMigration(vm, move.destination, slot, start, end, move)
        for (vm, move), (slot, start, end) in zip(chosen, times, strict=True)
    ]
    left_behind.sort(key=lambda item: name_key(item[0]))
    return DrainPlan(host, slots, tuple(migrations), tuple(left_behind), complete, tuple(idle))


def assign_slots(durations: Sequence[float], slots: int) -> list[tuple[int, float, float]]:
    """(slot, start, end) of migrations of these durations started in the order given, each on whichever
    of `slots` slots frees first (ties: the lowest slot, 0-based)."""
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
    """The drain time of migrations of these durations started longest first (`plan_drain`'s order)."""
    times = assign_slots(sorted(durations, reverse=True), slots)
    return max((end for _, _, end in times), default=0.0)


# -- words and numbers, for messages and tables -----------------------------------------------------------


def format_duration(seconds: float) -> str:
    """A duration as messages print it: `0s`, `50ms`, `16.4s`, `11.7min`; a whole number of minutes or
    hours in that unit (`5min`, `2h`, as configurations write them); hours from ten hours."""
    if seconds == 0:
        return "0s"
    seconds = units.significant(seconds)
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g}min"
    if seconds < 36000:
        return units.format_duration(seconds)
    return f"{seconds / 3600:.3g}h"


def plural(count: int, word: str, suffix: str = "s") -> str:
    """`1 pass`, `10 passes`."""
    return f"{count} {word}" if count == 1 else f"{count} {word}{suffix}"


def describe_link(move: Move) -> str:
    """The link as a message names it: `1Gbps`, `10Gbps with 2x compression`, `1Gbps shared by 2`."""
    inputs = move.precopy.inputs
    text = units.format_bit_rate(move.link)
    if inputs.transport_factor != 1.0:
        text += f" with {inputs.transport_factor:g}x compression"
    if inputs.sharing != 1:
        text += f" shared by {inputs.sharing}"
    return text


def describe_inputs(move: Move, origin: str = "vm") -> str:
    """What explains an estimate: `16GiB dirtied at 90MB/s over 1Gbps, 10 passes`."""
    inputs = move.precopy.inputs
    memory = units.format_size(inputs.memory)
    if inputs.working_set is not None and inputs.working_set < inputs.memory:
        memory += f" (working set {units.format_size(inputs.working_set)})"
    rate = units.format_rate(inputs.dirty_rate) if inputs.dirty_rate else "0B/s"
    if origin == "default":
        rate += " (estimator.default_dirty_rate)"
    elif origin == "unknown":
        rate += " (assumed: no dirty_rate)"
    passes = plural(move.precopy.passes, "pass", "es")
    return f"{memory} dirtied at {rate} over {describe_link(move)}, {passes}"
