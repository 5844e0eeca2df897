"""Links between the hosts of a resolved model: L for each pair of hosts, and the destinations a VM may
move to grouped by the link to them (estimator.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from hvlint.language.model import VM, Host

LIVE_MIGRATION = "live_migration"

Destinations = dict[float, tuple[int, Host]]
"""For each distinct link L, the first destination in name order reached over it, with its rank."""


class LinkError(Exception):
    """The link between two hosts depends on a value the file got wrong (a host's `networks`, a
    network's `roles` or `bandwidth`): no estimate follows from it."""


class NoEstimate(NamedTuple):
    """Why a VM has no estimate, and whether that follows from a value the file got wrong."""

    reason: str
    in_error: bool = False
    left_behind: str = "no-destination"
    """The reason a drain lists the VM with (estimator-v2.md §4): `no-destination`, `dda` or `gpu-restart`."""


def name_key(node: Host | VM) -> tuple[str, str]:
    """Name order: case-insensitive, as Windows compares names, then by spelling (deterministic)."""
    return (node.name.casefold(), node.name)


_MISSING: Any = object()


class Links:
    """L for each pair of hosts: the bandwidth of the fastest `live_migration` network both are on (None
    when they share none, or only ones with no bandwidth), computed once per pair; and each host's place
    in its cluster's name order. Share one between the VMs of a cluster to stay linear in their number."""

    __slots__ = ("_groups", "_ranks", "_rows")

    def __init__(self) -> None:
        self._rows: dict[Host, dict[Host, float | LinkError | None]] = {}
        self._ranks: dict[Host, int] = {}
        self._groups: dict[tuple[Host, tuple[Host, ...]], Destinations | NoEstimate] = {}

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

    def destinations(self, source: Host, owners: tuple[Host, ...]) -> Destinations | NoEstimate:
        """Where a VM on `source` that may run on `owners` can live-migrate, grouped by link (computed once
        per source and owners: shared by most VMs of a cluster); or why it can go nowhere."""
        key = (source, owners)
        found = self._groups.get(key)
        if found is None:
            found = self._groups[key] = self._group(source, owners)
        return found

    def _group(self, source: Host, owners: Sequence[Host]) -> Destinations | NoEstimate:
        found: Destinations = {}
        others = False
        for destination in owners:
            if destination is source:
                continue
            others = True
            link = self.lookup(source, destination)
            if isinstance(link, LinkError):
                return NoEstimate(str(link), True)
            if link is None:
                continue
            rank = self.rank(destination)
            first = found.get(link)
            if first is None or rank < first[0]:
                found[link] = (rank, destination)
        if not others:
            return NoEstimate("a single possible owner")
        if not found:
            return NoEstimate(
                f"no live_migration network shared with another possible owner of {source.name}"
            )
        return found


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
