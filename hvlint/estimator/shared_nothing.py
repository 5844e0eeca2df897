"""The shared-nothing estimate (estimator-v2.md §2): a movable standalone VM's storage is copied first,
then its memory as an ordinary live migration.

    R_s = η · L / k;  T_storage = B / R_s;  total = t_setup + T_storage + (T_0 + ... + T_n-1) + downtime

with L = min(S's and D's `migration_bandwidth`), c and n_max by the source host, and B the sizes of the
copied disks (a disk without `size` counts 0: HV506).
"""

from __future__ import annotations

from hvlint.estimator.devices import live_owners
from hvlint.estimator.links import Destinations, NoEstimate, name_key
from hvlint.estimator.precopy import MigrationInputs, Precopy
from hvlint.estimator.settings import Parameters, max_rounds, transport_factor
from hvlint.language import schema
from hvlint.language.model import VM, Host, platform_at_least
from hvlint.language.standalone import SHARED_NOTHING_SINCE, copied_disks

DEFAULT_MAX_MIGRATIONS = 2
"""A standalone host's simultaneous live migrations when it does not say (`Set-VMHost` default [S1])."""


def bandwidth(host: Host) -> float:
    """The host's live-migration link rate, bytes/s (1Gbps when not written)."""
    return host.migration_bandwidth if host.migration_bandwidth is not None else schema.DEFAULT_BANDWIDTH


def transport(host: Host) -> str:
    """How the host sends memory: its `migration_transport`, else its platform's default."""
    return host.migration_transport or schema.default_transport(host.platform)


def max_migrations(host: Host) -> int:
    """The live migrations the standalone host runs at once."""
    return host.max_migrations if host.max_migrations is not None else DEFAULT_MAX_MIGRATIONS


def left_out(source: Host, destination: Host) -> str | None:
    """Why a move from `source` to `destination` is not estimated (estimator-v2.md §2), or None."""
    if not platform_at_least(destination.platform, SHARED_NOTHING_SINCE):
        return f"{destination.name} runs {destination.platform} (HV801)"
    for host in (source, destination):
        if not host.live_migration:
            return f"live migration is disabled on {host.name} (HV802)"
        if not bandwidth(host) > 0:
            return f"{host.name} has a migration_bandwidth of 0"
    if destination.migration_networks == ():
        return f"{destination.name} accepts live migrations on no network (HV803)"
    return None


def shared_nothing_link(source: Host, destination: Host) -> dict[Host, float]:
    """{destination: L} when a VM may live-migrate from `source` to `destination`, else {}."""
    if destination is source or left_out(source, destination) is not None:
        return {}
    return {destination: min(bandwidth(source), bandwidth(destination))}


_HOST_INPUTS = (
    "platform",
    "migration_bandwidth",
    "migration_transport",
    "live_migration",
    "migration_networks",
)


def standalone_destinations(vm: VM) -> Destinations | NoEstimate:
    """Where a movable standalone VM can live-migrate, grouped by the link to them (the first in name order
    for each distinct L, with its rank), or why it can go nowhere."""
    source = vm.host
    if source is None:
        return NoEstimate("no host", True)
    if not platform_at_least(source.platform, SHARED_NOTHING_SINCE):
        return NoEstimate(
            f"{source.name} runs {source.platform}: no live migration outside a cluster (HV104)"
        )
    found: Destinations = {}
    reasons = []
    ranked = sorted(live_owners(vm), key=name_key)
    for rank, destination in enumerate(ranked):
        for host in (source, destination):
            wrong = [name for name in _HOST_INPUTS if not host.valid(name)]
            if wrong:
                return NoEstimate(f"`{wrong[0]}` of host {host.name} is in error", True)
        reason = left_out(source, destination)
        if reason is not None:
            reasons.append(reason)
            continue
        link = min(bandwidth(source), bandwidth(destination))
        found.setdefault(link, (rank, destination))
    if not found:
        return NoEstimate("no destination: " + "; ".join(reasons) if reasons else "a single possible owner")
    return found


def storage_bytes(vm: VM) -> float:
    """B: the bytes a shared-nothing move of `vm` copies (disks without `size` count 0)."""
    return sum(disk.size or 0.0 for disk in copied_disks(vm))


def storage_time(size: float, link: float, params: Parameters, sharing: int = 1) -> float:
    """T_storage = B / (η · L / k), seconds; 0 when nothing is copied."""
    if size == 0:
        return 0.0
    return size / (params.link_efficiency * link / sharing)


def shared_nothing_inputs(
    vm: VM, dirty_rate: float, link: float, params: Parameters, sharing: int = 1
) -> MigrationInputs:
    """The memory phase's inputs: v1's, with c and n_max by the source host."""
    source = vm.host
    assert source is not None
    return MigrationInputs(
        memory=vm.memory,
        dirty_rate=dirty_rate,
        link=link,
        working_set=vm.working_set,
        efficiency=params.link_efficiency,
        transport_factor=transport_factor(transport(source), params),
        sharing=sharing,
        max_rounds=max_rounds(source.platform, params),
        stop_copy_target=params.stop_copy_target,
        switchover=params.switchover,
        setup=params.setup,
    )


def with_storage(memory_phase: Precopy, seconds: float) -> Precopy:
    """The migration whose total also counts the storage phase that precedes the memory phase."""
    return memory_phase.with_total(memory_phase.total + seconds)
