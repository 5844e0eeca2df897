"""The memory placement procedure P of estimator-v2.md §3, shared by HV603 (a host fails) and the drain.

VMs are placed largest need first (ties: name order); each goes to a candidate whose free memory, after
the VMs placed before it, is at least its need, the one `choose` picks among those; a VM with no such
candidate is left behind with the candidate that had the most free memory at its turn.

A VM's candidates are a few *pools*: hosts in name order with their free memory in a tree of maxima, so
that the first host with room and the host with the most free memory are found in O(log hosts) without
visiting each candidate. A cluster's pools are built once and shared by every plan of its hosts; a plan
changes the free memory of the hosts it places VMs on (and takes its own host out) in the pools it uses,
and puts them back when it ends (`Ledger`). A plan thus costs O(VMs × pools × log hosts), linear in the
VMs and independent of the number of hosts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from hvlint.capacity import format_size
from hvlint.language.model import VM, Host, name_key
from hvlint.records import FrozenRecord

_ABSENT = -math.inf
"""The free memory a pool sees for a host that is no candidate (the plan's own host, a padding leaf)."""


class LeftForMemory(FrozenRecord):
    """A VM P could not place: its need, and the candidate with the most free memory at its turn."""

    __match_args__ = ("vm", "need", "best_host", "best_free")
    __slots__ = __match_args__
    vm: VM
    need: float
    best_host: Host | None
    best_free: float | None

    def __init__(self, vm: VM, need: float, best_host: Host | None, best_free: float | None) -> None:
        self._assign(vm, need, best_host, best_free)


def shortfall(need: float, best_host: Host | None, best_free: float | None) -> str:
    """`memory: needs 96GiB, most free 83.9GiB on HV03`: why a VM was left behind for memory."""
    text = f"memory: needs {format_size(need)}"
    if best_host is not None and best_free is not None:
        text += f", most free {format_size(best_free)} on {best_host.name}"
    return text


class Placement(FrozenRecord):
    """What P decided: each placed VM with its host, in placement order, and the VMs left behind."""

    __match_args__ = ("placed", "left")
    __slots__ = __match_args__
    placed: tuple[tuple[VM, Host], ...]
    left: tuple[LeftForMemory, ...]

    def __init__(self, placed: tuple[tuple[VM, Host], ...], left: tuple[LeftForMemory, ...]) -> None:
        self._assign(placed, left)


class Pool:
    """Hosts in name order with their free memory, kept in a tree of maxima: the first host whose free
    memory holds a need, and the first of those with the most free memory, in O(log hosts)."""

    __slots__ = ("_leaves", "_tree", "base", "hosts", "index", "magnitude", "sum")

    visits = 0
    """Tree nodes visited by every pool's searches and changes (what the scaling tests count)."""

    def __init__(self, hosts: Sequence[Host], free: Mapping[Host, float]) -> None:
        self.hosts = tuple(hosts)
        self.base = [free[host] for host in self.hosts]
        """Each host's free memory before any plan."""
        self.index = {host: place for place, host in enumerate(self.hosts)}
        self.sum = math.fsum(self.base)
        self.magnitude = math.fsum(map(abs, self.base))
        leaves = 1
        while leaves < len(self.hosts):
            leaves *= 2
        self._leaves = leaves
        tree = [_ABSENT] * (2 * leaves)
        tree[leaves : leaves + len(self.base)] = self.base
        for node in range(leaves - 1, 0, -1):
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
        self._tree = tree

    def set(self, host: Host, value: float) -> None:
        """Gives a host of the pool `value` of free memory."""
        tree = self._tree
        node = self._leaves + self.index[host]
        tree[node] = value
        node //= 2
        visited = 1
        while node:
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
            node //= 2
            visited += 1
        Pool.visits += visited

    def reset(self, host: Host) -> None:
        """Gives a host of the pool back its free memory before any plan."""
        self.set(host, self.base[self.index[host]])

    def first_with_room(self, need: float) -> Host | None:
        """The first host in name order whose free memory is at least `need`."""
        tree = self._tree
        if not need <= tree[1] or tree[1] == _ABSENT:
            return None
        node = 1
        while node < self._leaves:
            node = 2 * node if need <= tree[2 * node] else 2 * node + 1
        Pool.visits += self._leaves.bit_length()
        return self.hosts[node - self._leaves]

    def most_free(self) -> tuple[Host, float] | None:
        """The host with the most free memory (the first in name order of equals), and that memory."""
        tree = self._tree
        top = tree[1]
        if top == _ABSENT:
            return None
        node = 1
        while node < self._leaves:
            node = 2 * node if tree[2 * node] == top else 2 * node + 1
        Pool.visits += self._leaves.bit_length()
        return self.hosts[node - self._leaves], top


class Ledger:
    """The free memory of one run of P: `free` before it, the changes it made, and the pools it used,
    which show those changes until `restore` puts the pools back as they were."""

    def __init__(self, free: Mapping[Host, float], excluded: Host | None = None) -> None:
        self.free = free
        self.changed: dict[Host, float] = {}
        self._used: dict[int, Pool] = {}
        if excluded is not None:
            self.changed[excluded] = _ABSENT

    def now(self, host: Host) -> float:
        """The host's free memory now."""
        found = self.changed.get(host)
        return self.free[host] if found is None else found

    def use(self, pool: Pool) -> Pool:
        """`pool`, showing this run's changes."""
        if id(pool) not in self._used:
            self._used[id(pool)] = pool
            for host, value in self.changed.items():
                if host in pool.index:
                    pool.set(host, value)
        return pool

    def take(self, host: Host, need: float) -> None:
        """Places `need` on `host`."""
        value = self.changed[host] = self.now(host) - need
        for pool in self._used.values():
            if host in pool.index:
                pool.set(host, value)

    def restore(self) -> None:
        """Puts every pool used back as it was before the run."""
        for pool in self._used.values():
            for host in self.changed:
                if host in pool.index:
                    pool.reset(host)
        self._used.clear()


def most_free(pools: Iterable[Pool]) -> tuple[Host, float] | None:
    """The host of `pools` with the most free memory, ties in name order, and that memory."""
    return roomiest_of(found for pool in pools if (found := pool.most_free()) is not None)


def roomiest_of(hosts: Iterable[tuple[Host, float]]) -> tuple[Host, float] | None:
    """Of hosts with their free memory, the one with the most, ties in name order."""
    return min(hosts, key=lambda found: (-found[1], name_key(found[0])), default=None)


def has_room(pools: Iterable[Pool], need: float, ledger: Ledger) -> bool:
    """Whether a host of `pools` has free memory for `need`, by `ledger` (restored)."""
    try:
        return any(ledger.use(pool).first_with_room(need) is not None for pool in pools)
    finally:
        ledger.restore()


Choose = Callable[[VM, float], "Host | None"]
"""Picks a VM's host among its candidates whose free memory now holds its need, given the need; None
exactly when no candidate has room."""

Best = Callable[[VM, float], "tuple[Host, float] | None"]
"""The candidate with the most free memory now (ties in name order) and that memory, for a VM P leaves
behind; None when it has no candidate."""


def place(
    vms: Iterable[VM], need: Callable[[VM], float], choose: Choose, best: Best, ledger: Ledger
) -> Placement:
    """P over `vms`, with the free memory and the pools of `ledger` (restored when P ends)."""
    placed: list[tuple[VM, Host]] = []
    left: list[LeftForMemory] = []
    try:
        for vm in sorted(vms, key=lambda vm: (-need(vm), *name_key(vm))):
            wanted = need(vm)
            destination = choose(vm, wanted)
            if destination is None:
                found = best(vm, wanted)
                left.append(LeftForMemory(vm, wanted, *(found if found is not None else (None, None))))
                continue
            ledger.take(destination, wanted)
            placed.append((vm, destination))
    finally:
        ledger.restore()
    return Placement(tuple(placed), tuple(left))


class Pools:
    """One pool per collection of hosts (an object kept, so that no other takes its identity) and free
    memory mapping: the plans of a cluster's hosts share them."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, int], tuple[Sequence[Host], Mapping[Host, float], Pool]] = {}

    def of(self, hosts: Sequence[Host], free: Mapping[Host, float]) -> Pool:
        """The pool of those of `hosts` whose free memory `free` knows."""
        key = (id(hosts), id(free))
        found = self._known.get(key)
        if found is None:
            pool = Pool(sorted({host: None for host in hosts if host in free}, key=name_key), free)
            found = self._known[key] = (hosts, free, pool)
        return found[2]


_SLACK = 1e-9
"""The bound's margin, relative to the memory it compares: far above the rounding of P's subtractions and
of the sums here (under a million terms)."""


def room_for_all(
    vms: Iterable[VM],
    need: Callable[[VM], float],
    candidates: Callable[[VM], Sequence[Pool]],
    free: Mapping[Host, float],
    excluded: Host | None = None,
) -> bool:
    """Whether P surely places every one of `vms`, whatever order and choice, each VM's candidates being
    the hosts of its pools but `excluded`: true only when each VM's candidates together have free memory
    for all the VMs' needs plus its own need once more per candidate beyond the first. (At a VM's turn
    the others took at most the rest of the total, so if every candidate lacked room their free memory
    would add up to less than that.) Candidates that could never hold a VM may be counted among its own:
    they only make the bound harder to meet. A single VM is placed exactly when a candidate has room.
    A VM's pools must share no host, or that host's free memory would count twice: the callers' pools are
    one per link, and a destination is reached over one link."""
    wanted = {vm: need(vm) for vm in vms}
    if len(wanted) == 1:
        ((vm, own),) = wanted.items()
        return has_room(candidates(vm), own, Ledger(free, excluded))
    total = math.fsum(wanted.values())
    sums: dict[int, tuple[Sequence[Pool], float, float, int]] = {}
    for vm, own in wanted.items():
        pools = candidates(vm)
        found = sums.get(id(pools))
        if found is None:
            room = size = 0.0
            count = 0
            for pool in pools:
                room += pool.sum
                size += pool.magnitude
                count += len(pool.hosts)
                if excluded is not None and excluded in pool.index:
                    room -= free[excluded]
                    count -= 1
            found = sums[id(pools)] = (pools, room, size, count)
        _, room, size, count = found
        required = total + (count - 1) * own
        if not count or not room - required >= _SLACK * (size + abs(required)) + _SLACK:
            return False
    return True
