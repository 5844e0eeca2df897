"""The memory placement procedure P of estimator-v2.md §3, shared by HV603 (a host fails) and the drain.

VMs are placed largest need first (ties: name order); each goes to a candidate whose free memory, after
the VMs placed before it, is at least its need, the one `choose` picks among those; a VM with no such
candidate is left behind with the candidate that had the most free memory at its turn. The cost is at
most O(VMs × candidates) plus the sort, linear in the VMs for a fixed number of hosts: `most_free` takes
one pass over a VM's candidates, and a choice of the first with room stops at it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from hvlint.capacity import format_size
from hvlint.language.model import VM, Host, name_key


@dataclass(frozen=True, slots=True)
class LeftForMemory:
    """A VM P could not place: its need, and the candidate with the most free memory at its turn."""

    vm: VM
    need: float
    best_host: Host | None
    best_free: float | None


def shortfall(need: float, best_host: Host | None, best_free: float | None) -> str:
    """`memory: needs 96GiB, most free 83.9GiB on HV03`: why a VM was left behind for memory."""
    text = f"memory: needs {format_size(need)}"
    if best_host is not None and best_free is not None:
        text += f", most free {format_size(best_free)} on {best_host.name}"
    return text


@dataclass(frozen=True, slots=True)
class Placement:
    """What P decided: each placed VM with its host, in placement order, and the VMs left behind."""

    placed: tuple[tuple[VM, Host], ...]
    left: tuple[LeftForMemory, ...]


Choose = Callable[[VM, Sequence[Host], float, Mapping[Host, float]], "Host | None"]
"""Picks a VM's host among its candidates (in name order) whose free memory now holds its need, given the
need and the free memory of every host now; None exactly when no candidate has room."""


def most_free(vm: VM, hosts: Sequence[Host], need: float, free: Mapping[Host, float]) -> Host | None:
    """HV603's choice: the candidate with the most free memory, ties in name order, when it has room."""
    best = max(hosts, key=free.__getitem__, default=None)
    return best if best is not None and need <= free[best] else None


def first_with_room(hosts: Sequence[Host], need: float, free: Mapping[Host, float]) -> Host | None:
    """The first of `hosts` whose free memory holds `need`."""
    return next((host for host in hosts if need <= free[host]), None)


def place(
    vms: Iterable[VM],
    need: Callable[[VM], float],
    candidates: Callable[[VM], Sequence[Host]],
    choose: Choose,
    free: Mapping[Host, float],
) -> Placement:
    """P over `vms`, each VM's `candidates` given in name order, with the hosts' free memory `free`
    before the event (left unchanged)."""
    remaining = dict(free)
    placed: list[tuple[VM, Host]] = []
    left: list[LeftForMemory] = []
    for vm in sorted(vms, key=lambda vm: (-need(vm), *name_key(vm))):
        wanted = need(vm)
        hosts = candidates(vm)
        destination = choose(vm, hosts, wanted, remaining)
        if destination is None:
            best = max(hosts, key=remaining.__getitem__, default=None)
            left.append(LeftForMemory(vm, wanted, best, remaining[best] if best is not None else None))
            continue
        remaining[destination] -= wanted
        placed.append((vm, destination))
    return Placement(tuple(placed), tuple(left))


_SLACK = 1e-9
"""The bound's margin, relative to the memory it compares: far above the rounding of P's subtractions and
of the sums here (under a million terms)."""


def room_for_all(
    vms: Iterable[VM],
    need: Callable[[VM], float],
    candidates: Callable[[VM], Sequence[Host]],
    free: Mapping[Host, float],
) -> bool:
    """Whether P surely places every one of `vms`, whatever order and `choose`: true only when each VM's
    candidates together have free memory for all the VMs' needs plus its own need once more per
    candidate beyond the first. (At a VM's turn the others took at most the rest of the total, so if every
    candidate lacked room their free memory would add up to less than that.)"""
    wanted = {vm: need(vm) for vm in vms}
    total = math.fsum(wanted.values())
    sums: dict[int, tuple[Sequence[Host], float, float]] = {}
    for vm, own in wanted.items():
        hosts = candidates(vm)
        found = sums.get(id(hosts))
        if found is None:
            values = [free[host] for host in hosts]
            found = sums[id(hosts)] = (hosts, sum(values), sum(map(abs, values)))
        _, room, size = found
        required = total + (len(hosts) - 1) * own
        if not hosts or not room - required >= _SLACK * (size + abs(required)) + _SLACK:
            return False
    return True
