"""The estimator over a resolved model: each clustered VM's estimate, its worst destination (estimator.md).

`estimate_vm` / `estimate_cluster` / `estimate_model` give each VM's `VMEstimate`; `reachable_from` and
`moves_of` are shared with the drain plan (`hvlint.estimator.drain`).
"""

from __future__ import annotations

from hvlint.estimator import devices
from hvlint.estimator.assumptions import assumed_keys, default_efficiency_on_fast_link
from hvlint.estimator.links import Destinations, Links, NoEstimate
from hvlint.estimator.precopy import MigrationInputs, Precopy, simulate, simulate_once
from hvlint.estimator.settings import Parameters, max_rounds, transport_factor
from hvlint.estimator.shared_nothing import (
    shared_nothing_inputs,
    standalone_destinations,
    storage_bytes,
    storage_time,
    with_storage,
)
from hvlint.language.model import VM, Cluster, Host, Model
from hvlint.language.standalone import is_movable
from hvlint.records import FrozenRecord

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LIVE_STATES = ("running", "paused")
"""States in which moving a VM is a live migration (estimator.md: only those are estimated)."""
GIVEN_ORIGINS = ("vm", "paused")
"""The origins of a dirty rate the VM itself gives (its `dirty_rate`, or 0 because it is paused)."""


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


class Move(FrozenRecord):
    """One possible migration of a VM: its destination, the link and the pre-copy outcome."""

    __match_args__ = ("destination", "link", "precopy", "storage_bytes", "storage_time")
    __slots__ = __match_args__
    destination: Host
    link: float
    precopy: Precopy
    storage_bytes: float
    """B: what a shared-nothing move copies before the memory (0 for a clustered VM)."""
    storage_time: float
    """T_storage, seconds, already counted in `precopy.total`."""

    def __init__(
        self,
        destination: Host,
        link: float,
        precopy: Precopy,
        storage_bytes: float = 0.0,
        storage_time: float = 0.0,
    ) -> None:
        self._assign(destination, link, precopy, storage_bytes, storage_time)

    @property
    def kind(self) -> str:
        """`cluster`, or `shared-nothing` for a move between standalone hosts."""
        return "cluster" if self.destination.cluster is not None else "shared-nothing"


class VMEstimate(FrozenRecord):
    """A VM's estimate: the worst of its destinations (estimator.md), or why it has none.

    - `move`: the worst destination's migration; None when the VM has no estimate (`reason` says why);
    - `dirty_rate`: D as used: 0 for a paused VM (it runs nothing), else the VM's, else the configured
      default; None for a running VM with neither (the estimate then assumes D = 0, so its downtime says
      nothing: HV505);
    - `dirty_rate_origin`: where D comes from: `vm`, `default` (estimator.default_dirty_rate), `paused` or
      `unknown`;
    - `threshold`: the downtime threshold: the VM's `max_downtime`, else the cluster's, else the configured
      one (None when the one that applies is in error);
    - `time_limit`: `estimator.max_migration_time` (None: not configured);
    - `reason`: why there is no estimate (None when there is one), and `reason_in_error`, whether that is
      because of a value the file got wrong;
    - `path`: the file that declares the VM (`estimate_model` says; empty when the caller did not);
    - `assumed`: the built-in defaults the estimate uses (`assumptions.assumed_keys`); empty without an
      estimate.
    """

    __match_args__ = (
        "vm",
        "source",
        "move",
        "dirty_rate",
        "dirty_rate_origin",
        "threshold",
        "time_limit",
        "reason",
        "reason_in_error",
        "path",
        "assumed",
    )
    __slots__ = __match_args__
    vm: VM
    source: Host | None
    move: Move | None
    dirty_rate: float | None
    dirty_rate_origin: str
    threshold: float | None
    time_limit: float | None
    reason: str | None
    reason_in_error: bool
    path: str
    assumed: tuple[str, ...]

    def __init__(
        self,
        vm: VM,
        source: Host | None = None,
        move: Move | None = None,
        dirty_rate: float | None = None,
        dirty_rate_origin: str = "vm",
        threshold: float | None = None,
        time_limit: float | None = None,
        reason: str | None = None,
        reason_in_error: bool = False,
        path: str = "",
        assumed: tuple[str, ...] = (),
    ) -> None:
        self._assign(
            vm,
            source,
            move,
            dirty_rate,
            dirty_rate_origin,
            threshold,
            time_limit,
            reason,
            reason_in_error,
            path,
            assumed,
        )

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
    def dirty_rate_given(self) -> bool:
        """Whether D comes from the VM itself (its `dirty_rate`, or 0 because it is paused)."""
        return self.dirty_rate_origin in GIVEN_ORIGINS

    @property
    def optimistic_link(self) -> bool:
        """Whether the worst destination's link is 10 Gbps or faster with the built-in link efficiency,
        which is known to be optimistic there."""
        return self.move is not None and default_efficiency_on_fast_link(self.move.link, self.assumed)

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
    elif vm.host is not None:
        if not vm.host.valid("max_downtime"):
            return None
        if vm.host.max_downtime is not None:
            return vm.host.max_downtime
    return params.max_downtime


_VM_INPUTS = ("host", "memory", "dirty_rate", "working_set", "possible_owners")
_CLUSTER_INPUTS = ("platform", "migration_transport")


def reachable_from(vm: VM, links: Links) -> Destinations | NoEstimate:
    """The destinations a live-migrated VM may move to, grouped by the link to them (the outcome depends
    on nothing else): for each distinct L, the first destination in name order reached over it, with its
    rank in that order. Or why the VM has none."""
    cluster = vm.cluster
    if cluster is None and not is_movable(vm):
        return NoEstimate("not in a cluster")
    if not vm.valid("state"):
        return NoEstimate("`state` is in error", True)
    if vm.state not in LIVE_STATES:
        return NoEstimate(f"{vm.state}: moves without a live migration")
    if vm.errors:
        wrong = [name for name in _VM_INPUTS if not vm.valid(name)]
        if wrong:
            return NoEstimate(f"`{wrong[0]}` is in error", True)
    not_live = devices.not_live(vm)
    if cluster is None:
        return not_live or standalone_destinations(vm)
    if cluster.errors:
        wrong = [name for name in _CLUSTER_INPUTS if not cluster.valid(name)]
        if wrong:
            return NoEstimate(f"`{wrong[0]}` of cluster {cluster.name} is in error", True)
    source = vm.host
    if source is None:
        return NoEstimate("no host", True)
    if not_live is not None:
        return not_live
    return links.destinations(source, devices.live_owners(vm) if vm.gpu_partitions else vm.possible_owners)


def dirty_rate_of(vm: VM, params: Parameters) -> tuple[float | None, str]:
    """D and where it comes from: 0 for a paused VM whatever its `dirty_rate` says (`paused`: its
    processors do not run), else the VM's `dirty_rate` (`vm`), else `estimator.default_dirty_rate`
    (`default`), else None (`unknown`)."""
    if vm.state == "paused":
        return 0.0, "paused"
    if vm.dirty_rate is not None:
        return vm.dirty_rate, "vm"
    if params.default_dirty_rate is not None:
        return params.default_dirty_rate, "default"
    return None, "unknown"


def moves_of(
    vm: VM, reachable: Destinations, dirty_rate: float, params: Parameters, sharing: int
) -> list[tuple[int, Move]]:
    """The migration over each distinct link, to the first destination in name order reached over it,
    with that destination's rank in name order."""
    cluster = vm.cluster
    moves = []
    if cluster is None:
        size = storage_bytes(vm)
        for link, (rank, destination) in reachable.items():
            inputs = shared_nothing_inputs(vm, dirty_rate, link, params, sharing)
            seconds = storage_time(size, link, params, sharing)
            precopy = with_storage(simulate(inputs), seconds)
            moves.append((rank, Move(destination, link, precopy, size, seconds)))
        return moves
    for link, (rank, destination) in reachable.items():
        inputs = migration_inputs(vm.memory, dirty_rate, vm.working_set, link, cluster, params, sharing)
        moves.append((rank, Move(destination, link, simulate_once(inputs))))
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
    reachable = reachable_from(vm, links)
    if isinstance(reachable, NoEstimate):
        return VMEstimate(vm, reason=reachable.reason, reason_in_error=reachable.in_error, **common)
    dirty_rate, origin = dirty_rate_of(vm, params)
    try:
        moves = moves_of(vm, reachable, dirty_rate or 0.0, params, 1)
    except ValueError as error:
        return VMEstimate(vm, reason=str(error), **common)
    _, worst = max(moves, key=lambda item: (item[1].precopy.downtime, item[1].precopy.total, -item[0]))
    compressed = worst.precopy.inputs.transport_factor != 1.0
    assumed = assumed_keys(params, compressed, origin in GIVEN_ORIGINS)
    return VMEstimate(
        vm, move=worst, dirty_rate=dirty_rate, dirty_rate_origin=origin, assumed=assumed, **common
    )


def estimate_cluster(
    cluster: Cluster, params: Parameters, links: Links | None = None, path: str = ""
) -> list[VMEstimate]:
    """The estimate of every VM of the cluster (declared in the file `path`), in declaration order."""
    links = links if links is not None else Links()
    return [estimate_vm(vm, params, links, path) for vm in cluster.vms]


def estimates_key(params: Parameters) -> tuple[str, Parameters]:
    """The key under which a file's `estimate_model` is shared by the rules that judge it (`Context.shared`),
    so that `hvlint estimate` can hand the rules the estimates it computed."""
    return ("precopy.estimates", params)


def estimate_model(model: Model, params: Parameters) -> list[VMEstimate]:
    """The estimate of every VM of every cluster of the file, then of every movable standalone VM (the
    shared-nothing estimate, estimator-v2.md §2)."""
    clustered = [
        estimate
        for cluster in model.clusters
        for estimate in estimate_cluster(cluster, params, path=model.path)
    ]
    standalone = [
        estimate_vm(vm, params, path=model.path) for host in model.hosts for vm in host.vms if is_movable(vm)
    ]
    return clustered + standalone
