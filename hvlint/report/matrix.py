"""The migratability matrix of a cluster (report.md §2): for each ordered pair of hosts, whether a VM that
started on the first can move to the second, with compatibility mode `off` and with `minimum`.

The answer is the HV401/HV402/HV405 reasoning itself: the features a VM sees on a host and the features a
host offers come from the rules' own `_Processors` (hvlint.rules.processors), so the matrix and the findings
cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hvlint.language.model import Cluster, Host


class Processors(Protocol):
    """What the HV4 rules know of hosts' processors (`hvlint.rules.processors._Processors`)."""

    def usable(self, host: Host) -> bool: ...

    def features(self, host: Host) -> frozenset[str]: ...

    def seen(self, host: Host, mode: str, cluster: Cluster) -> frozenset[str]: ...


def rules_facts() -> Processors:
    """The HV4 rules' own processor facts, fresh for one model."""
    from hvlint.rules import processors  # type: ignore[import-not-found]  # rules/, as installed

    facts: Processors = processors._Processors()
    return facts


YES, WITH_MODE, NO, UNKNOWN, SAME = "✓", "◐", "✗", "?", "·"
VERDICTS = {
    YES: "moves with compatibility mode off",
    WITH_MODE: "moves only with compatibility mode minimum",
    NO: "cannot move, even with compatibility mode minimum",
    UNKNOWN: "cannot tell: a processor is unknown or in error",
    SAME: "the same host",
}
"""Each symbol of a cell, and what it means (the legend: every colour has this text twin)."""


@dataclass(frozen=True, slots=True)
class Cell:
    """Cell (source, destination): its symbol and the features the destination lacks in each mode."""

    source: Host
    destination: Host
    symbol: str
    lacking_off: tuple[str, ...] = ()
    lacking_minimum: tuple[str, ...] = ()
    other_vendor: bool = False

    @property
    def moves_off(self) -> bool:
        """Whether a VM with compatibility mode `off` moves (HV402 would not fire for this pair)."""
        return self.symbol == YES

    @property
    def moves_minimum(self) -> bool:
        """Whether a VM with compatibility mode `minimum` moves (HV405 would not fire for this pair)."""
        return self.symbol in (YES, WITH_MODE)

    @property
    def title(self) -> str:
        """The cell's tooltip: the move, its verdict and the features the destination lacks."""
        move = f"{self.source.name} → {self.destination.name}: {VERDICTS[self.symbol]}"
        if self.other_vendor:
            return f"{move} (the processors' vendors differ)"
        parts = [move]
        if self.lacking_off:
            parts.append(f"lacks with mode off: {', '.join(self.lacking_off)}")
        if self.lacking_minimum:
            parts.append(f"lacks with mode minimum: {', '.join(self.lacking_minimum)}")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Matrix:
    """The hosts in display order and one cell per ordered pair, row by row."""

    hosts: tuple[Host, ...]
    rows: tuple[tuple[Cell, ...], ...]


def host_order(hosts: list[Host], facts: Processors) -> list[Host]:
    """Identical processors together: by vendor, then feature count, then name (hosts whose processor is
    unknown last)."""

    def key(host: Host) -> tuple[int, str, int, str]:
        if not facts.usable(host):
            return (1, "", 0, host.name.casefold())
        assert host.processor is not None
        return (0, host.processor.vendor, len(facts.features(host)), host.name.casefold())

    return sorted(hosts, key=key)


def cell(source: Host, destination: Host, cluster: Cluster, facts: Processors) -> Cell:
    """Whether a VM started on `source` moves to `destination`, in each compatibility mode."""
    if source is destination:
        return Cell(source, destination, SAME)
    if not (facts.usable(source) and facts.usable(destination)):
        return Cell(source, destination, UNKNOWN)
    assert source.processor is not None and destination.processor is not None
    if source.processor.vendor != destination.processor.vendor:
        return Cell(source, destination, NO, other_vendor=True)
    offered = facts.features(destination)
    off = tuple(sorted(facts.seen(source, "off", cluster) - offered))
    minimum = tuple(sorted(facts.seen(source, "minimum", cluster) - offered))
    symbol = YES if not off else WITH_MODE if not minimum else NO
    return Cell(source, destination, symbol, off, minimum)


def matrix(cluster: Cluster) -> Matrix:
    """The cluster's migratability matrix."""
    facts = rules_facts()
    hosts = host_order(list(cluster.hosts), facts)
    rows = tuple(tuple(cell(source, target, cluster, facts) for target in hosts) for source in hosts)
    return Matrix(tuple(hosts), rows)
