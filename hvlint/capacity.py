"""The derived capacity terms of language-v2.md § Derived terms: host reserve, memory for VMs, load, free
memory, footprint, restart and move needs, NUMA node sizes; and sizes as the HV6 messages print them.

All sizes are bytes. The arithmetic is exact: the model's sizes are whole byte counts well below 2**53.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import lru_cache

from hvlint.language.model import VM, Host, Model, platform_at_least

LIVE_STATES = ("running", "paused")
"""States in which a VM holds host memory (language-v2.md: `off` and `saved` VMs hold none)."""

ROOT_RESERVE_BASE = 402_653_184
"""384MiB: the fixed part of Hyper-V's default root reserve [S20]."""
ROOT_RESERVE_PER_GIB = 30
"""MiB reserved for each GiB of host memory, i.e. bytes per 1024 bytes [S20]."""

_UNITS = (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024), ("B", 1))


def default_reserve(memory: float) -> float:
    """Hyper-V's default root reserve for a host of `memory` bytes: 384MiB plus 30MiB per GiB."""
    return ROOT_RESERVE_BASE + math.floor(memory * ROOT_RESERVE_PER_GIB / 1024)


def host_reserve(host: Host) -> float:
    """R(h): the host's `memory_reserve`, else the default root reserve."""
    if host.memory_reserve is not None:
        return host.memory_reserve
    return default_reserve(host.memory)


def memory_for_vms(host: Host) -> float:
    """U(h) = `memory` − R(h)."""
    return host.memory - host_reserve(host)


def holds_memory(vm: VM) -> bool:
    """Whether the VM holds memory on its host (it is running or paused)."""
    return vm.state in LIVE_STATES


def load(host: Host) -> float:
    """L(h): the memory of the running and paused VMs whose host is h."""
    return sum(vm.memory for vm in host.vms if holds_memory(vm))


def free_memory(host: Host) -> float:
    """F(h) = U(h) − L(h); negative when the host is overcommitted."""
    return memory_for_vms(host) - load(host)


def restart_need(vm: VM) -> float:
    """What the VM needs to start or restart: `startup_memory`, else `memory`."""
    return vm.startup_memory if vm.startup_memory is not None else vm.memory


def move_need(vm: VM) -> float:
    """What the VM needs to be received by live migration: its `memory`."""
    return vm.memory


def footprint(vm: VM) -> float:
    """max(`memory`, `startup_memory`): the least memory an empty host must offer the VM."""
    return max(vm.memory, restart_need(vm))


def numa_node_memory(host: Host) -> float:
    """floor(`memory` / `numa_nodes`)."""
    return math.floor(host.memory / host.numa_nodes)


def numa_node_processors(host: Host) -> int | None:
    """floor(`logical_processors` / `numa_nodes`), None when `logical_processors` is not given."""
    if host.logical_processors is None:
        return None
    return host.logical_processors // host.numa_nodes


def reserve_written(host: Host) -> bool:
    """Whether the host's reserve is the file's `memory_reserve` rather than the default formula."""
    return host.memory_reserve is not None


def memory_known(host: Host) -> bool:
    """Whether the host's memory and reserve are values the file got right (so they can be judged)."""
    return host.valid("memory", "memory_reserve") and host.memory > 0


def vm_memory_known(vm: VM) -> bool:
    """Whether the VM's state and memory are values the file got right."""
    return vm.valid("state", "memory", "startup_memory", "dynamic_memory")


def is_movable_standalone(vm: VM) -> bool:
    """A VM of a standalone host whose `possible_owners` name another host."""
    return vm.cluster is None and any(owner is not vm.host for owner in vm.possible_owners)


def judged_hosts(model: Model) -> Iterator[Host]:
    """The hosts the HV6 rules judge: every host of a cluster, and standalone hosts of ws2012 or later
    (a ws2008r2 standalone host's VMs get HV104 alone, rules-v2.md §A1)."""
    for cluster in model.clusters:
        yield from cluster.hosts
    for host in model.hosts:
        if platform_at_least(host.platform, "ws2012"):
            yield host


def judged_vms(model: Model, *, movable_only: bool = False) -> Iterator[VM]:
    """The VMs the HV6 rules judge: every VM of a cluster, and the VMs of standalone hosts of ws2012 or
    later; with `movable_only`, only the movable ones of those (HV605-HV607, rules-v2.md §A1)."""
    for cluster in model.clusters:
        yield from cluster.vms
    for host in model.hosts:
        if platform_at_least(host.platform, "ws2012"):
            yield from (vm for vm in host.vms if not movable_only or is_movable_standalone(vm))


@lru_cache(maxsize=4096)
def format_size(value: float) -> str:
    """A byte count as the HV6 messages print it (rules-v2.md §F 12): in the largest binary unit in which
    it is at least 1, three significant digits rounded half away from zero, no trailing zeros
    (`4.13GiB`, `83.9GiB`, `1.5TiB`, `96GiB`)."""
    from decimal import ROUND_HALF_UP, Decimal  # here: a valid file is checked without decimal

    magnitude = abs(value)
    unit, factor = next(((unit, factor) for unit, factor in _UNITS if magnitude >= factor), _UNITS[-1])
    number = Decimal(value) / Decimal(factor)
    if number == 0:
        return f"0{unit}"
    digits = number.adjusted()
    rounded = number.quantize(Decimal(1).scaleb(digits - 2), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}{unit}"


def joined(items: list[str], limit: int | None = None) -> str:
    """`A`, `A and B`, `A, B and C`; with `limit`, at most that many and then `and N more` (the caller
    orders them)."""
    shown = items[:limit] if limit is not None else items
    rest = len(items) - len(shown)
    if rest:
        return ", ".join(shown) + f" and {rest} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" and {shown[-1]}"


def alternatives(items: list[str]) -> str:
    """`A`, `A or B`, `A, B or C`."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" or {items[-1]}"
