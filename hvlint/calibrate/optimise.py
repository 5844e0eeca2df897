"""A small deterministic minimiser for the fit: a grid over a box, then finer grids around the best point.

The objective of a calibration is piecewise smooth (the pre-copy stop rules make it jump where a pass is
added or dropped), so a derivative-based method could stall on a step; a grid sees the whole box first.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

Box = Sequence[tuple[float, float]]


def grid_minimum(
    objective: Callable[[tuple[float, ...]], float],
    box: Box,
    points: int = 41,
    refinements: int = 30,
    refine_points: int = 9,
) -> tuple[float, ...]:
    """The point of `box` (one (low, high) per dimension) where `objective` is least: the best of a grid
    of `points` per dimension, then `refinements` times the best of a grid of `refine_points` spanning
    two of the previous steps on each side of the best point so far. Ties go to the point found first,
    so the answer depends on nothing but the arguments."""
    if points < 2 or refine_points < 2:
        raise ValueError("a grid needs at least 2 points per dimension")
    best_point: tuple[float, ...] | None = None
    best_value = float("inf")
    current = [(low, high) for low, high in box]
    count = points
    for _ in range(refinements + 1):
        axes = [_axis(low, high, count) for low, high in current]
        for point in itertools.product(*axes):
            value = objective(point)
            if best_point is None or value < best_value:
                best_point, best_value = point, value
        assert best_point is not None
        steps = [(high - low) / (count - 1) for low, high in current]
        current = [
            (max(low, centre - 2 * step), min(high, centre + 2 * step))
            for (low, high), centre, step in zip(box, best_point, steps, strict=True)
        ]
        count = refine_points
    assert best_point is not None
    return best_point


def _axis(low: float, high: float, count: int) -> list[float]:
    if high <= low:
        return [low]
    return [low + (high - low) * index / (count - 1) for index in range(count)]
