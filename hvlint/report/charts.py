"""The geometry of the report's charts (report.md §3 and §4): where each bar goes, in SVG user units.
The numbers drawn are the estimator's own (`VMEstimate`, `DrainPlan`); this module only scales them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hvlint.estimate_cli import verdict
from hvlint.estimator import DrainPlan, VMEstimate, format_duration

SHOWN_ESTIMATES = 200
"""The estimates chart draws the worst this many VMs of a cluster; the table lists them all."""
LABEL_WIDTH = 260
PLOT_WIDTH = 560
ROW_HEIGHT = 20
TOP = 24
VALUE_WIDTH = 300
"""Room right of the estimates' plot for each bar's text."""


@dataclass(frozen=True, slots=True)
class EstimateBar:
    """One VM's bar: its total (the bar) and downtime (the dark end), and its verdict."""

    vm: str
    cluster: str
    """The VM's cluster, empty for a standalone VM."""
    move: str
    total: float
    downtime: float
    verdict: str
    converges: bool
    exceeds: bool
    y: float
    width: float
    downtime_width: float
    threshold_x: float | None

    @property
    def label(self) -> str:
        """The text twin of the bar: total, downtime and verdict."""
        return f"{format_duration(self.total)} total, {format_duration(self.downtime)} down — {self.verdict}"


@dataclass(frozen=True, slots=True)
class EstimatesChart:
    """The estimates chart of one cluster: the worst VMs by downtime, and how many it left out."""

    bars: tuple[EstimateBar, ...]
    left_out: int
    scale_max: float
    height: float
    width: float = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH

    @property
    def axis_label(self) -> str:
        """The end of the time axis, in words."""
        return format_duration(self.scale_max)


def _downtime(estimate: VMEstimate) -> float:
    return estimate.move.precopy.downtime if estimate.move is not None else 0.0


def estimates_chart(estimates: Sequence[VMEstimate]) -> EstimatesChart:
    """The chart of the estimates that have a move, longest downtime first, at most SHOWN_ESTIMATES."""
    estimated = [e for e in estimates if e.move is not None and e.source is not None]
    estimated.sort(key=lambda e: (-_downtime(e), e.vm.name.casefold()))
    shown = estimated[:SHOWN_ESTIMATES]
    scale = max((e.move.precopy.total for e in shown if e.move is not None), default=0.0) or 1.0
    bars = []
    for index, estimate in enumerate(shown):
        move = estimate.move
        assert move is not None and estimate.source is not None
        precopy = move.precopy
        threshold = estimate.threshold
        bars.append(
            EstimateBar(
                vm=estimate.vm.name,
                cluster=estimate.cluster.name if estimate.cluster is not None else "",
                move=f"{estimate.source.name} → {move.destination.name}",
                total=precopy.total,
                downtime=precopy.downtime,
                verdict=verdict(estimate),
                converges=precopy.converges,
                exceeds=estimate.exceeds_downtime,
                y=TOP + index * ROW_HEIGHT,
                width=max(PLOT_WIDTH * precopy.total / scale, 1.0),
                downtime_width=max(PLOT_WIDTH * precopy.downtime / scale, 2.0),
                threshold_x=None if threshold is None else min(PLOT_WIDTH * threshold / scale, PLOT_WIDTH),
            )
        )
    height = TOP + max(len(bars), 1) * ROW_HEIGHT + 24
    return EstimatesChart(tuple(bars), len(estimated) - len(shown), scale, height)


@dataclass(frozen=True, slots=True)
class GanttBar:
    """One migration of a drain: its slot's row, when it starts and how long it takes."""

    vm: str
    destination: str
    start: float
    end: float
    x: float
    y: float
    width: float

    @property
    def label(self) -> str:
        """The bar's text: the VM, its destination and its time."""
        return f"{self.vm} → {self.destination} ({format_duration(self.end - self.start)})"


@dataclass(frozen=True, slots=True)
class GanttChart:
    """The drain of one host as a Gantt chart: one row per slot, and the window line when configured."""

    host: str
    cluster: str | None
    slots: int
    drain_time: float
    bars: tuple[GanttBar, ...]
    window_x: float | None
    window: float | None
    left_behind: tuple[tuple[str, str], ...]
    complete: bool
    height: float
    width: float = LABEL_WIDTH + PLOT_WIDTH + 20

    @property
    def drain_label(self) -> str:
        """The drain time, in words."""
        return format_duration(self.drain_time)

    @property
    def window_label(self) -> str:
        """The drain window, in words (empty when none is configured)."""
        return "" if self.window is None else format_duration(self.window)


def left_behind(plan: DrainPlan) -> tuple[tuple[str, str], ...]:
    """The VMs the drain does not move, and why: the memory-aware plan's entries, else version 1's."""
    if plan.left:
        return tuple((item.vm.name, item.describe()) for item in plan.left)
    return tuple((vm.name, reason) for vm, reason in plan.left_behind)


def gantt_chart(plan: DrainPlan, window: float | None) -> GanttChart:
    """The Gantt chart of a drain plan; `window` is `estimator.drain_window` (None: not configured)."""
    drain_time = plan.drain_time
    scale = max(drain_time, window or 0.0) or 1.0
    bars = tuple(
        GanttBar(
            vm=migration.vm.name,
            destination=migration.destination.name,
            start=migration.start,
            end=migration.end,
            x=LABEL_WIDTH + PLOT_WIDTH * migration.start / scale,
            y=TOP + migration.slot * ROW_HEIGHT * 2,
            width=max(PLOT_WIDTH * migration.duration / scale, 1.0),
        )
        for migration in plan.migrations
    )
    rows = plan.slots if plan.migrations else 1
    host = plan.host
    return GanttChart(
        host=host.name,
        cluster=host.cluster.name if host.cluster else None,
        slots=plan.slots,
        drain_time=drain_time,
        bars=bars,
        window_x=None if window is None else LABEL_WIDTH + PLOT_WIDTH * window / scale,
        window=window,
        left_behind=left_behind(plan),
        complete=plan.complete,
        height=TOP + rows * ROW_HEIGHT * 2 + 24,
    )
