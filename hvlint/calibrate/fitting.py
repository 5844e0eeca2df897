"""The calibration's model and fit: each measured row predicted by the pre-copy model, and the
`[estimator]` keys that make the predictions closest to the measurements (least squares on the relative
error of the total)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from hvlint.calibrate.measurements import Measurement
from hvlint.calibrate.optimise import grid_minimum
from hvlint.config import FACTOR_LIMIT
from hvlint.estimator import MigrationInputs, Parameters, Precopy, max_rounds, simulate, transport_factor
from hvlint.estimator.wording import format_duration
from hvlint.language import units
from hvlint.records import replace

LINK_EFFICIENCY = "link_efficiency"
SETUP = "setup"
COMPRESSION_RATIO = "compression_ratio"

EFFICIENCY_RANGE = (0.01, 1.0)
"""The link efficiencies the fit considers: below 1% a link would be better described as broken."""


class CalibrationError(ValueError):
    """The measurements cannot determine the keys to fit (too few rows)."""


def predict(measurement: Measurement, params: Parameters) -> Precopy:
    """The pre-copy model's outcome for a measured row under `params`: `simultaneous` equal migrations
    started together, each with a k-th of the link."""
    dirty_rate = measurement.dirty_rate
    if dirty_rate is None:
        dirty_rate = params.default_dirty_rate or 0.0
    return simulate(
        MigrationInputs(
            memory=measurement.memory,
            dirty_rate=dirty_rate,
            link=measurement.bandwidth,
            efficiency=params.link_efficiency,
            transport_factor=transport_factor(measurement.transport, params),
            sharing=measurement.simultaneous,
            max_rounds=max_rounds(measurement.platform, params),
            stop_copy_target=params.stop_copy_target,
            switchover=params.switchover,
            setup=params.setup,
        )
    )


def relative_error(predicted: float, measured: float) -> float:
    """(predicted − measured) / measured: +0.5 is a prediction half as long again as measured."""
    return (predicted - measured) / measured


def fitted_keys(measurements: Sequence[Measurement]) -> tuple[str, ...]:
    """The keys a calibration fits: link_efficiency and setup, and compression_ratio when some rows use
    compression and some do not (when all do, η and the ratio only act as their product, so the ratio is
    kept and η absorbs it)."""
    transports = {measurement.transport == "compression" for measurement in measurements}
    if transports == {True, False}:
        return (LINK_EFFICIENCY, COMPRESSION_RATIO, SETUP)
    return (LINK_EFFICIENCY, SETUP)


@dataclass(frozen=True, slots=True)
class Calibration:
    """The outcome of a calibration: the settings before and after, and the fitted keys' values."""

    measurements: tuple[Measurement, ...]
    before: Parameters
    after: Parameters
    keys: tuple[str, ...]

    def totals(self, params: Parameters) -> list[float]:
        """Each row's predicted total under `params`."""
        return [predict(measurement, params).total for measurement in self.measurements]

    def errors(self, params: Parameters) -> list[float]:
        """Each row's relative error under `params`."""
        return [
            relative_error(total, measurement.total)
            for total, measurement in zip(self.totals(params), self.measurements, strict=True)
        ]

    def toml_values(self) -> dict[str, float | str]:
        """The fitted keys as a configuration writes them: numbers, and the setup as a duration."""
        values: dict[str, float | str] = {}
        for key in self.keys:
            value = getattr(self.after, key)
            values[key] = format_duration(value) if key == SETUP else value
        return values


def spread(errors: Sequence[float]) -> tuple[float, float]:
    """The median and the worst of the errors' magnitudes."""
    sizes = [abs(error) for error in errors]
    return statistics.median(sizes), max(sizes)


def fit(measurements: Sequence[Measurement], params: Parameters) -> Calibration:
    """The values of `fitted_keys` that minimise the sum of squared relative errors of the totals, the
    other settings as `params` has them; rounded as written (η to 3 decimals, the compression ratio to
    2, the setup to 3 significant figures), so that the predictions shown are those of the values
    written. Raises CalibrationError when there are fewer rows than keys to fit."""
    keys = fitted_keys(measurements)
    if len(measurements) < len(keys):
        raise CalibrationError(
            f"fitting {len(keys)} keys ({', '.join(keys)}) needs at least {len(keys)} measurements, "
            f"found {len(measurements)}"
        )
    rows = tuple(measurements)
    with_ratio = COMPRESSION_RATIO in keys

    def setup_and_error(point: tuple[float, ...]) -> tuple[float, float]:
        ratio = math.exp(point[1]) if with_ratio else params.compression_ratio
        trial = replace(params, link_efficiency=point[0], compression_ratio=ratio, setup=0.0)
        moving = [predict(row, trial).total for row in rows]
        setup = _best_setup(moving, [row.total for row in rows])
        error = sum(((setup + time) / row.total - 1) ** 2 for time, row in zip(moving, rows, strict=True))
        return setup, error

    box = [EFFICIENCY_RANGE]
    if with_ratio:
        box.append((0.0, math.log(FACTOR_LIMIT)))
    point = grid_minimum(lambda p: setup_and_error(p)[1], box, points=41 if with_ratio else 100)
    setup, _ = setup_and_error(point)
    efficiency = min(EFFICIENCY_RANGE[1], max(0.001, round(point[0], 3)))
    after = replace(params, link_efficiency=efficiency, setup=_as_written(setup))
    if with_ratio:
        after = replace(after, compression_ratio=max(1.0, round(math.exp(point[1]), 2)))
    return Calibration(rows, params, after, keys)


def _best_setup(moving: Sequence[float], measured: Sequence[float]) -> float:
    """The setup s >= 0 minimising Σ ((s + moving_i) / measured_i − 1)², which is quadratic in s."""
    weights = [1 / (time * time) for time in measured]
    numerator = sum(w * (m - t) for w, m, t in zip(weights, measured, moving, strict=True))
    return max(0.0, numerator / sum(weights))


def _as_written(seconds: float) -> float:
    """The duration to the millisecond as `format_duration` writes it, read back (what the configuration
    will hold)."""
    quantity = units.parse_quantity(format_duration(round(seconds, 3)))
    assert quantity is not None
    return quantity.value
