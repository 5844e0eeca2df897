"""What the version 2 device, security and upgrade rules share: which VMs they judge (rules-v2.md §A1) and
how they name hosts in a message."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from hvlint.language.model import VM, Host, Model
from hvlint.language.standalone import destinations
from hvlint.owner_conditions import movable_standalone


def judged_vms(model: Model) -> Iterator[VM]:
    """Every VM the HV7 rules judge: those of clusters, then the movable standalone VMs (§A1)."""
    for cluster in model.clusters:
        yield from cluster.vms
    for host in model.hosts:
        yield from (vm for vm in host.vms if movable_standalone(vm))


def may_move(vm: VM) -> bool:
    """Whether the file lets the VM move: it has a possible owner other than its host, and neither its
    host nor its owners are in error."""
    return vm.valid("host", "possible_owners") and bool(destinations(vm))


def names(hosts: Sequence[Host] | Sequence[str], joiner: str = "and", limit: int = 5) -> str:
    """`A`, `A and B`, `A, B and C` (or `or`), the first `limit` in name order then how many more."""
    shown = sorted((h if isinstance(h, str) else h.name for h in hosts), key=str.casefold)
    if len(shown) > limit:
        shown = [*shown[:limit], f"{len(shown) - limit} more"]
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} {joiner} {shown[-1]}"


def agree(hosts: Sequence[object], one: str, many: str) -> str:
    """`one` after a single subject, `many` after several (`lacks` / `lack`)."""
    return one if len(hosts) == 1 else many


def count(number: int, noun: str, plural: str | None = None) -> str:
    """`1 device`, `2 devices`."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"
