"""The memory placement procedure P of estimator-v2.md §3, shared by HV603 (a host fails) and the drain.

VMs are placed largest need first (ties: name order); each goes to a candidate whose free memory, after
the VMs placed before it, is at least its need, the one `choose` picks among those; a VM with no such
candidate is left behind with the candidate that had the most free memory at its turn. The cost is
O(VMs × candidates) plus the sort: linear in the VMs for a fixed number of hosts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from hvlint.capacity import format_size
from hvlint.language.model import VM, Host


def name_key(node: Host | VM) -> tuple[str, str]:
    """Name order: case-insensitive, then by spelling (deterministic)."""
    return (node.name.casefold(), node.name)


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


Choose = Callable[[VM, Sequence[Host], Mapping[Host, float]], Host]
"""Picks a VM's host among the candidates with room, given the free memory of every host now."""


def most_free(vm: VM, room: Sequence[Host], free: Mapping[Host, float]) -> Host:
    """HV603's choice: the host with the most free memory, ties in name order (`room` is in name order)."""
    return max(room, key=free.__getitem__)


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
        best = max(hosts, key=remaining.__getitem__, default=None)
        if best is None or remaining[best] < wanted:
            left.append(LeftForMemory(vm, wanted, best, remaining[best] if best is not None else None))
            continue
        room = [host for host in hosts if wanted <= remaining[host]]
        destination = choose(vm, room, remaining)
        remaining[destination] -= wanted
        placed.append((vm, destination))
    return Placement(tuple(placed), tuple(left))
