"""The derived terms of moves between standalone hosts (language-v2.md § Derived terms): movable VMs,
their destinations, the pairs of hosts in use, and the disks a shared-nothing live migration copies."""

from __future__ import annotations

from collections.abc import Iterator

from hvlint.language.model import VM, Host, Model, Node, Positions, platform_at_least
from hvlint.language.syntax import Span
from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import ClassVar, Final

SHARED_NOTHING_SINCE = "ws2012"
"""The first release that live-migrates between hosts in no cluster [S36]."""


def is_movable(vm: VM) -> bool:
    """Whether `vm` runs on a standalone host and names another host it may move to."""
    return (
        vm.cluster is None
        and vm.host is not None
        and any(owner is not vm.host for owner in vm.possible_owners)
    )


def judged(vm: VM) -> bool:
    """Whether the HV8 rules and the shared-nothing estimate judge `vm`: a movable VM whose possible owners
    are all valid, on a host of ws2012 or later (on ws2008r2 it gets HV104 alone, rules-v2.md §A1)."""
    return (
        is_movable(vm)
        and vm.valid("possible_owners")
        and vm.host is not None
        and platform_at_least(vm.host.platform, SHARED_NOTHING_SINCE)
    )


def judged_vms(model: Model) -> Iterator[VM]:
    """The movable standalone VMs the HV8 rules judge, in file order."""
    for host in model.hosts:
        yield from (vm for vm in host.vms if judged(vm))


def destinations(vm: VM) -> tuple[Host, ...]:
    """The VM's possible owners other than its own host."""
    return tuple(owner for owner in vm.possible_owners if owner is not vm.host)


def pairs_in_use(model: Model) -> dict[tuple[Host, Host], list[VM]]:
    """Every ordered pair (S, D) of distinct standalone hosts, neither on ws2008r2, that are both possible
    owners of some judged VM, with those VMs in file order (rules-v2.md §HV8xx)."""
    pairs: dict[tuple[Host, Host], list[VM]] = {}
    for vm in judged_vms(model):
        owners = [
            owner for owner in vm.possible_owners if platform_at_least(owner.platform, SHARED_NOTHING_SINCE)
        ]
        for source in owners:
            for destination in owners:
                if source is not destination:
                    pairs.setdefault((source, destination), []).append(vm)
    return pairs


class HostPair(Node):
    """Two standalone hosts a finding is about (rules-v2.md §F 13: its object is `hosts S -> D`), standing
    where one of the two stands."""

    __slots__ = ("errors", "name", "positions")
    block_kind: ClassVar[str] = "hosts"
    name: Final[str]
    positions: Final[Positions]
    errors: Final[frozenset[str]]

    def __init__(self, *, name: str, positions: Positions, errors: frozenset[str] = frozenset()) -> None:
        self.name = name
        self.positions = positions
        self.errors = errors


def host_pair(source: Host, destination: Host, at: Host) -> HostPair:
    """The pair (source, destination), at the block of `at`."""
    return HostPair(name=f"{source.name} -> {destination.name}", positions=at.positions)


def is_unc(path: str) -> bool:
    """Whether `path` begins with two separators (`\\\\fs01\\vms`, `//fs01/vms`): a file on a share."""
    return path[:2] in ("\\\\", "//", "\\/", "/\\")


class VmDisk(NamedTuple):
    """One of a VM's disks: its path, its size (None: unknown) and where the file gives it."""

    path: str
    size: float | None
    span: Span


def vm_disks(vm: VM) -> list[VmDisk]:
    """The VM's disks: the entries of `disks`, then its `disk` blocks, in file order."""
    listed = (
        [VmDisk(path, None, vm.positions.of("disks", index)) for index, path in enumerate(vm.disks)]
        if vm.valid("disks")
        else []
    )
    blocks = [
        VmDisk(disk.path, disk.size, disk.positions.label or disk.positions.header) for disk in vm.disk_blocks
    ]
    return listed + blocks


def copied_disks(vm: VM) -> list[VmDisk]:
    """The disks a shared-nothing live migration of `vm` copies: those not on a UNC path."""
    return [disk for disk in vm_disks(vm) if not is_unc(disk.path)]


def copies_storage(vm: VM) -> bool:
    """Whether moving `vm` between standalone hosts copies storage: a copied disk, or a local config_path."""
    local_config = vm.config_path is not None and vm.valid("config_path") and not is_unc(vm.config_path)
    return local_config or bool(copied_disks(vm))


def name_list(names: list[str], most: int = 3) -> str:
    """`A`, `A and B`, `A, B and C`, or the first `most` in name order and `and N more`."""
    ordered = sorted(names, key=str.casefold)
    if len(ordered) > most:
        return f"{', '.join(ordered[:most])} and {len(ordered) - most} more"
    if len(ordered) == 1:
        return ordered[0]
    return f"{', '.join(ordered[:-1])} and {ordered[-1]}"
