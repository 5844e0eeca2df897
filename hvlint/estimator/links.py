"""Links between the hosts of a resolved model: L for each pair of hosts, and the destinations a VM may
move to grouped by the link to them (estimator.md).

The cost stays linear in hosts: hosts on the same live_migration networks share one row of links (the
fastest such network each other host shares with them), built from the members of those few networks,
and a VM that may run on every host of its cluster finds its destinations in that row, not by asking
every owner. A cluster where a host's `networks` or a network's `roles` or `bandwidth` is in error is
judged pair by pair, so that the first error in owner order still explains every VM it affects.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from hvlint.language.model import Cluster, Host, Network, name_key
from hvlint.lean_typing import NamedTuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


_MISSING: Any = object()

Signature = frozenset[Network]
"""The live_migration networks with a bandwidth that a host is on: hosts alike in it share their links."""

_Leaders = dict[float, list[tuple[int, int, Host]]]
"""For each link L of a row, its two first hosts in name order: (rank, place in the cluster, host)."""


class Links:
    """L for each pair of hosts: the bandwidth of the fastest `live_migration` network both are on (None
    when they share none, or only ones with no bandwidth), and each host's place in its cluster's name
    order. Share one between the VMs of a cluster to stay linear in their number and in hosts."""

    __slots__ = (
        "_clean",
        "_groups",
        "_leaders",
        "_members",
        "_pairs",
        "_places",
        "_ranks",
        "_row_of",
        "_rows",
    )

    def __init__(self) -> None:
        self._ranks: dict[Host, int] = {}
        self._places: dict[Host, int] = {}
        self._groups: dict[tuple[Host, int], tuple[tuple[Host, ...], Destinations | NoEstimate]] = {}
        self._clean: dict[Cluster | None, bool] = {}
        self._members: dict[Cluster, dict[Network, list[Host]]] = {}
        self._rows: dict[Signature, dict[Host, float]] = {}
        self._row_of: dict[Host, dict[Host, float]] = {}
        self._leaders: dict[Signature, _Leaders] = {}
        self._pairs: dict[tuple[Host, Host], float | LinkError | None] = {}

    def between(self, source: Host, destination: Host) -> float | None:
        """L from `source` to `destination`, or None; raises LinkError when it follows from an error."""
        found = self.lookup(source, destination)
        if isinstance(found, LinkError):
            raise found
        return found

    def lookup(self, source: Host, destination: Host) -> float | LinkError | None:
        """L from `source` to `destination`, None, or the LinkError that stands for it (not raised)."""
        if self._is_clean(source.cluster) and destination.cluster is source.cluster:
            return self.row(source).get(destination)
        key = (source, destination)
        found = self._pairs.get(key, _MISSING)
        if found is _MISSING:
            try:
                found = _fastest_shared(source, destination)
            except LinkError as error:
                found = error
            self._pairs[key] = found
        return found

    def row(self, source: Host) -> dict[Host, float]:
        """L from `source` to every host of its cluster it shares a live_migration network with (itself
        included), for a source whose cluster has no link in error (computed once per signature)."""
        found = self._row_of.get(source)
        if found is None:
            signature = signature_of(source)
            found = self._rows.get(signature)
            if found is None:
                assert source.cluster is not None
                found = self._rows[signature] = link_row(signature, self._members_of(source.cluster))
            self._row_of[source] = found
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
        key = (source, id(owners))
        known = self._groups.get(key)
        if known is not None and known[0] is owners:
            return known[1]
        cluster = source.cluster
        if cluster is not None and self._is_clean(cluster) and owners == cluster.hosts:
            found = self._from_leaders(source, cluster)
        else:
            found = self._group(source, owners)
        self._groups[key] = (owners, found)
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
        return found if found else _nowhere(source, others)

    def _from_leaders(self, source: Host, cluster: Cluster) -> Destinations | NoEstimate:
        """`_group` over every host of the cluster, from the two first hosts of each link of the row."""
        signature = signature_of(source)
        leaders = self._leaders.get(signature)
        if leaders is None:
            leaders = self._leaders[signature] = self._leaders_of(self.row(source))
        firsts: list[tuple[int, float, int, Host]] = []
        for link, hosts in leaders.items():
            others = [entry for entry in hosts if entry[2] is not source]
            if others:
                rank, _, host = others[0]
                place = min(entry[1] for entry in others)
                firsts.append((place, link, rank, host))
        if not firsts:
            return _nowhere(source, len(cluster.hosts) > 1)
        return {link: (rank, host) for _, link, rank, host in sorted(firsts, key=lambda item: item[0])}

    def _leaders_of(self, row: dict[Host, float]) -> _Leaders:
        """The two first hosts in name order for each link of `row`, and the two first in declaration
        order: what `_group` keeps of every host but the source, whichever host of the row that is."""
        by_link: _Leaders = {}
        for host, link in row.items():
            by_link.setdefault(link, []).append((self.rank(host), self._place(host), host))
        return {
            link: _union(heapq.nsmallest(2, entries), heapq.nsmallest(2, entries, key=_by_place))
            for link, entries in by_link.items()
        }

    def _place(self, host: Host) -> int:
        """The clustered host's place in its cluster's declaration order."""
        found = self._places.get(host)
        if found is None:
            assert host.cluster is not None
            self._places.update((peer, index) for index, peer in enumerate(host.cluster.hosts))
            found = self._places[host]
        return found

    def shares_rows(self, cluster: Cluster) -> bool:
        """Whether L from a host of `cluster` to another is read from the source's `row`: no host's
        `networks` and no network's `roles` or `bandwidth` of the cluster is in error."""
        return self._is_clean(cluster)

    def _is_clean(self, cluster: Cluster | None) -> bool:
        """Whether no host's `networks` and no network's `roles` or `bandwidth` of the cluster is in error
        (always False outside a cluster, whose hosts are judged pair by pair)."""
        found = self._clean.get(cluster)
        if found is None:
            found = self._clean[cluster] = cluster is not None and (
                all(host.valid("networks") for host in cluster.hosts)
                and all(network.valid("roles", "bandwidth") for network in cluster.networks)
            )
        return found

    def _members_of(self, cluster: Cluster) -> dict[Network, list[Host]]:
        """Each network's hosts, in declaration order."""
        found = self._members.get(cluster)
        if found is None:
            found = self._members[cluster] = {}
            for host in cluster.hosts:
                for network in host.networks:
                    found.setdefault(network, []).append(host)
        return found


def signature_of(host: Host) -> Signature:
    """The live_migration networks with a bandwidth the host is on."""
    return frozenset(
        network for network in host.networks if LIVE_MIGRATION in network.roles and network.bandwidth > 0
    )


def link_row(signature: Signature, members: dict[Network, list[Host]]) -> dict[Host, float]:
    """L from a host of that signature to every host on one of its networks: the fastest shared."""
    row: dict[Host, float] = {}
    for network in sorted(signature, key=lambda network: network.bandwidth):
        row.update(dict.fromkeys(members.get(network, ()), network.bandwidth))
    return row


def _by_place(entry: tuple[int, int, Host]) -> int:
    return entry[1]


def _union(
    first: list[tuple[int, int, Host]], second: list[tuple[int, int, Host]]
) -> list[tuple[int, int, Host]]:
    """The entries of both lists, each once, in name order."""
    return sorted({id(entry[2]): entry for entry in first + second}.values(), key=lambda entry: entry[0])


def _nowhere(source: Host, others: bool) -> NoEstimate:
    """Why a VM on `source` has no destination: no other owner, or none shares a live_migration network."""
    if not others:
        return NoEstimate("a single possible owner")
    return NoEstimate(f"no live_migration network shared with another possible owner of {source.name}")


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
