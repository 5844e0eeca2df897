"""HV6xx: memory and processors against hosts (rules-v2.md § HV6xx and § F). The derived terms (host
reserve, memory for VMs, free memory, footprint, needs, NUMA node sizes) are `hvlint.capacity`'s."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from hvlint.capacity import (
    alternatives,
    footprint,
    format_size,
    host_reserve,
    joined,
    judged_hosts,
    judged_vms,
    load,
    memory_for_vms,
    memory_known,
    move_need,
    numa_node_memory,
    numa_node_processors,
    reserve_written,
    restart_need,
    vm_memory_known,
)
from hvlint.engine import is_selected
from hvlint.estimator import Links, Parameters
from hvlint.estimator.drain import DrainPlan
from hvlint.estimator.placed_drain import DrainDestinations, LeftBehind, drain_memory_shortfall
from hvlint.failover import failover_shortfall, free_memories
from hvlint.hookspecs import hookimpl
from hvlint.language.model import VM, Host, platform_at_least
from hvlint.language.standalone import is_movable
from hvlint.move_blockers import MoveBlockers
from hvlint.placement import LeftForMemory, Pools
from hvlint.rule import Context, Rule, RuleFinding

from .storage import storage_finder

SEVERITY_ORDER = ("info", "warning", "error")


def _reserve_note(host: Host) -> str:
    """`(384GiB less a 11.6GiB host reserve)`."""
    return f"({format_size(host.memory)} less a {format_size(host_reserve(host))} host reserve)"


def _for_vms(host: Host) -> str:
    """`372GiB for VMs (384GiB less a 11.6GiB host reserve)`."""
    return f"{format_size(memory_for_vms(host))} for VMs {_reserve_note(host)}"


def _memory_at(vm: VM) -> str:
    """Where the HV6 memory findings of a VM stand: its `startup_memory` value when that is written and
    larger than `memory`, else its `memory` value."""
    if vm.startup_memory is not None and vm.startup_memory > vm.memory:
        return "startup_memory"
    return "memory"


def _owners(vm: VM) -> list[Host]:
    """The VM's possible owners whose memory can be judged, its own host included."""
    return [host for host in vm.possible_owners if memory_known(host)]


def least_per_owners(value: Callable[[Host], float | None]) -> Callable[[tuple[Host, ...]], float | None]:
    """The smallest `value` among a list of owners (None when no owner has one), worked out once per list:
    the VMs that may run on every host of their cluster share one list, and cost one pass."""
    known: dict[int, tuple[tuple[Host, ...], float | None]] = {}

    def least(owners: tuple[Host, ...]) -> float | None:
        found = known.get(id(owners))
        if found is None or found[0] is not owners:
            values = [found for found in map(value, owners) if found is not None]
            found = known[id(owners)] = (owners, min(values, default=None))
        return found[1]

    return least


class _Rooms:
    """Each host's memory for VMs, worked out once per file (HV601 asks for every VM and every owner)."""

    def __init__(self) -> None:
        self.known: dict[int, float | None] = {}
        self.least = least_per_owners(self.room)

    def room(self, host: Host) -> float | None:
        """U(h), or None when the host's memory cannot be judged."""
        key = id(host)
        if key not in self.known:
            self.known[key] = memory_for_vms(host) if memory_known(host) else None
        return self.known[key]

    def fits_everywhere(self, vm: VM) -> bool:
        """Whether neither need of the VM exceeds the memory for VMs of any owner that can be judged: then
        HV601 has nothing to say of it."""
        least = self.least(vm.possible_owners)
        need = max(restart_need(vm), move_need(vm)) if vm.dynamic_memory else restart_need(vm)
        return least is None or need <= least


def cannot_start(vm: VM, host: Host) -> bool:
    """HV601's first condition: the VM's restart need exceeds what the host has for VMs."""
    return restart_need(vm) > memory_for_vms(host)


def cannot_receive(vm: VM, host: Host) -> bool:
    """HV601's second condition (a dynamic-memory VM): the memory it holds exceeds the host's memory for
    VMs."""
    return move_need(vm) > memory_for_vms(host)


def exceeds_host(vm: VM, host: Host) -> bool:
    """Whether HV601 fires for the pair (either need exceeds the host's memory for VMs)."""
    return footprint(vm) > memory_for_vms(host)


class VMExceedsHostMemory(Rule):
    """A VM needs more memory than a possible owner has for VMs.

    **What it checks.** For every VM and every possible owner, its own host included: a host's memory
    for VMs is its `memory` less the host reserve, which is `memory_reserve` when written, else Hyper-V's
    default root reserve of 384MiB plus 30MiB per GiB of `memory`. The VM's restart need
    (`startup_memory` with dynamic memory, else `memory`) must fit in it, or the VM can neither start on
    nor fail over to that host. A VM with dynamic memory that holds more than a host has for VMs (its
    `memory`) cannot be moved there while it holds that much. One finding per VM names every such host.

    **Why it matters.** Hyper-V refuses to start a VM it has no memory for ("Not enough memory in the
    system to start the virtual machine"), whatever else runs on the host, and a live migration to a host
    without room for the VM's memory fails.

    **How to fix it.** Give the host more memory, shrink the VM, remove the host from its
    `possible_owners`, or, when the real reserve is smaller than the default formula, write the host's
    `memory_reserve`. The finding is an error when the need exceeds the host's whole `memory` or the
    reserve is written, and a warning when only the default reserve makes it not fit, or when only the
    memory a dynamic-memory VM holds now does not fit.

    **Example.**
    ```hvc
    host "HV03" { processor = "intel-xeon-scalable"  memory = 64GiB }
    vm "SQL01" { host = HV01  memory = 96GiB }                   # HV601 for HV03
    ```
    passes with `memory = 48GiB` on SQL01, or with `possible_owners = [HV01, HV02]` leaving HV03 out.
    """

    code = "HV601"
    name = "vm-exceeds-host-memory"
    severity = "error"
    severity_note = (
        "error; a warning when only the default host reserve, or only the memory a dynamic-memory VM "
        "holds now, makes it not fit"
    )
    summary = "a VM needs more memory than a possible owner has for VMs"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        rooms = _Rooms()
        for vm in judged_vms(ctx.model):
            if not vm_memory_known(vm) or rooms.fits_everywhere(vm):
                continue
            start = [host for host in _owners(vm) if cannot_start(vm, host)]
            move = [
                host
                for host in _owners(vm)
                if vm.dynamic_memory and host not in start and cannot_receive(vm, host)
            ]
            if not start and not move:
                continue
            parts: list[str] = []
            severities: list[str] = []
            if start:
                need = restart_need(vm)
                has = joined([f"{host.name} has {_for_vms(host)}" for host in start])
                verbs = (
                    "start on, fail over to or move to" if vm.memory >= need else "start on or fail over to"
                )
                verb = "needs" if vm.memory >= need else "needs at startup"
                parts.append(
                    f"vm {vm.name} {verb} {format_size(need)} but {has}: "
                    f"it cannot {verbs} {alternatives([host.name for host in start])}"
                )
                severities.extend(
                    "error" if need > host.memory or reserve_written(host) else "warning" for host in start
                )
            if move:
                has = joined([f"the {format_size(memory_for_vms(host))} {host.name}" for host in move])
                parts.append(
                    f"vm {vm.name} holds {format_size(vm.memory)}, more than {has} has for VMs: "
                    f"it cannot be moved there while it holds that much "
                    f"(it can still start there with its {format_size(restart_need(vm))} startup memory)"
                )
                severities.append("warning")
            severity = max(severities, key=SEVERITY_ORDER.index)
            yield ctx.finding(vm, "; ".join(parts), _memory_at(vm), severity=severity)


class HostMemoryOvercommitted(Rule):
    """The running and paused VMs on a host hold more memory than it has for VMs.

    **What it checks.** For every host that runs at least one running or paused VM: the sum of those
    VMs' `memory` (its load) must not exceed its memory for VMs, that is its `memory` less the host
    reserve (`memory_reserve`, else 384MiB plus 30MiB per GiB). `off` and `saved` VMs hold no memory.

    **Why it matters.** As written, Hyper-V could not run these VMs together. An overcommitted host also
    has no room for any VM moved or failed over to it, so drains and failovers place nothing there.

    **How to fix it.** Correct the VMs' `memory` (with dynamic memory, the memory assigned now), move VMs
    to other hosts, give the host more memory, or write its real `memory_reserve` when the default
    formula overstates it.

    **Example.**
    ```hvc
    host "HV01" { processor = "intel-xeon-scalable"  memory = 64GiB }       # HV602
    vm "DB01"  { host = HV01  memory = 48GiB }
    vm "APP01" { host = HV01  memory = 16GiB }
    ```
    passes with `memory = 12GiB` on APP01, or with `state = off` on it.
    """

    code = "HV602"
    name = "host-memory-overcommitted"
    severity = "warning"
    summary = "the running and paused VMs on a host hold more memory than it has for VMs"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for host in judged_hosts(ctx.model):
            if not memory_known(host) or not host.vms:
                continue
            if not all(vm_memory_known(vm) for vm in host.vms):
                continue
            held = load(host)
            if held > memory_for_vms(host):
                yield ctx.finding(
                    host,
                    f"running and paused VMs on {host.name} hold {format_size(held)}, more than the "
                    f"{format_size(memory_for_vms(host))} it has for VMs {_reserve_note(host)}",
                    "memory",
                )


def _numa_hosts(vm: VM, known: dict[tuple[Host, ...], list[Host]]) -> list[Host]:
    """The VM's possible owners that confine a VM to one NUMA node: two nodes or more, spanning off;
    `known` keeps the answer for the VMs that share their owners."""
    owners = vm.possible_owners
    found = known.get(owners)
    if found is None:
        found = known[owners] = [host for host in owners if numa_confined(host)]
    return found


def numa_confined(host: Host) -> bool:
    """Whether the host confines a VM to one NUMA node: two nodes or more, spanning off."""
    return host.valid("numa_nodes", "numa_spanning") and host.numa_nodes >= 2 and not host.numa_spanning


class NumaNodeMemoryExceeded(Rule):
    """A VM with dynamic memory needs more memory than one NUMA node of an owner where NUMA spanning is off.

    **What it checks.** VMs with `dynamic_memory = true`, against every possible owner (its own host
    included) with `numa_nodes` of 2 or more and `numa_spanning = false`: the VM's footprint (the larger
    of `memory` and `startup_memory`) must fit in one NUMA node, `memory / numa_nodes`. Hosts where HV601
    fires are left to HV601.

    **Why it matters.** A VM with dynamic memory has a single virtual NUMA node, and without NUMA
    spanning Hyper-V keeps a VM within one physical node. A VM larger than a node may then fail to start
    on, or move to, that host (a deduction from the documented facts, not a documented message).

    **How to fix it.** Turn NUMA spanning on (`Set-VMHost -NumaSpanningEnabled $true`, then
    `numa_spanning = true`), shrink the VM, or use static memory, whose virtual NUMA topology may span
    nodes.

    **Example.**
    ```hvc
    host "HV02" { processor = "intel-xeon-scalable"  memory = 128GiB
                  numa_nodes = 2  numa_spanning = false }
    vm "VDI01" { host = HV02  memory = 96GiB  dynamic_memory = true }     # HV605
    ```
    passes with `numa_spanning = true` on HV02.
    """

    code = "HV605"
    name = "numa-node-memory-exceeded"
    severity = "warning"
    summary = "a VM with dynamic memory needs more than one NUMA node of an owner where NUMA spanning is off"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        confining: dict[tuple[Host, ...], list[Host]] = {}
        for vm in judged_vms(ctx.model, movable_only=True):
            if not vm.dynamic_memory or not vm_memory_known(vm):
                continue
            need = footprint(vm)
            hosts = [
                host
                for host in _numa_hosts(vm, confining)
                if memory_known(host) and not exceeds_host(vm, host) and need > numa_node_memory(host)
            ]
            if not hosts:
                continue
            nodes = joined(
                [f"one {format_size(numa_node_memory(host))} NUMA node of {host.name}" for host in hosts]
            )
            where = alternatives([host.name for host in hosts])
            yield ctx.finding(
                vm,
                f"vm {vm.name} has dynamic memory, hence one virtual NUMA node, and needs "
                f"{format_size(need)}, more than {nodes}, where NUMA spanning is off: "
                f"it may fail to start on or move to {where}",
                _memory_at(vm),
            )


def exceeds_processors(vm: VM, host: Host) -> bool:
    """HV607's condition for the pair: more virtual processors than the host's logical processors."""
    return (
        vm.processors is not None
        and host.logical_processors is not None
        and vm.processors > host.logical_processors
    )


def _logical_processors(host: Host) -> float | None:
    return host.logical_processors if host.valid("logical_processors") else None


class NumaNodeProcessorsExceeded(Rule):
    """A VM has more virtual processors than one NUMA node of a ws2025 owner where NUMA spanning is off.

    **What it checks.** VMs with `processors`, against every possible owner whose platform is ws2025,
    with `numa_nodes` of 2 or more, `numa_spanning = false` and `logical_processors` given: `processors`
    must not exceed one node's logical processors, `logical_processors / numa_nodes`. Hosts where HV607
    or HV601 fires are left to them.

    **Why it matters.** From ws2025, a VM that needs more virtual cores than a NUMA node has must have
    NUMA spanning enabled, and this affects starting it, restoring it and live-migrating it.

    **How to fix it.** Turn NUMA spanning on for the host (`Set-VMHost -NumaSpanningEnabled $true`, then
    `numa_spanning = true`), or give the VM no more virtual processors than a node has.

    **Example.**
    ```hvc
    cluster "C" {
      platform = ws2025
      host "HV02" { processor = "intel-xeon-scalable"  memory = 512GiB
                    logical_processors = 32  numa_nodes = 2  numa_spanning = false }
      vm "SQL01" { host = HV02  memory = 64GiB  processors = 24 }      # HV606
    }
    ```
    passes with `processors = 16`.
    """

    code = "HV606"
    name = "numa-node-processors-exceeded"
    severity = "error"
    summary = "a VM has more virtual processors than one NUMA node of a ws2025 owner without NUMA spanning"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        confining: dict[tuple[Host, ...], list[Host]] = {}
        for vm in judged_vms(ctx.model, movable_only=True):
            if vm.processors is None:
                continue
            hosts = [
                host
                for host in _numa_hosts(vm, confining)
                if platform_at_least(host.platform, "ws2025")
                and host.valid("logical_processors")
                and host.logical_processors is not None
                and vm.processors > host.logical_processors // host.numa_nodes
                and not exceeds_processors(vm, host)
                and not (vm_memory_known(vm) and memory_known(host) and exceeds_host(vm, host))
            ]
            if not hosts:
                continue
            nodes = joined(
                [
                    f"the {numa_node_processors(host)} logical processors of one NUMA node of {host.name} "
                    f"({host.platform}, NUMA spanning off)"
                    for host in hosts
                ]
            )
            where = alternatives([host.name for host in hosts])
            yield ctx.finding(
                vm,
                f"vm {vm.name} has {vm.processors} virtual processors, more than {nodes}: "
                f"it cannot start on, restore on or live-migrate to {where}",
                "processors",
            )


class VMProcessorsExceedHost(Rule):
    """A VM has more virtual processors than a possible owner has logical processors.

    **What it checks.** VMs with `processors`, against every possible owner (its own host included) that
    gives `logical_processors`.

    **Why it matters.** Microsoft writes that a VM with more virtual cores than a NUMA node can start if
    it does not exceed the host's total number of logical cores; a VM that exceeds them cannot run there
    (implied, not stated).

    **How to fix it.** Give the VM no more virtual processors than its smallest owner has logical
    processors, or remove that host from its `possible_owners`.

    **Example.**
    ```hvc
    host "HV03" { processor = "intel-xeon-scalable"  memory = 256GiB  logical_processors = 32 }
    vm "SQL01" { host = HV03  memory = 64GiB  processors = 48 }          # HV607
    ```
    passes with `processors = 32`.
    """

    code = "HV607"
    name = "vm-processors-exceed-host"
    severity = "warning"
    summary = "a VM has more virtual processors than a possible owner has logical processors"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        fewest = least_per_owners(_logical_processors)
        for vm in judged_vms(ctx.model, movable_only=True):
            least = fewest(vm.possible_owners)
            if vm.processors is None or least is None or vm.processors <= least:
                continue
            hosts = [
                host
                for host in vm.possible_owners
                if host.valid("logical_processors") and exceeds_processors(vm, host)
            ]
            if not hosts:
                continue
            has = joined([f"{host.name} has {host.logical_processors} logical processors" for host in hosts])
            yield ctx.finding(
                vm,
                f"vm {vm.name} has {vm.processors} virtual processors but {has}: "
                f"it cannot run on {alternatives([host.name for host in hosts])}",
                "processors",
            )


def left_behind_text(left: Sequence[LeftForMemory | LeftBehind]) -> str:
    """`BIG01 needs 96GiB, the most free memory was 83.9GiB on HV03`, for at most five VMs in name order,
    then `and N more`."""
    ordered = sorted(left, key=lambda item: (item.vm.name.casefold(), item.vm.name))
    parts = []
    for item in ordered[:5]:
        text = f"{item.vm.name} needs {format_size(item.need or 0)}"
        if item.best_host is not None and item.best_free is not None:
            text += f", the most free memory was {format_size(item.best_free)} on {item.best_host.name}"
        parts.append(text)
    rest = len(ordered) - len(parts)
    return "; ".join(parts) + (f"; and {rest} more" if rest else "")


class FailoverCapacityInsufficient(Rule):
    """If one host of a failover cluster fails, some of its highly available VMs fit on no other owner.

    **What it checks.** For each host H of a cluster with `failover_clustering = true` and two hosts or
    more: H's highly available running or paused VMs that have another possible owner are placed on
    those owners, largest restart need (`startup_memory`, else `memory`) first, each on the owner with
    room and the most free memory after the VMs placed before it (ties in name order). Free memory is a
    host's memory for VMs less what its running and paused VMs hold. The rule fires when a VM fits
    nowhere. This is the N+1 question: can everything H runs restart elsewhere?

    **Why it matters.** A VM without room on any surviving owner stays off after the failure. Microsoft
    tells operators to check that a cluster runs its workloads with one node removed. The placement is a
    heuristic (worst fit decreasing), so a cleverer packing may exist: hence a warning.

    **How to fix it.** Add memory or hosts, allow the VM more possible owners, lower its startup memory,
    or accept that it stays off (then make it not highly available, or pin it to H).

    **Example.**
    ```hvc
    host "HV01" { processor = "amd-opteron-2300"  memory = 256GiB }     # HV603
    host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
    vm "BIG01" { host = HV01  memory = 96GiB }
    ```
    passes with `memory = 128GiB` on HV02.
    """

    code = "HV603"
    name = "failover-capacity-insufficient"
    severity = "warning"
    summary = "if a host fails, some of its highly available VMs fit on no other possible owner"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        for cluster in ctx.model.clusters:
            if not cluster.failover_clustering or len(cluster.hosts) < 2:
                continue
            free = free_memories(cluster)
            pools = Pools()
            for host in cluster.hosts:
                plan = failover_shortfall(host, free, pools)
                if plan is None:
                    continue
                count = len(plan.vms)
                yield ctx.finding(
                    host,
                    f"if {host.name} fails, {len(plan.left)} of its {count} highly available "
                    f"VM{'s' if count != 1 else ''} cannot restart elsewhere: {left_behind_text(plan.left)}",
                )


class DrainLeavesVMsBehind(Rule):
    """Draining a host leaves VMs behind: no destination has room for their memory.

    **What it checks.** The drain plan of every cluster host that runs VMs, and of every standalone host
    with a VM that may move to another standalone host (what `hvlint estimate --drain HOST` prints): its
    running and paused VMs are placed largest `memory` first, each on the destination with the smallest
    predicted migration time among those whose free memory, after the VMs placed before it, still holds
    the VM's `memory` (ties in name order). Destinations an enabled
    rule rules out (HV106, HV2xx storage, HV305, HV4xx processors, HV601, HV704, HV706, HV707) are no
    destinations. The rule fires when a VM fits on no destination.

    **Why it matters.** A live migration to a host without room for the VM's memory fails. A
    maintenance window planned from a drain that ignores memory finds out at the worst moment.

    **How to fix it.** Free memory on the destinations first (shut down or move other VMs), add a
    host or memory, or plan to shut the VM down for the maintenance. A different order, or memory that
    dynamic memory gives back, might also make room: hence a warning. `[estimator] memory_aware_drain =
    false` restores version 1's plan, which ignores memory, and silences this rule.

    **Example.**
    ```hvc
    host "HV01" { processor = "amd-opteron-2300"  memory = 256GiB }     # HV604
    host "HV02" { processor = "amd-opteron-2300"  memory = 64GiB }
    vm "BIG01" { host = HV01  memory = 96GiB  dirty_rate = 10MB/s }
    ```
    passes with `memory = 128GiB` on HV02.
    """

    code = "HV604"
    name = "drain-leaves-vms-behind"
    severity = "warning"
    summary = "draining a host leaves VMs behind for lack of memory on every destination"

    def check(self, ctx: Context) -> Iterable[RuleFinding]:
        params = Parameters.from_config(ctx.config)
        if not params.memory_aware_drain:
            return
        blockers = MoveBlockers(lambda code: is_selected(code, ctx.config), storage_finder(ctx))
        for cluster in ctx.model.clusters:
            links = Links()
            free = free_memories(cluster)
            shared = DrainDestinations(links, blockers)
            for host in cluster.hosts:
                if not host.vms:
                    continue
                plan = drain_memory_shortfall(
                    host, params, links, blockers=blockers, free=free, destinations=shared
                )
                if plan is not None:
                    yield from _left_for_memory(ctx, plan)
        for host in ctx.model.hosts:
            if any(is_movable(vm) for vm in host.vms):
                plan = drain_memory_shortfall(host, params, Links(), blockers=blockers)
                if plan is not None:
                    yield from _left_for_memory(ctx, plan)


def _left_for_memory(ctx: Context, plan: DrainPlan) -> Iterable[RuleFinding]:
    """HV604's finding for a drain plan that leaves VMs behind for lack of memory."""
    left = [item for item in plan.left if item.reason == "memory"]
    if left:
        yield ctx.finding(
            plan.host,
            f"draining {plan.host.name} leaves {len(left)} VM{'s' if len(left) != 1 else ''} behind "
            f"for lack of memory: {left_behind_text(left)}",
        )


@hookimpl
def hvlint_rules() -> list[type[Rule]]:
    """hvlint's HV6xx rules."""
    return [
        VMExceedsHostMemory,
        HostMemoryOvercommitted,
        FailoverCapacityInsufficient,
        DrainLeavesVMsBehind,
        NumaNodeMemoryExceeded,
        NumaNodeProcessorsExceeded,
        VMProcessorsExceedHost,
    ]
